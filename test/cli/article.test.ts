import { describe, expect, it } from 'vitest';
import { DocumentRecordSchema } from '../../src/core/record.js';
import { cliOverShippedPages } from './harness.js';

const { cli } = cliOverShippedPages();

describe('cli article', () => {
  it('prints the record plus related [{id, title}] as JSON', async () => {
    const { code, stdout } = await cli('article', '002_6920415c55e1d6e5', '--json');
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as Record<string, unknown> & {
      related: Array<Record<string, unknown>>;
    };
    const { related, ...record } = output;
    expect(DocumentRecordSchema.parse(record)).toEqual(record);
    expect(record.title).toBe('Agreement with China Paves Way for IOM Presence in Beijing');
    expect(related.length).toBeGreaterThan(0);
    for (const r of related) {
      expect(Object.keys(r)).toEqual(['id', 'title']);
      expect(r.id).not.toBe('002_6920415c55e1d6e5');
    }
  });

  it('prints title, fields, text, contacts and related documents for people', async () => {
    const { code, stdout } = await cli('article', '004_b8327546129996ab');
    expect(code).toBe(0);
    expect(
      stdout.startsWith(
        'Supporting China’s Engagement in the Global Migration Debate\n004_b8327546129996ab · project · China · raw/004_b8327546129996ab.txt\n',
      ),
    ).toBe(true);
    expect(stdout).toContain('Prima ID: CN10P0002\nProjects ID: PO.0105\nStatus: Completed');
    expect(stdout).toContain('Budget (USD): 100000');
    expect(stdout).toContain('\nRelated:\n  ');
  });

  it('exits 1 for an unknown id with a clear message and close ids', async () => {
    const { code, stdout, stderr } = await cli('article', '003');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'article: No document with id "003". Did you mean 003_bfb7b29f8f6badf6 ("International Seminar on Immigration Management in China")?\n',
    );
  });

  it('exits 2 without an id', async () => {
    expect((await cli('article')).code).toBe(2);
    expect((await cli('article', 'a', 'b')).stderr).toBe(
      'article: give exactly one document id.\nRun with --help for usage.\n',
    );
  });

  it('has --help', async () => {
    expect((await cli('article', '--help')).stdout).toMatch(
      /^Usage: npm run --silent cli -- article <id> \[--json\]/,
    );
  });
});
