import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { loadConfig } from '../../src/config.js';
import { deployCommands, deployProblems } from '../../src/discord/deployCommands.js';
import { LoopbackDiscord } from '../../loopback/discord.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** `npm run deploy-commands` with exactly these Discord settings. */
async function deployScript(env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'deploy-commands'], {
      cwd: ROOT,
      env: { ...process.env, DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '', DISCORD_GUILD_ID: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('deployCommands', () => {
  let server: LoopbackDiscord;

  beforeAll(async () => {
    server = await LoopbackDiscord.start();
  });

  afterAll(async () => {
    await server.close();
  });

  it('sends every command, subcommand and option named and described in fr, es-ES and es-419', async () => {
    const config = loadConfig({
      DISCORD_TOKEN: server.token,
      DISCORD_APPLICATION_ID: server.applicationId,
      DISCORD_API_BASE: server.apiBase,
    });
    await deployCommands(config);
    const [put] = server.requestsTo('PUT', `/applications/${server.applicationId}/commands`).slice(-1);
    type Named = {
      name: string;
      name_localizations?: Record<string, string>;
      description_localizations?: Record<string, string>;
      options?: Named[];
    };
    const unlocalized: string[] = [];
    const visit = (item: Named, path: string) => {
      for (const map of [item.name_localizations, item.description_localizations]) {
        if (
          Object.keys(map ?? {})
            .sort()
            .join() !== 'es-419,es-ES,fr'
        )
          unlocalized.push(path);
      }
      for (const option of item.options ?? []) visit(option, `${path} ${option.name}`);
    };
    const payload = put?.body as Named[];
    for (const command of payload) visit(command, command.name);
    expect(unlocalized).toEqual([]);
    const search = payload.find((c) => c.name === 'search');
    expect(search?.name_localizations).toEqual({ fr: 'rechercher', 'es-ES': 'buscar', 'es-419': 'buscar' });
    const settings = payload.find((c) => c.name === 'settings');
    expect(settings?.description_localizations?.fr).toBe('Les réglages de ce serveur (Gérer le serveur)');
  });

  it('registers globally when no guild is configured', async () => {
    const config = loadConfig({
      DISCORD_TOKEN: server.token,
      DISCORD_APPLICATION_ID: server.applicationId,
      DISCORD_API_BASE: server.apiBase,
    });
    const result = await deployCommands(config);
    expect(result).toEqual({ scope: 'global', names: commands.map((c) => c.data.name) });
    expect(server.globalCommands.map((c) => c.name)).toEqual(result.names);
    expect(
      server.requestsTo('PUT', `/applications/${server.applicationId}/commands`)[0]?.headers.authorization,
    ).toBe(`Bot ${server.token}`);
  });

  it('names every missing setting', () => {
    expect(deployProblems({ discordToken: undefined, discordApplicationId: undefined })).toEqual([
      'DISCORD_TOKEN is not set (the bot token from the developer portal)',
      'DISCORD_APPLICATION_ID is not set (the application id from the developer portal)',
    ]);
  });

  describe('npm run deploy-commands', () => {
    it('registers to the guild when DISCORD_GUILD_ID is set', async () => {
      const { code, stdout } = await deployScript({
        DISCORD_TOKEN: server.token,
        DISCORD_APPLICATION_ID: server.applicationId,
        DISCORD_GUILD_ID: server.guild.id,
        DISCORD_API_BASE: server.apiBase,
      });
      expect(code).toBe(0);
      expect(stdout).toBe(
        `Registered ${commands.length} commands in guild ${server.guild.id}: ${commands.map((c) => `/${c.data.name}`).join(', ')}\n`,
      );
      expect(server.commands(server.guild.id).length).toBe(commands.length * 2);
    });

    it('exits 1 with a clear message when the token and application id are missing', async () => {
      const { code, stderr } = await deployScript({});
      expect(code).toBe(1);
      expect(stderr).toContain(
        'deploy-commands: DISCORD_TOKEN is not set (the bot token from the developer portal); DISCORD_APPLICATION_ID is not set',
      );
    });

    it('exits 1 saying what Discord answered when the token is wrong', async () => {
      const { code, stderr } = await deployScript({
        DISCORD_TOKEN: 'wrong',
        DISCORD_APPLICATION_ID: server.applicationId,
        DISCORD_API_BASE: server.apiBase,
      });
      expect(code).toBe(1);
      expect(stderr).toContain('401: Unauthorized');
    });
  });
});
