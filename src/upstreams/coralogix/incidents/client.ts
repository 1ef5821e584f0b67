/**
 * Typed methods over the Coralogix Incidents REST API, v5 path family
 * (`<base>/incidents/incidents/v1…`, base `…/mgmt/openapi/5`,
 * `Authorization: Bearer <key>`). Paths, methods and query parameter names
 * as the vendor's generated client sends them
 * (coralogix/coralogix-management-sdk
 * `go/openapi/gen/incidents_service/api_incidents_service.go` at 4464b2b3)
 * and cx-api-docs `openapi_v5.yaml` (e509de6) documents them. Returns wire types.
 */
import { badResponse } from '../../../errors.js';
import type { CallOptions, HttpUpstream } from '../../http.js';
import {
  createCoralogixHttp,
  nullWhenMissing,
  readCount,
  type CoralogixHttpOptions,
  type Warn,
} from '../http.js';
import { isObject, mismatch, type Shape } from '../../shape.js';
import { createChecker } from './check.js';
import {
  readFilterValues,
  type EventFeed,
  type FilterValues,
  type IncidentEventQueryFilter,
  type ListIncidentEventsRequest,
} from './eventTypes.js';
import { encodeObjectParams } from '../queryParams.js';
import { FILTERS_VALUES, type FiltersValuesWire } from './resources.js';
import type {
  AssignIncidentsRequest,
  BatchGetIncidentsResponse,
  Incident,
  IncidentQueryFilter,
  ListIncidentsRequest,
  ListIncidentsResponse,
} from './types.js';

export const INCIDENTS_PATH = '/incidents/incidents/v1';
export const EVENTS_PATH = '/incidents/events/v1';
export const FILTER_VALUES_PATH = '/incidents/filter-values/v1';

/**
 * Longest query string one batch get sends: ids go in the URL (`?ids=a&ids=b`),
 * and common proxies refuse URLs over 8 KB. 100 UUIDs take about 4.1 KB.
 */
export const MAX_QUERY_CHARS = 4_096;

export type { CallOptions } from '../../http.js';

/** The writes that take `{incidentIds}` and answer `{incidents}`, by their v5 path. */
const ACTION_PATHS = {
  acknowledge: `${INCIDENTS_PATH}/all/acknowledge`,
  resolve: `${INCIDENTS_PATH}/all/resolve`,
  close: `${INCIDENTS_PATH}/all/closed`,
} as const;
export type IncidentAction = keyof typeof ACTION_PATHS | 'unassign';

/**
 * The transport to use (shared with the cases client: one Pool for the one
 * Coralogix host), or the options to make one of its own.
 */
export type CoralogixClientOptions = ({ http: HttpUpstream } | CoralogixHttpOptions) & {
  /** Called when an answer is readable but not quite as documented (logged as a warning). */
  onWarning?: Warn;
};

export class CoralogixClient {
  private readonly http: HttpUpstream;
  private readonly warn: NonNullable<CoralogixClientOptions['onWarning']>;
  private readonly check: ReturnType<typeof createChecker>;

  constructor(options: CoralogixClientOptions) {
    const { onWarning, ...transport } = options;
    this.warn = onWarning ?? (() => undefined);
    this.check = createChecker(this.warn);
    this.http = 'http' in transport ? transport.http : createCoralogixHttp(transport);
  }

  /**
   * Many incidents by id (`GET …/incidents/v1?ids=a&ids=b`), chunked so no URL
   * grows past MAX_QUERY_CHARS, chunks in parallel. Keys of the answer are
   * lower-cased: Coralogix ids are UUIDs, matched case-insensitively.
   */
  async batchGet(ids: readonly string[], call: CallOptions): Promise<BatchGetIncidentsResponse> {
    const parts = await Promise.all(
      chunkByLength(ids, 'ids').map((chunk) => this.batchGetChunk(chunk, call)),
    );
    const merged: BatchGetIncidentsResponse = { incidents: byId(), notFoundIds: [] };
    for (const part of parts) {
      Object.assign(merged.incidents, part.incidents);
      merged.notFoundIds.push(...part.notFoundIds);
    }
    return merged;
  }

  async list(request: ListIncidentsRequest, call: CallOptions): Promise<ListIncidentsResponse> {
    const body = await this.http.send('POST', INCIDENTS_PATH, call, {
      body: request,
      idempotent: true,
    });
    const problem = mismatch(body, LIST_SHAPE);
    if (problem || !isObject(body))
      throw badResponse('coralogix', `list: ${problem ?? 'not an object'}`);
    // protojson omits an empty list and a zero count, but the server always sets `pagination`.
    if (!isObject(body.pagination)) throw badResponse('coralogix', 'list without pagination');
    const incidents = Array.isArray(body.incidents) ? body.incidents : [];
    const { totalSize, nextPageToken } = body.pagination as {
      totalSize?: number | string;
      nextPageToken?: string;
    };
    return {
      incidents: incidents.map((incident) => this.checkIncident(incident)),
      pagination: {
        totalSize: readCount(totalSize, 'list totalSize'),
        ...(nextPageToken ? { nextPageToken } : {}),
      },
    };
  }

  /** `POST …/all/by-user` `{incidentIds, assignedTo: {userId}}`. */
  assign(request: AssignIncidentsRequest, call: CallOptions): Promise<Incident[]> {
    return this.write('POST', `${INCIDENTS_PATH}/all/by-user`, { body: request }, call);
  }

  /**
   * Unassign is `DELETE …/all/by-user?incident_ids=a&incident_ids=b` with no
   * body; the others `POST …/all/<action>` `{incidentIds}`. Writes are never
   * chunked (a half-applied write could not be reported): callers send ≤ 100 ids.
   */
  act(action: IncidentAction, incidentIds: string[], call: CallOptions): Promise<Incident[]> {
    if (action === 'unassign') {
      const query = incidentIds.map((id): [string, string] => ['incident_ids', id]);
      return this.write('DELETE', `${INCIDENTS_PATH}/all/by-user`, { query }, call);
    }
    return this.write('POST', ACTION_PATHS[action], { body: { incidentIds } }, call);
  }

  /** Closes the Coralogix transport (shared with the cases client when it was given one). */
  close(): Promise<void> {
    return this.http.close();
  }

  /** An incident as resolvers may trust it (see `check.ts`). */
  checkIncident(value: unknown): Incident {
    return this.check.incident(value);
  }

  /**
   * One page of the cross-incident event feed (`GET /incidents/events/v1`);
   * `filter`, `pagination` and `order_by` go in the query string as
   * `encodeObjectParams` writes them. `totalSize` only when Coralogix sent it.
   */
  async listEvents(request: ListIncidentEventsRequest, call: CallOptions): Promise<EventFeed> {
    const body = await this.http.send('GET', EVENTS_PATH, call, {
      query: encodeObjectParams({ ...request }),
      idempotent: true,
    });
    if (!isObject(body)) throw badResponse('coralogix', 'event list: not an object');
    const problem = mismatch(body, EVENT_LIST_SHAPE);
    if (problem) throw badResponse('coralogix', `event list: ${problem}`);
    // protojson omits an empty list; `pagination` is optional in the spec.
    const items = Array.isArray(body.items) ? body.items : [];
    const pagination = isObject(body.pagination) ? body.pagination : {};
    const { totalSize, nextPageToken } = pagination as {
      totalSize?: unknown;
      nextPageToken?: string;
    };
    return {
      items: items.map((item) => this.check.eventItem(item)),
      ...(totalSize === undefined
        ? {}
        : { totalSize: readCount(totalSize, 'event list totalSize') }),
      ...(nextPageToken ? { nextPageToken } : {}),
    };
  }

  /** `GET /incidents/events/v1/all/count`: `count` is a uint64, a numeric string in JSON. */
  async countEvents(filter: IncidentEventQueryFilter, call: CallOptions): Promise<number> {
    const body = await this.http.send('GET', `${EVENTS_PATH}/all/count`, call, {
      query: encodeObjectParams({ filter }),
      idempotent: true,
    });
    return readCount(isObject(body) ? body.count : undefined, 'event count');
  }

  /**
   * `GET /incidents/events/v1/{event_id}` (GetIncidentByEventId): the incident
   * of an event, by the event's `cxEventKey` ("related alert event id"); null
   * when Coralogix has no incident for it (404 naming the record).
   */
  incidentByEvent(cxEventKey: string, call: CallOptions): Promise<Incident | null> {
    return nullWhenMissing(async () => {
      const body = await this.http.send(
        'GET',
        `${EVENTS_PATH}/${encodeURIComponent(cxEventKey)}`,
        call,
        // The key is Coralogix's, of no documented shape: labelled as an id whatever it holds.
        { idempotent: true, route: `${EVENTS_PATH}/:id` },
      );
      if (!isObject(body) || !isObject(body.incident)) {
        throw badResponse('coralogix', 'incident by event without an incident');
      }
      return this.check.incident(body.incident);
    });
  }

  /** `POST /incidents/filter-values/v1` `{filter}`: counts per value for the incidents matching it. */
  async filterValues(filter: IncidentQueryFilter, call: CallOptions): Promise<FilterValues> {
    const body = await this.http.send('POST', FILTER_VALUES_PATH, call, {
      body: { filter },
      idempotent: true,
    });
    const values = isObject(body) ? body.filtersValues : undefined;
    const problem = mismatch(values, FILTERS_VALUES, 'filtersValues');
    if (problem || !isObject(values)) {
      throw badResponse('coralogix', `filter values: ${problem ?? 'no filtersValues'}`);
    }
    return readFilterValues(values as FiltersValuesWire);
  }

  private async batchGetChunk(
    ids: string[],
    call: CallOptions,
  ): Promise<BatchGetIncidentsResponse> {
    const body = await this.http.send('GET', INCIDENTS_PATH, call, {
      query: ids.map((id): [string, string] => ['ids', id]),
      idempotent: true,
    });
    const problem = mismatch(body, BATCH_GET_SHAPE);
    if (problem || !isObject(body))
      throw badResponse('coralogix', `batch get: ${problem ?? 'not an object'}`);
    // protojson omits empty fields: no `incidents` when none was found, no `notFoundIds` when all were.
    const incidents = isObject(body.incidents) ? body.incidents : {};
    const out: BatchGetIncidentsResponse = { incidents: byId(), notFoundIds: [] };
    for (const incident of Object.values(incidents)) {
      const checked = this.checkIncident(incident);
      out.incidents[checked.id.toLowerCase()] = checked;
    }
    out.notFoundIds = Array.isArray(body.notFoundIds)
      ? body.notFoundIds.map((id) => String(id).toLowerCase())
      : [];
    const answered = new Set([...Object.keys(out.incidents), ...out.notFoundIds]);
    const unanswered = ids.filter((id) => !answered.has(id.toLowerCase()));
    if (unanswered.length > 0) {
      // Not documented: read as not found, as the SDK's callers do, rather than fail the batch.
      this.warn('Coralogix batch get named some ids in neither incidents nor notFoundIds', {
        ids: unanswered.slice(0, 10),
        count: unanswered.length,
      });
      out.notFoundIds.push(...unanswered.map((id) => id.toLowerCase()));
    }
    return out;
  }

  /** Writes are never retried: the upstream may already have applied them. */
  private async write(
    method: 'POST' | 'DELETE',
    path: string,
    request: { body?: object; query?: Array<[string, string]> },
    call: CallOptions,
  ): Promise<Incident[]> {
    const body = await this.http.send(method, path, call, { ...request, idempotent: false });
    if (!isObject(body)) throw badResponse('coralogix', `${method} ${path} without a JSON object`);
    return Array.isArray(body.incidents)
      ? body.incidents.map((incident) => this.checkIncident(incident))
      : [];
  }
}

/** A map keyed by upstream ids: no prototype, so ids like `__proto__` are plain keys. */
function byId(): Record<string, Incident> {
  return Object.create(null) as Record<string, Incident>;
}

/**
 * Splits ids into runs whose `name=id&…` query string stays under
 * MAX_QUERY_CHARS once URL-encoded.
 */
export function chunkByLength(ids: readonly string[], name: string): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids) {
    const cost = name.length + 2 + encodeURIComponent(id).length;
    if (current.length > 0 && length + cost > MAX_QUERY_CHARS) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(id);
    length += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const LIST_SHAPE: Shape = {
  fields: {
    incidents: { array: 'any' },
    pagination: { fields: { totalSize: 'any', nextPageToken: 'string' } },
  },
};
const EVENT_LIST_SHAPE: Shape = {
  fields: {
    items: { array: 'any' },
    pagination: { fields: { totalSize: 'any', nextPageToken: 'string' } },
  },
};
const BATCH_GET_SHAPE: Shape = {
  fields: { incidents: { record: 'any' }, notFoundIds: { array: 'string' } },
};
