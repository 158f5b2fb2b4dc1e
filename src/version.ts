import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'migration-news-bot';

/**
 * The project's package.json, found by walking up from this module: it is one folder up under tsx
 * (src/version.ts) and two from a build (dist/src/version.js).
 */
function readOwnPackageJson(): { version: string } {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    let json: { name?: unknown; version?: unknown };
    try {
      json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as typeof json;
    } catch {
      continue;
    }
    if (json.name === PACKAGE_NAME && typeof json.version === 'string') return { version: json.version };
  }
  throw new Error(`version: no package.json named ${PACKAGE_NAME} above ${start}`);
}

/** The bot's version, from package.json (shown by /about and named in the User-Agent of fetches). */
export const VERSION = readOwnPackageJson().version;
