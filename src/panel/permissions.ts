import { createHash } from 'node:crypto';
import type { DiscordOAuth, UserGuild } from './discordOAuth.js';
import { forbidden, notFound } from './errors.js';

const ADMINISTRATOR = 1n << 3n;
const MANAGE_GUILD = 1n << 5n;

/** How long an answer from Discord about who may manage what is trusted. */
export const ACCESS_CACHE_MS = 60_000;
/** Users whose guilds are remembered at once (the oldest are forgotten first). */
const MAX_CACHED_USERS = 1000;

/** Whether a member may manage a guild: its owner, or Manage Server, or Administrator. */
export function canManage(guild: Pick<UserGuild, 'owner' | 'permissions'>): boolean {
  if (guild.owner) return true;
  if (!guild.permissions || !/^\d+$/.test(guild.permissions)) return false;
  const bits = BigInt(guild.permissions);
  return (bits & (ADMINISTRATOR | MANAGE_GUILD)) !== 0n;
}

/** A server the bot is in, as the signed-in user relates to it. */
export interface PanelGuild {
  readonly id: string;
  readonly name: string;
  readonly canManage: boolean;
}

/**
 * Who may manage which server, asked of Discord with the user's own token and the bot's, each
 * answer kept at most {@link ACCESS_CACHE_MS}: never what the browser claims.
 */
export class GuildAccess {
  private readonly users = new Map<string, { at: number; guilds: UserGuild[] }>();
  private bot: { at: number; ids: Set<string> } | undefined;

  constructor(
    private readonly discord: DiscordOAuth,
    private readonly now: () => number = Date.now,
  ) {}

  /** The servers both the bot and the user are in, with whether the user may manage each. */
  async guilds(accessToken: string): Promise<PanelGuild[]> {
    const [mine, bot] = await Promise.all([this.userGuilds(accessToken), this.botGuildIds()]);
    return mine
      .filter((g) => bot.has(g.id))
      .map((g) => ({ id: g.id, name: g.name, canManage: canManage(g) }));
  }

  /** The server, if the user may manage it; else 404 (the bot is not there) or 403. */
  async require(accessToken: string, guildId: string): Promise<PanelGuild> {
    const guild = (await this.guilds(accessToken)).find((g) => g.id === guildId);
    if (!guild) {
      if (!(await this.botGuildIds()).has(guildId)) throw notFound(`The bot is not in server ${guildId}.`);
      throw forbidden();
    }
    if (!guild.canManage) throw forbidden();
    return guild;
  }

  private async userGuilds(accessToken: string): Promise<UserGuild[]> {
    // Keyed by a hash: the token itself stays out of this long-lived map.
    const key = createHash('sha256').update(accessToken).digest('base64url');
    const cached = this.users.get(key);
    if (cached && this.now() - cached.at < ACCESS_CACHE_MS) return cached.guilds;
    const guilds = await this.discord.userGuilds(accessToken);
    this.users.delete(key);
    this.users.set(key, { at: this.now(), guilds });
    if (this.users.size > MAX_CACHED_USERS) this.users.delete(this.users.keys().next().value!);
    return guilds;
  }

  private async botGuildIds(): Promise<Set<string>> {
    if (this.bot && this.now() - this.bot.at < ACCESS_CACHE_MS) return this.bot.ids;
    const ids = new Set((await this.discord.botGuilds()).map((g) => g.id));
    this.bot = { at: this.now(), ids };
    return ids;
  }
}
