import type { RepliableInteraction } from 'discord.js';
import { MessageFlags } from 'discord.js';
import type { DocumentRecord } from '../core/record.js';
import type { CommandContext } from './context.js';
import { documentReply, type DocumentPresentation } from './format/document.js';
import { sendReply } from './reply.js';

/** Related-article buttons under a document. */
const RELATED = 5;

/**
 * Answers with a document's card and its related articles. Finding related articles scans the
 * corpus (about 250 ms at 10,000 documents, measured with bench/discordLatency.ts), so the
 * interaction is acknowledged first; resolve the document before calling this, so that an unknown
 * id is still answered with an ephemeral message rather than a deferred public one.
 */
export async function showDocument(
  interaction: RepliableInteraction,
  ctx: CommandContext,
  doc: DocumentRecord,
  ephemeral: boolean,
): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  }
  await sendReply(
    interaction,
    documentReply(doc, ctx.library.related(doc.id, RELATED), {
      ephemeral,
      view: presentationOf(doc, ctx),
      lang: ctx.language,
      translations: ctx.library.translationsOf(doc.id),
    }),
  );
}

/**
 * A shipped page is shown in full; a fetched document in full only when its source says so
 * (`fullText: true`), else as a summary with a link. No sources view: not in full.
 */
export function presentationOf(doc: DocumentRecord, ctx: CommandContext): DocumentPresentation {
  if (doc.sourceId === undefined) return { fullText: true, sourceName: null };
  return {
    fullText: ctx.sources?.isFullText(doc.sourceId) ?? false,
    sourceName: ctx.sources?.nameOf(doc.sourceId) ?? null,
  };
}
