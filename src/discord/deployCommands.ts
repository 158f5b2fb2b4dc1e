import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import type { RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { commands } from '../../commands/index.js';
import type { Config } from '../config.js';
import { loadConfig, readEnvironment } from '../config.js';
import type { SlashCommand } from './command.js';

export interface DeployResult {
  readonly scope: 'guild' | 'global';
  readonly names: readonly string[];
}

/** What is missing for a deploy, in words a user can act on; empty when nothing is. */
export function deployProblems(config: Pick<Config, 'discordToken' | 'discordApplicationId'>): string[] {
  const problems: string[] = [];
  if (!config.discordToken)
    problems.push('DISCORD_TOKEN is not set (the bot token from the developer portal)');
  if (!config.discordApplicationId) {
    problems.push('DISCORD_APPLICATION_ID is not set (the application id from the developer portal)');
  }
  return problems;
}

/**
 * Registers every command with one bulk overwrite: in the guild DISCORD_GUILD_ID when set
 * (instant, for development), else globally.
 */
export async function deployCommands(
  config: Pick<Config, 'discordToken' | 'discordApplicationId' | 'discordGuildId' | 'discordApiBase'>,
  list: readonly SlashCommand[] = commands,
): Promise<DeployResult> {
  const problems = deployProblems(config);
  if (problems.length > 0) throw new Error(`deploy-commands: ${problems.join('; ')}`);
  const rest = new REST({ api: config.discordApiBase }).setToken(config.discordToken!);
  const body = list.map((command) => command.data.toJSON());
  const appId = config.discordApplicationId!;
  const route = config.discordGuildId
    ? Routes.applicationGuildCommands(appId, config.discordGuildId)
    : Routes.applicationCommands(appId);
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { scope: config.discordGuildId ? 'guild' : 'global', names: registered.map((c) => c.name) };
}

async function main(): Promise<number> {
  try {
    const config = loadConfig(readEnvironment());
    const result = await deployCommands(config);
    const where =
      result.scope === 'guild' ? `in guild ${config.discordGuildId}` : 'globally (may take up to an hour)';
    console.log(
      `Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}`,
    );
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
