/**
 * Failure modes of the gateway against injected upstream faults, over real
 * HTTP: for each read path × fault, the error code and upstream, partial data,
 * how many requests reached the upstream (the retry policy), and that the same
 * gateway answers a healthy query afterwards. Writes are sent exactly once
 * whatever the fault. The circuit breaker opens after consecutive failures.
 *
 * Every case gets a fresh gateway (retry budget and circuit breaker are per
 * gateway instance) over one shared sandbox, reset between cases.
 */
import { CX } from '../support/coralogix.js';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startSandbox,
  type FaultRule,
  type RecordedRequest,
  type Sandbox,
} from '../../src/sandbox/index.js';
import type { UpstreamName } from '../../src/upstreams/upstream.js';
import { seedLinks } from '../support/links.js';
import { startStack, type RawResponse, type Stack } from '../support/stack.js';

/** The upstream timeout of the cases whose fault is a slow or hung answer. */
const TIMEOUT_MS = 250;
const RETRIES = 2;
/**
 * Every other case gets a timeout no healthy emulator answer comes near, even on a loaded CI
 * machine, where a 250 ms bound can turn an expected 502 retry into UPSTREAM_TIMEOUT.
 */
const ENV = { UPSTREAM_TIMEOUT_MS: '10000', UPSTREAM_RETRIES: String(RETRIES) };
const SHORT_TIMEOUT = { UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) };
const timeoutFor = (code: string) => (code === 'UPSTREAM_TIMEOUT' ? SHORT_TIMEOUT : {});

let sandbox: Sandbox;
let harness: Stack | undefined;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox?.stop();
});

beforeEach(() => {
  sandbox.reset();
});

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function gateway(env: Record<string, string> = {}): Promise<Stack> {
  harness = await startStack({ over: sandbox, env: { ...ENV, ...env } });
  return harness;
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type ErrorList = NonNullable<RawResponse['errors']>;

function codes(response: RawResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

function expectNoKeys(response: RawResponse<unknown>): void {
  const everything = response.text + JSON.stringify(response.headers);
  expect(everything).not.toContain(sandbox.coralogix.apiKey);
  expect(everything).not.toContain(sandbox.oneuptime.apiKey);
}

// ---------------------------------------------------------------- read targets

interface Edges<N> {
  edges: Array<{ node: N }>;
}

interface ReadTarget {
  upstream: UpstreamName;
  /** e.g. "incidents list". */
  what: string;
  /** Fault rule scope: the one upstream route this target exercises. */
  scope: Pick<FaultRule, 'upstream' | 'method' | 'path'>;
  /** The route as logged by the gateway's "upstream call" events. */
  route: string;
  /**
   * The first route the query calls on this upstream, when it is not `route`: a join from a
   * Coralogix incident starts with the link query (DESIGN 5a), so with the upstream unreachable
   * that is the call that fails (and `route` is never tried).
   */
  firstRoute?: string;
  query: string;
  /** The upstream this target's query may not touch at all when it fails, if any. */
  untouched?: UpstreamName;
  /** Checks the data that still comes back when the route fails. */
  partial(response: RawResponse, errors: ErrorList): void;
  /** Checks a healthy answer. */
  healthy(response: RawResponse): void;
}

/** A fault scope matching this one path and nothing below it. */
const exactly = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const isString = (value: unknown) => typeof value === 'string' && value.length > 0;

const READ_TARGETS: ReadTarget[] = [
  {
    upstream: 'coralogix',
    what: 'incidents list',
    scope: { upstream: 'coralogix', method: CX.list.method, path: exactly(CX.list.path) },
    route: CX.list.route,
    query: '{ incidents(first: 3) { totalCount edges { node { id name slas { id } } } } }',
    untouched: 'oneuptime',
    partial(response, errors) {
      // A failing root list is null with its error; the response still has data.
      expect(response.data).toEqual({ incidents: null });
      for (const error of errors) expect(error.path).toEqual(['incidents']);
    },
    healthy(response) {
      const data = response.data as { incidents: Edges<{ id: string; slas: unknown[] }> };
      expect(data.incidents.edges).toHaveLength(3);
      for (const { node } of data.incidents.edges) expect(Array.isArray(node.slas)).toBe(true);
    },
  },
  {
    upstream: 'coralogix',
    what: 'batchGet join',
    scope: { upstream: 'coralogix', method: CX.batchGet.method, path: exactly(CX.batchGet.path) },
    route: CX.batchGet.route,
    query:
      '{ incidentSlas(first: 3) { totalCount edges { node { id statusText incident { id name } } } } }',
    partial(response, errors) {
      const data = response.data as {
        incidentSlas: Edges<{ id: string; statusText: string; incident: unknown }>;
      };
      // The OneUptime side of the page comes back; only the Coralogix join is null.
      expect(data.incidentSlas.edges).toHaveLength(3);
      data.incidentSlas.edges.forEach(({ node }) => {
        expect(isString(node.id) && isString(node.statusText)).toBe(true);
        expect(node.incident).toBeNull();
      });
      expect(errors.map((e) => e.path).sort()).toEqual(
        [0, 1, 2].map((i) => ['incidentSlas', 'edges', i, 'node', 'incident']),
      );
    },
    healthy(response) {
      const data = response.data as { incidentSlas: Edges<{ incident: { id: string } | null }> };
      for (const { node } of data.incidentSlas.edges)
        expect(isString(node.incident?.id)).toBe(true);
    },
  },
  {
    upstream: 'oneuptime',
    what: 'slas join',
    scope: { upstream: 'oneuptime', method: 'POST', path: 'incident-sla/get-list' },
    route: '/api/incident-sla/get-list',
    firstRoute: '/api/incident/get-list',
    query: '{ incidents(first: 3) { totalCount edges { node { id name severity slas { id } } } } }',
    partial(response, errors) {
      const data = response.data as {
        incidents: { totalCount: number } & Edges<{
          id: string;
          name: string;
          severity: string;
          slas: unknown;
        }>;
      };
      // The Coralogix fields still come back; only `slas` is null.
      expect(data.incidents.totalCount).toBe(sandbox.seed.incidents.length);
      expect(data.incidents.edges).toHaveLength(3);
      data.incidents.edges.forEach(({ node }) => {
        expect(isString(node.id) && typeof node.name === 'string' && isString(node.severity)).toBe(
          true,
        );
        expect(node.slas).toBeNull();
      });
      expect(errors.map((e) => e.path).sort()).toEqual(
        [0, 1, 2].map((i) => ['incidents', 'edges', i, 'node', 'slas']),
      );
    },
    healthy(response) {
      const data = response.data as { incidents: Edges<{ slas: unknown[] | null }> };
      for (const { node } of data.incidents.edges) expect(Array.isArray(node.slas)).toBe(true);
    },
  },
  {
    upstream: 'oneuptime',
    what: 'link query',
    scope: { upstream: 'oneuptime', method: 'POST', path: exactly('/api/incident/get-list') },
    route: '/api/incident/get-list',
    query: `{ incidents(first: 3) { totalCount edges { node {
      id name linkStatus slas { id } stateTimeline { id }
    } } } }`,
    partial(response, errors) {
      const data = response.data as {
        incidents: { totalCount: number } & Edges<{
          id: string;
          name: string;
          linkStatus: unknown;
          slas: unknown;
          stateTimeline: unknown;
        }>;
      };
      // Everything that needs the link is null; the Coralogix fields still come back.
      expect(data.incidents.totalCount).toBe(sandbox.seed.incidents.length);
      expect(data.incidents.edges).toHaveLength(3);
      data.incidents.edges.forEach(({ node }) => {
        expect(isString(node.id) && typeof node.name === 'string').toBe(true);
        expect([node.linkStatus, node.slas, node.stateTimeline]).toEqual([null, null, null]);
      });
      expect(errors.map((e) => e.path?.join('.')).sort()).toEqual(
        [0, 1, 2]
          .flatMap((i) =>
            ['linkStatus', 'slas', 'stateTimeline'].map((f) => `incidents.edges.${i}.node.${f}`),
          )
          .sort(),
      );
    },
    healthy(response) {
      const data = response.data as {
        incidents: Edges<{ id: string; linkStatus: string; slas: unknown[] | null }>;
      };
      const links = seedLinks(sandbox.seed);
      for (const { node } of data.incidents.edges) {
        expect(node.linkStatus).toBe(links.status(node.id));
        expect(Array.isArray(node.slas)).toBe(true);
      }
    },
  },
  {
    upstream: 'oneuptime',
    what: 'incidentSlas list',
    scope: { upstream: 'oneuptime', method: 'POST', path: 'incident-sla/get-list' },
    route: '/api/incident-sla/get-list',
    query: '{ incidentSlas(first: 3) { edges { node { id status } } } }',
    untouched: 'coralogix',
    partial(response, errors) {
      expect(response.data).toEqual({ incidentSlas: null });
      for (const error of errors) expect(error.path).toEqual(['incidentSlas']);
    },
    healthy(response) {
      const data = response.data as { incidentSlas: Edges<{ id: string }> };
      expect(data.incidentSlas.edges).toHaveLength(3);
    },
  },
];

// ---------------------------------------------------------------- faults

interface ReadFault {
  name: string;
  /** Only for this upstream (vendor-specific conventions). */
  only?: UpstreamName;
  rules: (upstream: UpstreamName) => Array<Omit<FaultRule, 'upstream' | 'method' | 'path'>>;
  code: string;
  /** Requests that must reach the upstream route: 1 + retries for retryable failures. */
  attempts: number;
  retryAfter?: number;
  /**
   * The transport got a 2xx and the client refused the shape afterwards (the call log shows
   * that attempt as a plain 200).
   */
  shape?: boolean;
}

/** An error body in each vendor's own format (Coralogix v5: `code` is the HTTP status). */
const errorBody = (upstream: UpstreamName, message: string, status = 500) =>
  upstream === 'coralogix' ? { code: status, message } : { message };

const READ_FAULTS: ReadFault[] = [
  {
    name: '401',
    rules: (u) => [{ status: 401, body: errorBody(u, 'Unauthenticated', 401) }],
    code: 'UPSTREAM_UNAUTHENTICATED',
    attempts: 1,
  },
  {
    name: '403',
    only: 'coralogix',
    rules: (u) => [{ status: 403, body: errorBody(u, 'permission denied', 403) }],
    code: 'UPSTREAM_FORBIDDEN',
    attempts: 1,
  },
  {
    name: '422 "You do not have permissions…"',
    only: 'oneuptime',
    rules: (u) => [
      {
        status: 422,
        body: errorBody(
          u,
          'You do not have permissions to read Incident SLA. You need one of these permissions: Project Owner, Project Admin, Read Incident SLA',
        ),
      },
    ],
    code: 'UPSTREAM_FORBIDDEN',
    attempts: 1,
  },
  {
    name: '400 "Invalid API Key"',
    only: 'oneuptime',
    rules: (u) => [{ status: 400, body: errorBody(u, 'Invalid API Key') }],
    code: 'UPSTREAM_UNAUTHENTICATED',
    attempts: 1,
  },
  {
    name: '400 invalid argument',
    only: 'coralogix',
    rules: (u) => [{ status: 400, body: errorBody(u, 'pagination.pageSize is required', 400) }],
    code: 'UPSTREAM_BAD_REQUEST',
    attempts: 1,
  },
  {
    name: '404 without saying what is missing',
    rules: () => [{ status: 404, body: 'Not Found: no such thing' }],
    code: 'UPSTREAM_BAD_RESPONSE',
    attempts: 1,
  },
  {
    // coralogix-management-sdk go/openapi/cxsdk/error.go: "the route/endpoint does not exist".
    name: '404 "Not Found: Not Found" (plain text)',
    only: 'coralogix',
    rules: () => [{ status: 404, body: 'Not Found: Not Found' }],
    code: 'UPSTREAM_BAD_REQUEST',
    attempts: 1,
  },
  {
    name: '404 {"code":404,"message":"Not Found: Not Found"}',
    only: 'coralogix',
    rules: () => [{ status: 404, body: { code: 404, message: 'Not Found: Not Found' } }],
    code: 'UPSTREAM_BAD_REQUEST',
    attempts: 1,
  },
  {
    // OneUptime Response.sendErrorResponse for an unknown route.
    name: '404 {"message":"Page not found - …"}',
    only: 'oneuptime',
    rules: () => [
      { status: 404, body: { message: 'Page not found - /api/incident-sla/get-list' } },
    ],
    code: 'UPSTREAM_BAD_REQUEST',
    attempts: 1,
  },
  {
    name: '429 with Retry-After',
    // The retries wait Retry-After: 0; the last answer's Retry-After is what the client sees.
    rules: (u) => [
      { status: 429, retryAfterSeconds: 0, times: RETRIES, body: errorBody(u, 'slow down', 429) },
      { status: 429, retryAfterSeconds: 7, body: errorBody(u, 'slow down', 429) },
    ],
    code: 'UPSTREAM_RATE_LIMITED',
    attempts: 1 + RETRIES,
    retryAfter: 7,
  },
  {
    name: '500',
    rules: (u) => [{ status: 500, body: errorBody(u, 'internal error') }],
    code: 'UPSTREAM_UNAVAILABLE',
    attempts: 1,
  },
  {
    name: '502',
    rules: () => [{ status: 502, body: '<html>Bad Gateway</html>' }],
    code: 'UPSTREAM_UNAVAILABLE',
    attempts: 1 + RETRIES,
  },
  {
    name: '503',
    rules: (u) => [{ status: 503, body: errorBody(u, 'unavailable', 503) }],
    code: 'UPSTREAM_UNAVAILABLE',
    attempts: 1 + RETRIES,
  },
  {
    name: '504',
    rules: () => [{ status: 504 }],
    code: 'UPSTREAM_UNAVAILABLE',
    attempts: 1 + RETRIES,
  },
  {
    name: 'timeout',
    rules: () => [{ latencyMs: TIMEOUT_MS * 2 }],
    code: 'UPSTREAM_TIMEOUT',
    attempts: 1,
  },
  {
    name: 'hung response',
    rules: () => [{ hang: true }],
    code: 'UPSTREAM_TIMEOUT',
    attempts: 1,
  },
  {
    name: 'hung body',
    rules: () => [{ hangBody: true }],
    code: 'UPSTREAM_TIMEOUT',
    attempts: 1,
  },
  {
    name: 'non-JSON 200',
    rules: () => [{ malformed: true }],
    code: 'UPSTREAM_BAD_RESPONSE',
    attempts: 1,
  },
  {
    // A list of incidents that is not a list, a map of incidents that is not a map, no `data`.
    name: 'wrong shape 200 {"incidents":1}',
    rules: () => [{ status: 200, body: { incidents: 1 } }],
    code: 'UPSTREAM_BAD_RESPONSE',
    attempts: 1,
    shape: true,
  },
];

const onRoute = (target: { scope: ReadTarget['scope'] }) => (request: RecordedRequest) => {
  const { path, upstream, method } = target.scope;
  if (request.upstream !== upstream || request.method !== method) return false;
  return path instanceof RegExp ? path.test(request.path) : request.path.includes(path ?? '');
};

function expectUpstreamErrors(
  response: RawResponse,
  upstream: UpstreamName,
  code: string,
  retryAfter?: number,
): ErrorList {
  const errors = response.errors ?? [];
  expect(errors.length, response.text).toBeGreaterThan(0);
  for (const error of errors) {
    expect(error.extensions?.code, response.text).toBe(code);
    expect(error.extensions?.upstream).toBe(upstream);
    if (retryAfter !== undefined) expect(error.extensions?.retryAfter).toBe(retryAfter);
    // Upstream bodies are summarised, never forwarded raw.
    expect(error.message).not.toMatch(/"code":|<html>/);
  }
  return errors;
}

describe('read faults', () => {
  for (const target of READ_TARGETS) {
    const faults = READ_FAULTS.filter((fault) => !fault.only || fault.only === target.upstream);
    for (const fault of faults) {
      it(`${target.upstream} · ${fault.name} on ${target.what} → ${fault.code}`, async () => {
        const gw = await gateway(timeoutFor(fault.code));
        for (const rule of fault.rules(target.upstream))
          sandbox.setFault({ ...target.scope, ...rule });

        const response = await gw.graphql(target.query);
        expect(response.status).toBe(200);
        const errors = expectUpstreamErrors(
          response,
          target.upstream,
          fault.code,
          fault.retryAfter,
        );
        target.partial(response, errors);
        expectNoKeys(response);

        // The retry policy, seen from both ends: the emulator and the gateway's call log.
        const reached = sandbox.requests().filter(onRoute(target));
        expect(reached).toHaveLength(fault.attempts);
        const logged = gw.upstreamCalls(target.upstream).filter((c) => c.route === target.route);
        expect(logged.map((c) => c.attempt)).toEqual(
          Array.from({ length: fault.attempts }, (_, i) => i + 1),
        );
        // (A refused shape is detected after the transport logged its 200: no code to compare.)
        if (!fault.shape) {
          expect(logged.map((c) => c.errorCode)).toEqual(logged.map(() => fault.code));
          // Failed attempts are logged at info (successful ones only at debug).
          expect(logged.map((c) => c.level)).toEqual(logged.map(() => 30));
        }
        if (target.untouched) expect(sandbox.requests(target.untouched)).toEqual([]);

        // The same gateway still answers once the upstream recovers.
        sandbox.clearFaults();
        const healthy = await gw.graphql(target.query);
        expect(healthy.errors, healthy.text).toBeUndefined();
        target.healthy(healthy);
      });
    }

    it(`${target.upstream} · connection refused on ${target.what} → UPSTREAM_UNAVAILABLE`, async () => {
      const port = await closedPort();
      const url: Record<string, string> =
        target.upstream === 'coralogix'
          ? { CORALOGIX_API_URL: `http://127.0.0.1:${port}/mgmt/openapi` }
          : { ONEUPTIME_API_URL: `http://127.0.0.1:${port}` };
      const gw = await gateway(url);

      const response = await gw.graphql(target.query);
      expect(response.status).toBe(200);
      const errors = expectUpstreamErrors(response, target.upstream, 'UPSTREAM_UNAVAILABLE');
      target.partial(response, errors);
      expectNoKeys(response);
      // Connection errors are retried like a 503: three attempts, none reached anything.
      const first = target.firstRoute ?? target.route;
      const logged = gw.upstreamCalls(target.upstream).filter((c) => c.route === first);
      expect(logged.map((c) => [c.attempt, c.status, c.errorCode])).toEqual(
        Array.from({ length: 1 + RETRIES }, (_, i) => [i + 1, undefined, 'UPSTREAM_UNAVAILABLE']),
      );
      // Nothing else was tried on that upstream (a failed link query stops the join).
      expect(gw.upstreamCalls(target.upstream).map((c) => c.route)).toEqual(
        logged.map(() => first),
      );
      expect(sandbox.requests(target.upstream)).toEqual([]);

      // The process stays up: the other upstream is still served.
      const other =
        target.upstream === 'coralogix'
          ? '{ incidentRoles(first: 2) { edges { node { id name } } } }'
          : '{ incidents(first: 2) { edges { node { id name } } } }';
      const healthy = await gw.graphql(other);
      expect(healthy.errors, healthy.text).toBeUndefined();
      expect(healthy.data).toBeTruthy();
    });
  }

  it('oneuptime · a failing root list is null with its error while the Coralogix root list still answers', async () => {
    const gw = await gateway();
    sandbox.setFault({ upstream: 'oneuptime', path: 'incident-sla/get-list', status: 500 });
    const response = await gw.graphql<{ incidents: unknown; incidentSlas: unknown }>(
      '{ incidents(first: 2) { totalCount } incidentSlas(first: 2) { totalCount } }',
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ incidents: { totalCount: 300 }, incidentSlas: null });
    expect(response.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['incidentSlas'], 'UPSTREAM_UNAVAILABLE'],
    ]);
  });

  it('coralogix · 429 with Retry-After: 1 once on incidents list → waits about 1 s, then data', async () => {
    const gw = await gateway();
    const target = READ_TARGETS[0]!;
    sandbox.setFault({ ...target.scope, status: 429, retryAfterSeconds: 1, times: 1 });
    const started = performance.now();
    const response = await gw.graphql(target.query);
    const elapsed = performance.now() - started;
    expect(response.errors, response.text).toBeUndefined();
    target.healthy(response);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(
      sandbox
        .requests()
        .filter(onRoute(target))
        .map((r) => r.status),
    ).toEqual([429, 200]);
  });
});

// ---------------------------------------------------------------- writes

interface WriteTarget {
  upstream: UpstreamName;
  name: string;
  scope: Pick<FaultRule, 'upstream' | 'method' | 'path'>;
  operation: () => { query: string; variables: Record<string, unknown> };
  /** The mutation's root field (non-null: data is null when it fails). */
  field: string;
}

const uuidOfRole = (index: number) => sandbox.seed.roles[index]!._id;
const incidentIds = () => sandbox.seed.incidents.slice(0, 2).map((i) => i.id);
const coralogixAction = (
  field: string,
  action: 'unassign' | 'acknowledge' | 'resolve' | 'close',
): WriteTarget => ({
  upstream: 'coralogix',
  name: field,
  field,
  scope: { upstream: 'coralogix', method: CX[action].method, path: exactly(CX[action].path) },
  operation: () => ({
    query: `mutation ($ids: [ID!]!) { ${field}(input: { incidentIds: $ids }) { incidents { id } } }`,
    variables: { ids: incidentIds() },
  }),
});

const WRITE_TARGETS: WriteTarget[] = [
  {
    upstream: 'coralogix',
    name: 'assignIncidents',
    field: 'assignIncidents',
    scope: { upstream: 'coralogix', method: CX.assign.method, path: exactly(CX.assign.path) },
    operation: () => ({
      query: `mutation ($ids: [ID!]!, $user: ID!) {
        assignIncidents(input: { incidentIds: $ids, userId: $user }) { incidents { id } }
      }`,
      variables: { ids: incidentIds(), user: sandbox.seed.users[1]!.id },
    }),
  },
  coralogixAction('unassignIncidents', 'unassign'),
  coralogixAction('acknowledgeIncidents', 'acknowledge'),
  coralogixAction('resolveIncidents', 'resolve'),
  coralogixAction('closeIncidents', 'close'),
  {
    upstream: 'oneuptime',
    name: 'createIncidentRole',
    field: 'createIncidentRole',
    scope: { upstream: 'oneuptime', method: 'POST', path: /^\/api\/incident-role$/ },
    operation: () => ({
      query: `mutation ($input: CreateIncidentRoleInput!) { createIncidentRole(input: $input) { id } }`,
      variables: { input: { name: 'Scribe', color: '#123456' } },
    }),
  },
  {
    upstream: 'oneuptime',
    name: 'updateIncidentRole',
    field: 'updateIncidentRole',
    scope: { upstream: 'oneuptime', method: 'PUT', path: /^\/api\/incident-role\// },
    operation: () => ({
      query: `mutation ($id: ID!, $input: UpdateIncidentRoleInput!) {
        updateIncidentRole(id: $id, input: $input) { id }
      }`,
      variables: { id: uuidOfRole(0), input: { description: 'changed' } },
    }),
  },
  {
    upstream: 'oneuptime',
    name: 'deleteIncidentRole',
    field: 'deleteIncidentRole',
    scope: { upstream: 'oneuptime', method: 'DELETE', path: /^\/api\/incident-role\// },
    operation: () => ({
      query: `mutation ($id: ID!) { deleteIncidentRole(id: $id) { id } }`,
      variables: { id: uuidOfRole(sandbox.seed.roles.length - 1) },
    }),
  },
  {
    upstream: 'oneuptime',
    name: 'createStateTimeline',
    field: 'createStateTimeline',
    scope: { upstream: 'oneuptime', method: 'POST', path: /^\/api\/incident-state-timeline$/ },
    operation: () => ({
      query: `mutation ($input: CreateStateTimelineInput!) { createStateTimeline(input: $input) { id } }`,
      variables: {
        input: {
          // A linked incident: the entry goes to its OneUptime incident (a NOT_LINKED one writes nothing).
          incidentId: seedLinks(sandbox.seed).linked[0]!.id,
          incidentStateId: sandbox.seed.incidentStates.at(-1)!.id,
          startsAt: '2027-01-01T00:00:00.000Z',
        },
      },
    }),
  },
];

interface WriteFault {
  name: string;
  rule: (upstream: UpstreamName) => Omit<FaultRule, 'upstream' | 'method' | 'path'>;
  code: string;
  retryAfter?: number;
}

const WRITE_FAULTS: WriteFault[] = [
  {
    name: '503',
    rule: (u) => ({ status: 503, body: errorBody(u, 'unavailable', 503) }),
    code: 'UPSTREAM_UNAVAILABLE',
  },
  {
    name: '429',
    rule: (u) => ({ status: 429, retryAfterSeconds: 7, body: errorBody(u, 'slow down', 429) }),
    code: 'UPSTREAM_RATE_LIMITED',
    retryAfter: 7,
  },
  {
    name: '500',
    rule: (u) => ({ status: 500, body: errorBody(u, 'internal error') }),
    code: 'UPSTREAM_UNAVAILABLE',
  },
  // A status after the delay, so the emulator never applies the write late (after a reset).
  {
    name: 'timeout',
    rule: () => ({ latencyMs: TIMEOUT_MS * 2, status: 504 }),
    code: 'UPSTREAM_TIMEOUT',
  },
];

describe('write faults: a write reaches the upstream exactly once', () => {
  for (const target of WRITE_TARGETS) {
    for (const fault of WRITE_FAULTS) {
      it(`${target.upstream} · ${fault.name} on ${target.name} → ${fault.code}, one request`, async () => {
        const gw = await gateway(timeoutFor(fault.code));
        sandbox.setFault({ ...target.scope, ...fault.rule(target.upstream) });
        const { query, variables } = target.operation();

        const response = await gw.graphql(query, variables);
        expect(response.status).toBe(200);
        expect(codes(response), response.text).toEqual([fault.code]);
        expectUpstreamErrors(response, target.upstream, fault.code, fault.retryAfter);
        // Mutation root fields are nullable: the failed one is null, the answer still has `data`.
        expect(response.data).toEqual({ [target.field]: null });
        expect(response.errors?.[0]?.path).toEqual([target.field]);
        expectNoKeys(response);

        const writes = sandbox.requests().filter(onRoute(target));
        expect(writes).toHaveLength(1);
        const logged = gw
          .upstreamCalls(target.upstream)
          .filter((c) => c.method === target.scope.method && c.errorCode === fault.code);
        expect(logged).toHaveLength(1);

        sandbox.clearFaults();
        const healthy = await gw.graphql(
          '{ incidents(first: 1) { edges { node { id slas { id } } } } }',
        );
        expect(healthy.errors, healthy.text).toBeUndefined();
      });
    }
  }
});

// ---------------------------------------------------------------- circuit breaker

describe('circuit breaker', () => {
  const SLAS = '{ incidentSlas(first: 2) { edges { node { id } } } }';
  const slaLists = () => sandbox.requests('oneuptime').filter((r) => r.path.endsWith('get-list'));

  it('oneuptime · 5 consecutive 500s → the next call fails fast with UPSTREAM_UNAVAILABLE (circuit open)', async () => {
    const gw = await gateway();
    sandbox.setFault({ upstream: 'oneuptime', status: 500, body: { error: 'Server Error' } });
    for (let i = 1; i <= 5; i++) {
      const response = await gw.graphql(SLAS);
      expect(codes(response)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(response.errors?.[0]?.message).not.toMatch(/circuit/i);
      expect(slaLists()).toHaveLength(i);
    }
    const opened = gw.logs
      .entries()
      .filter((e) => e.msg === 'circuit breaker closed -> open' && e.upstream === 'oneuptime');
    expect(opened).toHaveLength(1);

    const response = await gw.graphql(SLAS);
    expect(codes(response)).toEqual(['UPSTREAM_UNAVAILABLE']);
    const error = response.errors![0]!;
    expect(error.extensions?.upstream).toBe('oneuptime');
    expect(error.message).toMatch(/circuit open/i);
    expect(error.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.extensions?.retryAfter).toBeLessThanOrEqual(10);
    expect(slaLists()).toHaveLength(5);

    // The breaker is per upstream: Coralogix is still served, the OneUptime join fails fast.
    sandbox.clearFaults();
    const joined = await gw.graphql<{ incidents: Edges<{ id: string; slas: unknown }> }>(
      '{ incidents(first: 2) { edges { node { id slas { id } } } } }',
    );
    expect(joined.data?.incidents.edges).toHaveLength(2);
    expect(joined.data?.incidents.edges.every(({ node }) => node.slas === null)).toBe(true);
    expect(joined.errors?.every((e) => /circuit open/i.test(e.message))).toBe(true);
    expect(sandbox.requests('oneuptime')).toHaveLength(5);
  });

  it('oneuptime · a 4xx between 500s resets the count: 4 × 500, 401, 4 × 500 keep it closed', async () => {
    const gw = await gateway();
    sandbox.setFault({ upstream: 'oneuptime', status: 500, times: 4 });
    sandbox.setFault({ upstream: 'oneuptime', status: 401, times: 1 });
    sandbox.setFault({ upstream: 'oneuptime', status: 500, times: 4 });
    const seen: unknown[] = [];
    for (let i = 0; i < 9; i++) seen.push(...codes(await gw.graphql(SLAS)));
    expect(seen).toEqual([
      ...Array(4).fill('UPSTREAM_UNAVAILABLE'),
      'UPSTREAM_UNAUTHENTICATED',
      ...Array(4).fill('UPSTREAM_UNAVAILABLE'),
    ]);
    const response = await gw.graphql(SLAS);
    expect(response.errors, response.text).toBeUndefined();
    expect(slaLists()).toHaveLength(10);
  });

  it('coralogix · retried 503s count too: two reads (6 failures) open it', async () => {
    const gw = await gateway();
    sandbox.setFault({ upstream: 'coralogix', status: 503 });
    const query = '{ incidents(first: 1) { edges { node { id } } } }';
    await gw.graphql(query);
    await gw.graphql(query);
    // The second read stopped at the fifth consecutive failure.
    expect(sandbox.requests('coralogix')).toHaveLength(5);
    const response = await gw.graphql(query);
    expect(response.errors?.[0]?.message).toMatch(/circuit open/i);
    expect(sandbox.requests('coralogix')).toHaveLength(5);
  });
});
