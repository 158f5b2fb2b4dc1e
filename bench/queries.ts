/**
 * The fixed, seeded query mix both sides of the benchmark answer. Queries are drawn from the
 * generator's vocabulary (not from the documents), so the same strings are asked at every corpus
 * size and a result is comparable across sizes.
 */
import { parseSince } from '../src/core/library.js';
import { MULTILINGUAL_LANGUAGES, type MultilingualLanguage, type Script } from './multilingualCorpus.js';
import { ROSTER, toAscii } from './syntheticCorpus.js';
import * as V from './vocabulary.js';
import { BENCH_NOW } from './webCorpus.js';
import { mulberry32 as rng } from '../src/util/random.js';

/** The classes of the mix, in the order they take turns. */
export const QUERY_CLASSES = ['exact', 'prefix', 'typo', 'filtered', 'newest', 'since'] as const;
export type QueryClass = (typeof QUERY_CLASSES)[number];

/** What users type in `/search since:`, read against the benchmark's clock (BENCH_NOW). */
const SINCE_TEXTS = ['7d', '30d', '90d', '26w', '365d', '2025-01-01', '2026-03-15'] as const;

export interface QueryFilter {
  readonly kind?: 'article' | 'project';
  readonly country?: string;
}

export interface BenchQuery {
  readonly class: QueryClass;
  readonly text: string;
  /** The language the query is typed in and its script; absent: English (Latin script). */
  readonly language?: MultilingualLanguage;
  readonly script?: Script;
  readonly filter?: QueryFilter;
  /** `newest`: newest publication first (undated last) instead of best match first. */
  readonly sort?: 'newest';
  /** `since`: what was typed and the ISO time parseSince reads it as at BENCH_NOW. */
  readonly since?: { readonly text: string; readonly iso: string };
}

/** The ISO time `text` means for `/search since:` at the benchmark's clock. */
export function sinceAt(text: string): { text: string; iso: string } {
  const parsed = parseSince(text, BENCH_NOW);
  if (!parsed.ok) throw new Error(`bench: since "${text}": ${parsed.error}`);
  return { text, iso: parsed.value };
}

/** Topic words and phrases people would type; each appears in the generated text. */
const TOPICS: readonly string[] = [
  'trafficking',
  'border management',
  'reintegration',
  'returnees',
  'displaced families',
  'emergency shelter',
  'tuberculosis screening',
  'labour migration',
  'unaccompanied children',
  'flooding',
  'psychosocial support',
  'voluntary return',
  'stranded migrants',
  'climate change',
  'recruitment costs',
  'passport',
  'hotline',
  'host communities',
  'asylum seekers',
  'cash assistance',
  'vocational training',
  'remittances',
  'displacement tracking',
  'migration governance',
  'seasonal workers',
  'rainy season',
  'consular training',
  'resettled refugees',
  'drought',
  'health care',
];

function picker(seed: number) {
  const next = rng(seed);
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
}

/** One deterministic edit (drop, swap, double or replace a letter) in a word of 6+ letters. */
function typo(word: string, roll: number): string {
  const at = 1 + (Math.floor(roll * 1000) % (word.length - 2));
  switch (Math.floor(roll * 4)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2);
    case 2:
      return word.slice(0, at) + (word[at] ?? '') + word.slice(at);
    default:
      return word.slice(0, at) + (word[at] === 'e' ? 'a' : 'e') + word.slice(at + 1);
  }
}

const familyNames = [...new Set(ROSTER.map((p) => p.name.split(' ').slice(1).join(' ')))];
const countryNames = V.COUNTRIES.map((c) => c.name);
const cities = V.COUNTRIES.flatMap((c) => c.cities);

/**
 * `count` queries, a sixth of each class in turn: exact words (topics, countries, cities, people),
 * the last word cut to a prefix, one typo in a longer word, exact words with a kind or country
 * filter, exact words sorted newest first, and a topic (sometimes with a country) with a `since`
 * (a time back such as 30d, or a day). Same seed, same list.
 */
export function buildQueryMix(seed: number, count = 240, multilingual = false): BenchQuery[] {
  const pick = picker(seed ^ 0x51ed);
  const next = rng(seed ^ 0xa11);
  const exactText = (): string => {
    const roll = next();
    if (roll < 0.4) return pick(TOPICS);
    if (roll < 0.6) return `${pick(TOPICS)} ${pick(countryNames)}`;
    if (roll < 0.75) return pick(cities);
    if (roll < 0.9) return pick(familyNames);
    return `${pick(TOPICS).split(' ')[0] ?? ''} ${pick(familyNames)}`;
  };
  const queries: BenchQuery[] = [];
  for (let k = 0; k < count; k++) {
    switch (QUERY_CLASSES[k % QUERY_CLASSES.length]) {
      case 'exact':
        queries.push({ class: 'exact', text: exactText() });
        break;
      case 'prefix': {
        const words = exactText().split(' ');
        const last = words.pop() ?? '';
        const cut = Math.max(3, Math.min(last.length - 1, 3 + Math.floor(next() * 4)));
        queries.push({ class: 'prefix', text: [...words, last.slice(0, cut)].join(' ') });
        break;
      }
      case 'typo': {
        let words = exactText().split(' ');
        for (let guard = 0; !words.some((w) => w.length >= 6) && guard < 20; guard++) {
          words = exactText().split(' ');
        }
        const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '');
        const text = words.map((w) => (w === longest ? typo(toAscii(w).toLowerCase(), next()) : w)).join(' ');
        queries.push({ class: 'typo', text });
        break;
      }
      case 'filtered': {
        const filter: QueryFilter = next() < 0.5 ? { kind: 'project' } : { country: pick(countryNames) };
        queries.push({ class: 'filtered', text: pick(TOPICS).split(' ')[0] ?? 'migration', filter });
        break;
      }
      case 'newest':
        queries.push({ class: 'newest', text: exactText(), sort: 'newest' });
        break;
      default: {
        const text = next() < 0.7 ? pick(TOPICS) : `${pick(TOPICS)} ${pick(countryNames)}`;
        queries.push({ class: 'since', text, since: sinceAt(pick(SINCE_TEXTS)) });
      }
    }
  }
  return multilingual ? [...queries, ...buildMultilingualQueries(seed)] : queries;
}

/**
 * Words of the multilingual share's real sentences, per language: `exact` as printed in them,
 * `forms` as a reader would type them without finding them printed so (another inflection, no
 * article, a letter variant: Arabic yeh in Persian, bare alef for hamza), which only analysis
 * (stemming, normalization, segmentation) can match. Chinese words are runs inside sentences
 * written without spaces.
 */
export const MULTILINGUAL_QUERY_WORDS: Readonly<
  Record<MultilingualLanguage, { readonly exact: readonly string[]; readonly forms: readonly string[] }>
> = {
  fr: {
    exact: ['liberté', 'dignité', 'conscience', 'personnalité juridique', 'rivière', 'fraternité'],
    forms: ['libre', 'humain', 'arrêtés', 'exilés', 'rivières'],
  },
  es: {
    exact: ['dignidad', 'asilo', 'persecución', 'libertad', 'conciencia', 'desiertos'],
    forms: ['libre', 'humano', 'árbol', 'tortura', 'río'],
  },
  ar: {
    exact: ['الكرامة', 'الحرية', 'إنسان', 'الأنهار', 'القانونية'],
    forms: ['كرامة', 'حرية', 'انسان', 'الانهار', 'قانونية'],
  },
  fa: {
    exact: ['آزادی', 'حقوق', 'تابعیت', 'وجدان', 'بیابان'],
    forms: ['امنيت', 'زندگي', 'تابعيت', 'حيثيت'],
  },
  ru: {
    exact: ['свободу', 'достоинстве', 'право', 'пустынях', 'братства'],
    forms: ['свобода', 'достоинство', 'пустыня', 'братство', 'ареста'],
  },
  zh: {
    exact: ['自由', '尊严', '权利', '人身安全', '酷刑', '理性', '良心', '刑罚'],
    forms: [],
  },
};

/**
 * `perLanguage` queries in each language of the multilingual share, taking turns through the
 * classes like the English mix: a word or form as typed, the last word cut to a prefix, one typo in
 * a word of 6+ letters (Chinese: the word as is), an article filter, newest first, and a `since`.
 */
export function buildMultilingualQueries(seed: number, perLanguage = 8): BenchQuery[] {
  const pick = picker(seed ^ 0x1a46);
  const next = rng(seed ^ 0x5c1);
  const queries: BenchQuery[] = [];
  for (const { language, script } of MULTILINGUAL_LANGUAGES) {
    const { exact, forms } = MULTILINGUAL_QUERY_WORDS[language];
    const pool = [...exact, ...forms];
    for (let k = 0; k < perLanguage; k++) {
      const cls = QUERY_CLASSES[k % QUERY_CLASSES.length] ?? 'exact';
      const base = { class: cls, language, script } as const;
      const text = pick(pool);
      const words = text.split(' ');
      const last = words.pop() ?? '';
      switch (cls) {
        case 'prefix': {
          // Chinese: a word of three or more characters less its last (one character alone is refused).
          const cut =
            language === 'zh'
              ? last.length >= 3
                ? last.length - 1
                : last.length
              : Math.max(3, last.length - 2);
          queries.push({ ...base, text: [...words, last.slice(0, cut)].join(' ') });
          break;
        }
        case 'typo':
          queries.push({
            ...base,
            // Outside Latin script only drop, swap or double (the fourth edit writes a Latin letter).
            text:
              language !== 'zh' && last.length >= 6
                ? [...words, typo(last, script === 'Latin' ? next() : next() * 0.75)].join(' ')
                : text,
          });
          break;
        case 'filtered':
          queries.push({ ...base, text, filter: { kind: 'article' } });
          break;
        case 'newest':
          queries.push({ ...base, text, sort: 'newest' });
          break;
        case 'since':
          queries.push({ ...base, text, since: sinceAt(pick(SINCE_TEXTS)) });
          break;
        default:
          queries.push({ ...base, text });
      }
    }
  }
  return queries;
}

/** What a user has typed into an autocomplete box, and which box (our library completes per field). */
export interface BenchPrefix {
  readonly field: 'title' | 'country' | 'contact' | 'project';
  readonly prefix: string;
}

/**
 * Prefixes someone types into a Discord autocomplete box: the start of a title word, a country, a
 * person's name or a Prima ID, 1 to 6 characters (short prefixes are the expensive ones).
 */
export function buildPrefixMix(seed: number, count = 200): BenchPrefix[] {
  const pick = picker(seed ^ 0xc0de);
  const next = rng(seed ^ 0xbeef);
  const titleWords = [...V.ARTICLE_TITLES, ...V.PROJECT_TITLES]
    .flatMap((t) => t.split(' '))
    .filter((w) => /^\p{Lu}\p{L}{3,}$/u.test(w));
  const sources: Array<() => [BenchPrefix['field'], string]> = [
    () => ['title', pick(titleWords)],
    () => ['country', pick(countryNames)],
    () => ['contact', pick(ROSTER).name],
    () => ['contact', pick(familyNames)],
    () => ['project', `${pick(V.COUNTRIES).code}${10 + Math.floor(next() * 90)}P`],
  ];
  return Array.from({ length: count }, () => {
    const [field, source] = pick(sources)();
    const length = 1 + Math.floor(next() * 6);
    return { field, prefix: source.slice(0, Math.min(source.length, length)) };
  });
}
