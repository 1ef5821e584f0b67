/**
 * The query string of `GET /incidents/events/v1` and `…/all/count`: the
 * object-valued parameters `filter`, `pagination` and `order_by`
 * (openapi_v5.yaml e509de6 lines 8624–8760; the spec does not say how an
 * object goes into a query string). The emulator accepts exactly what the
 * vendor's generated Go client sends (coralogix-management-sdk 4464b2b3,
 * `go/openapi/gen/incidents_service/client.go` `parameterAddToHeaderOrQuery`,
 * style "form"): each object field as `name[field]`, nested objects as
 * `name[a][b]`, a list as the same key repeated, a list of objects as its
 * fields' keys repeated in list order (`filter[labels][metaLabels][key]=…`
 * paired by position with `…[value]=…`), times as RFC 3339. Anything else —
 * gRPC-gateway's dotted `filter.status=…`, a bare `filter=…`, an unknown
 * field — is refused with 400, so a client encoding otherwise fails loudly
 * here. (The gateway's encoder is `src/upstreams/coralogix/queryParams.ts`.)
 */
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  ORDER_BY_DIRECTIONS,
} from '../../upstreams/coralogix/incidents/types.js';
import { invalidArgument } from './errors.js';
import {
  FILTER_OPERATORS,
  emptyFilter,
  enumList,
  enumValue,
  timestamp,
  type ListFilter,
  type MsRange,
} from './list-query.js';

/** "This request accepts at most 1000 items per page, and defaults to 100" (the SDK's doc comment). */
export const EVENTS_DEFAULT_PAGE_SIZE = 100;
export const EVENTS_MAX_PAGE_SIZE = 1000;
/** proto `IncidentEventOrderByFieldType`: the only value. */
const ORDER_FIELDS = ['INCIDENT_EVENT_ORDER_BY_FIELD_TYPE_TIMESTAMP_OR_UNSPECIFIED'] as const;

export interface EventFilter {
  /** The incident-level conditions, as the incidents list applies them. */
  incidents: ListFilter;
  /** `name`: the incident's (alert's) name, matched exactly (an assumption: the spec says only "The name of the incident"). */
  name?: string;
  /** `timestamp`: half-open `[startTime, endTime)` on the event's instant. */
  timestamp?: MsRange;
}

export interface EventQuery {
  filter: EventFilter;
  pageSize: number;
  pageToken?: string;
  /** `order_by[direction]`; UNSPECIFIED means newest first (an assumption, as for incidents). */
  descending: boolean;
}

type Tree = Map<string, Tree | string[]>;

const PARAM = /^([a-z_]+)((?:\[[^[\]]+\])*)$/i;
const SEGMENT = /\[([^[\]]+)\]/g;

/** `name[a][b]=v` pairs → one tree per parameter name; a leaf holds every value sent for it. */
export function decodeObjectParams(
  query: URLSearchParams,
  names: readonly string[],
): Map<string, Tree> {
  const roots = new Map<string, Tree>();
  for (const [key, value] of query) {
    const match = PARAM.exec(key);
    const root = match?.[1];
    if (!match || !root || !names.includes(root)) {
      throw invalidArgument(`unknown query parameter "${key}"`);
    }
    const path = [...(match[2] ?? '').matchAll(SEGMENT)].map((m) => m[1] as string);
    if (path.length === 0) throw invalidArgument(`${root} is an object: send ${root}[field]=…`);
    let node = roots.get(root) ?? new Map<string, Tree | string[]>();
    roots.set(root, node);
    for (const segment of path.slice(0, -1)) {
      const next = node.get(segment) ?? new Map<string, Tree | string[]>();
      if (Array.isArray(next)) throw invalidArgument(`${key}: ${segment} is not an object`);
      node.set(segment, next);
      node = next;
    }
    const leaf = path.at(-1) as string;
    const values = node.get(leaf) ?? [];
    if (!Array.isArray(values)) throw invalidArgument(`${key}: ${leaf} is an object`);
    values.push(value);
    node.set(leaf, values);
  }
  return roots;
}

/** Typed reads of one object of the tree, naming the parameter path in every error. */
class Params {
  constructor(
    private readonly tree: Tree,
    private readonly path: string,
  ) {}

  keys(): string[] {
    return [...this.tree.keys()];
  }

  only(allowed: readonly string[]): this {
    for (const key of this.tree.keys()) {
      if (!allowed.includes(key)) throw invalidArgument(`${this.at(key)}: unknown field`);
    }
    return this;
  }

  strings(key: string): string[] {
    const value = this.tree.get(key);
    if (value instanceof Map)
      throw invalidArgument(`${this.at(key)} must be a value, not an object`);
    return value ?? [];
  }

  string(key: string): string | undefined {
    const values = this.strings(key);
    if (values.length > 1)
      throw invalidArgument(`${this.at(key)} was given ${values.length} times`);
    return values[0];
  }

  object(key: string): Params | undefined {
    const value = this.tree.get(key);
    if (value === undefined) return undefined;
    if (!(value instanceof Map))
      throw invalidArgument(`${this.at(key)} is an object: send its fields`);
    return new Params(value, this.at(key));
  }

  at(key: string): string {
    return `${this.path}[${key}]`;
  }
}

export function parseEventQuery(query: URLSearchParams, withPaging: boolean): EventQuery {
  const names = withPaging ? ['filter', 'pagination', 'order_by'] : ['filter'];
  const roots = decodeObjectParams(query, names);
  const param = (name: string) => {
    const tree = roots.get(name);
    return tree ? new Params(tree, name) : undefined;
  };
  const pagination = param('pagination')?.only(['pageSize', 'pageToken']);
  const orderBy = param('order_by')?.only(['field', 'direction']);
  if (orderBy) enumValue(orderBy.string('field'), ORDER_FIELDS, orderBy.at('field'));
  const direction = enumValue(
    orderBy?.string('direction'),
    ORDER_BY_DIRECTIONS,
    'order_by[direction]',
  );
  const pageToken = pagination?.string('pageToken');
  return {
    filter: parseEventFilter(param('filter')),
    pageSize: parsePageSize(pagination?.string('pageSize')),
    ...(pageToken ? { pageToken } : {}),
    descending: direction !== 'ORDER_BY_DIRECTION_ASC',
  };
}

function parsePageSize(raw: string | undefined): number {
  if (raw === undefined) return EVENTS_DEFAULT_PAGE_SIZE;
  const size = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(size) || size < 1 || size > EVENTS_MAX_PAGE_SIZE) {
    throw invalidArgument(`pagination[pageSize] must be between 1 and ${EVENTS_MAX_PAGE_SIZE}`);
  }
  return size;
}

function parseEventFilter(filter: Params | undefined): EventFilter {
  const incidents = emptyFilter();
  if (!filter) return { incidents };
  filter.only([
    'status',
    'severity',
    'name',
    'isMuted',
    'timestamp',
    'labels',
    'contextualLabels',
    'displayLabels',
  ]);
  incidents.status = enumList(filter.strings('status'), INCIDENT_STATUSES, filter.at('status'));
  incidents.severity = enumList(
    filter.strings('severity'),
    INCIDENT_SEVERITIES,
    filter.at('severity'),
  );
  const muted = filter.string('isMuted');
  if (muted !== undefined && muted !== 'true' && muted !== 'false') {
    throw invalidArgument(`${filter.at('isMuted')} must be true or false`);
  }
  if (muted !== undefined) incidents.isMuted = muted === 'true';
  const labels = filter.object('labels')?.only(['metaLabels', 'operator']);
  if (labels) {
    incidents.metaLabels = metaLabels(labels.object('metaLabels'));
    incidents.metaLabelsOp = enumValue(
      labels.string('operator'),
      FILTER_OPERATORS,
      labels.at('operator'),
    );
  }
  incidents.contextualLabels = labelValues(
    filter.object('contextualLabels'),
    'contextualLabelValues',
  );
  incidents.displayLabels = labelValues(filter.object('displayLabels'), 'displayLabelValues');
  const out: EventFilter = { incidents };
  const name = filter.string('name');
  if (name !== undefined) out.name = name;
  const range = filter.object('timestamp')?.only(['startTime', 'endTime']);
  if (range) {
    const [start, end] = [range.string('startTime'), range.string('endTime')];
    // proto TimeRange: both ends are required.
    if (start === undefined || end === undefined) {
      throw invalidArgument('filter[timestamp] needs both startTime and endTime');
    }
    out.timestamp = {
      fromMs: timestamp(start, range.at('startTime')),
      toMs: timestamp(end, range.at('endTime')),
    };
  }
  return out;
}

/** A list of `{key, value}` objects: its fields' values repeated, paired by position. */
function metaLabels(list: Params | undefined): ListFilter['metaLabels'] {
  if (!list) return [];
  list.only(['key', 'value']);
  const keys = list.strings('key');
  const values = list.strings('value');
  if (keys.length !== values.length) {
    throw invalidArgument(`${list.at('key')} and ${list.at('value')} must be given as often`);
  }
  return keys.map((key, i) => ({ key, value: values[i] as string }));
}

function labelValues(labels: Params | undefined, field: string): Array<[string, string[]]> {
  if (!labels) return [];
  return labels
    .keys()
    .map((key): [string, string[]] => [key, labels.object(key)?.only([field]).strings(field) ?? []])
    .filter(([, values]) => values.length > 0);
}
