/**
 * `npx tsx bench/languageDetection.ts [--json]`
 *
 * eld against tinyld, the two short-text language detectors considered, on the real sentences of
 * test/fixtures/languages (UDHR and Wikipedia, the languages both support): accuracy (right,
 * undetermined, wrong) and time per text on whole sentences, on the first three words of each, and
 * on five sentences together; and the time to import each. Why eld: see the report it prints.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Sample {
  readonly language: string;
  readonly text: string;
}
interface Verdict {
  readonly language: string;
  readonly reliable: boolean;
}
type Detect = (text: string) => Verdict;

const here = path.dirname(fileURLToPath(import.meta.url));

function readSamples(): Sample[] {
  const samples: Sample[] = [];
  const file = path.join(here, '../test/fixtures/languages/sentences.txt');
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([a-z]{2}):(.+)$/.exec(line);
    if (match) samples.push({ language: match[1]!, text: match[2]!.trim() });
  }
  return samples;
}

async function timedImport<T>(load: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const module = await load();
  return [module, performance.now() - started];
}

function score(detect: Detect, samples: readonly Sample[]) {
  let right = 0;
  let undetermined = 0;
  let wrong = 0;
  const started = performance.now();
  for (const s of samples) {
    const v = detect(s.text);
    if (!v.reliable || v.language === '') undetermined++;
    else if (v.language === s.language) right++;
    else wrong++;
  }
  const microseconds = ((performance.now() - started) * 1000) / samples.length;
  return {
    samples: samples.length,
    right,
    undetermined,
    wrong,
    microsecondsPerText: Math.round(microseconds),
  };
}

interface EldModule {
  eld: {
    detect(text: string): { language: string; isReliable(): boolean };
    info(): { Languages: Record<string, string> };
  };
}
interface TinyModule {
  detectAll(text: string): Array<{ lang: string; accuracy: number }>;
  supportedLanguages: string[];
  toISO2(code: string): string;
}

async function main(json: boolean): Promise<void> {
  const [eldModule, eldImportMs] = await timedImport(() => import('eld/small') as Promise<EldModule>);
  const [tiny, tinyImportMs] = await timedImport(() => import('tinyld') as Promise<TinyModule>);
  const eldLanguages = new Set(Object.values(eldModule.eld.info().Languages));
  const tinyLanguages = new Set(tiny.supportedLanguages.map((code) => tiny.toISO2(code)));
  const samples = readSamples().filter((s) => eldLanguages.has(s.language) && tinyLanguages.has(s.language));
  const detectors: Record<string, Detect> = {
    eld: (text) => {
      const r = eldModule.eld.detect(text);
      return { language: r.language, reliable: r.isReliable() };
    },
    // tinyld has no reliability flag: its top accuracy under 0.5 is taken as "cannot tell".
    tinyld: (text) => {
      const top = tiny.detectAll(text)[0];
      return { language: top?.lang ?? '', reliable: top !== undefined && top.accuracy >= 0.5 };
    },
  };
  const byLanguage = new Map<string, string[]>();
  for (const s of samples) byLanguage.set(s.language, [...(byLanguage.get(s.language) ?? []), s.text]);
  const sets = {
    sentences: samples,
    threeWords: samples.map((s) => ({ ...s, text: s.text.split(/\s+/).slice(0, 3).join(' ') })),
    paragraphs: [...byLanguage].map(([language, texts]) => ({ language, text: texts.slice(0, 5).join(' ') })),
  };
  const report = {
    languages: byLanguage.size,
    importMs: { eld: Math.round(eldImportMs), tinyld: Math.round(tinyImportMs) },
    eld: Object.fromEntries(Object.entries(sets).map(([k, set]) => [k, score(detectors.eld!, set)])),
    tinyld: Object.fromEntries(Object.entries(sets).map(([k, set]) => [k, score(detectors.tinyld!, set)])),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  process.stdout.write(`${byLanguage.size} languages both detectors support, ${samples.length} sentences\n`);
  process.stdout.write(`import: eld/small ${report.importMs.eld} ms, tinyld ${report.importMs.tinyld} ms\n`);
  for (const set of Object.keys(sets)) {
    for (const name of ['eld', 'tinyld'] as const) {
      const r = report[name][set]!;
      process.stdout.write(
        `${set.padEnd(11)} ${name.padEnd(7)} right ${r.right}/${r.samples}, undetermined ${r.undetermined}, wrong ${r.wrong}, ${r.microsecondsPerText} µs/text\n`,
      );
    }
  }
}

await main(process.argv.includes('--json'));
