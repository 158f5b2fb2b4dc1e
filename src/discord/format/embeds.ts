import type { APIEmbed, APIEmbedField } from 'discord.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import { truncate } from '../../core/truncate.js';

/** Shown in place of an empty field name or value, which Discord rejects. */
const BLANK = '\u200b';

/** One embed clamped to Discord's per-part limits (title, description, fields, footer, author). */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (embed.title !== undefined) fitted.title = truncate(embed.title, L.embedTitle);
  if (embed.description !== undefined) fitted.description = truncate(embed.description, L.embedDescription);
  if (embed.footer) fitted.footer = { ...embed.footer, text: truncate(embed.footer.text, L.footerText) };
  if (embed.author) fitted.author = { ...embed.author, name: truncate(embed.author.name, L.authorName) };
  if (embed.fields) {
    fitted.fields = embed.fields.slice(0, L.embedFields).map((field): APIEmbedField => ({
      ...field,
      name: truncate(field.name, L.fieldName) || BLANK,
      value: truncate(field.value, L.fieldValue) || BLANK,
    }));
  }
  return fitted;
}

/** Characters Discord counts towards the 6000 per message. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

const totalLength = (embeds: readonly APIEmbed[]) => embeds.reduce((sum, e) => sum + embedLength(e), 0);

interface Piece {
  get(): string;
  set(text: string): void;
  readonly min: number;
}

/** Shortens the longest pieces first until the total fits or every piece is at its minimum. */
function shrinkLongest(embeds: APIEmbed[], pieces: Piece[]): void {
  for (;;) {
    const excess = totalLength(embeds) - L.embedTotal;
    if (excess <= 0) return;
    const candidates = pieces.filter((p) => p.get().length > p.min);
    if (candidates.length === 0) return;
    const longest = candidates.reduce((a, b) => (b.get().length > a.get().length ? b : a));
    const text = longest.get();
    longest.set(truncate(text, Math.max(longest.min, text.length - excess)));
    if (longest.get().length >= text.length) return;
  }
}

/**
 * The embeds of one message, within every Discord limit: at most 10, each part clamped, and at
 * most 6000 characters in all. Descriptions give way first, then field values, then trailing
 * fields and embeds, so titles and short facts survive.
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, L.embedsPerMessage).map(fitEmbed);
  if (totalLength(fitted) <= L.embedTotal) return fitted;
  shrinkLongest(
    fitted,
    fitted
      .filter((e) => e.description !== undefined)
      .map((e) => ({ get: () => e.description ?? '', set: (t) => (e.description = t), min: 200 })),
  );
  shrinkLongest(
    fitted,
    fitted.flatMap((e) =>
      (e.fields ?? []).map((f) => ({
        get: () => f.value,
        set: (t: string) => (f.value = t || BLANK),
        min: 60,
      })),
    ),
  );
  while (totalLength(fitted) > L.embedTotal) {
    const last = fitted[fitted.length - 1]!;
    if (last.fields?.length) last.fields = last.fields.slice(0, -1);
    else if (fitted.length > 1) fitted.pop();
    else {
      // One embed without fields still over: only its description can go.
      last.description = truncate(
        last.description ?? '',
        Math.max(0, (last.description?.length ?? 0) - (totalLength(fitted) - L.embedTotal)),
      );
      break;
    }
  }
  return fitted;
}
