/**
 * OneUptime `sort`: `{"col": "ASC" | "DESC", …}`, passed to TypeORM unvalidated
 * (`Common/Server/API/BaseAPI.ts` `getList` at 122b0d6be74c303bf53a7bb62beace0955fb6e0b,
 * `Common/Server/Services/DatabaseService.ts` `_findBy` at
 * 003fdb4de4ab9f7ff589f4e6a293415d09e54caf), whose `buildOrder` makes one
 * ORDER BY term per key, in key order, and treats anything but "DESC", "desc"
 * or -1 as ascending. The server adds no tie-breaker: Postgres returns ties in
 * no fixed order. Ending with `_id` here is this emulator's own choice, so its
 * pages are reproducible (an assumption, not the server's behaviour).
 */
import { isPlainObject } from '../http.js';
import { badRequest } from './errors.js';
import { lookupColumn, type ModelDef } from './models.js';
import { compareValues, rowValue } from './query.js';
import type { Row } from './store.js';

export interface SortKey {
  column: string;
  descending: boolean;
}

const isDescending = (order: unknown) => order === 'DESC' || order === 'desc' || order === -1;

/** Sort keys in the order given, defaulting to `createdAt` DESC, then `_id` unless given. */
export function parseSort(def: ModelDef, raw: unknown): SortKey[] {
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    throw badRequest('Invalid sort: expected a JSON object');
  }
  const keys = Object.entries(raw ?? {}).map(([column, order]) => {
    if (!lookupColumn(def, column)) {
      throw badRequest(
        `Invalid sort column on ${def.singularName} - ${column}. Column does not exist.`,
      );
    }
    return { column, descending: isDescending(order) };
  });
  if (keys.length === 0) keys.push({ column: 'createdAt', descending: true });
  if (!keys.some((key) => key.column === '_id')) keys.push({ column: '_id', descending: false });
  return keys;
}

/** Postgres orders NULLs as the largest value: last when ascending, first when descending. */
function compareNullable(a: unknown, b: unknown): number {
  const x = rowValue(a);
  const y = rowValue(b);
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  return compareValues(x, y);
}

export function sortRows(rows: Row[], keys: readonly SortKey[]): Row[] {
  return rows.sort((a, b) => {
    for (const { column, descending } of keys) {
      const c = compareNullable(a[column], b[column]);
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  });
}
