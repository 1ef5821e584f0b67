/**
 * OneUptime generic CRUD API emulator (`/api/<resource>/…`) for the incident,
 * incident-state, incident-severity, incident-state-timeline, incident-role,
 * incident-sla and incident-member resources, as the real server behaves (see
 * shared/upstreams/oneuptime.md). A pure function from request to response
 * over an in-memory store with OneUptime's foreign keys; the HTTP shell adds
 * faults, latency and the request log.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  isPlainObject,
  parseJsonBody,
  type EmulatorHandler,
  type EmulatorRequest,
  type EmulatorResponse,
} from '../http.js';
import type { SeedData } from '../seedTypes.js';
import type { ValueEncoding } from './codec.js';
import { assertNever, badRequest, notFoundRoute, OneUptimeError } from './errors.js';
import { MODELS, type ModelDef } from './models.js';
import { isOpenApiRequest, openApiResponse } from '../openapi/documents.js';
import * as ops from './operations.js';
import { matchRoute, type Operation, type Route } from './routes.js';
import { loadDatabase, type Database, type ForeignKeyErrors } from './store.js';

export type { ValueEncoding } from './codec.js';
export type { ForeignKeyErrors } from './store.js';

export interface OneUptimeEmulatorOptions {
  apiKey: string;
  seed: SeedData;
  /** `envelope`: `{"_type","value"}` wrapped values as real servers send; `plain`: as the docs show. */
  valueEncoding: ValueEncoding;
  /** How an unknown foreign key answers: 400 as current servers (default) or 500 as before 11.7.2. */
  foreignKeyErrors?: ForeignKeyErrors;
}

export interface OneUptimeEmulator {
  handler: EmulatorHandler;
  /** Restores the seeded data. */
  reset(): void;
}

/** The verb of `PublicPermission`'s message (`DatabaseRequestType`). */
function requestType(operation: Operation): 'read' | 'create' | 'update' | 'delete' {
  switch (operation) {
    case 'list':
    case 'count':
    case 'get':
      return 'read';
    case 'create':
    case 'update':
    case 'delete':
      return operation;
    default:
      return assertNever(operation);
  }
}

/**
 * OneUptime/oneuptime ab6f40993700e5d472c23e52913ef2fe5d117f66: a request
 * without an `ApiKey` header reaches the model anonymously (the key middleware
 * runs only when the header is present, `Common/Server/Middleware/
 * ProjectAuthorization.ts` lines 172–178), where `PublicPermission.
 * checkIfUserIsLoggedIn` (`Permissions/PublicPermission.ts` lines 25–52)
 * throws `NotAuthenticatedException` (401) naming the request type and the
 * model. A header that is empty, not a UUID or no project's key is 400
 * `Invalid API Key` (ProjectAuthorization.ts lines 179–180 and 266–268).
 */
function authenticate(
  headers: IncomingHttpHeaders,
  apiKey: string,
  def: ModelDef,
  operation: Operation,
) {
  const key = headers.apikey;
  if (key === undefined) {
    throw new OneUptimeError(
      401,
      `Authenticated user or a valid API key is needed to ${requestType(operation)} record of ${def.singularName}.`,
    );
  }
  if (key !== apiKey) throw badRequest('Invalid API Key');
}

function readBody(rawBody: string): ops.Body {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) throw badRequest('Invalid JSON in request body.');
  if (!isPlainObject(parsed.value)) throw badRequest('The request body should be a JSON object.');
  return parsed.value;
}

function dispatch(route: Route, ctx: ops.OperationContext, body: ops.Body, req: EmulatorRequest) {
  const id = route.id ?? '';
  switch (route.operation) {
    case 'list':
      return ops.list(ctx, body, req.query);
    case 'count':
      return ops.count(ctx, body);
    case 'get':
      return ops.getItem(ctx, id, body);
    case 'create':
      return ops.create(ctx, body);
    case 'update':
      return ops.update(ctx, id, body);
    case 'delete':
      return ops.remove(ctx, id);
    default:
      return assertNever(route.operation);
  }
}

/** Express order: the body parser runs first, then routing, then the permission checks. */
function handle(
  req: EmulatorRequest,
  db: Database,
  options: OneUptimeEmulatorOptions,
): EmulatorResponse {
  const body = readBody(req.rawBody);
  const route = matchRoute(req.method, req.path);
  if (!route) {
    const search = req.query.toString();
    throw notFoundRoute(search ? `${req.path}?${search}` : req.path);
  }
  const def = MODELS[route.resource];
  authenticate(req.headers, options.apiKey, def, route.operation);
  const ctx: ops.OperationContext = {
    def,
    table: db.tables[route.resource],
    db,
    render: { encoding: options.valueEncoding, db },
  };
  return dispatch(route, ctx, body, req);
}

export function createOneUptimeEmulator(options: OneUptimeEmulatorOptions): OneUptimeEmulator {
  const load = () => loadDatabase(options.seed, options.foreignKeyErrors ?? 'translated');
  let db = load();
  const handler: EmulatorHandler = (req) => {
    if (isOpenApiRequest(req)) return openApiResponse('oneuptime', req);
    try {
      return handle(req, db, options);
    } catch (error) {
      if (error instanceof OneUptimeError) return error.toResponse();
      throw error;
    }
  };
  return {
    handler,
    reset: () => {
      db = load();
    },
  };
}
