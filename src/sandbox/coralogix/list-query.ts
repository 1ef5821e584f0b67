/**
 * Validation of the ListIncidents request body (`POST /incidents/incidents/v1`)
 * into a normalized query. Anything malformed is an INVALID_ARGUMENT (400, code 3). Unknown
 * fields are ignored, as grpc-gateway's protojson (`DiscardUnknown`) does;
 * `null` counts as absent.
 */
import {
  INCIDENT_FIELDS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
  ORDER_BY_DIRECTIONS,
  type FilterOperatorWire,
  type IncidentFieldWire,
  type IncidentSeverityWire,
  type IncidentStateWire,
  type IncidentStatusWire,
  type MetaLabel,
} from '../../upstreams/coralogix/incidents/types.js';
import { isPlainObject } from '../http.js';
import { invalidArgument } from './errors.js';

/**
 * `pagination.pageSize`: `incidents.v1.PaginationRequest` in
 * coralogix/coralogix-management-sdk 4464b2b30c488f99af4cbae425c887a56cfa38bd
 * `go/openapi/gen/incidents_service/api/openapi.yaml` (lines 4198–4226)
 * requires it inside `pagination` and bounds it 1..10000; the event feed's
 * description (line 324) calls its own 1000 an exception to that "shared
 * maximum of 10000". coralogix/cx-api-docs
 * e509de6b385d617352fd6b8af04440d60d7cf604 `openapi_v5.yaml` (line 53398)
 * gives the same schema with no bound. The page size when `pagination` is
 * absent is documented nowhere: 10, the schema's example, is UNCONFIRMED.
 */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 10_000;

export const FILTER_OPERATORS = [
  'FILTER_OPERATOR_OR_OR_UNSPECIFIED',
  'FILTER_OPERATOR_AND',
] as const;
/** Fields a `searchQuery.incidentField` may name; the others make no sense as text search. */
const SEARCHABLE_FIELDS = new Set<IncidentFieldWire>([
  'INCIDENTS_FIELDS_UNSPECIFIED',
  'INCIDENTS_FIELDS_ID',
  'INCIDENTS_FIELDS_NAME',
  'INCIDENTS_FIELDS_APPLICATION_NAME',
  'INCIDENTS_FIELDS_SUBSYSTEM_NAME',
]);

export type SearchTarget = { field: IncidentFieldWire } | { contextualLabel: string };

/** Half-open millisecond interval `[fromMs, toMs)`; a missing bound is open. */
export interface MsRange {
  fromMs?: number;
  toMs?: number;
}

export interface ListFilter {
  status: IncidentStatusWire[];
  state: IncidentStateWire[];
  severity: IncidentSeverityWire[];
  assignee: string[];
  applicationName: string[];
  subsystemName: string[];
  search?: { query: string; target: SearchTarget };
  createdAt: MsRange;
  activeDuring?: MsRange;
  isMuted?: boolean;
  metaLabels: MetaLabel[];
  metaLabelsOp: FilterOperatorWire;
  contextualLabels: Array<[string, string[]]>;
  displayLabels: Array<[string, string[]]>;
}

export interface ListOrderBy {
  target: SearchTarget;
  descending: boolean;
}

export interface ListQuery {
  filter: ListFilter;
  orderBys: ListOrderBy[];
  pageSize: number;
  pageToken?: string;
}

/** A filter that matches every incident. */
export function emptyFilter(): ListFilter {
  return {
    status: [],
    state: [],
    severity: [],
    assignee: [],
    applicationName: [],
    subsystemName: [],
    createdAt: {},
    metaLabels: [],
    metaLabelsOp: 'FILTER_OPERATOR_OR_OR_UNSPECIFIED',
    contextualLabels: [],
    displayLabels: [],
  };
}

export function parseListQuery(body: unknown): ListQuery {
  const request = requireObject(body, 'request body');
  const pagination = optionalObject(request.pagination, 'pagination');
  return {
    filter: parseFilter(optionalObject(request.filter, 'filter') ?? {}),
    orderBys: parseOrderBys(request.orderBys),
    pageSize: pagination ? parsePageSize(pagination.pageSize) : DEFAULT_PAGE_SIZE,
    pageToken: pagination
      ? optionalString(pagination.pageToken, 'pagination.pageToken')
      : undefined,
  };
}

/** An `IncidentQueryFilter` object (the list's, and GetFilterValues') as a normalized filter. */
export function parseFilter(raw: Record<string, unknown>): ListFilter {
  const search = optionalObject(raw.searchQuery, 'filter.searchQuery');
  const durationRange = optionalObject(raw.incidentDurationRange, 'filter.incidentDurationRange');
  const isMuted = raw.isMuted ?? undefined;
  if (isMuted !== undefined && typeof isMuted !== 'boolean') {
    throw invalidArgument('filter.isMuted must be a boolean');
  }
  return {
    status: enumList(raw.status, INCIDENT_STATUSES, 'filter.status'),
    state: enumList(raw.state, INCIDENT_STATES, 'filter.state'),
    severity: enumList(raw.severity, INCIDENT_SEVERITIES, 'filter.severity'),
    assignee: stringList(raw.assignee, 'filter.assignee'),
    applicationName: stringList(raw.applicationName, 'filter.applicationName'),
    subsystemName: stringList(raw.subsystemName, 'filter.subsystemName'),
    search: search && parseSearch(search),
    createdAt: parseCreatedAt(raw),
    activeDuring: durationRange && timeRange(durationRange, 'filter.incidentDurationRange'),
    isMuted,
    metaLabels: parseMetaLabels(raw.metaLabels),
    metaLabelsOp: enumValue(raw.metaLabelsOp, FILTER_OPERATORS, 'filter.metaLabelsOp'),
    contextualLabels: labelValues(
      raw.contextualLabels,
      'contextualLabelValues',
      'filter.contextualLabels',
    ),
    displayLabels: labelValues(raw.displayLabels, 'displayLabelValues', 'filter.displayLabels'),
  };
}

/** `createdAtRange` and the deprecated top-level `startTime`/`endTime` both apply. */
function parseCreatedAt(raw: Record<string, unknown>): MsRange {
  const range = optionalObject(raw.createdAtRange, 'filter.createdAtRange');
  const fromRange = range ? timeRange(range, 'filter.createdAtRange') : {};
  const start = raw.startTime == null ? undefined : timestamp(raw.startTime, 'filter.startTime');
  const end = raw.endTime == null ? undefined : timestamp(raw.endTime, 'filter.endTime');
  return {
    fromMs: maxDefined(fromRange.fromMs, start),
    toMs: minDefined(fromRange.toMs, end),
  };
}

function parseSearch(raw: Record<string, unknown>): ListFilter['search'] {
  const query = optionalString(raw.query, 'filter.searchQuery.query') ?? '';
  const target = parseTarget(raw, 'filter.searchQuery');
  if ('field' in target && !SEARCHABLE_FIELDS.has(target.field)) {
    throw invalidArgument(`filter.searchQuery cannot search ${target.field}`);
  }
  return query === '' ? undefined : { query: query.toLowerCase(), target };
}

/** The `incidentField | contextualLabel` oneof; neither set means UNSPECIFIED. */
function parseTarget(raw: Record<string, unknown>, path: string): SearchTarget {
  const label = optionalString(raw.contextualLabel, `${path}.contextualLabel`);
  const hasField = raw.incidentField != null;
  if (label !== undefined && hasField) {
    throw invalidArgument(`${path}: set only one of incidentField and contextualLabel`);
  }
  if (label !== undefined) return { contextualLabel: label };
  return { field: enumValue(raw.incidentField, INCIDENT_FIELDS, `${path}.incidentField`) };
}

function parseOrderBys(raw: unknown): ListOrderBy[] {
  if (raw == null) return [];
  if (!Array.isArray(raw)) throw invalidArgument('orderBys must be an array');
  return raw.map((item, i) => {
    const orderBy = requireObject(item, `orderBys[${i}]`);
    const direction = enumValue(orderBy.direction, ORDER_BY_DIRECTIONS, `orderBys[${i}].direction`);
    return {
      target: parseTarget(orderBy, `orderBys[${i}]`),
      descending: direction === 'ORDER_BY_DIRECTION_DESC',
    };
  });
}

function parsePageSize(raw: unknown): number {
  // protojson accepts a UInt32Value as a number or a decimal string.
  const size = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (size == null) throw invalidArgument('pagination.pageSize is required');
  if (typeof size !== 'number' || !Number.isInteger(size)) {
    throw invalidArgument('pagination.pageSize must be an integer');
  }
  if (size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`pagination.pageSize must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

function parseMetaLabels(raw: unknown): MetaLabel[] {
  if (raw == null) return [];
  if (!Array.isArray(raw)) throw invalidArgument('filter.metaLabels must be an array');
  return raw.map((item, i) => {
    const label = requireObject(item, `filter.metaLabels[${i}]`);
    return {
      key: optionalString(label.key, `filter.metaLabels[${i}].key`) ?? '',
      value: optionalString(label.value, `filter.metaLabels[${i}].value`) ?? '',
    };
  });
}

/** `{"<label>": {"<valuesField>": ["v", …]}}`; labels with no values are dropped. */
function labelValues(raw: unknown, valuesField: string, path: string): Array<[string, string[]]> {
  const labels = optionalObject(raw, path);
  if (!labels) return [];
  const out: Array<[string, string[]]> = [];
  for (const [key, entry] of Object.entries(labels)) {
    const values = stringList(
      requireObject(entry, `${path}.${key}`)[valuesField],
      `${path}.${key}.${valuesField}`,
    );
    if (values.length > 0) out.push([key, values]);
  }
  return out;
}

function timeRange(raw: Record<string, unknown>, path: string): MsRange {
  if (raw.startTime == null || raw.endTime == null) {
    throw invalidArgument(`${path} needs both startTime and endTime`);
  }
  return {
    fromMs: timestamp(raw.startTime, `${path}.startTime`),
    toMs: timestamp(raw.endTime, `${path}.endTime`),
  };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export function timestamp(raw: unknown, path: string): number {
  const ms = typeof raw === 'string' && RFC3339.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw invalidArgument(`${path} must be an RFC 3339 timestamp`);
  return ms;
}

export function enumValue<T extends string>(raw: unknown, allowed: readonly T[], path: string): T {
  if (raw == null) return allowed[0] as T;
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  throw invalidArgument(`${path}: invalid value ${JSON.stringify(raw)}`);
}

export function enumList<T extends string>(raw: unknown, allowed: readonly T[], path: string): T[] {
  if (raw == null) return [];
  if (!Array.isArray(raw)) throw invalidArgument(`${path} must be an array`);
  return raw.map((item, i) => {
    if (item == null) throw invalidArgument(`${path}[${i}]: invalid value null`);
    return enumValue(item, allowed, `${path}[${i}]`);
  });
}

function stringList(raw: unknown, path: string): string[] {
  if (raw == null) return [];
  if (!Array.isArray(raw) || !raw.every((item) => typeof item === 'string')) {
    throw invalidArgument(`${path} must be an array of strings`);
  }
  return raw as string[];
}

function optionalString(raw: unknown, path: string): string | undefined {
  if (raw == null) return undefined;
  if (typeof raw !== 'string') throw invalidArgument(`${path} must be a string`);
  return raw;
}

function optionalObject(raw: unknown, path: string): Record<string, unknown> | undefined {
  return raw == null ? undefined : requireObject(raw, path);
}

export function requireObject(raw: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(raw)) throw invalidArgument(`${path} must be a JSON object`);
  return raw;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
