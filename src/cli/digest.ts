import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { Digest } from '../core/digest.js';
import { DigestDelivery, type MessagePoster } from '../digests/deliver.js';
import { digestLibrary } from '../digests/library.js';
import { Store } from '../store/store.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { json, libraryFor } from './openLibrary.js';

const help = `Usage: npm run --silent cli -- digest preview [--query q] [--subscription id] [--latest n] [--json]

Shows what a digest would contain, without posting or recording anything.
  --subscription id   the next digest of that subscription (what is new since its cursor)
  otherwise           the latest articles in the ingestion log (--latest, default 10, at most 25),
                      filtered by --query when given
  --json              print {"articleCount", "projectCount", "messages": [{"content", "embeds", "buttons"}]}

Exit code: 0, 1 for an unknown subscription or a query that cannot be searched, 2 for wrong usage.`;

/** The digest as plain text: one block per Discord message. */
export function renderDigest(digest: Digest): string {
  if (digest.messages.length === 0) return 'Nothing to post: no new matching articles.\n';
  const out: string[] = [];
  digest.messages.forEach((message, k) => {
    out.push(`── message ${k + 1} of ${digest.messages.length} ──`);
    if (message.content) out.push(message.content);
    for (const embed of message.embeds) {
      out.push(`# ${embed.title}`);
      if (embed.description) out.push(embed.description);
      for (const field of embed.fields)
        out.push(`  ${field.name}`, ...field.value.split('\n').map((l) => `    ${l}`));
      if (embed.footer) out.push(`  (${embed.footer})`);
    }
    if (message.buttons.length > 0)
      out.push(`[${message.buttons.map((b) => `${b.label} → ${b.docId}`).join('] [')}]`);
  });
  return `${out.join('\n')}\n`;
}

const nowhere: MessagePoster = {
  post: () => Promise.reject(new Error('preview never posts')),
  findPosted: () => Promise.reject(new Error('preview never posts')),
};

/** `digest preview`. */
export const digestCommand: CliCommand = {
  name: 'digest',
  summary: 'preview a digest (digest preview [--query q] [--subscription id])',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, {
      json: { type: 'boolean', default: false },
      query: { type: 'string' },
      subscription: { type: 'string' },
      latest: { type: 'string' },
    });
    if (positionals[0] !== 'preview' || positionals.length > 1) {
      throw new UsageError('expected the subcommand "preview"');
    }
    const latest = values.latest === undefined ? 10 : Number(values.latest);
    if (!Number.isInteger(latest) || latest < 1 || latest > 25)
      throw new UsageError('--latest must be 1 to 25');
    const library = await libraryFor(io);
    const store = Store.open(path.resolve(io.dataDir));
    try {
      const delivery = new DigestDelivery({
        store,
        library: digestLibrary((id) => (library.has(id) ? library.getDocument(id) : undefined)),
        poster: nowhere,
        classify: () => ({ kind: 'transient', reason: 'preview' }),
      });
      let digest: Digest;
      if (values.subscription !== undefined) {
        const id = Number(values.subscription);
        const subscription = Number.isInteger(id) ? store.getSubscription(id) : undefined;
        if (!subscription)
          throw new UserError('unknown-subscription', `no subscription #${values.subscription}`);
        digest = delivery.preview(
          values.query ? { ...subscription, query: values.query } : subscription,
        ).digest;
      } else {
        digest = delivery.preview({
          cursorSeq: store.latestSeq(),
          backfill: latest,
          query: values.query?.trim() ? values.query.trim() : null,
          lastRunAt: null,
          createdAt: new Date().toISOString(),
        }).digest;
      }
      io.stdout(values.json ? json(digest) : renderDigest(digest));
      return 0;
    } finally {
      store.close();
    }
  },
};
