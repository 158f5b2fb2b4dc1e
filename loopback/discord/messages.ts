/** Stored messages: channel history, edits, attachments. */
import type { LoopbackDiscord } from '../discord.js';
import type { APIAttachment, APIMessage } from 'discord.js';
import { MessageFlags } from 'discord.js';
import { contentType } from './http.js';
import type { RecordedRequest } from './http.js';
import { apiMessage } from './payloads.js';
import type { MessageInit } from './payloads.js';
import { snowflake } from './state.js';

/** A message as the server keeps it, with its files. */
export interface StoredMessage {
  message: APIMessage;
  files: Map<string, Buffer>;
  ephemeral: boolean;
}

export function storeMessage(
  host: LoopbackDiscord,
  record: Pick<RecordedRequest, 'body' | 'files'>,
  init: Omit<Parameters<typeof apiMessage>[0], 'id'>,
  ephemeral = false,
): StoredMessage {
  const id = snowflake();
  const body = (record.body ?? {}) as Record<string, unknown>;
  const files = new Map<string, Buffer>();
  const attachments = attachmentsFrom(host, id, body, record.files, files, []);
  const message = apiMessage({
    ...init,
    id,
    content: (body.content as string | undefined) ?? '',
    embeds: (body.embeds as APIMessage['embeds'] | undefined) ?? [],
    components: (body.components as MessageInit['components']) ?? [],
    attachments,
    flags: Number(body.flags ?? 0),
  });
  const stored: StoredMessage = { message, files, ephemeral };
  host.messages.set(id, stored);
  if (!ephemeral) {
    const history = host.channelHistory.get(init.channelId) ?? [];
    history.push(id);
    host.channelHistory.set(init.channelId, history);
  }
  return stored;
}

export function editMessage(
  host: LoopbackDiscord,
  stored: StoredMessage,
  record: Pick<RecordedRequest, 'body' | 'files'>,
  data?: Record<string, unknown>,
): APIMessage {
  const body = (data ?? record.body ?? {}) as Record<string, unknown>;
  const current = stored.message;
  const attachments =
    'attachments' in body || record.files.size
      ? attachmentsFrom(host, current.id, body, record.files, stored.files, current.attachments)
      : current.attachments;
  stored.message = {
    ...current,
    ...('content' in body ? { content: (body.content as string | null) ?? '' } : {}),
    ...('embeds' in body ? { embeds: (body.embeds as APIMessage['embeds'] | null) ?? [] } : {}),
    ...('components' in body
      ? { components: (body.components as APIMessage['components'] | null) ?? [] }
      : {}),
    // Editing a deferred reply clears its loading state.
    flags: (current.flags ?? 0) & ~MessageFlags.Loading,
    attachments,
    edited_timestamp: new Date().toISOString(),
  };
  return stored.message;
}

export function attachmentsFrom(
  host: LoopbackDiscord,
  messageId: string,
  body: Record<string, unknown>,
  files: ReadonlyMap<string, { name: string; data: Buffer }>,
  store: Map<string, Buffer>,
  existing: readonly APIAttachment[],
): APIAttachment[] {
  const listed =
    (body.attachments as { id: string | number; filename?: string }[] | undefined) ??
    [...files.keys()].map((_, i): { id: number; filename?: string } => ({ id: i }));
  const result: APIAttachment[] = [];
  for (const entry of listed) {
    const kept = existing.find((a) => a.id === String(entry.id));
    if (kept) {
      result.push(kept);
      continue;
    }
    const file = files.get(`files[${entry.id}]`);
    if (!file) continue;
    const filename = entry.filename ?? file.name;
    store.set(filename, file.data);
    const url = `http://127.0.0.1:${host.port}/attachments/${messageId}/${encodeURIComponent(filename)}`;
    result.push({
      id: snowflake(),
      filename,
      size: file.data.length,
      url,
      proxy_url: url,
      content_type: contentType(filename),
    });
  }
  return result;
}
