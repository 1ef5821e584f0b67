/**
 * OneUptime `query` evaluation, after OneUptime/oneuptime
 * ab6f40993700e5d472c23e52913ef2fe5d117f66:
 * `Common/Server/Types/Database/QueryUtil.ts` `serializeQuery` (lines
 * 123–520) turns each key into SQL through `QueryHelper.ts` (same folder):
 * `null` is IS NULL (line 127), a bare array is IN (`any`, line 508), a
 * plain value is equality, and each `{"_type": …}` operator (deserialized by
 * `Common/Types/BaseDatabase/<Operator>.ts`) maps to one helper, quoted at
 * `parseOperator`. Comparisons follow SQL: a NULL column matches only the
 * operators whose SQL adds `OR … IS NULL`. An unknown key is 400
 * (`Permissions/QueryPermission.ts` lines 243–248). JSON columns are queried
 * per key (`jsonQuery.ts`).
 */
import type { ColumnType } from '../../upstreams/oneuptime/types.js';
import { isPlainObject } from '../http.js';
import { isUuid, toIsoInstant, unwrap } from './codec.js';
import { assertNever, badRequest, serverError } from './errors.js';
import { jsonColumnPredicate, type JsonPredicate } from './jsonQuery.js';
import { lookupColumn, type ModelDef } from './models.js';
import type { Row, Table } from './store.js';

export type Comparable = string | number | boolean;

type CompareOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'eqOrNull' | 'gtOrNull' | 'ltOrNull';
type TextOp = 'search' | 'startsWith' | 'endsWith' | 'notContains';

export type Condition =
  | { op: CompareOp; value: Comparable | null }
  | { op: 'in' | 'notIn'; values: ReadonlySet<Comparable> }
  | { op: 'isNull' | 'notNull' }
  | { op: 'between'; start: Comparable | null; end: Comparable | null }
  | { op: TextOp; text: string }
  | { op: 'json'; test: JsonPredicate };

export interface Filter {
  column: string;
  condition: Condition;
}

const OPERATORS = [
  'ObjectID',
  'DateTime',
  'Color',
  'EqualTo',
  'NotEqual',
  'GreaterThan',
  'GreaterThanOrEqual',
  'LessThan',
  'LessThanOrEqual',
  'EqualToOrNull',
  'GreaterThanOrNull',
  'LessThanOrNull',
  'Search',
  'StartsWith',
  'EndsWith',
  'NotContains',
  'IsNull',
  'NotNull',
  'Includes',
  'IncludesNone',
  'InBetween',
] as const;
type Operator = (typeof OPERATORS)[number];
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const isOperator = (value: unknown): value is Operator =>
  typeof value === 'string' && OPERATOR_SET.has(value);

/**
 * A query value in the column's comparable form. Values Postgres would refuse
 * (a malformed uuid or timestamp) are a 500, as upstream.
 */
function queryValue(type: ColumnType, column: string, raw: unknown): Comparable | null {
  const value = unwrap(raw);
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'ObjectID':
      if (!isUuid(value)) throw serverError();
      return value.toLowerCase();
    case 'DateTime': {
      const iso = toIsoInstant(value);
      if (iso === undefined) throw serverError();
      return iso;
    }
    case 'Text':
    case 'Color':
      if (typeof value === 'object') throw badRequest(`Invalid query value for ${column}`);
      return String(value);
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw serverError();
    case 'Number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw serverError();
      return n;
    }
    case 'JSON':
      return JSON.stringify(value);
    default:
      return assertNever(type);
  }
}

/** A stored value in comparable form (JSON columns compare as their text). */
export function rowValue(raw: unknown): Comparable | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return JSON.stringify(raw);
}

export function compareValues(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function valueSet(type: ColumnType, column: string, raw: unknown): Set<Comparable> {
  if (!Array.isArray(raw)) throw badRequest(`Invalid query on ${column}: value should be a list`);
  const values = new Set<Comparable>();
  for (const item of raw) {
    const value = queryValue(type, column, item);
    if (value !== null) values.add(value);
  }
  return values;
}

/** `QueryHelper` lower-cases and trims the text of the four ILIKE helpers (lines 160, 212, 226, 240). */
function searchText(column: string, raw: unknown): string {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    throw badRequest(`Invalid query on ${column}: search value should be a string`);
  }
  return String(raw).toLowerCase().trim();
}

/**
 * `QueryHelper.ts`: `equalTo` / `notEquals` (lines 531, 146); `greaterThan`,
 * `greaterThanEqualTo`, `lessThan`, `lessThanEqualTo` (619, 544, 740, 574);
 * the `…OrNull` forms add `or … IS NULL` (`equalToOrNull` 99–144,
 * `greaterThanOrNull` 634–647, `lessThanOrNull` 589–602); `search`,
 * `startsWith`, `endsWith` are case-insensitive ILIKE `%x%`, `x%`, `%x`
 * (159–251; `%` and `_` in the text act as wildcards there, literally here);
 * `notContains` is `NOT ILIKE %x% OR … IS NULL` (211–223); `isNull` /
 * `notNull` (85–97); `Includes` is IN, `IncludesNone` `NOT IN` (`notIn`,
 * 468–491, every row for an empty list); `inBetween` is `>= and <=` (649–665).
 */
function parseOperator(
  type: ColumnType,
  column: string,
  raw: Record<string, unknown>,
  operator: Operator,
): Condition {
  const value = () => queryValue(type, column, raw.value);
  switch (operator) {
    case 'ObjectID':
    case 'DateTime':
    case 'Color':
    case 'EqualTo':
      return { op: 'eq', value: value() };
    case 'NotEqual':
      return { op: 'ne', value: value() };
    case 'GreaterThan':
      return { op: 'gt', value: value() };
    case 'GreaterThanOrEqual':
      return { op: 'gte', value: value() };
    case 'LessThan':
      return { op: 'lt', value: value() };
    case 'LessThanOrEqual':
      return { op: 'lte', value: value() };
    case 'EqualToOrNull':
      return { op: 'eqOrNull', value: value() };
    case 'GreaterThanOrNull':
      return { op: 'gtOrNull', value: value() };
    case 'LessThanOrNull':
      return { op: 'ltOrNull', value: value() };
    case 'Search':
      return { op: 'search', text: searchText(column, raw.value) };
    case 'StartsWith':
      return { op: 'startsWith', text: searchText(column, raw.value) };
    case 'EndsWith':
      return { op: 'endsWith', text: searchText(column, raw.value) };
    case 'NotContains':
      return { op: 'notContains', text: searchText(column, raw.value) };
    case 'IsNull':
      return { op: 'isNull' };
    case 'NotNull':
      return { op: 'notNull' };
    case 'Includes':
      return { op: 'in', values: valueSet(type, column, raw.value) };
    case 'IncludesNone':
      return { op: 'notIn', values: valueSet(type, column, raw.value) };
    case 'InBetween':
      // Top-level startValue/endValue, as `InBetween.ts` reads them (the docs nest them wrongly).
      return {
        op: 'between',
        start: queryValue(type, column, raw.startValue),
        end: queryValue(type, column, raw.endValue),
      };
    default:
      return assertNever(operator);
  }
}

function parseCondition(type: ColumnType, column: string, raw: unknown): Condition {
  if (raw === null) return { op: 'isNull' };
  if (Array.isArray(raw)) return { op: 'in', values: valueSet(type, column, raw) };
  if (!isPlainObject(raw)) return { op: 'eq', value: queryValue(type, column, raw) };
  if (!isOperator(raw._type)) {
    throw badRequest(`Invalid query on ${column}: unsupported _type ${JSON.stringify(raw._type)}`);
  }
  return parseOperator(type, column, raw, raw._type);
}

export function parseQuery(def: ModelDef, raw: unknown): Filter[] {
  if (raw === undefined || raw === null) return [];
  if (!isPlainObject(raw)) throw badRequest('Invalid query: expected a JSON object');
  return Object.entries(raw).map(([column, value]) => {
    const columnDef = lookupColumn(def, column);
    if (!columnDef) {
      throw badRequest(`Invalid column on ${def.singularName} - ${column}. Column does not exist.`);
    }
    const json = columnDef.type === 'JSON' ? jsonColumnPredicate(column, value) : undefined;
    const condition: Condition = json
      ? { op: 'json', test: json }
      : parseCondition(columnDef.type, column, value);
    return { column, condition };
  });
}

function compareWith(op: CompareOp, v: Comparable | null, value: Comparable | null): boolean {
  if (v === null) return op === 'eqOrNull' || op === 'gtOrNull' || op === 'ltOrNull';
  if (value === null) return false;
  const c = compareValues(v, value);
  switch (op) {
    case 'eq':
    case 'eqOrNull':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'gt':
    case 'gtOrNull':
      return c > 0;
    case 'gte':
      return c >= 0;
    case 'lt':
    case 'ltOrNull':
      return c < 0;
    case 'lte':
      return c <= 0;
    default:
      return assertNever(op);
  }
}

function matchesText(op: TextOp, v: Comparable | null, text: string): boolean {
  if (v === null) return op === 'notContains';
  const haystack = String(v).toLowerCase();
  switch (op) {
    case 'search':
      return haystack.includes(text);
    case 'startsWith':
      return haystack.startsWith(text);
    case 'endsWith':
      return haystack.endsWith(text);
    case 'notContains':
      return !haystack.includes(text);
    default:
      return assertNever(op);
  }
}

function test(condition: Condition, raw: unknown): boolean {
  if (condition.op === 'json') return condition.test(raw);
  const v = rowValue(raw);
  switch (condition.op) {
    case 'isNull':
      return v === null;
    case 'notNull':
      return v !== null;
    case 'in':
      return v !== null && condition.values.has(v);
    case 'notIn':
      if (condition.values.size === 0) return true;
      return v !== null && !condition.values.has(v);
    case 'between':
      return compareWith('gte', v, condition.start) && compareWith('lte', v, condition.end);
    case 'search':
    case 'startsWith':
    case 'endsWith':
    case 'notContains':
      return matchesText(condition.op, v, condition.text);
    default:
      return compareWith(condition.op, v, condition.value);
  }
}

export const matches = (row: Row, filters: readonly Filter[]): boolean =>
  filters.every((filter) => test(filter.condition, row[filter.column]));

/** The values a filter pins `column` to (equality or IN), for an index lookup. */
function pinnedValues(
  filters: readonly Filter[],
  column: string,
): ReadonlySet<Comparable> | undefined {
  for (const { column: name, condition } of filters) {
    if (name !== column) continue;
    if (condition.op === 'in') return condition.values;
    if (condition.op === 'eq' && condition.value !== null) return new Set([condition.value]);
  }
  return undefined;
}

function candidates(table: Table, filters: readonly Filter[]): Iterable<Row> {
  const ids = pinnedValues(filters, '_id');
  if (ids) return [...ids].flatMap((id) => table.get(String(id)) ?? []);
  const incidentIds = pinnedValues(filters, 'incidentId');
  if (incidentIds) return [...incidentIds].flatMap((id) => table.forIncident(String(id)));
  return table.values();
}

/** Rows matching every filter, in no particular order. */
export function findRows(table: Table, filters: readonly Filter[]): Row[] {
  const out: Row[] = [];
  for (const row of candidates(table, filters)) if (matches(row, filters)) out.push(row);
  return out;
}
