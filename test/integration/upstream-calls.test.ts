/**
 * MAX_UPSTREAM_CALLS over real HTTP against the sandbox emulators: the static
 * bound refuses the feed attack before any call, lets every documented
 * query and write through with headroom and is never below what they make
 * (the sandbox's request log); the per-operation counter stops a run that
 * goes past the limit anyway (retries are attempts too) without sending the
 * call; and a level whose parents are partly cached still makes one call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_UPSTREAM_CALLS, packageRoot } from '../../src/config.js';
import { fragmentsOf } from '../../src/graphql/selection.js';
import { measureOperation } from '../../src/guard/limits.js';
import { loadExamples } from '../../src/http/graphiql.js';
import { examplePlaceholders } from '../../src/sandbox/examplePlaceholders.js';
import type { SeedData } from '../../src/sandbox/seed.js';
import { createSchema } from '../../src/schema.js';
import { benchQueries } from '../../bench/queries.js';
import { CX } from '../support/coralogix.js';
import { seedLinks, type SeedLinks } from '../support/links.js';
import { useStack, type Stack } from '../support/stack.js';

const schema = createSchema();
const READ_TOKEN = 'read-only-token-1';
const WRITE_TOKEN = 'read-write-token-1';
const stack = useStack({
  resetEach: true,
  env: { GATEWAY_TOKENS: WRITE_TOKEN, GATEWAY_READ_TOKENS: READ_TOKEN, LINK_CACHE_TTL_MS: '0' },
});
const asWriter = { authorization: `Bearer ${WRITE_TOKEN}` };
let seed: SeedData;
let links: SeedLinks;
beforeAll(() => {
  seed = stack.sandbox.seed;
  links = seedLinks(seed);
});

function boundOf(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return measureOperation(schema, operation, fragmentsOf(document), variables).upstreamCalls;
}

/** Runs an operation, which must succeed, and returns the calls the emulators recorded for it. */
async function recorded(
  target: Stack,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<number> {
  target.sandbox.clearRequests();
  const response = await target.graphql(query, variables, asWriter);
  expect(response.status, JSON.stringify(response.errors)).toBe(200);
  expect(response.errors, `${query}\n${JSON.stringify(response.errors)}`).toBeUndefined();
  return target.sandbox.requests().length;
}

/** The attack: aliased windows of the event feed, each event's incident looked up. */
const feedWindows = (count: number, first = 100) =>
  `{ ${Array.from(
    { length: count },
    (_, i) => `w${i}: incidentEvents(first: ${first}) { edges { node { incident { id name } } } }`,
  ).join(' ')} }`;

describe('the upstream-call bound', () => {
  it('refuses 15 aliased feed windows with their incidents before any upstream call', async () => {
    const response = await stack.graphql(feedWindows(15), undefined, {
      authorization: `Bearer ${READ_TOKEN}`,
    });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]).toMatchObject({
      message: `Query could make up to 1515 upstream calls; the limit is ${DEFAULT_MAX_UPSTREAM_CALLS}. Ask for fewer items (lower "first"), fewer joins per item, or fewer copies of a list.`,
      extensions: { code: 'QUERY_TOO_COMPLEX', upstreamCalls: 1515 },
    });
    expect(stack.sandbox.requests()).toEqual([]);
  });

  it('measures a remembered document again for new variables: a pass never lets a costlier run through', async () => {
    // The guard remembers (document, variables) that passed (src/guard/operationGuard.ts).
    const query = `query Feed($first: Int, $again: Int) {
      a: incidentEvents(first: $first) { edges { node { incident { id } } } }
      b: incidentEvents(first: $again) { edges { node { incident { id } } } }
    }`;
    const small = { first: 2, again: 2 };
    const large = { first: 100, again: 100 };
    expect(boundOf(query, small)).toBeLessThanOrEqual(DEFAULT_MAX_UPSTREAM_CALLS);
    expect(boundOf(query, large)).toBeGreaterThan(DEFAULT_MAX_UPSTREAM_CALLS);
    for (let round = 0; round < 2; round++) {
      const passed = await stack.graphql(query, small, asWriter);
      expect(passed.errors).toBeUndefined();
      stack.sandbox.clearRequests();
      const refused = await stack.graphql(query, large, asWriter);
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        upstreamCalls: boundOf(query, large),
      });
      expect(stack.sandbox.requests()).toEqual([]);
    }
  });

  it('lets one full page of the feed with each incident through, and makes no more calls than counted', async () => {
    const query = feedWindows(1);
    const bound = boundOf(query);
    expect(bound).toBeLessThanOrEqual(DEFAULT_MAX_UPSTREAM_CALLS);
    const calls = await recorded(stack, query);
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThanOrEqual(bound);
  });

  it('lets every example, README and bench query through with headroom, never below its calls', async () => {
    const placeholders = examplePlaceholders(seed);
    const fill = (text: string) =>
      Object.entries(placeholders).reduce((t, [from, to]) => t.split(from).join(to), text);
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const variables: Record<string, unknown> = {};
    const examples = loadExamples().filter((example) => !/^\s*subscription\b/m.test(example.query));
    for (const example of examples) {
      Object.assign(variables, JSON.parse(fill(example.variables ?? '{}')));
    }
    const operations: Array<{ name: string; query: string; variables?: Record<string, unknown> }> =
      [
        ...examples.map((example) => ({ name: example.name, query: example.query })),
        ...[...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => ({
          name: `README #${i + 1}`,
          query: m[1]!,
        })),
        ...benchQueries(placeholders['<incident id>']!).map((q) => ({
          name: `bench ${q.id}`,
          query: q.gateway.query,
          ...(q.gateway.variables ? { variables: q.gateway.variables } : {}),
        })),
      ];
    expect(operations.length).toBeGreaterThan(12);
    for (const operation of operations) {
      stack.sandbox.reset();
      const given = operation.variables ?? variables;
      const bound = boundOf(operation.query, given);
      // Headroom: the largest documented query stays under a quarter of the default.
      expect(bound * 4, operation.name).toBeLessThanOrEqual(DEFAULT_MAX_UPSTREAM_CALLS);
      const calls = await recorded(stack, operation.query, given);
      expect(calls, `${operation.name}: ${calls} calls, bound ${bound}`).toBeLessThanOrEqual(bound);
    }
  });

  it('is never below the calls of a write, reads and payload joins included', async () => {
    const user = seed.users.at(-1)!.id;
    const [unlinked, spare] = links.unlinked;
    const free = seed.oneUptimeIncidents.find((row) => !links.namedBy(row._id))!;
    const lastState = seed.incidentStates.at(-1)!;
    // Linked, its OneUptime incident not yet in the last state, no member who is `user`.
    const linked = links.linked.find((incident) => {
      const row = links.row(links.oneUptimeOf(incident.id)!)!;
      const members = seed.members.filter((m) => m.incidentId === row._id);
      return (
        row.currentIncidentStateId !== lastState._id && members.every((m) => m.userId !== user)
      );
    })!;
    const conflicted = links.conflicted[0] ?? linked;
    const multiRole = seed.roles.find((role) => role.canAssignMultipleUsers === true)!;
    const writes: Array<[string, string]> = [
      [
        'assign',
        `assignIncidents(input: { incidentIds: ["${linked.id}"], userId: "${user}" }) { incidents { id linkStatus } }`,
      ],
      [
        'close',
        `closeIncidents(input: { incidentIds: ["${linked.id}"] }) { incidents { slas { id } } }`,
      ],
      [
        'link',
        `linkIncident(input: { incidentId: "${unlinked!.id}", oneUptimeIncidentId: "${free._id}" }) { incident { linkStatus } oneUptimeIncident { slas { id } } }`,
      ],
      [
        'unlink',
        `unlinkIncident(input: { incidentId: "${conflicted.id}" }) { incident { id } oneUptimeIncident { id } }`,
      ],
      [
        'ensure',
        `ensureOneUptimeIncident(input: { incidentId: "${spare!.id}" }) { created oneUptimeIncident { state { name } severity { name } } }`,
      ],
      [
        'timeline',
        `createStateTimeline(input: { incidentId: "${linked.id}", incidentStateId: "${lastState._id}", rootCause: "r" }) { id incident { id } state { name } }`,
      ],
      ['create role', `createIncidentRole(input: { name: "Scribe", color: "#112233" }) { id }`],
      [
        'update role',
        `updateIncidentRole(id: "${seed.roles[0]!._id}", input: { description: "d" }) { id }`,
      ],
      ['delete role', `deleteIncidentRole(id: "${seed.roles.at(-1)!._id}") { id }`],
      [
        'add responder',
        `addIncidentResponder(input: { incidentId: "${linked.id}", userId: "${user}", roleId: "${multiRole._id}" }) { id role { name } oneUptimeIncident { id } }`,
      ],
      ['remove responder', `removeIncidentResponder(id: "${seed.members[0]!._id}") { id }`],
    ];
    for (const [name, field] of writes) {
      stack.sandbox.reset();
      const query = `mutation { ${field} }`;
      const bound = boundOf(query);
      const calls = await recorded(stack, query);
      expect(calls, `${name}: ${calls} calls, bound ${bound}`).toBeLessThanOrEqual(bound);
      expect(calls, name).toBeGreaterThan(0);
    }
  });

  it('makes one call for a level whose parents are partly cached (regression: two)', async () => {
    let partlyCached = 0;
    for (const state of seed.incidentStates) {
      stack.sandbox.clearRequests();
      const response = await stack.graphql<{
        primed: { edges: Array<{ node: { id: string } }> };
        entries: { edges: Array<{ node: { oneUptimeIncident: { id: string } | null } }> };
      }>(
        `{ primed: oneUptimeIncidents(first: 100, filter: { stateIds: ["${state._id}"] }) { edges { node { id } } }
           entries: stateTimelines(first: 50) { edges { node { oneUptimeIncident { id slas { id } } } } } }`,
        undefined,
        asWriter,
      );
      expect(response.errors).toBeUndefined();
      const primed = new Set(response.data!.primed.edges.map((e) => e.node.id));
      const parents = new Set(
        response.data!.entries.edges.flatMap((e) => e.node.oneUptimeIncident?.id ?? []),
      );
      const cached = [...parents].filter((id) => primed.has(id)).length;
      if (cached > 0 && cached < parents.size) partlyCached += 1;
      const slaCalls = stack.sandbox
        .requests('oneuptime')
        .filter((r) => r.path === '/api/incident-sla/get-list');
      expect(slaCalls, `state ${state.name}: ${cached} of ${parents.size} cached`).toHaveLength(1);
    }
    expect(partlyCached).toBeGreaterThan(0);
  });
});

describe('arguments costed as they run', () => {
  it('runs Incident.timeline(first: null) with the 50 it is costed at', async () => {
    // An incident's timeline holds its Coralogix events: each write adds one.
    const id = seed.incidents[0]!.id;
    const user = seed.users[0]!.id;
    const writes = Array.from(
      { length: 7 },
      (_, i) =>
        `a${i}: assignIncidents(input: { incidentIds: ["${id}"], userId: "${user}" }) { incidents { id } }
         u${i}: unassignIncidents(input: { incidentIds: ["${id}"] }) { incidents { id } }`,
    );
    for (let round = 0; round < 3; round++) {
      const wrote = await stack.graphql(`mutation { ${writes.join(' ')} }`, undefined, asWriter);
      expect(wrote.errors).toBeUndefined();
    }
    const total = await stack.graphql<{ incident: { timeline: { totalCount: number } } }>(
      `{ incident(id: "${id}") { timeline(first: 0) { totalCount } } }`,
      undefined,
      asWriter,
    );
    const longest = { id, timeline: total.data!.incident.timeline };
    // Only a timeline longer than 20 tells 50 from the 20 it used to be costed at.
    expect(longest.timeline.totalCount).toBeGreaterThan(20);
    const query =
      'query($id: ID!, $n: Int) { incident(id: $id) { timeline(first: $n) { edges { cursor } } } }';
    const page = await stack.graphql<{ incident: { timeline: { edges: unknown[] } } }>(
      query,
      { id: longest.id, n: null },
      asWriter,
    );
    const edges = page.data!.incident.timeline.edges.length;
    expect(edges).toBe(Math.min(50, longest.timeline.totalCount));
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const { cost } = measureOperation(schema, operation, {}, { id: longest.id, n: null });
    // incident, timeline, edges, and a cursor per edge.
    expect(cost).toBeGreaterThanOrEqual(3 + edges);
  });
});

describe('the per-operation counter', () => {
  const small = useStack({ env: { MAX_UPSTREAM_CALLS: '2', UPSTREAM_RETRIES: '2' } });

  it('stops a run at the limit without sending the call, the rest of the response intact', async () => {
    // Counted statically at 2 (two pages); the retry of the failed Coralogix list is a third attempt.
    const query = '{ incidents(first: 1) { totalCount } incidentRoles(first: 1) { totalCount } }';
    expect(boundOf(query)).toBe(2);
    small.sandbox.setFault({
      upstream: 'coralogix',
      method: CX.list.method,
      path: CX.list.path,
      status: 503,
      times: 1,
    });
    small.sandbox.clearRequests();
    const response = await small.graphql<{
      incidents: unknown;
      incidentRoles: { totalCount: number } | null;
    }>(query);
    expect(response.status).toBe(200);
    expect(response.data?.incidents).toBeNull();
    expect(response.data?.incidentRoles?.totalCount).toBeGreaterThan(0);
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['incidents'],
        message: expect.stringMatching(
          /limit of 2 upstream calls \(MAX_UPSTREAM_CALLS\)/,
        ) as string,
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }) as object,
      }),
    ]);
    // The first list attempt (answered 503) and the roles page; the retry was never sent.
    expect(small.sandbox.requests()).toHaveLength(2);
  });
});
