/**
 * Filtering, ordering and pagination of ListIncidents (`POST /incidents/incidents/v1`).
 *
 * Page tokens are opaque: base64url of `{o: offset, f: fingerprint}`, where the
 * fingerprint hashes the normalized filter and order, so a token replayed with
 * another query is rejected. `pageSize` may change between pages. The sorted
 * result of a query is cached until the store changes, so walking the pages of
 * one query costs one sort.
 */
import { createHash } from 'node:crypto';
import type { IncidentFieldWire } from '../../upstreams/coralogix/incidents/types.js';
import type { StoredIncident } from './store.js';
import { invalidArgument } from './errors.js';
import type { ListFilter, ListOrderBy, ListQuery, MsRange, SearchTarget } from './list-query.js';
import type { IncidentStore } from './store.js';

export interface ListPage {
  incidents: StoredIncident[];
  totalSize: number;
  nextPageToken?: string;
}

const CACHE_LIMIT = 64;

export class IncidentLister {
  private cache = new Map<string, { version: number; items: StoredIncident[] }>();

  constructor(private readonly store: IncidentStore) {}

  /** Returns the live stored incidents of one page: the caller copies them. */
  page(query: ListQuery): ListPage {
    const fingerprint = fingerprintOf(query);
    const offset = query.pageToken ? decodePageToken(query.pageToken, fingerprint) : 0;
    const items = this.matching(query, fingerprint);
    const end = offset + query.pageSize;
    return {
      incidents: items.slice(offset, end),
      totalSize: items.length,
      nextPageToken: end < items.length ? encodePageToken(end, fingerprint) : undefined,
    };
  }

  /** Every stored incident matching a filter, in store order (live objects). */
  select(filter: ListFilter): StoredIncident[] {
    return this.store.all().filter(compileFilter(filter));
  }

  private matching(query: ListQuery, fingerprint: string): StoredIncident[] {
    const cached = this.cache.get(fingerprint);
    if (cached && cached.version === this.store.version) return cached.items;
    const predicate = compileFilter(query.filter);
    const items = sortIncidents(this.store.all().filter(predicate), query.orderBys);
    this.cache.delete(fingerprint);
    this.cache.set(fingerprint, { version: this.store.version, items });
    if (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return items;
  }
}

// ---------------------------------------------------------------- page tokens

function fingerprintOf(query: ListQuery): string {
  const canonical = JSON.stringify({ filter: query.filter, orderBys: query.orderBys });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodePageToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

export function decodePageToken(token: string, fingerprint: string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidArgument('pagination.pageToken is invalid');
  }
  const { o, f } = (decoded ?? {}) as { o?: unknown; f?: unknown };
  if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0 || typeof f !== 'string') {
    throw invalidArgument('pagination.pageToken is invalid');
  }
  if (f !== fingerprint) {
    throw invalidArgument('pagination.pageToken does not belong to this filter and order');
  }
  return o;
}

// ---------------------------------------------------------------- filtering

export type Predicate = (incident: StoredIncident) => boolean;

/** Every constraint must hold; an empty list or absent field is no constraint. */
export function compileFilter(filter: ListFilter): Predicate {
  const checks: Predicate[] = [];
  const oneOf = <T>(values: T[], read: (incident: StoredIncident) => T | undefined) => {
    if (values.length === 0) return;
    const allowed = new Set(values);
    checks.push((incident) => {
      const value = read(incident);
      return value !== undefined && allowed.has(value);
    });
  };
  oneOf(filter.status, (i) => i.status);
  oneOf(filter.state, (i) => i.state);
  oneOf(filter.severity, (i) => i.severity);
  oneOf(filter.applicationName, (i) => i.contextualLabels.application);
  oneOf(filter.subsystemName, (i) => i.contextualLabels.subsystem);
  for (const [key, values] of filter.contextualLabels)
    oneOf(values, (i) => i.contextualLabels[key]);
  for (const [key, values] of filter.displayLabels) oneOf(values, (i) => i.displayLabels[key]);
  if (filter.assignee.length > 0) checks.push(assignedToAny(new Set(filter.assignee)));
  if (filter.search) checks.push(searchMatches(filter.search.query, filter.search.target));
  if (hasBound(filter.createdAt)) checks.push(createdWithin(filter.createdAt));
  if (filter.activeDuring) checks.push(activeDuring(filter.activeDuring));
  if (filter.isMuted !== undefined) checks.push((i) => (i.isMuted ?? false) === filter.isMuted);
  if (filter.metaLabels.length > 0) checks.push(metaLabelsMatch(filter));
  return (incident) => checks.every((check) => check(incident));
}

function assignedToAny(userIds: Set<string>): Predicate {
  return (incident) =>
    incident.assignments.some(
      (a) => a.assignedTo?.userId !== undefined && userIds.has(a.assignedTo.userId),
    );
}

/** Case-insensitive substring match; `query` is already lower-cased. */
function searchMatches(query: string, target: SearchTarget): Predicate {
  const read = textOf(target);
  return (incident) => (read(incident) ?? '').toLowerCase().includes(query);
}

function hasBound(range: MsRange): boolean {
  return range.fromMs !== undefined || range.toMs !== undefined;
}

function createdWithin(range: MsRange): Predicate {
  return (incident) => inRange(Date.parse(incident.createdAt), range);
}

/** The incident was open at some instant of the range (still open ones are open now). */
function activeDuring(range: MsRange): Predicate {
  return (incident) => {
    const opened = Date.parse(incident.createdAt);
    const closed = incident.closedAt ? Date.parse(incident.closedAt) : Number.POSITIVE_INFINITY;
    return (
      (range.toMs === undefined || opened < range.toMs) &&
      (range.fromMs ?? Number.NEGATIVE_INFINITY) <= closed
    );
  };
}

function inRange(ms: number, range: MsRange): boolean {
  return (
    (range.fromMs === undefined || ms >= range.fromMs) &&
    (range.toMs === undefined || ms < range.toMs)
  );
}

/** A filter label with an empty value matches on the key alone. */
function metaLabelsMatch(filter: ListFilter): Predicate {
  const wanted = filter.metaLabels;
  const all = filter.metaLabelsOp === 'FILTER_OPERATOR_AND';
  return (incident) => {
    const labels = incident.metaLabels ?? [];
    const has = (w: { key: string; value: string }) =>
      labels.some((l) => l.key === w.key && (w.value === '' || l.value === w.value));
    return all ? wanted.every(has) : wanted.some(has);
  };
}

// ---------------------------------------------------------------- ordering

type SortKey = string | number | undefined;

/** Not the enum numbers: LOW (5) was appended after CRITICAL (4). */
const SEVERITY_RANK: Record<string, number> = {
  INCIDENT_SEVERITY_UNSPECIFIED: 0,
  INCIDENT_SEVERITY_LOW: 1,
  INCIDENT_SEVERITY_INFO: 2,
  INCIDENT_SEVERITY_WARNING: 3,
  INCIDENT_SEVERITY_ERROR: 4,
  INCIDENT_SEVERITY_CRITICAL: 5,
};
const STATE_RANK: Record<string, number> = {
  INCIDENT_STATE_UNSPECIFIED: 0,
  INCIDENT_STATE_TRIGGERED: 1,
  INCIDENT_STATE_RESOLVED: 2,
};
const STATUS_RANK: Record<string, number> = {
  INCIDENT_STATUS_UNSPECIFIED: 0,
  INCIDENT_STATUS_TRIGGERED: 1,
  INCIDENT_STATUS_ACKNOWLEDGED: 2,
  INCIDENT_STATUS_RESOLVED: 3,
};

const time = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Date.parse(value);
const lower = (value: string | undefined): string | undefined => value?.toLowerCase();

const FIELD_KEYS: Record<IncidentFieldWire, (incident: StoredIncident) => SortKey> = {
  INCIDENTS_FIELDS_UNSPECIFIED: (i) => time(i.createdAt),
  INCIDENTS_FIELDS_ID: (i) => i.id,
  INCIDENTS_FIELDS_SEVERITY: (i) => SEVERITY_RANK[i.severity],
  INCIDENTS_FIELDS_NAME: (i) => lower(i.name),
  INCIDENTS_FIELDS_CREATED_TIME: (i) => time(i.createdAt),
  INCIDENTS_FIELDS_CLOSED_TIME: (i) => time(i.closedAt),
  INCIDENTS_FIELDS_STATE: (i) => STATE_RANK[i.state],
  INCIDENTS_FIELDS_STATUS: (i) => STATUS_RANK[i.status],
  INCIDENTS_FIELDS_LAST_STATE_UPDATE_TIME: (i) => time(i.lastStateUpdateTime),
  INCIDENTS_FIELDS_APPLICATION_NAME: (i) => lower(i.contextualLabels.application),
  INCIDENTS_FIELDS_SUBSYSTEM_NAME: (i) => lower(i.contextualLabels.subsystem),
  INCIDENTS_FIELDS_DURATION: (i) => Number.parseFloat(i.duration),
};

/** The text a search or a label order reads. */
function textOf(target: SearchTarget): (incident: StoredIncident) => string | undefined {
  if ('contextualLabel' in target) return (i) => i.contextualLabels[target.contextualLabel];
  switch (target.field) {
    case 'INCIDENTS_FIELDS_ID':
      return (i) => i.id;
    case 'INCIDENTS_FIELDS_APPLICATION_NAME':
      return (i) => i.contextualLabels.application;
    case 'INCIDENTS_FIELDS_SUBSYSTEM_NAME':
      return (i) => i.contextualLabels.subsystem;
    default:
      return (i) => i.name;
  }
}

function keyOf(target: SearchTarget): (incident: StoredIncident) => SortKey {
  if ('field' in target) return FIELD_KEYS[target.field];
  const read = textOf(target);
  return (incident) => lower(read(incident));
}

/** No orderBys: newest first (the docs: "sorted by creation time"). */
const DEFAULT_ORDER: ListOrderBy[] = [
  { target: { field: 'INCIDENTS_FIELDS_CREATED_TIME' }, descending: true },
];

/**
 * Sorts by the given keys, then by id ascending so pages are stable. Missing
 * values (e.g. `closedAt` of an open incident) sort last in either direction.
 */
function sortIncidents(incidents: StoredIncident[], orderBys: ListOrderBy[]): StoredIncident[] {
  const order = orderBys.length > 0 ? orderBys : DEFAULT_ORDER;
  const readers = order.map((o) => keyOf(o.target));
  const rows = incidents.map((incident) => ({
    incident,
    keys: readers.map((read) => read(incident)),
  }));
  rows.sort((a, b) => {
    for (let k = 0; k < order.length; k++) {
      const result = compareKeys(a.keys[k], b.keys[k], order[k]?.descending ?? false);
      if (result !== 0) return result;
    }
    return compareKeys(a.incident.id, b.incident.id, false);
  });
  return rows.map((row) => row.incident);
}

function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  const aMissing = a === undefined || Number.isNaN(a);
  const bMissing = b === undefined || Number.isNaN(b);
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const result = a < b ? -1 : a > b ? 1 : 0;
  return descending ? -result : result;
}
