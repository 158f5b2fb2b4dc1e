import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { itemDocumentId } from '../../src/core/sources/itemRecord.js';
import { upcomingRuns } from '../../src/digests/schedule.js';
import { PoliteClient, botUserAgent } from '../../src/sources/politeClient.js';
import { SourceFetcher } from '../../src/sources/sourceFetcher.js';
import { parseSourcesFile } from '../../src/sources/sourcesFile.js';
import { LOOPBACK_WEB_NETWORKS, LoopbackWeb, loopbackOnlyLookup, xml } from '../../loopback/web.js';
import { dropArticle } from './articles.js';
import { failEveryPost, startHarness, type Harness } from './harness.js';

let h: Harness;
let web: LoopbackWeb | undefined;
afterEach(async () => {
  await h.close();
  await web?.close();
  web = undefined;
});

const general = () => h.server.channel('general').id;
const subscribe = (over: Partial<Parameters<Harness['service']['subscribe']>[0]> = {}) =>
  h.service.subscribe({
    guildId: h.server.guild.id,
    channelId: general(),
    cron: '0 9 * * *',
    timezone: 'Europe/Paris',
    query: null,
    backfill: 0,
    ...over,
  });
const why = async (id: string, subscriptionId?: number) => {
  const answer = await h.service.explain(h.server.guild.id, id, subscriptionId);
  expect(answer.documentId).toBe(id);
  return answer.results;
};
const only = async (id: string, subscriptionId: number) => (await why(id, subscriptionId))[0];

describe('DigestService.explain', () => {
  it('says delivered (digest, message), then will-deliver before a run, filtered with the missing words', async () => {
    h = await startHarness();
    const all = await subscribe();
    const topical = await subscribe({ query: 'flood drought' });
    const id = dropArticle(h.data.raw, 1, 'Kenya', 'flood response');
    await h.ingester.sync();

    const [next] = upcomingRuns('0 9 * * *', 'Europe/Paris', 1);
    expect(await only(id, all.id)).toEqual({
      subscriptionId: all.id,
      outcome: 'will-deliver',
      reason: `Will be posted in the next digest, at ${next?.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      explanation: { outcome: 'will-deliver', nextRunAt: next?.toISOString() },
    });
    expect(await only(id, topical.id)).toMatchObject({
      outcome: 'filtered',
      reason: 'Not posted: it does not match the topic "flood drought" (no match for "drought").',
      explanation: { unmatchedWords: ['drought'] },
    });

    expect(await h.service.send(all.id)).toMatchObject({ kind: 'delivered' });
    const [message] = h.server.channelMessages(general());
    const [delivery] = await h.store.deliveries.forSubscription(all.id);
    const results = await why(id);
    expect(results.map((r) => [r.subscriptionId, r.outcome])).toEqual([
      [all.id, 'delivered'],
      [topical.id, 'filtered'],
    ]);
    expect(results[0]).toMatchObject({
      deliveryId: delivery?.id,
      explanation: { messageId: message?.id, channelId: general() },
    });
    expect(results[0]?.reason).toMatch(
      new RegExp(
        `^Posted in digest #${delivery?.id} to channel ${general()} at .+ UTC \\(message ${message?.id}\\)\\.$`,
      ),
    );
  });

  it('says before-subscription for the shipped pages, and not-news for one of them edited since', async () => {
    h = await startHarness();
    const s = await subscribe();
    expect(await only('002_6920415c55e1d6e5', s.id)).toMatchObject({
      outcome: 'before-subscription',
      reason: expect.stringMatching(
        /^Not posted: it was ingested at .+ UTC, before the subscription began at/,
      ) as string,
    });
    const file = path.join(h.data.raw, '003_bfb7b29f8f6badf6.txt');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nA paragraph added by an edit of the page.\n`);
    await h.ingester.sync();
    expect(await only('003_bfb7b29f8f6badf6', s.id)).toMatchObject({
      outcome: 'not-news',
      explanation: { cause: 'update' },
    });
    // A backfill takes it after all: the next digest carries it.
    const backfilled = await subscribe({ backfill: 2 });
    expect(await only('003_bfb7b29f8f6badf6', backfilled.id)).toMatchObject({ outcome: 'will-deliver' });
  });

  it('says paused with the reason, and pending with the last error while Discord fails', async () => {
    h = await startHarness();
    const paused = await subscribe();
    const failing = await subscribe();
    await h.service.pause(h.server.guild.id, paused.id);
    const id = dropArticle(h.data.raw, 1);
    await h.ingester.sync();
    expect(await only(id, paused.id)).toMatchObject({
      outcome: 'paused',
      reason: 'Not posted: the subscription is paused (Paused by a moderator.).',
    });
    failEveryPost(h.server);
    expect(await h.service.send(failing.id)).toMatchObject({ kind: 'pending' });
    const [delivery] = await h.store.deliveries.forSubscription(failing.id);
    const result = await only(id, failing.id);
    expect(result).toMatchObject({ outcome: 'pending', deliveryId: delivery?.id });
    expect(result?.reason).toMatch(new RegExp(`^In digest #${delivery?.id}, .* Last error: .*500`));
  });

  it('says over-limit past the 100 items of a digest, and when it follows', async () => {
    h = await startHarness();
    const s = await subscribe();
    const ids = Array.from({ length: 105 }, (_, k) => dropArticle(h.data.raw, k, 'Chad'));
    await h.ingester.sync();
    const runs = upcomingRuns('0 9 * * *', 'Europe/Paris', 2).map((d) => d.toISOString());
    expect(await only(ids[99] ?? '', s.id)).toMatchObject({ outcome: 'will-deliver' });
    expect(await only(ids[100] ?? '', s.id)).toMatchObject({
      outcome: 'over-limit',
      explanation: { digestsAhead: 1, followsAt: runs[1] },
      reason: expect.stringContaining(
        'a digest carries at most 100 items: it follows in the digest after the next',
      ) as string,
    });
    expect(await h.service.send(s.id)).toMatchObject({ kind: 'delivered', items: 100 });
    expect(await only(ids[100] ?? '', s.id)).toMatchObject({ outcome: 'will-deliver' });
  });

  it('refuses an unknown document and a subscription of another server', async () => {
    h = await startHarness();
    const s = await subscribe();
    await expect(h.service.explain(h.server.guild.id, 'nope_0000')).rejects.toMatchObject({
      code: 'unknown-document',
      message: 'No document with id "nope_0000".',
    });
    await expect(h.service.explain('1', '002_6920415c55e1d6e5', s.id)).rejects.toMatchObject({
      code: 'unknown-subscription',
    });
  });

  it('says not-news (first fetch, too old), duplicate and source-disabled for live sources', async () => {
    h = await startHarness({}, { maxAgeDays: (id) => (id === 'wire' ? 7 : undefined) });
    web = await LoopbackWeb.start();
    const s = await subscribe();
    const now = Date.now();
    const hoursAgo = (n: number) => new Date(now - n * 3_600_000).toUTCString();
    const body = (topic: string) =>
      `Officials said on Monday that the ${topic} programme run with local partners had reached many more families than planned, and that further support would follow in the coming weeks across the region.`;
    const item = (guid: string, title: string, link: string, date: string, text: string) =>
      `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><link>${link}</link><pubDate>${date}</pubDate><description>${text}</description></item>`;
    const rss = (...items: string[]) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${items.join('')}</channel></rss>`;
    web.route(
      '/wire.xml',
      xml(
        rss(
          item('w-1', 'Shelter opens in Calais', `${web.baseUrl}/w/1`, hoursAgo(1), body('shelter')),
          item('w-2', 'Water points repaired', `${web.baseUrl}/w/2`, hoursAgo(72), body('water')),
          item('w-3', 'Census results published', `${web.baseUrl}/w/3`, hoursAgo(24 * 30), body('census')),
        ),
      ),
    );
    // The same release on another site (localhost is not 127.0.0.1): merged by its text.
    const copyLink = `${web.baseUrlFor('localhost')}/c/1`;
    web.route(
      '/copy.xml',
      xml(rss(item('c-1', 'Shelter opens in Calais', copyLink, hoursAgo(1), body('shelter')))),
    );
    const sources = parseSourcesFile({
      sources: [
        { id: 'wire', type: 'feed', url: `${web.baseUrl}/wire.xml`, fetchArticles: false, maxAgeDays: 7 },
        { id: 'copy', type: 'feed', url: `${web.baseUrl}/copy.xml`, fetchArticles: false },
      ],
    }).sources;
    const client = new PoliteClient({
      userAgent: botUserAgent('0.1.0', 'https://example.org/bot'),
      minGapMs: 1,
      lookup: loopbackOnlyLookup,
      allowNetworks: LOOPBACK_WEB_NETWORKS,
    });
    const fetcher = new SourceFetcher({ store: h.store, client, library: h.library });
    const wire = await fetcher.fetch(sources[0]!);
    expect(wire).toMatchObject({ status: 'ok', new: 3 });
    const idOf = (title: string) => wire.changed.find((r) => r.title === title)?.id ?? '';
    expect(await fetcher.fetch(sources[1]!)).toMatchObject({ status: 'ok', new: 0 });

    const fresh = idOf('Shelter opens in Calais');
    expect(await only(fresh, s.id)).toMatchObject({ outcome: 'will-deliver' });
    expect(await only(idOf('Water points repaired'), s.id)).toMatchObject({
      outcome: 'not-news',
      explanation: { cause: 'first-fetch' },
      reason:
        "Not posted: it came with its source's first fetch, which only announces what was published in the last 24 hours.",
    });
    expect(await only(idOf('Census results published'), s.id)).toMatchObject({
      outcome: 'not-news',
      explanation: { cause: 'too-old', maxAgeDays: 7 },
      reason: "Not posted: it was older than its source's limit of 7 days when fetched.",
    });
    const copyId = itemDocumentId({
      sourceId: 'copy',
      guid: 'c-1',
      url: copyLink,
      title: 'Shelter opens in Calais',
    });
    expect(await only(copyId, s.id)).toMatchObject({
      outcome: 'duplicate',
      explanation: { duplicateOf: fresh },
      reason: `Not posted: it is the same article as "${fresh}", which it was merged into when fetched.`,
    });

    // What `sources disable wire` does: its documents are no longer posted.
    await h.store.sourceStates.update('wire', {
      disabledReason: 'disabled by an operator (sources disable)',
    });
    expect(await only(fresh, s.id)).toMatchObject({
      outcome: 'source-disabled',
      reason: 'Not posted: its source "wire" is disabled (disabled by an operator (sources disable)).',
    });
    expect(await h.service.send(s.id)).toEqual({ kind: 'nothing-new' });
    expect(h.server.channelMessages(general())).toHaveLength(0);
  });
});
