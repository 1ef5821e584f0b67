/**
 * Ordering and pagination of ListCases (`POST /cases/cases/v1`, S1
 * `specs/cases_service.json` at 4464b2b3).
 *
 * From the spec: one order field only (`CaseOrderBy`); without one, "cases
 * are sorted by creation time and id in descending order"; `pageSize` 1–1000,
 * `pageToken` opaque (1–4096; the spec's example decodes to
 * "timestamp,uuid", a keyset cursor), `skip` 0–1,000,000; the answer carries
 * only `pagination.nextPageToken`, no total.
 *
 * Sandbox readings (UNCONFIRMED, docs/sandbox.md): ties on the order field
 * are broken by creation time, then id, in the same direction; an
 * UNSPECIFIED direction is descending; `pageSize` is 10 when absent (the
 * spec's example value); PRIORITY descending puts P1 first (the spec's
 * example: "sort by priority in descending order to show highest priority
 * cases first"); STATUS and CATEGORY follow the enum order; `skip` counts
 * from the token's position. The token is a keyset cursor (the last case's
 * sort key) bound to the filter and order it came from: a token replayed
 * with another query is a 400. Cases changed between pages move as their
 * keys say, as with a real cursor.
 */
import { createHash } from 'node:crypto';
import {
  CASE_CATEGORIES,
  CASE_LIMITS,
  CASE_ORDER_BY_DIRECTIONS,
  CASE_ORDER_BY_FIELDS,
  CASE_PRIORITIES,
  CASE_STATUSES,
  type CaseOrderByFieldWire,
} from '../../../upstreams/coralogix/cases/types.js';
import { invalidArgument } from '../errors.js';
import { enumValue, requireObject } from '../list-query.js';
import { parseFilters, type CaseFilter } from './filters.js';
import { compileFilters } from './match.js';
import { int64 } from './request.js';
import { durationMs, type CaseRecord, type CaseStore } from './store.js';

export const DEFAULT_CASES_PAGE_SIZE = 10;

export interface CaseListQuery {
  filter: CaseFilter;
  field: CaseOrderByFieldWire;
  descending: boolean;
  pageSize: number;
  pageToken?: string;
  skip: number;
}

export interface CasePage {
  records: CaseRecord[];
  nextPageToken?: string;
}

export function parseListCases(body: Record<string, unknown>): CaseListQuery {
  const order = body.orderBy == null ? {} : requireObject(body.orderBy, 'orderBy');
  const pagination = body.pagination == null ? {} : requireObject(body.pagination, 'pagination');
  const token = pagination.pageToken;
  if (
    token != null &&
    (typeof token !== 'string' || token.length < 1 || token.length > CASE_LIMITS.maxPageTokenLength)
  ) {
    throw invalidArgument(
      `pagination.pageToken must be 1 to ${CASE_LIMITS.maxPageTokenLength} characters`,
    );
  }
  const direction = enumValue(order.direction, CASE_ORDER_BY_DIRECTIONS, 'orderBy.direction');
  return {
    filter: parseFilters(body.filters),
    field: enumValue(order.field, CASE_ORDER_BY_FIELDS, 'orderBy.field'),
    descending: direction !== 'CASE_ORDER_BY_DIRECTION_ASCENDING',
    pageSize:
      int64(pagination.pageSize, 'pagination.pageSize', 1, CASE_LIMITS.maxPageSize) ??
      DEFAULT_CASES_PAGE_SIZE,
    pageToken: token ?? undefined,
    skip: int64(pagination.skip, 'pagination.skip', 0, CASE_LIMITS.maxSkip) ?? 0,
  };
}

type Key = [number, number, string];

const rank = (values: readonly string[]) => (value: string) => Math.max(0, values.indexOf(value));
const statusRank = rank(CASE_STATUSES);
const categoryRank = rank(CASE_CATEGORIES);
/** P1 highest: UNSPECIFIED 0, P5 1 … P1 5. */
const priorityRank = (value: string) => {
  const index = CASE_PRIORITIES.indexOf(value as (typeof CASE_PRIORITIES)[number]);
  return index <= 0 ? 0 : CASE_PRIORITIES.length - index;
};

function primary(field: CaseOrderByFieldWire, nowMs: number): (r: CaseRecord) => number {
  switch (field) {
    case 'CASE_ORDER_BY_FIELD_PRIORITY':
      return (r) => priorityRank(r.case.priority);
    case 'CASE_ORDER_BY_FIELD_STATUS':
      return (r) => statusRank(r.case.status);
    case 'CASE_ORDER_BY_FIELD_CATEGORY':
      return (r) => categoryRank(r.case.category);
    case 'CASE_ORDER_BY_FIELD_UPDATED_AT':
      return (r) => Date.parse(r.case.updateTime ?? r.case.createTime);
    case 'CASE_ORDER_BY_FIELD_DURATION':
      return (r) => durationMs(r, nowMs);
    case 'CASE_ORDER_BY_FIELD_CREATED_AT':
    case 'CASE_ORDER_BY_FIELD_UNSPECIFIED':
      return (r) => Date.parse(r.case.createTime);
    default: {
      const never: never = field;
      throw new Error(`unknown order field ${String(never)}`);
    }
  }
}

function compare(a: Key, b: Key, descending: boolean): number {
  const sign = descending ? -1 : 1;
  for (let i = 0; i < 3; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x !== y) return (x < y ? -1 : 1) * sign;
  }
  return 0;
}

function fingerprint(query: CaseListQuery): string {
  return createHash('sha256')
    .update(JSON.stringify([query.filter, query.field, query.descending]))
    .digest('base64url')
    .slice(0, 16);
}

function encodeToken(key: Key, print: string): string {
  return Buffer.from(JSON.stringify({ k: key, f: print })).toString('base64url');
}

function decodeToken(token: string, print: string): Key {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidArgument('pagination.pageToken is invalid');
  }
  const { k, f } = (decoded ?? {}) as { k?: unknown; f?: unknown };
  const valid =
    Array.isArray(k) &&
    k.length === 3 &&
    typeof k[0] === 'number' &&
    typeof k[1] === 'number' &&
    typeof k[2] === 'string' &&
    typeof f === 'string';
  if (!valid) throw invalidArgument('pagination.pageToken is invalid');
  if (f !== print) {
    throw invalidArgument('pagination.pageToken does not belong to these filters and order');
  }
  return k as Key;
}

/** The matching cases in order, as sort keys beside the live records. */
export function sortedCases(store: CaseStore, query: CaseListQuery, nowMs: number) {
  const predicate = compileFilters(query.filter);
  const read = primary(query.field, nowMs);
  return store
    .all()
    .filter(predicate)
    .map((record): { record: CaseRecord; key: Key } => ({
      record,
      key: [read(record), Date.parse(record.case.createTime), record.case.id],
    }))
    .sort((a, b) => compare(a.key, b.key, query.descending));
}

/** One page of live records: the caller copies them. */
export function listCases(store: CaseStore, query: CaseListQuery, nowMs: number): CasePage {
  const print = fingerprint(query);
  const rows = sortedCases(store, query, nowMs);
  let start = 0;
  if (query.pageToken !== undefined) {
    const after = decodeToken(query.pageToken, print);
    start = rows.findIndex((row) => compare(row.key, after, query.descending) > 0);
    if (start < 0) start = rows.length;
  }
  start += query.skip;
  const page = rows.slice(start, start + query.pageSize);
  const last = page.at(-1);
  const more = start + query.pageSize < rows.length;
  return {
    records: page.map((row) => row.record),
    nextPageToken: more && last ? encodeToken(last.key, print) : undefined,
  };
}
