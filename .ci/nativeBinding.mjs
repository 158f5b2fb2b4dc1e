// Preloaded (NODE_OPTIONS=--import) by .ci/run for the suite on a second Node version: loads that
// version's build of better-sqlite3 (BETTER_SQLITE3_ADDON) in place of the one in node_modules,
// which npm ci built for the first, so node_modules stays as it is.
import { registerHooks } from 'node:module';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const addon = process.env.BETTER_SQLITE3_ADDON;
if (!addon) throw new Error('nativeBinding.mjs: BETTER_SQLITE3_ADDON is not set');
const addonUrl = pathToFileURL(addon).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    return /\/better-sqlite3\/build\/Release\/better_sqlite3\.node$/.test(resolved.url)
      ? { ...resolved, url: addonUrl }
      : resolved;
  },
});
