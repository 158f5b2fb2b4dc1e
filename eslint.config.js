// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
            { group: ['discord.js', '@discordjs/*'], message: 'src/core is pure: no Discord.' },
            {
              group: ['node:fs', 'node:fs/*', 'fs', 'node:child_process', 'node:net', 'node:http'],
              message: 'src/core is pure: no I/O.',
            },
            { group: ['better-sqlite3', 'node-cron', 'pino'], message: 'src/core is pure: adapters only.' },
            {
              group: ['../store/*', '../discord/*', '../cli/*', '../ingest/*', '../../*'],
              message: 'src/core depends on nothing of ours outside core.',
            },
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
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
