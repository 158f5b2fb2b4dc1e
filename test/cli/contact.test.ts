import { describe, expect, it } from 'vitest';
import { cliOverShippedPages } from './harness.js';

const { cli } = cliOverShippedPages();

describe('cli contact', () => {
  it('prints the JSON contract for one merged person', async () => {
    const { code, stdout } = await cli('contact', 'liljert', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      contacts: [
        {
          name: 'Pär Liljert',
          aliases: ['Par Liljert'],
          offices: ['IOM Beijing'],
          phones: ['+86 10 597 996 95'],
          emails: ['pliljert@iom.int'],
          roles: ['Head of Office, IOM Beijing'],
          documents: [
            {
              id: '000_1e0d9a2d3cac57c3',
              title: 'Director General Discusses Migration Governance in China',
              as: 'contact',
            },
            {
              id: '003_bfb7b29f8f6badf6',
              title: 'International Seminar on Immigration Management in China',
              as: 'mention',
            },
          ],
        },
      ],
    });
  });

  it('finds by office, several people', async () => {
    const { stdout } = await cli('contact', 'IOM', 'Beijing', '--json');
    const names = (JSON.parse(stdout) as { contacts: Array<{ name: string }> }).contacts.map((c) => c.name);
    expect(names).toEqual(['Ellen Wong', 'Kieran Best', 'Pär Liljert']);
  });

  it('prints vCards with --vcard', async () => {
    const { code, stdout } = await cli('contact', 'Par', 'Liljert', '--vcard');
    expect(code).toBe(0);
    expect(stdout.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Pär Liljert\r\n')).toBe(true);
    expect(stdout.endsWith('END:VCARD\r\n')).toBe(true);
  });

  it('prints a readable entry without options', async () => {
    const { stdout } = await cli('contact', 'zhao');
    expect(stdout).toBe(
      [
        'Jian Zhao',
        '  office: IOM Geneva',
        '  phone: 022 717 93 94',
        '  e-mail: jzhao@iom.int',
        '  contact for 002_6920415c55e1d6e5  Agreement with China Paves Way for IOM Presence in Beijing',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 when nobody matches, with an empty JSON list', async () => {
    const { code, stdout, stderr } = await cli('contact', 'nobody', '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ contacts: [] });
    expect(stderr).toBe('contact: nobody matches "nobody".\n');
  });

  it('exits 2 for wrong usage', async () => {
    expect((await cli('contact')).code).toBe(2);
    expect((await cli('contact', 'x', '--json', '--vcard')).stderr).toBe(
      'contact: choose --json or --vcard, not both.\nRun with --help for usage.\n',
    );
  });
});
