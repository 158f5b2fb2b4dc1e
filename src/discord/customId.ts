import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import { DISCORD_LIMITS } from './limits.js';

/**
 * Buttons and menus carry their whole state in `custom_id` (at most 100 characters), so they keep
 * working after a restart: `v1:<action>:<arg>:<arg>…`. Arguments are percent-escaped for `:` and
 * `%`. The version changes whenever the meaning of an action's arguments changes; older ids are
 * then reported as stale instead of being misread.
 */
export const CUSTOM_ID_VERSION = 'v1';

export interface ComponentId {
  readonly action: string;
  readonly args: readonly string[];
}

export type CustomIdProblem = 'stale' | 'malformed';

const escapeArg = (arg: string) => arg.replace(/%/g, '%25').replace(/:/g, '%3A');
const unescapeArg = (arg: string) => arg.replace(/%3A/gi, ':').replace(/%25/g, '%');

/** Encodes an action and its arguments; undefined when the result would exceed 100 characters. */
export function encodeCustomId(action: string, ...args: readonly (string | number)[]): string | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(action))
    throw new Error(`custom_id action must be lowercase letters: ${action}`);
  const id = [CUSTOM_ID_VERSION, action, ...args.map((a) => escapeArg(String(a)))].join(':');
  return id.length <= DISCORD_LIMITS.customId ? id : undefined;
}

/** Like {@link encodeCustomId} for ids that always fit (bounded arguments); throws otherwise. */
export function customId(action: string, ...args: readonly (string | number)[]): string {
  const id = encodeCustomId(action, ...args);
  if (id === undefined) throw new Error(`custom_id over ${DISCORD_LIMITS.customId} characters for ${action}`);
  return id;
}

/** Decodes a custom_id; ids of another version are `stale`, anything unreadable `malformed`. */
export function decodeCustomId(id: string): Result<ComponentId, CustomIdProblem> {
  const [version, action, ...args] = id.split(':');
  if (!version || !action) return err('malformed');
  if (version !== CUSTOM_ID_VERSION) return /^v\d+$/.test(version) ? err('stale') : err('malformed');
  return ok({ action, args: args.map(unescapeArg) });
}
