/**
 * Facet counts as both Coralogix families' GetFilterValues send them
 * (incidents' `…WithCount`, cases' `…Aggregations`): rows of a value and a
 * count, summed by value, a value this gateway does not know counted under the
 * first known one (UNSPECIFIED; the checker warned about it), most frequent
 * first, then by value.
 */
import { readCount } from './http.js';

export interface ValueCount<V extends string = string> {
  value: V;
  count: number;
}

/** Most frequent first, then by value (then by `key`, for rows that have one). */
export const byCount = <T extends ValueCount>(rows: T[]): T[] =>
  rows.sort(
    (a, b) =>
      b.count - a.count ||
      (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) ||
      ('key' in a && 'key' in b ? String(a.key).localeCompare(String(b.key)) : 0),
  );

/** Reads one row's count: protojson's int32 numbers or int64 numeric strings (`readCount`). */
export type CountReader = (what: string, raw: unknown) => number;

export const protojsonCount: CountReader = (what, raw) => readCount(raw, what);

/** The rows' `field` values with their summed counts; `known` undefined: any value is kept. */
export function facetCounts<V extends string>(
  rows: ReadonlyArray<Record<string, unknown>> | undefined,
  field: string,
  known: readonly V[] | undefined,
  count: CountReader = protojsonCount,
): Array<ValueCount<V>> {
  const totals = new Map<V, number>();
  for (const row of rows ?? []) {
    const raw = typeof row[field] === 'string' ? (row[field] as string) : '';
    const value = (known && !known.includes(raw as V) ? known[0] : raw) as V;
    totals.set(value, (totals.get(value) ?? 0) + count(`${field} count`, row.count));
  }
  return byCount([...totals].map(([value, n]) => ({ value, count: n })));
}
