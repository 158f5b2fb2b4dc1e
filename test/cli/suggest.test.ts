import { describe, expect, it } from 'vitest';
import { cliOverShippedPages } from './harness.js';

const { cli } = cliOverShippedPages();

describe('cli suggest', () => {
  it.each([
    [
      ['agree'],
      [{ name: 'Agreement with China Paves Way for IOM Presence in Beijing', value: '002_6920415c55e1d6e5' }],
    ],
    [['li', '--field', 'contact'], [{ name: 'Pär Liljert (IOM Beijing)', value: 'Pär Liljert' }]],
    [['ch', '--field', 'country'], [{ name: 'China', value: 'China' }]],
    [
      ['PO.01', '--field', 'project'],
      [
        {
          name: 'CN10P0002 · PO.0105 — Supporting China’s Engagement in the Global Migration Debate',
          value: 'CN10P0002',
        },
      ],
    ],
  ])('prints {"suggestions": [{name, value}]} for %j', async (argv, suggestions) => {
    const { code, stdout } = await cli('suggest', ...argv, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ suggestions });
  });

  it('prints name → value lines for people', async () => {
    expect((await cli('suggest', 'par', '--field', 'contact')).stdout).toBe(
      'Pär Liljert (IOM Beijing)  →  Pär Liljert\n',
    );
    expect((await cli('suggest', 'zzz')).stdout).toBe('No suggestions.\n');
  });

  it('rejects an unknown field', async () => {
    const { code, stderr } = await cli('suggest', 'x', '--field', 'author');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'suggest: --field must be one of title, contact, country, project; got "author".\nRun with --help for usage.\n',
    );
  });
});
