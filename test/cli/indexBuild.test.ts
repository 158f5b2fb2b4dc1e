import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliOverShippedPages } from './harness.js';

const { data, cli } = cliOverShippedPages();

describe('cli index', () => {
  it('index build writes the snapshot and prints counts and timing', async () => {
    const { code, stdout } = await cli('index', 'build');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('5 documents (4 articles, 1 project), 10 people, 0 failed');
    expect(lines[1]).toMatch(/^read\+parse \d+ ms · index \d+ ms · snapshot \d+ ms \([\d.]+ MB\)$/);
    expect(lines[2]).toBe(`wrote ${path.join(data.dir, 'index-snapshot.bin')}`);
    expect(existsSync(path.join(data.dir, 'index-snapshot.bin'))).toBe(true);
  });

  it('index build --json reports the same numbers', async () => {
    const { stdout } = await cli('index', 'build', '--json');
    expect(JSON.parse(stdout)).toMatchObject({
      documents: 5,
      articles: 4,
      projects: 1,
      contacts: 10,
      failed: 0,
      snapshotBytes: expect.any(Number) as number,
    });
  });

  it('the other commands then load the snapshot without warnings', async () => {
    await cli('index', 'build');
    const { code, stderr } = await cli('search', 'liljert');
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('exits 2 without the build subcommand', async () => {
    expect((await cli('index')).stderr).toBe(
      'index: missing the subcommand (build).\nRun with --help for usage.\n',
    );
    expect((await cli('index', 'drop')).code).toBe(2);
  });
});
