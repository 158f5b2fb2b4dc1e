import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acceptMiniSearchVersion,
  areMiniSearchInternalsEnabled,
  MINISEARCH_INTERNALS_VERSION,
} from '../../src/core/search/miniSearchInternals.js';
import {
  checkMiniSearchVersion,
  readInstalledMiniSearchVersion,
} from '../../src/ingest/miniSearchVersion.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  acceptMiniSearchVersion(MINISEARCH_INTERNALS_VERSION);
});

describe('miniSearchVersion', () => {
  describe('readInstalledMiniSearchVersion', () => {
    it('reads the version of the MiniSearch that is installed (the pinned one)', () => {
      expect(readInstalledMiniSearchVersion()).toBe(MINISEARCH_INTERNALS_VERSION);
    });

    it('reads a package.json in a given folder, and gives null when there is none', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'minisearch-'));
      dirs.push(dir);
      expect(readInstalledMiniSearchVersion(dir)).toBeNull();
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'minisearch', version: '7.3.0' }));
      expect(readInstalledMiniSearchVersion(dir)).toBe('7.3.0');
    });
  });

  describe('checkMiniSearchVersion', () => {
    it('keeps the internals on the pinned version, without a warning', () => {
      const warnings: string[] = [];
      expect(checkMiniSearchVersion((m) => warnings.push(m))).toBe(true);
      expect(areMiniSearchInternalsEnabled()).toBe(true);
      expect(warnings).toEqual([]);
    });

    it('turns the internals off on another version and warns once however often it is checked', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'minisearch-'));
      dirs.push(dir);
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'minisearch', version: '7.3.0' }));
      const warnings: string[] = [];
      const installed = readInstalledMiniSearchVersion(dir);
      expect(checkMiniSearchVersion((m) => warnings.push(m), installed)).toBe(false);
      expect(areMiniSearchInternalsEnabled()).toBe(false);
      expect(checkMiniSearchVersion((m) => warnings.push(m), installed)).toBe(false);
      expect(warnings).toEqual([
        'MiniSearch 7.3.0 is installed, but search reads the internals of MiniSearch 7.2.0: using ' +
          'MiniSearch\'s public search() only (slower, no "did you mean"). Run npm ci to install the pinned version.',
      ]);
    });
  });
});
