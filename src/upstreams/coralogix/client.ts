/**
 * Typed methods over the Coralogix Incidents REST API, v5 path family
 * (`<base>/incidents/incidents/v1…`, base `…/mgmt/openapi/5`,
 * `Authorization: Bearer <key>`). Paths, methods and query parameter names
 * as the vendor's generated client sends them
 * (coralogix/coralogix-management-sdk
 * `go/openapi/gen/incidents_service/api_incidents_service.go` at 4464b2b3)
 * and cx-api-docs `openapi_v5.yaml` (e509de6) documents them. Returns wire types.
 */
import { badResponse } from '../../errors.js';
import { HttpUpstream, type CallOptions, type HttpUpstreamOptions } from '../http.js';
import { isObject, mismatch, type Shape } from '../shape.js';
import { INCIDENT } from './resources.js';
import {
  INCIDENT_EVENT_TYPES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
  ORIGINATOR_TYPES,
  UPSERT_STATE_TYPES,
  type AssignIncidentsRequest,
  type BatchGetIncidentsResponse,
  type Incident,
  type IncidentEvent,
  type ListIncidentsRequest,
  type ListIncidentsResponse,
} from './types.js';

export const INCIDENTS_PATH = '/incidents/incidents/v1';

/**
 * Longest query string one batch get sends: ids go in the URL (`?ids=a&ids=b`),
 * and common proxies refuse URLs over 8 KB. 100 UUIDs take about 4.1 KB.
 */
export const MAX_QUERY_CHARS = 4_096;

export type { CallOptions } from '../http.js';

/** The writes that take `{incidentIds}` and answer `{incidents}`, by their v5 path. */
const ACTION_PATHS = {
  acknowledge: `${INCIDENTS_PATH}/all/acknowledge`,
  resolve: `${INCIDENTS_PATH}/all/resolve`,
  close: `${INCIDENTS_PATH}/all/closed`,
} as const;
export type IncidentAction = keyof typeof ACTION_PATHS | 'unassign';

export interface CoralogixClientOptions extends Omit<HttpUpstreamOptions, 'upstream'> {
  /** Called when an answer is readable but not quite as documented (logged as a warning). */
  onWarning?: (message: string, details: Record<string, unknown>) => void;
}

export class CoralogixClient {
  private readonly http: HttpUpstream;
  private readonly warn: NonNullable<CoralogixClientOptions['onWarning']>;

  constructor(options: CoralogixClientOptions) {
    const { onWarning, ...http } = options;
    this.warn = onWarning ?? (() => undefined);
    this.http = new HttpUpstream({
      ...http,
      upstream: 'coralogix',
      authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
    });
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

  close(): Promise<void> {
    return this.http.close();
  }

  /**
   * Checks the types of everything the schema serialises, fills protojson's
   * omitted defaults (empty lists / maps), and maps enum values this gateway
   * does not know to UNSPECIFIED (with a warning naming the raw value), so
   * resolvers can trust the wire type and a newer upstream never fails a field.
   */
  checkIncident(value: unknown): Incident {
    if (!isObject(value) || typeof value.id !== 'string') {
      throw badResponse('coralogix', 'incident without an id');
    }
    const problem = mismatch(value, INCIDENT, 'incident');
    if (problem) throw badResponse('coralogix', problem);
    // The object is this answer's own (fresh from JSON.parse): defaults are filled in
    // place, with no copy of every incident and event on the hot path.
    const incident = value as Incident;
    const known = <T extends string>(
      field: string,
      raw: string | undefined,
      values: readonly T[],
    ) => {
      if (raw === undefined || values.includes(raw as T)) return (raw ?? values[0]) as T;
      this.warn('Coralogix sent an enum value this gateway does not know; shown as UNSPECIFIED', {
        incidentId: incident.id,
        field,
        value: raw.slice(0, 100),
      });
      return values[0] as T;
    };
    incident.state = known('state', incident.state, INCIDENT_STATES);
    incident.status = known('status', incident.status, INCIDENT_STATUSES);
    incident.severity = known('severity', incident.severity, INCIDENT_SEVERITIES);
    incident.assignments ??= [];
    incident.contextualLabels ??= {};
    incident.displayLabels ??= {};
    incident.events ??= [];
    for (const event of incident.events as IncidentEvent[]) {
      event.incidentEventType = known(
        'events.incidentEventType',
        event.incidentEventType,
        INCIDENT_EVENT_TYPES,
      );
      if (event.originatorType !== undefined) {
        event.originatorType = known(
          'events.originatorType',
          event.originatorType,
          ORIGINATOR_TYPES,
        );
      }
      if (event.upsertState?.stateType !== undefined) {
        event.upsertState.stateType = known(
          'events.upsertState.stateType',
          event.upsertState.stateType,
          UPSERT_STATE_TYPES,
        );
      }
    }
    return incident;
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

/**
 * A count as protojson writes it: int32 as a number, 64-bit integers as a
 * numeric string (`"123"`); both are accepted.
 */
export function readCount(value: unknown, what: string): number {
  if (value === undefined || value === null) return 0;
  const count = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw badResponse('coralogix', `${what} is not a count`);
  }
  return Math.min(count, 2 ** 31 - 1);
}

const LIST_SHAPE: Shape = {
  fields: {
    incidents: { array: 'any' },
    pagination: { fields: { totalSize: 'any', nextPageToken: 'string' } },
  },
};
const BATCH_GET_SHAPE: Shape = {
  fields: { incidents: { record: 'any' }, notFoundIds: { array: 'string' } },
};
