import { LRUCache } from "lru-cache";
import type { PreparedRepository } from "./resolve";

// Prepared repositories hold every governed text of a repository, so the cache is bounded by
// their size, not their number (twenty monorepos could hold gigabytes; twenty small ones, kilobytes).
// Concurrent questions about a repository not yet prepared share one load (lru-cache's fetch).

/** Per path: the string itself (UTF-16), and the map entries and array slot around it; an estimate, not a measurement. */
const ENTRY_OVERHEAD = 96;

/** Roughly how many bytes of memory a prepared repository holds: its texts and its paths (twice: the tree and the sizes). */
export function preparedSize(prepared: PreparedRepository): number {
  let bytes = 0;
  for (const source of prepared.byPath.values()) bytes += source.text.length * 2 + source.path.length * 2 + ENTRY_OVERHEAD;
  for (const path of prepared.sorted) bytes += path.length * 4 + ENTRY_OVERHEAD * 2;
  return Math.max(1, bytes);
}

type Load = () => Promise<PreparedRepository>;

export interface PreparedCache {
  /** The prepared repository under `key`, from `load` on a miss; concurrent misses for one key load once. */
  get(key: string, load: Load): Promise<PreparedRepository>;
}

/**
 * A least-recently-used cache of prepared repositories bounded by `maxBytes` (by `preparedSize`).
 * A failed load is not cached, so the next question tries again. A repository larger than the
 * whole bound is answered but not kept.
 */
export function preparedCache(opts: { maxBytes: number }): PreparedCache {
  const cache = new LRUCache<string, PreparedRepository, { load: Load }>({
    maxSize: opts.maxBytes,
    sizeCalculation: preparedSize,
    fetchMethod: (_key, _stale, { context }) => context.load(),
  });
  return {
    async get(key, load) {
      const prepared = await cache.fetch(key, { context: { load } });
      // fetch resolves undefined only when a load is aborted, which nothing here does.
      if (!prepared) throw new Error(`The instructions of ${key} could not be prepared.`);
      return prepared;
    },
  };
}
