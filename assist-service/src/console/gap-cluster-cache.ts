import type { GapSignalFilter, GapSignalStore } from '../feedback/gap-signals.ts';
import { type ClusteredGaps, clusterGaps, type GapItem, gapItems } from './knowledge-gaps.ts';

/** The clustered gaps of a period, as GET /v1/knowledge-gaps and the FAQ draft use them. */
export interface GapClusters extends ClusteredGaps {
  items: GapItem[];
  /** What the clustering took when it ran (for a reused answer: when it was computed). */
  clusteringMs: number;
  /** Served from this process's cache: the signals' fingerprint had not changed. */
  cached: boolean;
}

export interface GapClusterCache {
  /**
   * The clusters of `filter`'s period: reused when the store's fingerprint of the period's signals
   * is the one they were computed from, else read and clustered afresh. `period` names the request's
   * period as asked (`recent` for the default that ends now), so that one page refreshed keeps one
   * entry while its window slides.
   */
  clusters(
    signals: GapSignalStore,
    tenant: string,
    filter: GapSignalFilter,
    period: string,
  ): Promise<GapClusters>;
  /** How many answers were clustered afresh and how many reused, since the process started. */
  stats(): { clustered: number; reused: number };
}

/** Entries kept: each holds a period's items (100k of them at most, tens of MB). */
const DEFAULT_CAPACITY = 8;

/**
 * Knowledge gaps cached per process and validated on every request (decision 0022): before reusing
 * clusters it asks the store for a fingerprint of the period's signals (a count and checksum per
 * table, one aggregate query each), so a gap another replica recorded a moment ago, an erasure or
 * a remask makes the next request recompute. Nothing is shared between processes and nothing needs
 * invalidating by hand. The fingerprint is read before the rows: a write in between makes the
 * stored fingerprint older than the clusters, which costs one more clustering, never a stale answer.
 */
export function createGapClusterCache(options: { capacity?: number } = {}): GapClusterCache {
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  const entries = new Map<string, { fingerprint: string; result: Omit<GapClusters, 'cached'> }>();
  const counts = { clustered: 0, reused: 0 };
  return {
    async clusters(signals, tenant, filter, period) {
      const key = JSON.stringify([tenant, filter.collection ?? null, period]);
      const fingerprint = await signals.fingerprint(tenant, filter);
      const entry = entries.get(key);
      if (entry && entry.fingerprint === fingerprint) {
        // Most recently used last: the first key is the one to drop.
        entries.delete(key);
        entries.set(key, entry);
        counts.reused++;
        return { ...entry.result, cached: true };
      }
      const [gaps, outcomes] = await Promise.all([
        signals.listGaps(tenant, filter),
        signals.listOutcomes(tenant, filter),
      ]);
      const items = gapItems(gaps, outcomes);
      const started = performance.now();
      const clustered = clusterGaps(items);
      const result = {
        items,
        ...clustered,
        clusteringMs: Math.round((performance.now() - started) * 10) / 10,
      };
      counts.clustered++;
      entries.delete(key);
      entries.set(key, { fingerprint, result });
      while (entries.size > capacity) entries.delete(entries.keys().next().value as string);
      return { ...result, cached: false };
    },
    stats: () => ({ ...counts }),
  };
}
