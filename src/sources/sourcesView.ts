import type { Store } from '../store/store.js';
import type { SourceConfig } from './sourcesFile.js';

/** How a source is doing, in the words `/sources` shows. */
export type SourceHealth = 'ok' | 'not-modified' | 'failing' | 'disabled' | 'pending';

/** One live source as `/sources` lists it: its configuration and what its last fetches did. */
export interface SourceStatus {
  readonly id: string;
  readonly name: string;
  readonly type: SourceConfig['type'];
  readonly enabled: boolean;
  readonly status: SourceHealth;
  /** ISO times; null before the first fetch (or when none is planned). */
  readonly lastFetchedAt: string | null;
  readonly nextFetchAt: string | null;
  /** Documents stored from this source. */
  readonly documents: number;
  readonly lastError: string | null;
}

/** What commands may know about live sources (handed in through the command context). */
export interface SourcesView {
  /** Every configured source with its state, in sources.json order. */
  list(): SourceStatus[];
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
    list() {
      const counts = store.webDocuments.countBySource();
      return sources.map((source) => {
        const state = store.sourceStates.get(source.id);
        const disabled = !source.enabled || state.disabledReason !== null;
        const status: SourceHealth = disabled
          ? 'disabled'
          : state.failures > 0 || state.lastStatus === 'failed'
            ? 'failing'
            : (state.lastStatus ?? 'pending');
        return {
          id: source.id,
          name: source.name,
          type: source.type,
          enabled: !disabled,
          status,
          lastFetchedAt: state.lastFetchedAt,
          nextFetchAt: disabled ? null : state.nextFetchAt,
          documents: counts.get(source.id) ?? 0,
          lastError: state.disabledReason ?? state.lastError,
        };
      });
    },
    nameOf: (sourceId) => byId.get(sourceId)?.name,
    isFullText: (sourceId) => byId.get(sourceId)?.fullText === true,
  };
}
