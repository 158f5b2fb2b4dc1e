import type { Localized } from '../localize.js';

const T = (en: string, fr: string, es: string): Localized => ({ en, fr, es });

/** What /search and its options are called and say, in every language (see commands/search.ts). */
export const SEARCH_TEXT = {
  command: {
    name: T('search', 'rechercher', 'buscar'),
    description: T(
      'Search press releases and projects',
      'Rechercher dans les communiqués et les projets',
      'Buscar en los comunicados y los proyectos',
    ),
  },
  query: {
    name: T('query', 'requete', 'consulta'),
    description: T('Words to look for', 'Les mots à chercher', 'Las palabras que buscar'),
  },
  kind: {
    name: T('kind', 'type', 'tipo'),
    description: T(
      'Only articles or only projects',
      'Seulement les articles ou les projets',
      'Solo artículos o solo proyectos',
    ),
    article: T('Articles', 'Articles', 'Artículos'),
    project: T('Projects', 'Projets', 'Proyectos'),
  },
  country: {
    name: T('country', 'pays', 'pais'),
    description: T('Only this dateline country', 'Seulement ce pays', 'Solo este país'),
  },
  sort: {
    name: T('sort', 'tri', 'orden'),
    description: T(
      'Best match first (default) or newest first',
      'Meilleure correspondance d’abord (par défaut) ou plus récent d’abord',
      'Mejor coincidencia primero (por defecto) o más reciente primero',
    ),
    relevance: T('Relevance', 'Pertinence', 'Relevancia'),
    newest: T('Newest', 'Plus récent', 'Más reciente'),
  },
  since: {
    name: T('since', 'depuis', 'desde'),
    description: T(
      'Published since a day (2026-11-01) or a time back (24h, 7d)',
      'Publié depuis un jour (2026-11-01) ou une durée (24h, 7d)',
      'Publicado desde un día (2026-11-01) o un plazo (24h, 7d)',
    ),
  },
} as const;
