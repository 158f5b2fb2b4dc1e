import path from 'node:path';
import { UserError } from '../core/errors.js';
import { digestHeadline, digestNotes, itemLines, type DigestPlan } from '../core/digest.js';
import type { MessagePoster } from '../digests/deliver.js';
import { digestLibrary } from '../digests/topicFilter.js';
import { Store } from '../store/store.js';
import { parseCliArgs, UsageError, type CliCommand, type CliIo, type ExitCode } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- digest preview [--query q] [--subscription id] [--latest n] [--json]
       npm run --silent cli -- digest why ID [--subscription id] [--json]

preview: shows what a digest would contain, without posting or recording anything.
  --subscription id   the next digest of that subscription (what is new since its cursor)
  otherwise           the latest articles in the ingestion log (--latest, default 10, at most 25),
                      filtered by --query when given
  --json              print {"articleCount", "projectCount", "messages": [{"content", "embeds", "buttons"}],
                      "plan"}: the Discord messages as they would be posted, and the digest's plan
                      (window, sections, items) as plain data

why: says for each subscription (or the one given) why document ID was or was not posted:
  delivered, will-deliver, filtered, not-news, before-subscription, duplicate, pending, paused,
  source-disabled or over-limit, with the facts behind it
  --json              print {"documentId", "results": [{"subscriptionId", "outcome", "reason", "deliveryId"?,
                      "explanation"}]}: "reason" is the English sentence, "explanation" the facts

Exit code: 0, 1 for an unknown document, an unknown subscription or a query that cannot be searched, 2 for wrong usage.`;

/** An ISO time as a terminal shows it: `2026-11-23 09:00 UTC`. */
const utc = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The digest as plain text for a terminal: header, then each section with its numbered items. */
export function renderDigest(plan: DigestPlan): string {
  if (plan.sections.length === 0) return 'Nothing to post: no new matching articles.\n';
  const out = [
    `# ${digestHeadline(plan)}`,
    plan.window.since
      ? `Ingested between ${utc(plan.window.since)} and ${utc(plan.window.until)}.`
      : `Ingested up to ${utc(plan.window.until)}.`,
    ...digestNotes(plan),
  ];
  if (plan.query) out.push(`Topic: ${plan.query}`);
  for (const section of plan.sections) {
    out.push('', `# ${section.title}`);
    for (const item of section.items) {
      out.push(`  ${item.number}. ${item.title}`, ...itemLines(item).map((l) => `     ${l}`));
      out.push(`     id: ${item.id}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const nowhere: MessagePoster = {
  post: () => Promise.reject(new Error('preview never posts')),
  findPosted: () => Promise.reject(new Error('preview never posts')),
};

/** A preview's digest engine over the CLI's library (it never posts). */
async function openDelivery(store: Store, library: Awaited<ReturnType<typeof libraryFor>>) {
  // Loaded here, not at start: the delivery engine renders for Discord, and discord.js takes most
  // of a second to import, which every other CLI command would pay.
  const { DigestDelivery } = await import('../digests/deliver.js');
  const digestLib = digestLibrary((id) => (library.has(id) ? library.getDocument(id) : undefined), library);
  const delivery = new DigestDelivery({
    store,
    library: digestLib,
    poster: nowhere,
    classify: () => ({ kind: 'transient', reason: 'preview' }),
  });
  return { delivery, digestLib };
}

/** `digest why ID`: for every subscription (of every server), or the one given. */
async function why(
  documentId: string,
  options: { subscription: string | undefined; json: boolean },
  io: CliIo,
): Promise<ExitCode> {
  const library = await libraryFor(io);
  const store = await Store.open({ dataDir: path.resolve(io.dataDir), databaseUrl: io.databaseUrl });
  try {
    let subscriptions = await store.subscriptions.list();
    if (options.subscription !== undefined) {
      const id = Number(options.subscription);
      subscriptions = subscriptions.filter((s) => s.id === id);
      if (subscriptions.length === 0)
        throw new UserError('unknown-subscription', `no subscription #${options.subscription}`);
    }
    const { delivery, digestLib } = await openDelivery(store, library);
    const { DeliveryExplainer } = await import('../digests/explain.js');
    const answer = await new DeliveryExplainer({
      store,
      library: digestLib,
      delivery,
      maxAgeDays: await sourcesMaxAge(io),
    }).explain(documentId, subscriptions);
    if (options.json) io.stdout(json(answer));
    else if (answer.results.length === 0)
      io.stdout(`No digest subscriptions: nothing would post ${answer.documentId}.\n`);
    else for (const r of answer.results) io.stdout(`#${r.subscriptionId} ${r.outcome}: ${r.reason}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Each live source's `maxAgeDays` from sources.json (none when it is missing or invalid: not the question here). */
async function sourcesMaxAge(io: CliIo): Promise<(sourceId: string) => number | undefined> {
  const { loadSourcesFile } = await import('../sources/sourcesFile.js');
  try {
    const file = await loadSourcesFile(io.dataDir, io.sources ?? {});
    const days = new Map(file.sources.map((s) => [s.id, s.maxAgeDays]));
    return (id) => days.get(id);
  } catch (error) {
    io.stderr(
      `warning: sources.json not read, so "too old" cannot be told from "first fetch": ${String(error)}\n`,
    );
    return () => undefined;
  }
}

/** `digest preview`, `digest why`. */
export const digestCommand: CliCommand = {
  name: 'digest',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, {
      json: { type: 'boolean', default: false },
      query: { type: 'string' },
      subscription: { type: 'string' },
      latest: { type: 'string' },
    });
    if (positionals[0] === 'why') {
      if (positionals.length !== 2) throw new UsageError('digest why takes one document id');
      return why(positionals[1] ?? '', { subscription: values.subscription, json: values.json }, io);
    }
    if (positionals[0] !== 'preview' || positionals.length > 1) {
      throw new UsageError('expected the subcommand "preview" or "why"');
    }
    const latest = values.latest === undefined ? 10 : Number(values.latest);
    if (!Number.isInteger(latest) || latest < 1 || latest > 25)
      throw new UsageError('--latest must be 1 to 25');
    const library = await libraryFor(io);
    const store = await Store.open({ dataDir: path.resolve(io.dataDir), databaseUrl: io.databaseUrl });
    try {
      const { delivery } = await openDelivery(store, library);
      const { renderDigestMessages } = await import('../discord/format/digest.js');
      let plan: DigestPlan;
      if (values.subscription !== undefined) {
        const id = Number(values.subscription);
        const subscription = Number.isInteger(id) ? await store.subscriptions.get(id) : undefined;
        if (!subscription)
          throw new UserError('unknown-subscription', `no subscription #${values.subscription}`);
        plan = (
          await delivery.preview(values.query ? { ...subscription, query: values.query } : subscription)
        ).plan;
      } else {
        plan = (
          await delivery.preview({
            cursorSeq: await store.log.latestSeq(),
            backfill: latest,
            query: values.query?.trim() ? values.query.trim() : null,
            lastRunAt: null,
            createdAt: null,
          })
        ).plan;
      }
      const { articleCount, projectCount } = plan;
      io.stdout(
        values.json
          ? json({ articleCount, projectCount, messages: renderDigestMessages(plan), plan })
          : renderDigest(plan),
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
