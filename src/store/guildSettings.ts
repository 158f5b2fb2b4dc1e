import { z } from 'zod';
import type { SqlDriver } from './sql.js';

/** What a server chose with /settings; a setting it never chose is null. */
export interface GuildSettings {
  readonly guildId: string;
  /** The catalog language of replies and digests (`fr`, `ar`, …); null follows Discord's locales. */
  readonly language: string | null;
  readonly updatedAt: string;
}

const settingsRow = z
  .object({ guild_id: z.string(), language: z.string().nullable(), updated_at: z.string() })
  .transform((r): GuildSettings => ({ guildId: r.guild_id, language: r.language, updatedAt: r.updated_at }));

/** Per-server settings, one row per server that changed one. */
export class GuildSettingsRepository {
  constructor(private readonly db: SqlDriver) {}

  /** The server's settings, or undefined when it never changed any. */
  async get(guildId: string): Promise<GuildSettings | undefined> {
    const row = await this.db.get('SELECT * FROM guild_settings WHERE guild_id = ?', [guildId]);
    return row === undefined ? undefined : settingsRow.parse(row);
  }

  /** The server's language, or null (never set, or cleared). */
  async language(guildId: string): Promise<string | null> {
    return (await this.get(guildId))?.language ?? null;
  }

  /** Sets (or, with null, clears) the server's language. */
  async setLanguage(guildId: string, language: string | null, now: Date): Promise<GuildSettings> {
    const row = await this.db.get(
      `INSERT INTO guild_settings (guild_id, language, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (guild_id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at
       RETURNING *`,
      [guildId, language, now.toISOString()],
    );
    return settingsRow.parse(row);
  }
}
