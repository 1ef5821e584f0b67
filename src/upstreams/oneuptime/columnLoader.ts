/**
 * A DataLoader that also batches *which columns* are needed: every `load`
 * names the columns its caller selects, and one upstream call per tick asks
 * for the union. A cached value is reused only when it was fetched with every
 * column now asked for; otherwise the key is fetched again with the union.
 *
 * A cached value resolves with the tick's batch, as DataLoader resolves its
 * own cache hits: the keys of one level then reach the next loader together
 * whether their parents were cached or fetched (DESIGN 9: one call per level
 * in every cache state), which is what the upstream-call bound of the
 * operation limits counts on (src/guard/upstreamCalls.ts).
 */
import DataLoader from 'dataloader';

/** Between the id and the columns of a DataLoader key (ids and column names never hold it). */
const SEPARATOR = '\u0000';
/** The DataLoader key of a cache hit: fetches nothing, resolves when its batch does. */
const HIT = '\u0001';

function splitKey(key: string): [string, string[]] {
  const at = key.indexOf(SEPARATOR);
  const columns = key.slice(at + 1);
  return [key.slice(0, at), columns === '' ? [] : columns.split(',')];
}

export type ColumnBatchFn<V> = (
  keys: readonly string[],
  columns: readonly string[],
) => Promise<ReadonlyArray<V | Error>>;

interface Cached<V> {
  columns: ReadonlySet<string>;
  value: Promise<V>;
}

export class ColumnLoader<V> {
  private readonly loader: DataLoader<string, V>;
  private readonly cache = new Map<string, Cached<V>>();

  constructor(
    batch: ColumnBatchFn<V>,
    private readonly options: {
      batch: boolean;
      /** The columns a `load` without columns asks for. */
      allColumns: readonly string[];
      maxBatchSize?: number;
    },
  ) {
    // Each DataLoader key carries its own columns, so every batch (however
    // DataLoader splits or schedules them) asks for the union of its own loads.
    this.loader = new DataLoader<string, V>(
      async (keys) => {
        const ids = new Set<string>();
        const columns = new Set<string>();
        for (const key of keys) {
          if (key === HIT) continue;
          const [id, wanted] = splitKey(key);
          ids.add(id);
          for (const column of wanted) columns.add(column);
        }
        const idList = [...ids];
        // A failed fetch fails its own keys, never the cache hits waiting in its batch.
        const values =
          idList.length === 0
            ? []
            : await batch(idList, [...columns]).catch((error: unknown) =>
                idList.map(() => (error instanceof Error ? error : new Error(String(error)))),
              );
        const byId = new Map(idList.map((id, i) => [id, values[i] as V | Error]));
        return keys.map((key) => (key === HIT ? (null as V) : (byId.get(splitKey(key)[0]) as V)));
      },
      // Caching is ours (column-aware); DataLoader only batches.
      { batch: options.batch, cache: false, maxBatchSize: options.maxBatchSize ?? 1000 },
    );
  }

  load(key: string, columns: readonly string[] = this.options.allColumns): Promise<V> {
    const hit = this.cache.get(key);
    if (hit && columns.every((column) => hit.columns.has(column))) {
      return this.loader.load(HIT).then(() => hit.value);
    }
    const union = new Set([...(hit?.columns ?? []), ...columns]);
    const value = this.loader.load(`${key}${SEPARATOR}${[...union].sort().join(',')}`);
    if (this.options.batch) {
      const entry = { columns: union, value };
      this.cache.set(key, entry);
      // Errors are not cached: a later load tries again.
      value.catch(() => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      });
    }
    return value;
  }

  loadMany(
    keys: readonly string[],
    columns: readonly string[] = this.options.allColumns,
  ): Promise<Array<V | Error>> {
    return Promise.all(
      keys.map((key) => this.load(key, columns).catch((error: unknown) => error as Error)),
    );
  }

  /** Remembers a value fetched elsewhere (a list page, a create) with the columns it has. */
  prime(key: string, value: V, columns: readonly string[] = this.options.allColumns): this {
    if (this.options.batch) {
      this.cache.set(key, { columns: new Set(columns), value: Promise.resolve(value) });
    }
    return this;
  }

  clear(key: string): this {
    this.cache.delete(key);
    return this;
  }
}
