import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DocumentRecordSchema } from '../../src/core/record.js';
import { cliOverShippedPages } from './harness.js';

const { data, cli } = cliOverShippedPages();

describe('cli parse', () => {
  it('prints the five shipped records as JSON that matches the record schema', async () => {
    const { code, stdout } = await cli('parse', '--json');
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as { documents: unknown[]; errors: unknown[] };
    expect(output.errors).toEqual([]);
    expect(output.documents).toHaveLength(5);
    for (const doc of output.documents) expect(DocumentRecordSchema.parse(doc)).toEqual(doc);
  });

  it('prints a table and a summary line without --json', async () => {
    const { code, stdout } = await cli('parse');
    expect(code).toBe(0);
    expect(stdout).toContain(
      '002_6920415c55e1d6e5  article  Agreement with China Paves Way for IOM Presence in…   ',
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('5 parsed (4 articles, 1 projects), 0 failed');
  });

  it('exits 1 and still prints the good records when a file fails', async () => {
    const bad = path.join(data.dir, 'bad.txt');
    writeFileSync(bad, '');
    const { code, stdout, stderr } = await cli('parse', path.join(data.raw, '000_1e0d9a2d3cac57c3.txt'), bad);
    expect(code).toBe(1);
    expect(stdout).toContain('1 parsed (1 articles, 0 projects), 1 failed');
    expect(stderr).toBe('parse: bad.txt: empty file\n');
  });

  it('exits 2 with a hint on a wrong option, and 0 with --help', async () => {
    const wrong = await cli('parse', '--jsno');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^parse: Unknown option '--jsno'/);
    expect(wrong.stderr).toContain('Run with --help for usage.');
    const help = await cli('parse', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run --silent cli -- parse/);
    expect((await cli('nonsense')).code).toBe(2);
  });

  it('runs as a real process with DATA_DIR from the environment', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'parse', '--json'],
      { env: { ...process.env, DATA_DIR: data.dir }, cwd: path.resolve(import.meta.dirname, '../..') },
    );
    const output = JSON.parse(stdout) as { documents: Array<{ id: string }> };
    expect(output.documents.map((d) => d.id)).toHaveLength(5);
  });
});
