/**
 * Emulator of the Coralogix Incidents REST API, v5 path family under
 * `/mgmt/openapi/5` (coralogix/cx-api-docs `openapi_v5.yaml` at e509de6, lines
 * 9055–9480; the vendor SDK's generated client
 * `go/openapi/gen/incidents_service/api_incidents_service.go` at 4464b2b3 calls
 * exactly these paths and methods). The older `/mgmt/openapi/v1/incidents:…`
 * bindings are gone from the docs since 2026-04-16; the emulator answers them,
 * like any unknown route, with the plain-text 404 `Not Found: Not Found`
 * that the SDK (`go/openapi/cxsdk/error.go` lines 95–112) reads as "endpoint
 * does not exist". The event feed, its count, incident-by-event and filter
 * values (lines 8624–8990) are in `./events.ts`. The Cases API (same base,
 * same key) is in `./cases/routes.ts`, mounted under `/cases/`.
 *
 * A pure request → response function over an in-memory store; the HTTP shell
 * (`../http.ts`) adds faults, latency and the request log.
 * Check order: authentication, then route, then method, then the body.
 */
import type {
  BatchGetIncidentsResponse,
  GetIncidentResponse,
  IncidentsResponse,
  ListIncidentEventsResponse,
  ListIncidentsResponse,
} from '../../upstreams/coralogix/incidents/types.js';
import type { EmulatorHandler, EmulatorRequest, EmulatorResponse } from '../http.js';
import { isPlainObject, parseJsonBody } from '../http.js';
import type { SeedData } from '../seedTypes.js';
import { applyWrite, type WriteAction, type WriteContext } from './actions.js';
import { createCasesRoutes, type CasesRoutes } from './cases/routes.js';
import { EventFeed } from './eventFeed.js';
import { createEventRoutes, filterValues } from './events.js';

/** `POST …/incidents/v1/all/<segment>` → the write it performs. */
const ACTION_PATHS = new Map<string, WriteAction>([
  ['all/acknowledge', 'acknowledge'],
  ['all/resolve', 'resolve'],
  ['all/closed', 'close'],
]);
import {
  RpcError,
  errorResponse,
  invalidArgument,
  methodNotAllowed,
  notFound,
  routeNotFound,
  unauthenticated,
} from './errors.js';
import { IncidentLister } from './list.js';
import { isOpenApiRequest, openApiResponse } from '../openapi/documents.js';
import { parseFilter, parseListQuery, requireObject } from './list-query.js';
import { IncidentStore, cloneJson, type StoredIncident } from './store.js';

export interface CoralogixEmulatorOptions {
  apiKey: string;
  /** The user owning the API key: author of assignments and administrative events. */
  keyUserId: string;
  seed: SeedData;
  /** Clock for closedAt / lastStateUpdateTime; defaults to `Date.now`. */
  now?: () => number;
}

export interface CoralogixEmulator {
  handler: EmulatorHandler;
  reset(): void;
  /** Changes the system makes to cases without an API call (activation, auto resolve / close). */
  caseSystemChange: CasesRoutes['systemChange'];
}

/** The V5 schema's `maxItems`; the LTS API documents no limit. */
export const MAX_BATCH_GET_IDS = 10_000;

export const BASE_PATH = '/mgmt/openapi/5';
const INCIDENTS = `${BASE_PATH}/incidents/incidents/v1`;
const EVENTS = `${BASE_PATH}/incidents/events/v1`;
const FILTER_VALUES = `${BASE_PATH}/incidents/filter-values/v1`;
const CASES = `${BASE_PATH}/cases/`;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Route = Partial<Record<Method, (req: EmulatorRequest) => EmulatorResponse>>;

export function createCoralogixEmulator(options: CoralogixEmulatorOptions): CoralogixEmulator {
  const store = new IncidentStore(options.seed.incidents);
  const lister = new IncidentLister(store);
  const feed = new EventFeed(options.seed.eventFeed);
  const events = createEventRoutes(store, feed);
  const now = options.now ?? Date.now;
  const cases = createCasesRoutes({ seed: options.seed.cases, keyUserId: options.keyUserId, now });

  const requireIncident = (id: string): StoredIncident => {
    const incident = store.find(id);
    if (!incident) throw notFound(`incident ${id} not found`);
    return incident;
  };

  const getIncident = (id: string): EmulatorResponse =>
    ok<GetIncidentResponse>({ incident: cloneJson(requireIncident(id)) });

  const listEvents = (id: string): EmulatorResponse =>
    ok<ListIncidentEventsResponse>({ incidentEvents: cloneJson(requireIncident(id).events) });

  const batchGet = (req: EmulatorRequest): EmulatorResponse => {
    const ids = req.query.getAll('ids');
    if (ids.length === 0) throw invalidArgument('ids: at least one id is required');
    if (ids.length > MAX_BATCH_GET_IDS) {
      throw invalidArgument(`ids: at most ${MAX_BATCH_GET_IDS} ids per request`);
    }
    const incidents: Record<string, StoredIncident> = {};
    const notFoundIds = new Set<string>();
    for (const id of ids) {
      const incident = store.find(id);
      if (incident) incidents[id] ??= cloneJson(incident);
      else notFoundIds.add(id);
    }
    return ok<BatchGetIncidentsResponse>({ incidents, notFoundIds: [...notFoundIds] });
  };

  const list = (req: EmulatorRequest): EmulatorResponse => {
    const page = lister.page(parseListQuery(readJson(req)));
    const pagination: ListIncidentsResponse['pagination'] = { totalSize: page.totalSize };
    if (page.nextPageToken !== undefined) pagination.nextPageToken = page.nextPageToken;
    return ok<ListIncidentsResponse>({ incidents: page.incidents.map(cloneJson), pagination });
  };

  /** All-or-nothing: every id is validated before anything changes. */
  const write = (action: WriteAction, req: EmulatorRequest): EmulatorResponse => {
    // Unassign is DELETE with `incident_ids` in the query and no body (openapi_v5.yaml).
    const body = action === 'unassign' ? {} : readObject(req);
    const ids = readIncidentIds(
      action === 'unassign' ? { incidentIds: req.query.getAll('incident_ids') } : body,
    );
    const ctx: WriteContext = { actorId: options.keyUserId, nowMs: now() };
    if (action === 'assign') ctx.assigneeId = readAssignee(body);
    const unknown = ids.filter((id) => !store.find(id));
    if (unknown.length > 0) throw notFound(`incidents not found: ${unknown.join(', ')}`);
    const incidents = ids.map(requireIncident);
    let changed = false;
    for (const incident of incidents) {
      const before = incident.events.length;
      changed = applyWrite(action, incident, ctx) || changed;
      // Every event a write adds shows in the event feed at the write's instant.
      feed.append(incident, incident.events.slice(before), ctx.nowMs);
    }
    if (changed) store.touch();
    return ok<IncidentsResponse>({ incidents: incidents.map(cloneJson) });
  };

  /** GetFilterValues `{filter: IncidentQueryFilter}`: the same filter as the list (line 8939). */
  const facets = (req: EmulatorRequest): EmulatorResponse => {
    const body = readObject(req);
    const filter = parseFilter(body.filter == null ? {} : requireObject(body.filter, 'filter'));
    return ok({ filtersValues: filterValues(lister.select(filter), filter) });
  };

  /** Route table of the v5 incidents paths (openapi_v5.yaml `paths`). */
  const route = (path: string): Route | undefined => {
    if (path.startsWith(CASES)) return cases.route(path.slice(CASES.length));
    if (path === INCIDENTS) return { GET: batchGet, POST: list };
    if (path === EVENTS) return { GET: events.list };
    if (path === `${EVENTS}/all/count`) return { GET: events.count };
    if (path === FILTER_VALUES) return { POST: facets };
    if (path.startsWith(`${EVENTS}/`)) {
      const key = path.slice(EVENTS.length + 1);
      return key.includes('/') ? undefined : { GET: () => events.incidentByEvent(key) };
    }
    if (!path.startsWith(`${INCIDENTS}/`)) return undefined;
    const rest = path.slice(INCIDENTS.length + 1);
    if (rest === 'all/by-user') {
      return { POST: (req) => write('assign', req), DELETE: (req) => write('unassign', req) };
    }
    const action = ACTION_PATHS.get(rest);
    if (action) return { POST: (req) => write(action, req) };
    const match = /^([^/]+)(\/events)?$/.exec(rest);
    if (!match) return undefined;
    const id = match[1] as string;
    return { GET: () => (match[2] ? listEvents(id) : getIncident(id)) };
  };

  const handler: EmulatorHandler = (req) => {
    if (isOpenApiRequest(req)) return openApiResponse('coralogix', req, BASE_PATH);
    try {
      authenticate(req, options.apiKey);
      const match = route(req.path);
      if (!match) return routeNotFound();
      const run = match[req.method as Method];
      if (!run) return methodNotAllowed(Object.keys(match).join(', '));
      return run(req);
    } catch (error) {
      if (error instanceof RpcError) return errorResponse(error);
      throw error;
    }
  };

  return {
    handler,
    reset: () => {
      store.reset();
      feed.reset();
      cases.reset();
    },
    caseSystemChange: cases.systemChange,
  };
}

function ok<T>(body: T): EmulatorResponse {
  return { status: 200, body };
}

function authenticate(req: EmulatorRequest, apiKey: string): void {
  const header = req.headers.authorization;
  if (!header) throw unauthenticated('missing Authorization: Bearer <API key> header');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match || match[1] !== apiKey) throw unauthenticated('invalid API key');
}

function readJson(req: EmulatorRequest): unknown {
  const parsed = parseJsonBody(req.rawBody);
  if (!parsed.ok) throw invalidArgument('request body is not valid JSON');
  return parsed.value;
}

function readObject(req: EmulatorRequest): Record<string, unknown> {
  const body = readJson(req);
  if (!isPlainObject(body)) throw invalidArgument('request body must be a JSON object');
  return body;
}

/** Non-empty list of string ids, de-duplicated in request order. */
function readIncidentIds(body: Record<string, unknown>): string[] {
  const ids = body.incidentIds;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw invalidArgument('incidentIds: at least one incident id is required');
  }
  if (!ids.every((id): id is string => typeof id === 'string' && id !== '')) {
    throw invalidArgument('incidentIds must be non-empty strings');
  }
  return [...new Set(ids)];
}

function readAssignee(body: Record<string, unknown>): string {
  const assignedTo = body.assignedTo;
  const userId = isPlainObject(assignedTo) ? assignedTo.userId : undefined;
  if (typeof userId !== 'string' || userId === '') {
    throw invalidArgument('assignedTo.userId is required');
  }
  return userId;
}
