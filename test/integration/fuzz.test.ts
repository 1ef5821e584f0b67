/**
 * Property-based tests (fast-check) against a real gateway over the sandbox:
 *
 * (a) random GraphQL requests built from a small grammar over the real schema
 *     (valid and invalid fields, arguments, variables of wrong types, deep
 *     nesting, aliases, garbage text and HTTP bodies);
 * (b) random upstream payloads: a random status with a random body, or a real
 *     upstream answer with one part of it replaced by random JSON, on one of
 *     the routes a fixed query uses;
 * (c) no API key in any response.
 *
 * Every error must carry a catalogue code, a 5xx must still be a GraphQL
 * error body, and the gateway must keep answering. Upstream garbage must be
 * an UPSTREAM_* error, never INTERNAL_SERVER_ERROR.
 *
 * `npm test` uses a fixed seed, so CI is repeatable (the coverage checks of
 * (a) depend on what the generator happens to draw). FUZZ_SEED=random explores
 * new inputs; a failure prints the seed and the shrunk counterexample, and
 * FUZZ_SEED=<seed> (with FUZZ_PATH=<path>) replays it.
 */
import fc, { type GeneratorValue } from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import type { RecordedRequest, Sandbox } from '../../src/sandbox/index.js';
import { loadTypeDefs } from '../../src/schema.js';
import { useStack, type RawResponse } from '../support/stack.js';

const CX_KEY = 'cx-SECRET-fuzz-8a7b6c5d4e3f2a1b';
const OU_KEY = '3d2c1b0a-9f8e-4d7c-a6b5-4a3b2c1d0e9f';
const CATALOGUE = new Set<string>(ERROR_CODES);

const FIXED_SEED = 20261123;
const seed = (value = process.env.FUZZ_SEED) =>
  value === 'random' ? {} : { seed: value ? Number(value) : FIXED_SEED };

const params = <T>(numRuns: number): fc.Parameters<T> => ({
  numRuns,
  ...seed(),
  ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
});

// No link cache: every run of (b) reads the links, so garbage on the link query is met each time.
const gw = useStack({
  sandbox: { coralogixApiKey: CX_KEY, oneuptimeApiKey: OU_KEY },
  env: { UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '1', LINK_CACHE_TTL_MS: '0' },
});
let sandbox: Sandbox;
let schema: GraphQLSchema;
beforeAll(() => {
  sandbox = gw.sandbox;
  schema = buildSchema(loadTypeDefs().join('\n'));
});

// ---------------------------------------------------------------- shared checks

const HEALTHY =
  '{ incidents(first: 2) { edges { node { id slas { id } stateTimeline { id } } } } }';

/** The invariants every response must hold, whatever was sent or answered upstream. */
function checkResponse(
  response: RawResponse,
  options: { internalAllowed: boolean; seen?: Map<string, number> },
): void {
  const context = `HTTP ${response.status}: ${response.text.slice(0, 1500)}`;
  // (c) keys never leave the gateway.
  for (const key of [CX_KEY, OU_KEY]) {
    expect(response.text.includes(key), `key in body: ${context}`).toBe(false);
    expect(JSON.stringify(response.headers).includes(key), 'key in headers').toBe(false);
  }
  expect(response.json, `not JSON: ${context}`).toBeTypeOf('object');
  const body = response.json as { data?: unknown; errors?: unknown };
  expect('data' in body || 'errors' in body, context).toBe(true);
  if (response.status >= 500) {
    expect(
      Array.isArray(body.errors) && body.errors.length > 0,
      `5xx without errors: ${context}`,
    ).toBe(true);
  }
  const count = (what: string) => options.seen?.set(what, (options.seen.get(what) ?? 0) + 1);
  count(response.errors?.length ? 'with errors' : 'without errors');
  count(`HTTP ${response.status}`);
  for (const error of response.errors ?? []) {
    const code = error.extensions?.code;
    count(String(code));
    expect(
      CATALOGUE.has(String(code)),
      `code ${String(code)} not in the catalogue: ${context}`,
    ).toBe(true);
    if (!options.internalAllowed) {
      expect(code, `INTERNAL_SERVER_ERROR: ${context}`).not.toBe('INTERNAL_SERVER_ERROR');
    }
    if (String(code).startsWith('UPSTREAM_')) {
      expect(['coralogix', 'oneuptime'], context).toContain(error.extensions?.upstream);
    }
  }
}

async function expectHealthy(): Promise<void> {
  const response = await gw.graphql(HEALTHY);
  expect(response.errors, response.text).toBeUndefined();
  expect(response.data).toBeTruthy();
}

// ---------------------------------------------------------------- (a) random documents

type Gen = GeneratorValue;

interface Doc {
  /** What is sent: a GraphQL request body, or raw text for the HTTP-garbage cases. */
  body: string;
}

const pick = <T>(g: Gen, items: readonly T[]): T => g(fc.constantFrom, ...items);
/** 0..max (at least `min`) distinct items of `items`, in order. */
const some = <T>(g: Gen, items: readonly T[], min: number, max: number): T[] =>
  // Indices, not the items: fast-check compares arguments, and schema objects are cyclic.
  g(
    fc.subarray,
    items.map((_, i) => i),
    { minLength: Math.min(min, items.length), maxLength: Math.min(max, items.length) },
  ).map((i) => items[i]!);
const chance = (g: Gen, percent: number) => g(fc.integer, { min: 1, max: 100 }) <= percent;

function idPool(): string[] {
  const seed = sandbox.seed;
  return [
    seed.incidents[0]!.id,
    seed.incidents[1]!.id,
    seed.roles[0]!._id,
    seed.slas[0]!._id,
    seed.stateTimelines[0]!._id,
    seed.incidentStates[0]!.id,
    seed.users[0]!.id,
    '00000000-0000-4000-8000-000000000000',
    '',
    '   ',
    'not-a-uuid',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    '?ids=x&ids=y',
    'x'.repeat(300),
  ];
}

/** A GraphQL literal for `type`: usually the right kind, sometimes deliberately wrong. */
function literal(g: Gen, type: GraphQLInputType, depth: number): string {
  if (chance(g, 8)) return wrongLiteral(g);
  if (isNonNullType(type)) return literal(g, type.ofType, depth);
  if (isListType(type)) {
    if (chance(g, 20)) return literal(g, type.ofType, depth); // a single value for a list
    const n = g(fc.integer, { min: 0, max: depth > 2 ? 1 : 4 });
    return `[${Array.from({ length: n }, () => literal(g, type.ofType, depth + 1)).join(', ')}]`;
  }
  if (isEnumType(type)) {
    return chance(g, 85)
      ? pick(
          g,
          type.getValues().map((v) => v.name),
        )
      : 'NOT_A_VALUE';
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const chosen = some(g, fields, 0, 4);
    const entries = chosen.map((f) => `${f.name}: ${literal(g, f.type, depth + 1)}`);
    if (chance(g, 10)) entries.push('unknownField: 1');
    return `{ ${entries.join(', ')} }`;
  }
  if (isScalarType(type)) return scalarLiteral(g, type.name);
  return 'null';
}

function scalarLiteral(g: Gen, name: string): string {
  switch (name) {
    case 'Int':
      return String(pick(g, [0, 1, 2, 5, 20, 100, 101, -1, 2147483647, 2147483648] as number[]));
    case 'Boolean':
      return pick(g, ['true', 'false']);
    case 'ID':
      return JSON.stringify(pick(g, idPool()));
    case 'DateTime':
      return JSON.stringify(
        pick(g, [
          '2026-01-01T00:00:00Z',
          '2026-13-45T99:00:00Z',
          'yesterday',
          '',
          '1970-01-01T00:00:00.000+01:00',
        ]),
      );
    case 'JSON':
      return pick(g, ['{ a: 1 }', '[1, "x"]', 'null', '"s"']);
    default:
      return JSON.stringify(g(fc.string, { maxLength: 30 }));
  }
}

function wrongLiteral(g: Gen): string {
  return pick(g, [
    'null',
    '"text"',
    '42',
    '-7',
    '3.5',
    'true',
    'SOME_ENUM',
    '[]',
    '[null]',
    '{}',
    '{ x: 1 }',
    JSON.stringify(g(fc.string, { maxLength: 20 })),
  ]);
}

/** A random JSON value for a variable: right-ish for its declared type or anything at all. */
function variableValue(g: Gen, type: GraphQLInputType): unknown {
  if (chance(g, 40)) return g(fc.jsonValue, { maxDepth: 2 });
  const named = getNamedType(type);
  const one = (): unknown => {
    if (isEnumType(named))
      return pick(
        g,
        named.getValues().map((v) => v.name),
      );
    if (isInputObjectType(named)) {
      const out: Record<string, unknown> = {};
      for (const field of some(g, Object.values(named.getFields()), 0, 3)) {
        out[field.name] = variableValue(g, field.type);
      }
      return out;
    }
    switch (named.name) {
      case 'Int':
        return g(fc.integer, { min: -5, max: 150 });
      case 'Boolean':
        return g(fc.boolean);
      case 'ID':
        return pick(g, idPool());
      default:
        return g(fc.string, { maxLength: 20 });
    }
  };
  const list = isListType(isNonNullType(type) ? type.ofType : type);
  return list ? Array.from({ length: g(fc.integer, { min: 0, max: 3 }) }, one) : one();
}

interface Vars {
  declarations: string[];
  values: Record<string, unknown>;
}

function argument(
  g: Gen,
  arg: { name: string; type: GraphQLInputType },
  vars: Vars,
  depth: number,
) {
  if (chance(g, 25)) {
    const name = `v${vars.declarations.length}`;
    const declared = chance(g, 75)
      ? arg.type.toString()
      : pick(g, ['Int', 'String!', 'ID', '[ID!]!', 'Boolean', 'IncidentFilter', 'Float', 'Nope']);
    vars.declarations.push(`$${name}: ${declared}`);
    if (chance(g, 85)) vars.values[name] = variableValue(g, arg.type);
    return `${arg.name}: $${name}`;
  }
  return `${arg.name}: ${literal(g, arg.type, depth)}`;
}

function fieldCall(
  g: Gen,
  field: GraphQLField<unknown, unknown>,
  vars: Vars,
  budget: number,
  aliasCount: { n: number },
): string {
  const args = field.args.filter((a) => isNonNullType(a.type) || chance(g, 50));
  const rendered = args.map((a) => argument(g, a, vars, 0));
  if (chance(g, 5)) rendered.push(`bogus: ${wrongLiteral(g)}`);
  if (!rendered.length && field.args.length && chance(g, 10)) rendered.push('');
  const alias = chance(g, 15) ? `a${aliasCount.n++}: ` : '';
  const directive = chance(g, 5)
    ? pick(g, [' @skip(if: false)', ' @include(if: true)', ' @nope'])
    : '';
  const call = `${alias}${field.name}${rendered.length ? `(${rendered.join(', ')})` : ''}${directive}`;
  const named = getNamedType(field.type);
  const sub = selection(g, named, vars, budget - 1, aliasCount);
  return sub === undefined ? call : `${call} ${sub}`;
}

/** A selection set for `type`, or undefined for leaves (sometimes deliberately wrong). */
function selection(
  g: Gen,
  type: GraphQLNamedType,
  vars: Vars,
  budget: number,
  aliasCount: { n: number },
): string | undefined {
  if (isScalarType(type) || isEnumType(type)) {
    return chance(g, 3) ? '{ id }' : undefined; // a selection on a leaf is invalid
  }
  if (budget <= 0 || chance(g, 3)) return chance(g, 50) ? '{ __typename }' : undefined;
  if (isUnionType(type)) {
    const members = some(g, type.getTypes(), 1, 2);
    const parts = members.map(
      (m) => `... on ${m.name} ${selection(g, m, vars, budget, aliasCount) ?? '{ __typename }'}`,
    );
    return `{ __typename ${parts.join(' ')} }`;
  }
  if (!isObjectType(type)) return '{ __typename }';
  const fields = Object.values((type as GraphQLObjectType).getFields());
  const chosen = some(g, fields, 1, 3);
  const parts = chosen.map((f) => fieldCall(g, f, vars, budget, aliasCount));
  if (chance(g, 4)) parts.push('notAField');
  return `{ ${parts.join(' ')} }`;
}

function operation(g: Gen): Doc {
  const kind = pick(g, ['query', 'query', 'query', 'query', 'mutation'] as const);
  const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  const vars: Vars = { declarations: [], values: {} };
  const aliasCount = { n: 0 };
  const budget = g(fc.integer, { min: 1, max: 6 });
  const roots = some(g, Object.values(root.getFields()), 1, 2);
  const fields = roots.map((f) => fieldCall(g, f, vars, budget, aliasCount)).join(' ');
  const name = chance(g, 20) ? ' Fuzz' : '';
  const declarations = vars.declarations.length ? `(${vars.declarations.join(', ')})` : '';
  const query = `${kind}${name}${declarations} { ${fields} }`;
  const operationName = chance(g, 10) ? pick(g, ['Fuzz', 'Other', '']) : undefined;
  return {
    body: JSON.stringify({
      query,
      variables: chance(g, 5) ? g(fc.jsonValue, { maxDepth: 1 }) : vars.values,
      ...(operationName === undefined ? {} : { operationName }),
    }),
  };
}

/** Joins nested to a random depth (past MAX_DEPTH sometimes). */
function deepNesting(g: Gen): Doc {
  const levels = g(fc.integer, { min: 1, max: 12 });
  let inner = 'id';
  for (let i = 0; i < levels; i++) {
    inner = i % 2 === 0 ? `id slas { ${inner} }` : `id incident { ${inner} }`;
  }
  const query = `{ incidentSlas(first: ${g(fc.integer, { min: 0, max: 3 })}) { edges { node { incident { ${inner} } } } } }`;
  return { body: JSON.stringify({ query }) };
}

function manyAliases(g: Gen): Doc {
  const n = g(fc.integer, { min: 1, max: 40 });
  const fields = Array.from(
    { length: n },
    (_, i) => `r${i}: incidentRoles(first: 1) { totalCount }`,
  );
  return { body: JSON.stringify({ query: `{ ${fields.join(' ')} }` }) };
}

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '!',
  '...',
  '@',
  '=',
  '#',
  ',',
  '"',
  '"""',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'incidents',
  'incident',
  'first',
  'after',
  'id',
  'edges',
  'node',
  'slas',
  '1',
  '-1',
  '1e400',
  'null',
  'true',
  '__schema',
  '__typename',
];

function garbage(g: Gen): Doc {
  const choice = pick(g, ['tokens', 'string', 'body', 'shape'] as const);
  if (choice === 'tokens') {
    const tokens = g(fc.array, fc.constantFrom(...TOKENS), { maxLength: 40 });
    return { body: JSON.stringify({ query: tokens.join(' ') }) };
  }
  if (choice === 'string')
    return { body: JSON.stringify({ query: g(fc.string, { maxLength: 200 }) }) };
  if (choice === 'body') return { body: g(fc.string, { maxLength: 100 }) };
  // A JSON body of the wrong shape: query not a string, variables not an object, an array, …
  return {
    body: JSON.stringify(
      pick(g, [
        { query: g(fc.jsonValue, { maxDepth: 1 }) },
        { query: '{ __typename }', variables: g(fc.jsonValue, { maxDepth: 1 }) },
        { query: '{ __typename }', extensions: g(fc.jsonValue, { maxDepth: 1 }) },
        g(fc.jsonValue, { maxDepth: 2 }),
        [{ query: '{ __typename }' }],
        {},
      ]),
    ),
  };
}

const documentArb = fc.gen().map((g): Doc => {
  const kind = g(fc.integer, { min: 1, max: 100 });
  if (kind <= 65) return operation(g);
  if (kind <= 75) return deepNesting(g);
  if (kind <= 82) return manyAliases(g);
  return garbage(g);
});

describe('(a) random GraphQL requests', () => {
  it(
    'never a 5xx without a GraphQL error, every code from the catalogue, no key, still answering',
    { timeout: 120_000 },
    async () => {
      const started = gw.responses.length;
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(documentArb, async (doc) => {
          const response = await gw.post(doc.body);
          checkResponse(response, { internalAllowed: false, seen });
        }),
        params(200),
      );
      expect(gw.responses.length - started).toBeGreaterThanOrEqual(200);
      // The grammar reaches both valid operations and each kind of refusal.
      for (const what of ['without errors', 'BAD_USER_INPUT', 'QUERY_TOO_COMPLEX', 'HTTP 200']) {
        expect(seen.get(what) ?? 0, `${what}: ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
      }
      await expectHealthy();
      sandbox.reset();
    },
  );
});

// ---------------------------------------------------------------- (b) upstream garbage

const FIXED = `query Fixed($role: ID!) {
  incidents(first: 3) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name description state status severity isMuted createdAt closedAt duration
        lastStateUpdateTime lastStateUpdateKey
        assignments { assignedTo { id } assignedBy { id } }
        contextualLabels { key value } displayLabels { key value } metaLabels { key value }
        events {
          id type
          originator {
            __typename
            ... on OperationalOriginator { systemName }
            ... on AdministrativeOriginator { user { id } }
          }
          detail {
            __typename
            ... on SnoozeDetail { startTime durationMinutes user { id } }
            ... on AssignDetail { assignedTo { id } assignedBy { id } }
            ... on UnassignDetail { unassigned }
            ... on UpsertStateDetail { stateType cxEventKey isMuted }
            ... on AcknowledgeDetail { acknowledgedBy { id } }
            ... on CloseDetail { closedBy { id } }
          }
        }
        linkStatus
        oneUptimeIncident { id title state { id name } }
        slas { id oneUptimeIncidentId ruleId status statusText slaStartedAt responseDeadline resolvedAt createdAt }
        stateTimeline { id incidentStateId state { name color } startsAt endsAt rootCause stateChangeLog createdByUser { id } shouldStatusPageSubscribersBeNotified }
      }
    }
  }
  incidentSlas(first: 2) { totalCount edges { cursor node { id status statusText incident { id name severity } } } }
  incidentRoles(first: 2) { totalCount edges { node { id name slug description color roleIcon isPrimaryRole isDeleteable canAssignMultipleUsers createdAt updatedAt } } }
  roleCount: incidentRoles(first: 0) { totalCount }
  stateTimelines(first: 2) { edges { node { id oneUptimeIncidentId startsAt incident { id } } } }
  incidentRole(id: $role) { id name color }
}`;

interface Route {
  upstream: 'coralogix' | 'oneuptime';
  method: string;
  /** Matches the emulator path. */
  path: RegExp;
  label: string;
}

const ROUTES: Route[] = [
  { upstream: 'coralogix', method: 'POST', path: /\/incidents\/incidents\/v1$/, label: 'cx list' },
  {
    upstream: 'coralogix',
    method: 'GET',
    path: /\/incidents\/incidents\/v1$/,
    label: 'cx batchGet',
  },
  {
    // The link query and the OneUptime incidents read by _id.
    upstream: 'oneuptime',
    method: 'POST',
    path: /^\/api\/incident\/get-list$/,
    label: 'incident list',
  },
  {
    upstream: 'oneuptime',
    method: 'POST',
    path: /^\/api\/incident-state\/get-list$/,
    label: 'state list',
  },
  {
    upstream: 'oneuptime',
    method: 'POST',
    path: /^\/api\/incident-sla\/get-list$/,
    label: 'sla list',
  },
  {
    upstream: 'oneuptime',
    method: 'POST',
    path: /^\/api\/incident-state-timeline\/get-list$/,
    label: 'timeline list',
  },
  {
    upstream: 'oneuptime',
    method: 'POST',
    path: /^\/api\/incident-role\/get-list$/,
    label: 'role list',
  },
  {
    upstream: 'oneuptime',
    method: 'POST',
    path: /^\/api\/incident-role\/count$/,
    label: 'role count',
  },
];

/** Real answers of every route, captured by replaying the fixed query's upstream requests. */
const realBodies = new Map<string, unknown[]>();

async function replay(request: RecordedRequest): Promise<unknown> {
  const base = new URL(
    request.upstream === 'coralogix' ? sandbox.coralogix.url : sandbox.oneuptime.url,
  ).origin;
  const search = new URLSearchParams();
  for (const [key, values] of Object.entries(request.query))
    for (const v of values) search.append(key, v);
  const headers: Record<string, string> =
    request.upstream === 'coralogix' ? { authorization: `Bearer ${CX_KEY}` } : { apikey: OU_KEY };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${request.path}?${search.toString()}`, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  return response.json();
}

async function captureRealBodies(): Promise<void> {
  sandbox.reset();
  const response = await gw.graphql(FIXED, { role: sandbox.seed.roles[0]!._id });
  expect(response.errors, response.text).toBeUndefined();
  for (const request of sandbox.requests()) {
    const route = ROUTES.find(
      (r) =>
        r.upstream === request.upstream && r.method === request.method && r.path.test(request.path),
    );
    if (!route) continue;
    const list = realBodies.get(route.label) ?? [];
    list.push(await replay(request));
    realBodies.set(route.label, list);
  }
  sandbox.reset();
}

/**
 * Replaces (or deletes) the node at the end of a random walk into `value`;
 * `at` collects the walked keys, for the counterexample's description.
 */
function mutate(
  value: unknown,
  walk: number[],
  replacement: unknown,
  remove: boolean,
  at: string[],
): unknown {
  if (walk.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const [step, ...rest] = walk as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) {
      at.push('0');
      return remove ? value : [replacement];
    }
    const i = step % value.length;
    at.push(String(i));
    const copy = [...value];
    if (remove && rest.length === 0) copy.splice(i, 1);
    else copy[i] = mutate(value[i], rest, replacement, remove, at);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    at.push('x');
    return remove ? value : { x: replacement };
  }
  const key = keys[step % keys.length]!;
  at.push(key);
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (remove && rest.length === 0) delete copy[key];
  else copy[key] = mutate(copy[key], rest, replacement, remove, at);
  return copy;
}

interface Payload {
  body: unknown;
  /** What was done to the real answer, or the whole body when it is random. */
  change: string;
}

interface UpstreamFault {
  route: string;
  status: number;
  payload: Payload;
  times: number;
  retryAfter: string | undefined;
}

const STATUSES = [
  200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502,
  503, 599,
];

const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

function mutatedRealBody(route: string): fc.Arbitrary<Payload> {
  return fc
    .record({
      which: fc.nat(),
      walk: fc.array(fc.nat({ max: 50 }), { minLength: 0, maxLength: 6 }),
      replacement: fc.jsonValue({ maxDepth: 2 }),
      remove: fc.boolean(),
    })
    .map(({ which, walk, replacement, remove }) => {
      const bodies = realBodies.get(route) ?? [{}];
      const at: string[] = [];
      const body = mutate(bodies[which % bodies.length], walk, replacement, remove, at);
      const where = at.join('.') || '(root)';
      const deleted = remove && walk.length > 0 && at.length === walk.length;
      return {
        body,
        change: `real answer with ${where} ${deleted ? 'deleted' : `:= ${short(replacement)}`}`,
      };
    });
}

const randomBody = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<Payload> =>
  arb.map((body) => ({ body, change: `body ${short(body)}` }));

const upstreamFaultArb: fc.Arbitrary<UpstreamFault> = fc
  .constantFrom(...ROUTES.map((r) => r.label))
  .chain((route) =>
    fc.record({
      route: fc.constant(route),
      status: fc.constantFrom(...STATUSES),
      times: fc.integer({ min: 1, max: 3 }),
      retryAfter: fc.option(
        fc.constantFrom('0', 'soon', '-1', '', 'Wed, 21 Oct 2015 07:28:00 GMT'),
        { nil: undefined },
      ),
      payload: fc.oneof(
        { weight: 3, arbitrary: mutatedRealBody(route) },
        { weight: 1, arbitrary: randomBody(fc.jsonValue({ maxDepth: 3 })) },
        { weight: 1, arbitrary: randomBody(fc.string({ maxLength: 40 })) },
      ),
    }),
  )
  .map((fault) =>
    // Counterexamples print as one readable line instead of a whole upstream answer.
    Object.assign(fault, {
      [fc.toStringMethod]: () =>
        `${fault.route} → HTTP ${fault.status} ×${fault.times}` +
        `${fault.retryAfter === undefined ? '' : ` Retry-After: ${JSON.stringify(fault.retryAfter)}`}` +
        `, ${fault.payload.change}`,
    }),
  );

describe('(b) malformed upstream payloads', () => {
  beforeAll(async () => {
    await captureRealBodies();
  });

  it('the real answers were captured for every route', () => {
    expect([...realBodies.keys()].sort()).toEqual(ROUTES.map((r) => r.label).sort());
  });

  it(
    'no crash, every code in the catalogue, upstream garbage is never INTERNAL_SERVER_ERROR',
    { timeout: 120_000 },
    async () => {
      const role = sandbox.seed.roles[0]!._id;
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(upstreamFaultArb, async (fault) => {
          const route = ROUTES.find((r) => r.label === fault.route)!;
          sandbox.clearFaults();
          sandbox.setFault({
            upstream: route.upstream,
            method: route.method,
            path: route.path,
            status: fault.status,
            body: fault.payload.body,
            times: fault.times,
            ...(fault.retryAfter === undefined
              ? {}
              : { headers: { 'retry-after': fault.retryAfter } }),
          });
          const response = await gw.graphql(FIXED, { role });
          sandbox.clearFaults();
          checkResponse(response, { internalAllowed: false, seen });
          // The process keeps answering, and the breaker is reset for the next run.
          await expectHealthy();
        }),
        params(120),
      );
      // The payloads really broke things in several ways (and sometimes not at all).
      for (const what of ['without errors', 'UPSTREAM_BAD_RESPONSE', 'UPSTREAM_UNAVAILABLE']) {
        expect(seen.get(what) ?? 0, `${what}: ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
      }
      if (process.env.FUZZ_STATS) console.log(Object.fromEntries(seen));
    },
  );
});

describe('(c) keys', () => {
  it('no API key in any response or log line of this file', () => {
    expect(gw.responses.length).toBeGreaterThanOrEqual(200);
    for (const response of gw.responses) {
      const everything = response.text + JSON.stringify(response.headers);
      expect(everything.includes(CX_KEY) || everything.includes(OU_KEY), response.text).toBe(false);
    }
    for (const line of gw.logs.lines) {
      expect(line.includes(CX_KEY) || line.includes(OU_KEY), line).toBe(false);
    }
  });
});
