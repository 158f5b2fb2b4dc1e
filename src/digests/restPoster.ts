import {
  DiscordAPIError,
  HTTPError,
  RESTJSONErrorCodes,
  Routes,
  type APIEmbed,
  type APIMessage,
  type REST,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { toMessageBody } from '../discord/format/digest.js';
import type { Failure, MessagePoster } from './deliver.js';

/**
 * Posts through @discordjs/rest, which waits out 429s (Retry-After / retry_after, per route and
 * global buckets) and retries 5xx a few times before giving up.
 */
export function restPoster(rest: REST): MessagePoster {
  return {
    async post(channelId, message, nonce) {
      const created = (await rest.post(Routes.channelMessages(channelId), {
        body: toMessageBody(message, nonce),
      })) as APIMessage;
      return { id: created.id };
    },
    async findPosted(channelId, message) {
      // Needs Read Message History; without it this rejects and the part is posted again.
      const recent = (await rest.get(Routes.channelMessages(channelId), {
        query: new URLSearchParams({ limit: '50' }),
      })) as APIMessage[];
      const wanted = toMessageBody(message, '');
      return recent.find((m) => m.author.bot === true && isSameMessage(m, wanted))?.id;
    },
  };
}

/** Same content and the same embed texts: how a digest part is recognized in the channel. */
function isSameMessage(posted: APIMessage, body: RESTPostAPIChannelMessageJSONBody): boolean {
  if ((posted.content ?? '') !== (body.content ?? '')) return false;
  const wanted = body.embeds ?? [];
  if (posted.embeds.length !== wanted.length) return false;
  const text = (e: APIEmbed) =>
    JSON.stringify([
      e.title ?? '',
      e.description ?? '',
      (e.fields ?? []).map((f) => [f.name, f.value]),
      e.footer?.text ?? '',
    ]);
  return posted.embeds.every((e, k) => text(e) === text(wanted[k] as APIEmbed));
}

/** Discord error codes after which posting to the channel cannot succeed until someone acts. */
const PAUSE_CODES: Readonly<Record<number, string>> = {
  [RESTJSONErrorCodes.UnknownChannel]: 'Unknown Channel: the channel was deleted or the bot cannot see it.',
  [RESTJSONErrorCodes.UnknownGuild]: 'Unknown Guild: the bot is no longer in this server.',
  [RESTJSONErrorCodes.MissingAccess]: 'Missing Access: the bot cannot view the channel.',
  [RESTJSONErrorCodes.MissingPermissions]:
    'Missing Permissions: the bot needs View Channel, Send Messages and Embed Links in the channel.',
  [RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel]: 'Cannot send messages in this kind of channel.',
};

/**
 * Pause on anything a retry cannot fix (permissions, unknown channel or guild, a 4xx Discord rejects
 * our message with); retry later on 5xx and network errors.
 */
export function classifyDiscordError(error: unknown): Failure {
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const known = PAUSE_CODES[code];
    if (known) return { kind: 'pause', reason: known };
    if (error.status >= 500) return { kind: 'transient', reason: `Discord answered ${error.status}` };
    if (error.status === 403) return { kind: 'pause', reason: `Forbidden (${code}): ${error.message}` };
    if (error.status === 404) return { kind: 'pause', reason: `Not found (${code}): ${error.message}` };
    if (error.status === 429) return { kind: 'transient', reason: 'rate limited' };
    return { kind: 'pause', reason: `Discord rejected the digest (${code}): ${error.message}` };
  }
  if (error instanceof HTTPError) {
    return error.status >= 500 || error.status === 429
      ? { kind: 'transient', reason: `Discord answered ${error.status}` }
      : { kind: 'pause', reason: `Discord answered ${error.status}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'transient', reason: `network: ${message}` };
}
