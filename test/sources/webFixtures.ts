import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/web');

/** A fixture under test/fixtures/web, as text. */
export const webFixture = (name: string): string => readFileSync(path.join(WEB_FIXTURES, name), 'utf8');

/** The report fields the issue says a ReliefWeb request must ask for, as the API's `fields.include`. */
export const RELIEFWEB_FIELDS_ASKED = [
  'title',
  'body-html',
  'date.original',
  'url_alias',
  'source.shortname',
  'primary_country.name',
  'country.name',
  'language.code',
];
