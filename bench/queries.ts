/**
 * The fixed, seeded query mix both sides of the benchmark answer. Queries are drawn from the
 * generator's vocabulary (not from the documents), so the same strings are asked at every corpus
 * size and a result is comparable across sizes.
 */
import { ROSTER, toAscii } from './syntheticCorpus.js';
import * as V from './vocabulary.js';
import { mulberry32 as rng } from '../src/util/random.js';

export type QueryClass = 'exact' | 'prefix' | 'typo' | 'filtered';

export interface QueryFilter {
  readonly kind?: 'article' | 'project';
  readonly country?: string;
}

export interface BenchQuery {
  readonly class: QueryClass;
  readonly text: string;
  readonly filter?: QueryFilter;
}

/** Topic words and phrases people would type; each appears in the generated text. */
const TOPICS: readonly string[] = [
  'trafficking',
  'border management',
  'reintegration',
  'returnees',
  'displaced families',
  'emergency shelter',
  'tuberculosis screening',
  'labour migration',
  'unaccompanied children',
  'flooding',
  'psychosocial support',
  'voluntary return',
  'stranded migrants',
  'climate change',
  'recruitment costs',
  'passport',
  'hotline',
  'host communities',
  'asylum seekers',
  'cash assistance',
  'vocational training',
  'remittances',
  'displacement tracking',
  'migration governance',
  'seasonal workers',
  'rainy season',
  'consular training',
  'resettled refugees',
  'drought',
  'health care',
];

function picker(seed: number) {
  const next = rng(seed);
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
}

/** One deterministic edit (drop, swap, double or replace a letter) in a word of 6+ letters. */
function typo(word: string, roll: number): string {
  const at = 1 + (Math.floor(roll * 1000) % (word.length - 2));
  switch (Math.floor(roll * 4)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2);
    case 2:
      return word.slice(0, at) + (word[at] ?? '') + word.slice(at);
    default:
      return word.slice(0, at) + (word[at] === 'e' ? 'a' : 'e') + word.slice(at + 1);
  }
}

const familyNames = [...new Set(ROSTER.map((p) => p.name.split(' ').slice(1).join(' ')))];
const countryNames = V.COUNTRIES.map((c) => c.name);
const cities = V.COUNTRIES.flatMap((c) => c.cities);

/**
 * `count` queries, a quarter of each class: exact words (topics, countries, cities, people), the
 * last word cut to a prefix, one typo in a longer word, and exact words with a kind or country
 * filter. Same seed, same list.
 */
export function buildQueryMix(seed: number, count = 200): BenchQuery[] {
  const pick = picker(seed ^ 0x51ed);
  const next = rng(seed ^ 0xa11);
  const exactText = (): string => {
    const roll = next();
    if (roll < 0.4) return pick(TOPICS);
    if (roll < 0.6) return `${pick(TOPICS)} ${pick(countryNames)}`;
    if (roll < 0.75) return pick(cities);
    if (roll < 0.9) return pick(familyNames);
    return `${pick(TOPICS).split(' ')[0] ?? ''} ${pick(familyNames)}`;
  };
  const queries: BenchQuery[] = [];
  for (let k = 0; k < count; k++) {
    switch (k % 4) {
      case 0:
        queries.push({ class: 'exact', text: exactText() });
        break;
      case 1: {
        const words = exactText().split(' ');
        const last = words.pop() ?? '';
        const cut = Math.max(3, Math.min(last.length - 1, 3 + Math.floor(next() * 4)));
        queries.push({ class: 'prefix', text: [...words, last.slice(0, cut)].join(' ') });
        break;
      }
      case 2: {
        let words = exactText().split(' ');
        for (let guard = 0; !words.some((w) => w.length >= 6) && guard < 20; guard++) {
          words = exactText().split(' ');
        }
        const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '');
        const text = words.map((w) => (w === longest ? typo(toAscii(w).toLowerCase(), next()) : w)).join(' ');
        queries.push({ class: 'typo', text });
        break;
      }
      default: {
        const filter: QueryFilter = next() < 0.5 ? { kind: 'project' } : { country: pick(countryNames) };
        queries.push({ class: 'filtered', text: pick(TOPICS).split(' ')[0] ?? 'migration', filter });
      }
    }
  }
  return queries;
}

/** What a user has typed into an autocomplete box, and which box (our library completes per field). */
export interface BenchPrefix {
  readonly field: 'title' | 'country' | 'contact' | 'project';
  readonly prefix: string;
}

/**
 * Prefixes someone types into a Discord autocomplete box: the start of a title word, a country, a
 * person's name or a Prima ID, 1 to 6 characters (short prefixes are the expensive ones).
 */
export function buildPrefixMix(seed: number, count = 200): BenchPrefix[] {
  const pick = picker(seed ^ 0xc0de);
  const next = rng(seed ^ 0xbeef);
  const titleWords = [...V.ARTICLE_TITLES, ...V.PROJECT_TITLES]
    .flatMap((t) => t.split(' '))
    .filter((w) => /^\p{Lu}\p{L}{3,}$/u.test(w));
  const sources: Array<() => [BenchPrefix['field'], string]> = [
    () => ['title', pick(titleWords)],
    () => ['country', pick(countryNames)],
    () => ['contact', pick(ROSTER).name],
    () => ['contact', pick(familyNames)],
    () => ['project', `${pick(V.COUNTRIES).code}${10 + Math.floor(next() * 90)}P`],
  ];
  return Array.from({ length: count }, () => {
    const [field, source] = pick(sources)();
    const length = 1 + Math.floor(next() * 6);
    return { field, prefix: source.slice(0, Math.min(source.length, length)) };
  });
}
