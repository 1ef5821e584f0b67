/**
 * Typed methods over the Coralogix Incidents API (LTS paths under
 * `<base>/v1/incidents…`, `Authorization: Bearer <key>`). Returns wire types.
 */
import { badResponse } from '../../errors.js';
import { HttpUpstream, type CallOptions, type HttpUpstreamOptions } from '../http.js';
import { isObject, mismatch, type Shape } from '../shape.js';
import { INCIDENT } from './resources.js';
import type {
  AssignIncidentsRequest,
  BatchGetIncidentsResponse,
  Incident,
  ListIncidentsRequest,
  ListIncidentsResponse,
} from './types.js';

/** Ids per `batchGet` call: keeps the URL well under common 8 KB limits. */
export const BATCH_GET_MAX_IDS = 100;

export type { CallOptions } from '../http.js';

export type IncidentAction = 'acknowledge' | 'resolve' | 'close' | 'unassign';

export class CoralogixClient {
  private readonly http: HttpUpstream;

  constructor(options: Omit<HttpUpstreamOptions, 'upstream'>) {
    this.http = new HttpUpstream({
      ...options,
      upstream: 'coralogix',
      authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
    });
  }

  /** Many incidents by id; chunked at BATCH_GET_MAX_IDS ids per call, chunks in parallel. */
  async batchGet(ids: readonly string[], call: CallOptions): Promise<BatchGetIncidentsResponse> {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX_IDS) {
      chunks.push(ids.slice(i, i + BATCH_GET_MAX_IDS));
    }
    const parts = await Promise.all(chunks.map((chunk) => this.batchGetChunk(chunk, call)));
    const merged: BatchGetIncidentsResponse = { incidents: byId(), notFoundIds: [] };
    for (const part of parts) {
      Object.assign(merged.incidents, part.incidents);
      merged.notFoundIds.push(...part.notFoundIds);
    }
    return merged;
  }

  async list(request: ListIncidentsRequest, call: CallOptions): Promise<ListIncidentsResponse> {
    const body = await this.http.send('POST', '/v1/incidents', call, {
      body: request,
      idempotent: true,
    });
    const problem = mismatch(body, LIST_SHAPE);
    if (problem || !isObject(body))
      throw badResponse('coralogix', `list: ${problem ?? 'not an object'}`);
    // protojson omits an empty list and a zero count, but the server always sets `pagination`.
    if (!isObject(body.pagination)) throw badResponse('coralogix', 'list without pagination');
    const incidents = Array.isArray(body.incidents) ? body.incidents : [];
    const pagination = body.pagination as {
      totalSize?: number;
      nextPageToken?: string;
    };
    return {
      incidents: incidents.map(checkIncident),
      pagination: {
        totalSize: pagination.totalSize ?? 0,
        ...(pagination.nextPageToken ? { nextPageToken: pagination.nextPageToken } : {}),
      },
    };
  }

  assign(request: AssignIncidentsRequest, call: CallOptions): Promise<Incident[]> {
    return this.write('assign', request, call);
  }

  act(action: IncidentAction, incidentIds: string[], call: CallOptions): Promise<Incident[]> {
    return this.write(action, { incidentIds }, call);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async batchGetChunk(
    ids: string[],
    call: CallOptions,
  ): Promise<BatchGetIncidentsResponse> {
    const body = await this.http.send('POST', '/v1/incidents:batchGet', call, {
      query: ids.map((id) => ['ids', id]),
      idempotent: true,
    });
    const problem = mismatch(body, BATCH_GET_SHAPE);
    if (problem || !isObject(body))
      throw badResponse('coralogix', `batchGet: ${problem ?? 'not an object'}`);
    // protojson omits empty fields: no `incidents` when none was found, no `notFoundIds` when all were.
    const incidents = isObject(body.incidents) ? body.incidents : {};
    const out: BatchGetIncidentsResponse = { incidents: byId(), notFoundIds: [] };
    for (const [id, incident] of Object.entries(incidents)) {
      out.incidents[id] = checkIncident(incident);
    }
    out.notFoundIds = Array.isArray(body.notFoundIds) ? body.notFoundIds.map(String) : [];
    const answered = new Set([...Object.keys(incidents), ...out.notFoundIds]);
    if (ids.some((id) => !answered.has(id))) {
      throw badResponse('coralogix', 'batchGet left ids neither found nor not found');
    }
    return out;
  }

  /** Writes are never retried: the upstream may already have applied them. */
  private async write(action: string, request: object, call: CallOptions): Promise<Incident[]> {
    const body = await this.http.send('POST', `/v1/incidents:${action}`, call, {
      body: request,
      idempotent: false,
    });
    if (!isObject(body)) throw badResponse('coralogix', `${action} without a JSON object`);
    return Array.isArray(body.incidents) ? body.incidents.map(checkIncident) : [];
  }
}

/** A map keyed by upstream ids: no prototype, so ids like `__proto__` are plain keys. */
function byId(): Record<string, Incident> {
  return Object.create(null) as Record<string, Incident>;
}

const LIST_SHAPE: Shape = {
  fields: {
    incidents: { array: 'any' },
    pagination: { fields: { totalSize: 'int', nextPageToken: 'string' } },
  },
};
const BATCH_GET_SHAPE: Shape = {
  fields: { incidents: { record: 'any' }, notFoundIds: { array: 'string' } },
};

/**
 * Checks the types of everything the schema serialises and fills protojson's
 * omitted defaults (empty lists / maps), so resolvers can trust the wire type.
 */
export function checkIncident(value: unknown): Incident {
  if (!isObject(value) || typeof value.id !== 'string') {
    throw badResponse('coralogix', 'incident without an id');
  }
  const problem = mismatch(value, INCIDENT, 'incident');
  if (problem) throw badResponse('coralogix', problem);
  const incident = value as unknown as Incident;
  return {
    ...incident,
    state: incident.state ?? 'INCIDENT_STATE_UNSPECIFIED',
    status: incident.status ?? 'INCIDENT_STATUS_UNSPECIFIED',
    severity: incident.severity ?? 'INCIDENT_SEVERITY_UNSPECIFIED',
    assignments: incident.assignments ?? [],
    contextualLabels: incident.contextualLabels ?? {},
    displayLabels: incident.displayLabels ?? {},
    events: incident.events ?? [],
  };
}
