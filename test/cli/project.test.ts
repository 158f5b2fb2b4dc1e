import { describe, expect, it } from 'vitest';
import { cliOverShippedPages } from './harness.js';

const { cli } = cliOverShippedPages();

describe('cli project', () => {
  it.each(['CN10P0002', 'cn10p0002', 'PO.0105', 'global migration debate'])(
    'prints {"projects": [record]} for %j',
    async (query) => {
      const { code, stdout } = await cli('project', ...query.split(' '), '--json');
      expect(code).toBe(0);
      const output = JSON.parse(stdout) as { projects: Array<{ id: string; project: { primaId: string } }> };
      expect(output.projects.map((p) => p.id)).toEqual(['004_b8327546129996ab']);
      expect(output.projects[0]?.project.primaId).toBe('CN10P0002');
    },
  );

  it('prints one line of ids and title, and one of facts, for people', async () => {
    expect((await cli('project', 'cn10p0002')).stdout).toBe(
      'CN10P0002 · PO.0105  Supporting China’s Engagement in the Global Migration Debate\n  Completed · 2017 · Asia and Oceania · USD 100,000 · 004_b8327546129996ab\n',
    );
  });

  it('exits 1 when no project matches', async () => {
    const { code, stderr } = await cli('project', 'XX00P0000');
    expect(code).toBe(1);
    expect(stderr).toBe('project: no project matches "XX00P0000".\n');
  });
});

describe('cli projects', () => {
  it.each([
    [[], 1],
    [['--status', 'completed'], 1],
    [['--status', 'Active'], 0],
    [['--region', 'asia'], 1],
    [['--region', 'Europe'], 0],
    [['--year', '2017'], 1],
    [['--member-state', 'china'], 1],
  ])('lists projects with %j as JSON (%i)', async (argv, count) => {
    const { code, stdout } = await cli('projects', ...argv, '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { projects: unknown[] }).projects).toHaveLength(count);
  });

  it('prints a count line for people', async () => {
    expect((await cli('projects', '--sort', 'budget')).stdout.endsWith('\n1 project\n')).toBe(true);
  });

  it('rejects an unknown sort key', async () => {
    const { code, stderr } = await cli('projects', '--sort', 'size');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'projects: --sort must be one of year, budget, title; got "size".\nRun with --help for usage.\n',
    );
  });
});
