// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Boundaries: which folder may import which. Dependencies point one way: commands and adapters use
 * the core; the core uses nothing of ours outside itself and no I/O. A relative import of one of
 * our folders or top-level modules is matched by name, from any depth (`../store/x.js`,
 * `../../src/store/x.js`).
 */
const ours = (/** @type {string[]} */ ...names) => `^(\\.{1,2}/)+(src/)?(${names.join('|')})(/|\\.js$)`;
const folder = (/** @type {string} */ message, /** @type {string[]} */ ...names) => ({
  regex: ours(...names),
  message,
});
const packages = (/** @type {string} */ message, /** @type {string[]} */ ...group) => ({ group, message });
const DISCORD = ['discord.js', '@discordjs/*'];
const boundary = (/** @type {string[]} */ files, /** @type {object[]} */ patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core is pure: no Discord, no I/O, no environment.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            packages('src/core is pure: no Discord.', ...DISCORD),
            packages(
              'src/core is pure: no I/O.',
              ...['node:fs', 'node:fs/*', 'fs', 'node:child_process', 'node:net', 'node:http'],
            ),
            packages('src/core is pure: adapters only.', 'better-sqlite3', 'node-cron', 'pino', 'p-limit'),
            folder(
              'src/core depends on nothing of ours outside core: adapters call the core, not the reverse.',
              ...['store', 'ingest', 'discord', 'digests', 'cli', 'console', 'sources', 'util'],
              ...['commands', 'scheduler', 'config', 'main'],
            ),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/config.ts reads process.env.' },
        { object: 'Date', property: 'now', message: 'Pass `now` in: the core has no clock.' },
      ],
      'no-console': 'error',
      // The core returns data; Discord markup and layout live in src/discord (format/, limits.ts).
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/<[@#]|<t:/], TemplateElement[value.raw=/<[@#]|<t:/]',
          message: 'src/core returns data: mention and timestamp markup belongs in src/discord/format.',
        },
        {
          selector: 'Property[key.name=/^(colou?r|embeds?|nonce)$/]',
          message: 'src/core returns data: embeds, colours and nonces belong in src/discord.',
        },
      ],
    },
  },
  boundary(
    ['src/util/**/*.ts'],
    [
      { regex: '^\\.\\./', message: 'src/util holds small helpers that depend on nothing of ours.' },
      packages('src/util depends on no adapter library.', ...DISCORD, 'better-sqlite3', 'node-cron', 'pino'),
    ],
  ),
  boundary(
    ['src/store/**/*.ts'],
    [
      packages('src/store is SQLite only: no Discord.', ...DISCORD, 'node-cron'),
      folder(
        'src/store is used by adapters, it does not use them.',
        ...['ingest', 'discord', 'digests', 'cli', 'console', 'sources', 'commands', 'scheduler', 'main'],
      ),
    ],
  ),
  boundary(
    ['src/ingest/**/*.ts', 'src/sources/**/*.ts'],
    [
      packages('Ingestion and sources know nothing of Discord.', ...DISCORD),
      folder(
        'Ingestion and sources feed the library; Discord, digests and the tools use them, not the reverse.',
        ...['discord', 'digests', 'cli', 'console', 'commands', 'scheduler', 'main'],
      ),
    ],
  ),
  boundary(
    ['src/cli/**/*.ts'],
    [
      packages('The command-line tool does not talk to Discord.', ...DISCORD),
      folder('The CLI uses the core, the store and ingestion.', 'discord', 'console', 'commands', 'main'),
    ],
  ),
  boundary(
    ['src/console/**/*.ts'],
    [
      folder(
        'The console answers through the same dispatch and context as Discord: no store or ingestion.',
        ...['store', 'ingest', 'cli', 'sources', 'scheduler', 'main'],
      ),
    ],
  ),
  boundary(
    ['src/discord/**/*.ts', 'src/digests/**/*.ts', 'src/scheduler.ts'],
    [folder('Discord adapters do not reach into the other tools.', 'cli', 'console', 'main')],
  ),
  boundary(
    ['commands/**/*.ts'],
    [
      packages(
        'Commands reach storage only through the context.',
        'better-sqlite3',
        'node-cron',
        'node:fs',
        'fs',
      ),
      {
        // Commands reach src/ only as `../src/…`; `./sources.js` is the /sources command, a sibling.
        regex: `^(\\.\\./)+src/(${['store', 'ingest', 'cli', 'console', 'sources', 'scheduler', 'config', 'main'].join('|')})(/|\\.js$)`,
        message:
          'Commands read options, call services through the context and hand results to a formatter: no store or ingestion.',
      },
    ],
  ),
  boundary(
    ['test/**/*.ts'],
    [
      {
        regex: '^(\\.{1,2}/)+bench/',
        message: 'Tests do not import benchmarks; bench/ keeps the tests of its own tools.',
      },
    ],
  ),
  boundary(
    ['bench/**/*.ts'],
    [
      {
        regex: '^(\\.{1,2}/)+test/(?!support/)',
        message:
          'Benchmarks do not import tests; they may use test/support (what starts the shipped code and its servers), the loopback servers in loopback/, helpers in src/util.',
      },
    ],
  ),
  boundary(
    ['loopback/**/*.ts'],
    [
      {
        regex: '^(\\.{1,2}/)+(test|bench)/',
        message: 'The loopback servers stand alone: tests and benchmarks import them, not the reverse.',
      },
    ],
  ),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
