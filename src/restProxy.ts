import { ConfigError, loadProxyConfig, readEnvironment } from './config.js';
import { startProxyServer } from './discord/proxyServer.js';
import { createLogger } from './logger.js';

/**
 * `npm run proxy`: the Discord REST proxy that several bot processes share (their
 * DISCORD_API_BASE points here), so that together they respect one set of rate limits.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadProxyConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // It logs the address and port the socket is bound to ('REST proxy listening').
  const proxy = await startProxyServer({
    apiBase: config.discordApiBase,
    host: config.proxyHost,
    port: config.proxyPort,
    logger,
  });
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      void proxy.close().finally(resolve);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  logger.info('stopped');
  logger.flush();
  return 0;
}

process.exit(await main());
