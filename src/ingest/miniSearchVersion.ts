import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptMiniSearchVersion, MINISEARCH_INTERNALS_VERSION } from '../core/search/miniSearchInternals.js';

/**
 * The installed MiniSearch's version, from its package.json (found from where `minisearch`
 * resolves, so it is the copy that is actually imported), or null when it cannot be read.
 * `packageDir` overrides the lookup (tests point it at a folder with another version).
 */
export function readInstalledMiniSearchVersion(packageDir?: string): string | null {
  try {
    const dir = packageDir ?? packageRoot(fileURLToPath(import.meta.resolve('minisearch')));
    if (dir === null) return null;
    const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof json.version === 'string' ? json.version : null;
  } catch {
    return null;
  }
}

/** The folder holding MiniSearch's own package.json, walking up from its entry file. */
function packageRoot(entry: string): string | null {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (json.name === 'minisearch') return dir;
    } catch {
      // No package.json here (or a partial one for the module type): keep walking up.
    }
  }
  return null;
}

let hasWarned = false;

/**
 * Start-up check: search reads MiniSearch's internals only when the installed version is exactly
 * the one they were written for; otherwise it uses MiniSearch's public `search()` and this warns
 * once per process (every library opened afterwards follows the same decision).
 */
export function checkMiniSearchVersion(
  onWarning: (message: string) => void,
  installed: string | null = readInstalledMiniSearchVersion(),
): boolean {
  const isAccepted = acceptMiniSearchVersion(installed ?? 'unknown');
  if (!isAccepted && !hasWarned) {
    hasWarned = true;
    onWarning(
      `MiniSearch ${installed ?? '(version unreadable)'} is installed, but search reads the internals of ` +
        `MiniSearch ${MINISEARCH_INTERNALS_VERSION}: using MiniSearch's public search() only (slower, ` +
        `no "did you mean"). Run npm ci to install the pinned version.`,
    );
  }
  return isAccepted;
}
