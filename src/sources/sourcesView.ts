import type { Store } from '../store/store.js';
import type { SourceConfig } from './sourcesFile.js';

/** One live source as operators (`cli sources list`) and users (`/sources`) see it. */
export interface SourceStatus {
  readonly id: string;
  readonly name: string;
  readonly type: SourceConfig['type'];
  readonly url: string;
  readonly enabled: boolean;
  /**
   * `pending`: never fetched yet; `ok` / `not-modified`: the last fetch worked; `failing`: the last
   * fetch failed and it will be retried; `disabled`: off in sources.json, by `sources disable`, or
   * after repeated failures (`lastError` says which).
   */
  readonly status: 'pending' | 'ok' | 'not-modified' | 'failing' | 'disabled';
  readonly lastFetchedAt: string | null;
  readonly nextFetchAt: string | null;
  readonly failures: number;
  readonly lastError: string | null;
  /** Documents stored from this source. */
  readonly documents: number;
  /** Whether Discord may show its documents' full text (press releases); else title, summary, link. */
  readonly fullText: boolean;
}

/** Every configured source with what the store remembers of it. */
export async function describeSources(
  sources: readonly SourceConfig[],
  store: Store,
): Promise<SourceStatus[]> {
  const documents = await store.webDocuments.countBySource();
  const described = await Promise.all(
    sources.map(async (source) => ({ source, state: await store.sourceStates.get(source.id) })),
  );
  return described.map(({ source, state }) => {
    const isDisabled = !source.enabled || state.disabledReason !== null;
    const status: SourceStatus['status'] = isDisabled
      ? 'disabled'
      : state.lastStatus === null
        ? 'pending'
        : state.lastStatus === 'failed'
          ? 'failing'
          : state.lastStatus;
    return {
      id: source.id,
      name: source.name,
      type: source.type,
      url: source.url,
      enabled: !isDisabled,
      status,
      lastFetchedAt: state.lastFetchedAt,
      nextFetchAt: isDisabled ? null : state.nextFetchAt,
      failures: state.failures,
      lastError: !source.enabled ? 'disabled in sources.json' : (state.disabledReason ?? state.lastError),
      documents: documents.get(source.id) ?? 0,
      fullText: source.fullText,
    };
  });
}

/** How a source is doing, in the words `/sources` shows. */
export type SourceHealth = SourceStatus['status'];

/** What commands may know about live sources (handed in through the command context). */
export interface SourcesView {
  /** Every configured source with its state, in sources.json order. */
  list(): Promise<SourceStatus[]>;
  /** The source's display name; undefined for a source no longer configured. */
  nameOf(sourceId: string): string | undefined;
  /**
   * Whether Discord may show a document of this source in full (`fullText: true` in sources.json).
   * An unknown source is not: a third-party article shows its title, a short summary and a link.
   */
  isFullText(sourceId: string): boolean;
}

/** The `/sources` view over the configured sources and the store's fetch states and documents. */
export function createSourcesView(sources: readonly SourceConfig[], store: Store): SourcesView {
  const byId = new Map(sources.map((s) => [s.id, s]));
  return {
    list: () => describeSources(sources, store),
    nameOf: (sourceId) => byId.get(sourceId)?.name,
    isFullText: (sourceId) => byId.get(sourceId)?.fullText === true,
  };
}
