/**
 * The upstream-call bound of the operation limits (src/guard/callCount.ts over
 * the table in src/guard/upstreamCalls.ts), computed before execution. The
 * integration tests (test/integration/upstream-calls.test.ts and the property
 * in cost-fuzz.test.ts) hold it against the calls the emulators record.
 */
import {
  Kind,
  getIntrospectionQuery,
  isObjectType,
  parse,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_UPSTREAM_CALLS } from '../../src/config.js';
import { fragmentsOf } from '../../src/graphql/selection.js';
import { enforceLimits, measureOperation } from '../../src/guard/limits.js';
import { LOADERS, UPSTREAM_CALLS, perItemById } from '../../src/guard/upstreamCalls.js';
import { createSchema } from '../../src/schema.js';

const schema = createSchema();

function parsed(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { operation, fragments: fragmentsOf(document) };
}

function calls(
  source: string,
  variables: Record<string, unknown> = {},
  batching = true,
  table = UPSTREAM_CALLS,
): number {
  const { operation, fragments } = parsed(source);
  return measureOperation(schema, operation, fragments, variables, { batching, table })
    .upstreamCalls;
}

/** The attack: aliased windows of the event feed, each event's incident looked up. */
const feedWindows = (count: number, first = 100) =>
  `{ ${Array.from(
    { length: count },
    (_, i) => `w${i}: incidentEvents(first: ${first}) { edges { node { incident { id name } } } }`,
  ).join(' ')} }`;

const LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 15,
  maxCost: 30_000,
  maxUpstreamCalls: DEFAULT_MAX_UPSTREAM_CALLS,
};

describe('the upstream-call table', () => {
  it('names only fields the schema has', () => {
    for (const key of Object.keys(UPSTREAM_CALLS)) {
      const [type, field] = key.split('.') as [string, string];
      const named = schema.getType(type);
      expect(named && isObjectType(named) && named.getFields()[field], key).toBeTruthy();
    }
  });

  it('has an entry for every root field: each one reaches an upstream or says why not', () => {
    for (const root of [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ]) {
      for (const field of Object.keys(root!.getFields())) {
        expect(UPSTREAM_CALLS[`${root!.name}.${field}`], `${root!.name}.${field}`).toBeDefined();
      }
    }
  });
});

describe('the upstream-call bound', () => {
  it('counts one call per event for the incident of a feed item (no batch get)', () => {
    expect(calls(feedWindows(1))).toBe(1 + 100);
    expect(calls(feedWindows(1, 7))).toBe(1 + 7);
  });

  it('refuses the 15-window feed attack before any call, saying the estimate and the bound', () => {
    expect(calls(feedWindows(15))).toBe(15 * (1 + 100));
    const { operation, fragments } = parsed(feedWindows(15));
    let error: unknown;
    try {
      enforceLimits(LIMITS, schema, operation, fragments, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      message: expect.stringMatching(/up to 1515 upstream calls; the limit is 200/) as string,
      extensions: { code: 'QUERY_TOO_COMPLEX', upstreamCalls: 1515 },
    });
  });

  it('shares one loader among the fields of one level that use it', () => {
    // The list, then one link call, one SLA call, one incident call for the 100 incidents.
    const query =
      '{ incidents(first: 100) { edges { node { linkStatus slas { id } a: slas { status } oneUptimeIncident { id } } } } }';
    expect(calls(query)).toBe(4);
    // A fragment spread on the same level shares the level's calls.
    const fragment =
      '{ incidents(first: 100) { edges { node { slas { id } ...F } } } } fragment F on Incident { linkStatus slas { status } }';
    expect(calls(fragment)).toBe(1 + 1 + 1);
  });

  it('counts a level again for every set of parents it is reached from', () => {
    const twice =
      '{ a: incidents(first: 5) { edges { node { linkStatus } } } b: incidents(first: 5) { edges { node { linkStatus } } } }';
    expect(calls(twice)).toBe(2 * (1 + 1));
  });

  it('chunks the keys of a level by the ids one call carries', () => {
    // 100 incidents × 10 SLAs each (the rows per parent assumed) = 1000 SLAs, 1000 OneUptime ids.
    const query =
      '{ incidents(first: 100) { edges { node { slas { oneUptimeIncident { id } } } } } }';
    expect(calls(query)).toBe(1 + 1 + 1 + Math.ceil(1000 / LOADERS.incidentById.keysPerCall));
    // Each alias of a lookup by id asks for its own key; the Coralogix batch get carries 99.
    const ids = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `i${i}: incident(id: "${i}") { id }`).join(' ')} }`;
    expect(LOADERS.coralogixIncident.keysPerCall).toBe(99);
    expect(calls(ids(99))).toBe(1);
    expect(calls(ids(100))).toBe(2);
  });

  it('counts a lookup without a batch get once per selection, and once per parent below the root', () => {
    // As Coralogix cases will be: one GET per case id asked for, one per SLA's case.
    const table = {
      ...UPSTREAM_CALLS,
      'Query.incident': [perItemById('case by id')],
      'IncidentSla.incident': [perItemById('case by id')],
    };
    expect(
      calls('{ a: incident(id: "1") { id } b: incident(id: "2") { id } }', {}, true, table),
    ).toBe(2);
    expect(
      calls('{ incidentSlas(first: 30) { edges { node { incident { id } } } } }', {}, true, table),
    ).toBe(1 + 30);
  });

  it('counts the hop of a Coralogix list resumed from a cursor, and the link of a scoped page', () => {
    expect(calls('{ incidents(first: 5) { totalCount } }')).toBe(1);
    expect(calls('query($c: String) { incidents(after: $c) { totalCount } }', { c: 'x' })).toBe(2);
    expect(calls('query($c: String) { incidents(after: $c) { totalCount } }', { c: null })).toBe(1);
    expect(calls('{ incidentSlas { totalCount } }')).toBe(1);
    expect(calls('{ incidentSlas(filter: { incidentIds: ["a", "b"] }) { totalCount } }')).toBe(2);
  });

  it('reads the project states once per operation, however many levels ask', () => {
    const query =
      '{ oneUptimeIncidentStates { id } stateTimelines { edges { node { state { name } oneUptimeIncident { state { name } } } } } }';
    // The states, the timeline page, the OneUptime incidents of its entries.
    expect(calls(query)).toBe(3);
  });

  it('counts a timeline level as the link, three feed pages and the two OneUptime joins', () => {
    expect(calls('{ incidents(first: 50) { edges { node { timeline { totalCount } } } } }')).toBe(
      1 + 1 + 3 + 1 + 1,
    );
  });

  it('counts every load as a call of its own when batching is off (the naive baseline)', () => {
    const query = '{ incidents(first: 50) { edges { node { linkStatus slas { id } } } } }';
    expect(calls(query, {}, true)).toBe(3);
    // Per incident: the link for linkStatus, the link and the SLAs for slas.
    expect(calls(query, {}, false)).toBe(1 + 50 * 3);
  });

  it('counts writes with the reads they make, and their payload joins', () => {
    expect(calls('mutation { deleteIncidentRole(id: "x") { id } }')).toBe(2);
    expect(
      calls(
        'mutation { linkIncident(input: { incidentId: "a", oneUptimeIncidentId: "b" }) { incident { slas { id } } } }',
      ),
    ).toBe(5 + 1 + 1);
  });

  it('counts no upstream call for introspection', () => {
    expect(calls(getIntrospectionQuery())).toBe(0);
    expect(calls('{ __typename }')).toBe(0);
  });

  it('stays linear when fragments spread each other twice per level', () => {
    let fragments = 'fragment F0 on Incident { linkStatus }';
    for (let i = 1; i <= 20; i++) {
      fragments += ` fragment F${i} on Incident { ...F${i - 1} ...F${i - 1} oneUptimeIncident { incident { ...F${i - 1} } } }`;
    }
    // Walked naively, this is 3^20 spreads: the walk would not end within the test's timeout.
    const count = calls(`{ incident(id: "x") { ...F20 } } ${fragments}`);
    expect(count).toBeGreaterThan(20);
  });
});

describe('fields selected through an interface', () => {
  const FIELDS =
    'linkStatus slas { status } stateTimeline { id } responders { id } oneUptimeIncident { id }';

  it('cost what the same fields cost on the concrete type, inline', () => {
    const concrete = calls(
      `{ incidents(first: 100) { edges { node { ... on Incident { ${FIELDS} } } } } }`,
    );
    const throughInterface = calls(
      `{ incidents(first: 100) { edges { node { ... on LinkedToOneUptime { ${FIELDS} } } } } }`,
    );
    expect(concrete).toBe(6);
    expect(throughInterface).toBe(concrete);
  });

  it('count the rules of every implementing type in a named fragment on the interface', () => {
    const named = calls(
      `{ incidents(first: 100) { edges { node { ...Linked } } } }
       fragment Linked on LinkedToOneUptime { ${FIELDS} }`,
    );
    // Never fewer than on the concrete type (the fragment may meet a case: its link counts too).
    expect(named).toBeGreaterThanOrEqual(6);
  });

  it('refuses a write whose answer, selected through the interface, passes the bound', () => {
    const { operation, fragments } = parsed(
      `mutation ($i: AssignIncidentsInput!) { assignIncidents(input: $i) { incidents {
         ... on LinkedToOneUptime { slas { id } stateTimeline { id } } } } }`,
    );
    const variables = { i: { incidentIds: ['0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10'], userId: 'u' } };
    const limits = { ...LIMITS, maxUpstreamCalls: 3 };
    expect(() => enforceLimits(limits, schema, operation, fragments, variables)).toThrow(
      /up to 4 upstream call/,
    );
  });
});
