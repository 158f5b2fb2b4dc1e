import { escapeMarkdown } from 'discord.js';
import type { Snippet } from '../../core/search/snippet.js';

/** `<` opening Discord's mention, channel, emoji, timestamp or command syntax (`<@1>`, `<#1>`, `<t:1>` …). */
const MARKUP_OPENER_RE = /<(?=[@#:/]|a:|t:|id:)/g;
/** `@everyone` and `@here`, which read as mass mentions. */
const MASS_MENTION_RE = /@(?=everyone|here)/g;
/** A block quote at the start of a line, which discord.js's escaper leaves alone. */
const QUOTE_RE = /^(\s*)>/gm;

/**
 * Escapes document or user text for Discord, so it shows exactly as typed: markdown (discord.js's
 * `escapeMarkdown`, with headings, lists and masked links), block quotes, and mention, channel,
 * emoji and timestamp syntax (`<@123>`, `@everyone`). The one escaper of the code base; messages are
 * also sent with `allowed_mentions: { parse: [] }`, so nothing pings even if something slips by.
 */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    .replace(QUOTE_RE, '$1\\>')
    .replace(MARKUP_OPENER_RE, '\\<')
    .replace(MASS_MENTION_RE, '\\@');
}

/** A snippet as Discord markdown: its text escaped, highlighted words in bold. */
export function snippetMarkdown(snippet: Snippet): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    out += `${escapeText(snippet.text.slice(at, start))}**${escapeText(snippet.text.slice(start, end))}**`;
    at = end;
  }
  return out + escapeText(snippet.text.slice(at));
}
