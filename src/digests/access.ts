import {
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Guild,
} from 'discord.js';
import { UserError } from '../core/errors.js';
import type { DigestService } from './service.js';

/**
 * Who may manage digests, checked on every /digest interaction: inside a server, with Manage
 * Server (re-checked here: a server can override the command's default permissions), and with the
 * digest service running. Throws UserError saying which one is missing.
 */
export function requireDigestAccess(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  digests: DigestService | undefined,
): { guild: Guild; digests: DigestService } {
  if (!interaction.inCachedGuild() || !interaction.guild)
    throw new UserError('not-in-guild', 'Digests are managed inside a server, not here.', {});
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserError(
      'missing-manage-server',
      'You need the Manage Server permission to manage digests.',
      {},
    );
  }
  if (!digests)
    throw new UserError(
      'digests-unavailable',
      'Digests are not available: the bot runs without its store.',
      {},
    );
  return { guild: interaction.guild, digests };
}
