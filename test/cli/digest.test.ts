import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { cliCommands } from '../../src/cli/registry.js';
import { snapshotPath } from '../../src/ingest/snapshotFile.js';
import { Store } from '../../src/store/store.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { articleText } from '../digests/articles.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function data() {
  const d = makeDataDir({ shipped: true });
  cleanups.push(d.cleanup);
  return d;
}
async function cli(dataDir: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), dataDir },
    cliCommands,
  );
  return { code, stdout, stderr };
}

describe('cli ingest', () => {
  it('logs the shipped pages as new once, then reports nothing new', async () => {
    const d = data();
    const first = await cli(d.dir, 'ingest', '--json');
    expect(first.code).toBe(0);
    const parsed = JSON.parse(first.stdout) as { new: { id: string; seq: number }[] };
    expect(parsed.new.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(existsSync(snapshotPath(d.dir))).toBe(true);
    const second = await cli(d.dir, 'ingest');
    expect(second.stdout).toBe('0 new, 0 updated, 0 removed, 0 rejected\n');
  });

  it('copies good files into raw/, rejects bad ones without copying, and counts a changed page as updated', async () => {
    const d = data();
    await cli(d.dir, 'ingest');
    const fresh = path.join(d.dir, '500_fresh.txt');
    writeFileSync(fresh, articleText(1));
    const bad = path.join(d.dir, '501_bad.txt');
    writeFileSync(bad, '');
    const shipped = path.join(d.raw, '000_1e0d9a2d3cac57c3.txt');
    writeFileSync(
      shipped,
      readFileSync(shipped, 'utf8').replace('in Shenzhen.', 'in Shenzhen and Guangzhou.'),
    );
    const { code, stdout, stderr } = await cli(d.dir, 'ingest', fresh, bad);
    expect(code).toBe(1);
    expect(stdout).toBe(
      'new      500_fresh (log #7)\nupdated  000_1e0d9a2d3cac57c3 (log #6)\n1 new, 1 updated, 0 removed, 1 rejected\n',
    );
    expect(stderr).toBe('ingest: 501_bad.txt: empty file\n');
    expect(existsSync(path.join(d.raw, '500_fresh.txt'))).toBe(true);
    expect(existsSync(path.join(d.raw, '501_bad.txt'))).toBe(false);
  });

  it('exits 2 on a wrong option', async () => {
    const d = data();
    expect((await cli(d.dir, 'ingest', '--nope')).code).toBe(2);
  });
});

describe('cli digest preview', () => {
  it('shows the latest articles as the digest messages would carry them', async () => {
    const d = data();
    await cli(d.dir, 'ingest');
    const { code, stdout } = await cli(d.dir, 'digest', 'preview');
    expect(code).toBe(0);
    expect(stdout).toContain('# Migration news digest: 4 articles');
    expect(stdout).toContain('# China');
    expect(stdout).toContain('Press contact: Pär Liljert, IOM Beijing · pliljert@iom.int');
    // Plain text for a terminal: times as UTC, no Discord timestamps, markdown or log numbers.
    expect(stdout).toMatch(/^Ingested up to \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/m);
    expect(stdout).not.toMatch(/<t:|\*\*|\\[*_~`|>[\]<@#-]|Log entries/);
  });

  it('filters by --query and prints JSON', async () => {
    const d = data();
    await cli(d.dir, 'ingest');
    const { stdout } = await cli(d.dir, 'digest', 'preview', '--query', 'liaison office agreement', '--json');
    const digest = JSON.parse(stdout) as {
      articleCount: number;
      messages: { buttons: { docId: string }[] }[];
    };
    expect(digest.articleCount).toBe(1);
    expect(digest.messages[0]?.buttons.map((b) => b.docId)).toEqual(['002_6920415c55e1d6e5']);
  });

  it('previews a subscription’s next digest, and says when there is nothing', async () => {
    const d = data();
    await cli(d.dir, 'ingest');
    const store = await Store.open(d.dir);
    const s = await store.subscriptions.create({
      guildId: '1'.repeat(18),
      channelId: '2'.repeat(18),
      cron: '0 9 * * *',
      timezone: 'UTC',
      query: null,
      backfill: 0,
    });
    await store.close();
    expect((await cli(d.dir, 'digest', 'preview', '--subscription', String(s.id))).stdout).toBe(
      'Nothing to post: no new matching articles.\n',
    );
    writeFileSync(path.join(d.raw, '600_new.txt'), articleText(7, 'Chad'));
    await cli(d.dir, 'ingest');
    const { stdout } = await cli(d.dir, 'digest', 'preview', '--subscription', String(s.id));
    expect(stdout).toContain('# Chad');
    expect(stdout).toContain('Article 7 on flood response in Chad');
  });

  it('reports an unknown subscription and a wrong subcommand', async () => {
    const d = data();
    expect(await cli(d.dir, 'digest', 'preview', '--subscription', '42')).toMatchObject({
      code: 1,
      stderr: 'digest: no subscription #42\n',
    });
    expect((await cli(d.dir, 'digest', 'send')).code).toBe(2);
  });
});

describe('cli digest why', () => {
  it('says per subscription why a document was or was not posted, as text or JSON; exit 1 for an unknown id', async () => {
    const d = data();
    await cli(d.dir, 'ingest');
    const store = await Store.open(d.dir);
    const base = { guildId: '1', channelId: '2', cron: '0 9 * * *', timezone: 'UTC', backfill: 0 };
    const all = await store.subscriptions.create({ ...base, query: null });
    const topical = await store.subscriptions.create({ ...base, query: 'drought' });
    await store.close();
    const fresh = path.join(d.dir, '500_fresh.txt');
    writeFileSync(fresh, articleText(1));
    expect((await cli(d.dir, 'ingest', fresh)).code).toBe(0);

    const asJson = await cli(d.dir, 'digest', 'why', '500_fresh', '--json');
    expect(asJson.code).toBe(0);
    const answer = JSON.parse(asJson.stdout) as {
      documentId: string;
      results: { subscriptionId: number; outcome: string; reason: string }[];
    };
    expect(answer.documentId).toBe('500_fresh');
    expect(answer.results.map((r) => [r.subscriptionId, r.outcome])).toEqual([
      [all.id, 'will-deliver'],
      [topical.id, 'filtered'],
    ]);
    expect(answer.results[1]?.reason).toBe(
      'Not posted: it does not match the topic "drought" (no match for "drought").',
    );

    const text = await cli(d.dir, 'digest', 'why', '002_6920415c55e1d6e5', '--subscription', String(all.id));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `^#${all.id} before-subscription: Not posted: it was ingested at .+ UTC, before the subscription began at .+ UTC\\.\\n$`,
      ),
    );
    expect(await cli(d.dir, 'digest', 'why', 'nope_0000')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No document with id "nope_0000".') as string,
    });
    expect((await cli(d.dir, 'digest', 'why', '500_fresh', '--subscription', '99')).code).toBe(1);
    expect((await cli(d.dir, 'digest', 'why')).code).toBe(2);
  });
});
