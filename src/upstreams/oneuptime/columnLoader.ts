/**
 * A DataLoader that also batches *which columns* are needed: every `load`
 * names the columns its caller selects, and one upstream call per tick asks
 * for the union. A cached value is reused only when it was fetched with every
 * column now asked for; otherwise the key is fetched again with the union.
 *
 * Level-synchronous (DESIGN 9): a cached value (primed by a list or the link
 * rows, or fetched earlier) answers together with the keys fetched in the
 * same tick, never before them, so the parents of the next level reach their
 * loaders in one batch whatever mix of cached and fetched ids they came from.
 * DataLoader does this for its own cache hits (they settle with the batch they
 * joined), so the column-aware cache is DataLoader's `cacheMap`.
 */
import DataLoader from 'dataloader';

/** Between the id and the columns of a DataLoader key (ids and column names never hold it). */
const SEPARATOR = '\u0000';

/**
 * The id and the columns of a key. A request's loads share a few column sets,
 * each split once (`columnSets`, per loader): splitting on every cache lookup
 * was 1.4 % of the gateway's busy time on the case screen.
 */
function splitKey(
  key: string,
  columnSets: Map<string, readonly string[]>,
): [string, readonly string[]] {
  const at = key.indexOf(SEPARATOR);
  const joined = key.slice(at + 1);
  let columns = columnSets.get(joined);
  if (columns === undefined) {
    columns = joined === '' ? [] : joined.split(',');
    columnSets.set(joined, columns);
  }
  return [key.slice(0, at), columns];
}

const keyOf = (id: string, columns: Iterable<string>) =>
  `${id}${SEPARATOR}${[...columns].sort().join(',')}`;

export type ColumnBatchFn<V> = (
  keys: readonly string[],
  columns: readonly string[],
) => Promise<ReadonlyArray<V | Error>>;

interface Cached<V> {
  columns: ReadonlySet<string>;
  value: Promise<V>;
}

/**
 * DataLoader's cache, by id: a key (id + columns) hits when the id's value was
 * fetched with every one of those columns.
 */
class ColumnCache<V> {
  readonly byId = new Map<string, Cached<V>>();

  constructor(private readonly columnSets: Map<string, readonly string[]>) {}

  get(key: string): Promise<V> | undefined {
    const [id, columns] = splitKey(key, this.columnSets);
    const hit = this.byId.get(id);
    return hit && columns.every((column) => hit.columns.has(column)) ? hit.value : undefined;
  }

  set(key: string, value: Promise<V>): void {
    const [id, columns] = splitKey(key, this.columnSets);
    this.remember(id, new Set(columns), value);
  }

  remember(id: string, columns: ReadonlySet<string>, value: Promise<V>): void {
    const entry = { columns, value };
    this.byId.set(id, entry);
    // Errors are not cached: a later load tries again.
    value.catch(() => {
      if (this.byId.get(id) === entry) this.byId.delete(id);
    });
  }

  delete(key: string): void {
    this.byId.delete(splitKey(key, this.columnSets)[0]);
  }

  clear(): void {
    this.byId.clear();
  }
}

export class ColumnLoader<V> {
  private readonly loader: DataLoader<string, V>;
  private readonly cache: ColumnCache<V> | undefined;

  constructor(
    batch: ColumnBatchFn<V>,
    private readonly options: {
      batch: boolean;
      /** The columns a `load` without columns asks for. */
      allColumns: readonly string[];
      maxBatchSize?: number;
    },
  ) {
    const columnSets = new Map<string, readonly string[]>();
    this.cache = options.batch ? new ColumnCache<V>(columnSets) : undefined;
    // Each DataLoader key carries its own columns, so every batch (however
    // DataLoader splits or schedules them) asks for the union of its own loads.
    this.loader = new DataLoader<string, V>(
      async (keys) => {
        const ids = new Set<string>();
        const columns = new Set<string>();
        for (const key of keys) {
          const [id, wanted] = splitKey(key, columnSets);
          ids.add(id);
          for (const column of wanted) columns.add(column);
        }
        const idList = [...ids];
        const values = await batch(idList, [...columns]);
        const byId = new Map(idList.map((id, i) => [id, values[i] as V | Error]));
        return keys.map((key) => byId.get(splitKey(key, columnSets)[0]) as V | Error);
      },
      {
        batch: options.batch,
        maxBatchSize: options.maxBatchSize ?? 1000,
        ...(this.cache ? { cacheMap: this.cache } : { cache: false }),
      },
    );
  }

  load(key: string, columns: readonly string[] = this.options.allColumns): Promise<V> {
    const hit = this.cache?.byId.get(key);
    // A miss asks for what it needs plus what the cached value had, so it replaces it whole.
    return this.loader.load(keyOf(key, hit ? new Set([...hit.columns, ...columns]) : columns));
  }

  loadMany(
    keys: readonly string[],
    columns: readonly string[] = this.options.allColumns,
  ): Promise<Array<V | Error>> {
    return Promise.all(
      keys.map((key) => this.load(key, columns).catch((error: unknown) => error as Error)),
    );
  }

  /**
   * Remembers a value fetched elsewhere (a list page, a create, a link read)
   * with the columns it has. A narrower read never replaces a value that has
   * every one of its columns and more (a link read of an incident this request
   * already holds whole): that would cost the wider load a call again.
   */
  prime(key: string, value: V, columns: readonly string[] = this.options.allColumns): this {
    const primed = new Set(columns);
    const held = this.cache?.byId.get(key)?.columns;
    if (held && held.size > primed.size && [...primed].every((column) => held.has(column))) {
      return this;
    }
    this.cache?.remember(key, primed, Promise.resolve(value));
    return this;
  }

  clear(key: string): this {
    this.cache?.byId.delete(key);
    return this;
  }
}
