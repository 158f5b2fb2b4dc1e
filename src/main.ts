import { createApp, StartError, type App } from './app.js';
import { ConfigError, loadConfig, readEnvironment, type Config } from './config.js';
import { logEventLoopDelay } from './eventLoopDelay.js';
import { createLogger, type Logger } from './logger.js';

/**
 * `npm start`: the settings, the logs, then the program createApp builds (the Discord bot with a
 * token, the console without one) until a signal or, in the console, the end of the input.
 */
async function main(): Promise<number> {
  const config = readConfig();
  if (!config) return 2;
  // In console mode stdout carries the replies, so logs go to stderr.
  const logger = createLogger(config.logLevel, config.discordToken ? 'stdout' : 'stderr');
  logEventLoopDelay(logger);
  let app: App | undefined;
  try {
    app = await createApp(config, { logger });
    stopOnSignal(app, logger);
    await app.start();
    await app.finished;
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    await app?.stop();
    // A mistake in the configuration (sources.json) is listed like the settings' own; the rest is logged.
    if (error.exitCode === 2) console.error(error.message);
    else logger.fatal({ err: error.cause }, error.message);
    logger.flush();
    return error.exitCode;
  }
  await app.stop();
  logger.info('stopped');
  logger.flush();
  return 0;
}

function readConfig(): Config | undefined {
  try {
    return loadConfig(readEnvironment());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return undefined;
  }
}

/** SIGINT or SIGTERM stops the program once; a second one (tsx relays it again) is ignored. */
function stopOnSignal(app: App, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.stop().catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const code = await main();
// Exit explicitly: keep-alive sockets of the REST client and other libraries' handles would
// otherwise hold the process open after a clean shutdown.
process.exit(code);
