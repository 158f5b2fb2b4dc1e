import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyShippedData } from '../support/botHarness.js';
import { LOOPBACK_WEB_ALLOW, LoopbackWeb } from '../../loopback/web.js';
import { addExtraPages } from '../support/extraPages.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm start` without a token, over `dataDir`: what it printed so far, and its exit. */
function startConsole(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    // FETCH_ALLOW_NETWORKS: live sources on the loopback web are reached, not refused by address.
    env: {
      ...process.env,
      DISCORD_TOKEN: '',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      FETCH_ALLOW_NETWORKS: LOOPBACK_WEB_ALLOW,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const closed = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stderr: () => stderr, closed };
}

/** Runs `npm start` without a token, feeds it `input`, and returns what it printed. */
function runConsole(
  dataDir: string,
  input: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const console = startConsole(dataDir, env);
  console.child.stdin.end(input);
  return console.closed;
}

/** The replies, split at each echoed command line. */
function replies(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = stdout.split(/^> /m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    out.set(part.slice(0, newline), part.slice(newline + 1).trim());
  }
  return out;
}

describe('console mode (npm start without a token)', () => {
  let dataDir: string;
  let result: Awaited<ReturnType<typeof runConsole>>;
  let answers: Map<string, string>;

  beforeAll(async () => {
    dataDir = await copyShippedData();
    result = await runConsole(
      dataDir,
      [
        '/about',
        '/search query:beijing liaison office agreement',
        'click 1',
        '/contact name:liljert',
        'click 7',
        '/project query:CN10P0002',
        'complete /contact name:lil',
        '/article id:no such thing',
        '/digest list',
        '/sources',
        '/nope',
        'click 99',
        '',
      ].join('\n'),
    );
    answers = replies(result.stdout);
  }, 60_000);

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints a banner with help and exits 0 at the end of input', () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Migration News Bot \S+: console mode \(DISCORD_TOKEN is not set\)\.\nLoaded 5 documents from /,
    );
    expect(result.stdout).toContain('Buttons and menu options in replies are numbered: type click N.');
  });

  it('runs /about on the shipped data', () => {
    expect(answers.get('/about')).toContain('== Migration News Bot ==');
    expect(answers.get('/about')).toContain('Documents: 5');
    expect(answers.get('/about')).toContain('Projects: 1');
    // Terminal text, not Discord markdown.
    expect(answers.get('/about')).toContain('/search query: find press releases');
    expect(answers.get('/about')).not.toMatch(/[`*]|<t:/);
  });

  it('renders search results with their snippet and numbers the menu options', () => {
    const reply = answers.get('/search query:beijing liaison office agreement') ?? '';
    expect(reply).toContain('(only you can see this)');
    expect(reply).toContain('1. Agreement with China Paves Way for IOM Presence in Beijing:');
    // Plain text, as the CLI prints a snippet: the matched words without Discord's bold.
    expect(reply).toMatch(/liaison office/i);
    expect(reply).not.toContain('**');
    expect(reply).toContain('[1] Agreement with China Paves Way for IOM Presence in Beijing');
  });

  it('opens a result by its number', () => {
    const reply = answers.get('click 1') ?? '';
    expect(reply).toContain('== Agreement with China Paves Way for IOM Presence in Beijing ==');
    expect(reply).toContain('Press contact:\n  Jian Zhao, IOM Geneva');
  });

  it('shows a contact card and sends its vCard when the button is typed', () => {
    const card = answers.get('/contact name:liljert') ?? '';
    expect(card).toContain('== Pär Liljert ==');
    expect(card).toContain('E-mail: pliljert@iom.int');
    expect(card).toMatch(/\[7\] vCard \(\.vcf\)/);
    const vcard = answers.get('click 7') ?? '';
    expect(vcard).toMatch(/\[attachment par-liljert\.vcf, \d+ bytes\]/);
    expect(vcard).toContain('| FN:Pär Liljert');
  });

  it('shows the project card with the budget in US dollars', () => {
    const reply = answers.get('/project query:CN10P0002') ?? '';
    expect(reply).toContain('== Supporting China’s Engagement in the Global Migration Debate ==');
    expect(reply).toContain('Budget: $100,000');
    expect(reply).toContain('Prima ID: CN10P0002');
  });

  it('lists autocomplete suggestions', () => {
    expect(answers.get('complete /contact name:lil')).toContain('- Pär Liljert');
  });

  it('explains mistakes without stopping', () => {
    expect(answers.get('/article id:no such thing')).toBe(
      '(only you can see this)\n\nNo article matches “no such thing”. Pick one from the list, or try /search.',
    );
    expect(answers.get('/digest list')).toBe(
      '(only you can see this)\n\nDigests are managed inside a server, not here.',
    );
    // This data folder has no sources.json: there are no live sources to list.
    expect(answers.get('/sources')).toBe('(only you can see this)\n\nNo live sources are configured.');
    expect(answers.get('/nope')).toMatch(/^Error: unknown command \/nope; try \/search, /);
    expect(answers.get('click 99')).toMatch(/^No button 99: choose 1 to \d+\.$/);
  });
});

describe('console mode with several pages of results', () => {
  it('pages with the numbered buttons, updating the message', async () => {
    const dataDir = await copyShippedData();
    try {
      await addExtraPages(dataDir, 12);
      const { code, stdout } = await runConsole(
        dataDir,
        '/search query:seminar mobility\nclick 6\nclick 12\n',
      );
      expect(code).toBe(0);
      const answers = replies(stdout);
      expect(answers.get('/search query:seminar mobility')).toMatch(/-- Page 1 of 3 · 1[34] results/);
      expect(answers.get('/search query:seminar mobility')).toContain('[-] ◀ Previous\n  [6] Next ▶');
      expect(answers.get('click 6')).toMatch(/^\(message updated\)\n/);
      expect(answers.get('click 6')).toMatch(/-- Page 2 of 3/);
      expect(answers.get('click 12')).toMatch(/-- Page 1 of 3/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('console mode on a machine whose sources cannot be reached', () => {
  it('starts, serves the shipped pages and shows every source as failing in /sources', async () => {
    const dataDir = await copyShippedData();
    // Unreachable without a request leaving the machine: loopback ports nothing listens on.
    const closed = await LoopbackWeb.start({});
    const dead = (name: string) => closed.url(`/${name}`);
    await closed.close();
    await writeFile(
      path.join(dataDir, 'sources.json'),
      JSON.stringify({
        sources: [
          { id: 'press', type: 'iom', url: dead('search?type=press_release') },
          { id: 'news', type: 'feed', url: dead('rss.xml') },
        ],
      }),
    );
    const bot = startConsole(dataDir);
    try {
      // The first fetch of each source fails in the background: one warning line per source.
      const failed = (id: string) => bot.stderr().includes(`source ${id} failed`);
      for (let t = 0; !(failed('press') && failed('news')); t++) {
        if (t > 600) throw new Error(`no failure logged for both sources:\n${bot.stderr()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      bot.child.stdin.end('/sources\n/search query:beijing liaison office agreement\n');
      const { code, stdout, stderr } = await bot.closed;
      expect(code).toBe(0);
      const answers = replies(stdout);
      const sources = answers.get('/sources') ?? '';
      expect(sources.match(/🔴 failing/g)).toHaveLength(2);
      expect(sources).toMatch(/refused/);
      // Times as the CLI writes them, not Discord's <t:…:R>.
      expect(sources).not.toContain('<t:');
      expect(sources).toMatch(
        /Last fetch: \d{4}-\d\d-\d\d \d\d:\d\d UTC · Next fetch: \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
      );
      expect(answers.get('/search query:beijing liaison office agreement')).toMatch(/Liaison Office/i);
      expect(stderr.match(/"msg":"source \w+ failed/g)).toHaveLength(2); // one line per source, no storm
    } finally {
      bot.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('console mode in another language (BOT_LANGUAGE)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await copyShippedData();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each([
    {
      lang: 'fr',
      help: 'Tapez une commande slash comme sur Discord',
      none: 'Aucun résultat pour “zqxjvw”. Essayez avec moins de mots ou d’autres mots.',
      footer: '-- Page 1 sur 1 · 1 résultat',
      error: 'Aucun article ne correspond à « zqxjvw ». Choisissez-en un dans la liste, ou essayez /search.',
      noButton: 'Pas de bouton 99 : choisissez de 1 à 1.',
      uptime: 'En ligne depuis: ',
    },
    {
      lang: 'ar',
      help: 'اكتب أمرًا بشرطة مائلة كما في ديسكورد',
      none: 'لا توجد نتائج لـ \u2068“zqxjvw”\u2069. جرّب كلمات أقل أو كلمات أخرى.',
      footer: '-- الصفحة 1 من 1 · نتيجة واحدة',
      error: 'لا يوجد مقال يطابق «\u2068zqxjvw\u2069». اختر مقالًا من القائمة، أو جرّب \u2068/search\u2069.',
      noButton: 'لا يوجد زر 99: اختر من 1 إلى 1.',
      uptime: 'مدة التشغيل: ',
    },
  ])(
    'answers in $lang: help, /about, /search with and without results, errors',
    async (expected) => {
      const result = await runConsole(
        dataDir,
        [
          '/about',
          '/search query:zqxjvw',
          '/search query:beijing liaison office agreement',
          '/article id:zqxjvw',
          'click 99',
          '',
        ].join('\n'),
        { BOT_LANGUAGE: expected.lang },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(expected.help);
      const answers = replies(result.stdout);
      expect(answers.get('/about')).toContain(expected.uptime);
      expect(answers.get('/search query:zqxjvw')).toContain(expected.none);
      expect(answers.get('/search query:beijing liaison office agreement')).toContain(expected.footer);
      expect(answers.get('/article id:zqxjvw')).toContain(expected.error);
      expect(answers.get('click 99')).toBe(expected.noButton);
    },
    60_000,
  );

  it('refuses a BOT_LANGUAGE without a catalog, naming the ones there are', async () => {
    const result = await runConsole(dataDir, '', { BOT_LANGUAGE: 'ko' });
    expect(result.code).not.toBe(0);
    expect(result.stderr + result.stdout).toContain(
      'BOT_LANGUAGE: must be a language with a catalog: en, fr, es, ar',
    );
  }, 60_000);
});
