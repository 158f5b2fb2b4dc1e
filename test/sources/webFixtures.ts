import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/web');

/** A fixture under test/fixtures/web, as text. */
export const webFixture = (name: string): string => readFileSync(path.join(WEB_FIXTURES, name), 'utf8');
