/**
 * The compiled executor (graphql-jit, the default) answers exactly as
 * graphql-js's executor does (GRAPHQL_JIT=false): two gateways over one
 * sandbox get the same requests, answers, partial answers and errors (paths,
 * codes, nullability propagation, variable errors and their HTTP status), and
 * must return the same bytes' worth of JSON. The rest of the suite runs on the
 * compiled executor; this file pins it to graphql-js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type FaultRule, type Sandbox } from '../../src/sandbox/index.js';
import { seedLinks } from '../support/links.js';
import { startStack, type Stack } from '../support/stack.js';

const SAME = { LINK_CACHE_TTL_MS: '0', CURSOR_SECRET: 'executor-parity-cursor-secret-0123456789' };

interface Case {
  name: string;
  body: Record<string, unknown>;
  fault?: FaultRule;
}

let sandbox: Sandbox;
let compiled: Stack;
let interpreted: Stack;
let cases: Case[];

beforeAll(async () => {
  sandbox = await startSandbox();
  compiled = await startStack({ over: sandbox, env: { ...SAME } });
  interpreted = await startStack({ over: sandbox, env: { ...SAME, GRAPHQL_JIT: 'false' } });
  const links = seedLinks(sandbox.seed);
  const linked = links.linked.find((i) => links.slasOf(i.id).length > 0)!;
  const query = (q: string, variables?: Record<string, unknown>, operationName?: string) => ({
    query: q,
    ...(variables ? { variables } : {}),
    ...(operationName ? { operationName } : {}),
  });
  cases = [
    {
      name: 'an incident with its events, assignments and link joins',
      body: query(
        `query One($id: ID!) { incident(id: $id) { id name severity status state createdAt duration
          assignments { assignedTo { id } } events { id type originator { __typename }
          detail { __typename } } linkStatus oneUptimeIncident { id title state { name } }
          stateTimeline { id startsAt state { name } } slas { id status statusText } } }`,
        { id: linked.id },
      ),
    },
    {
      name: 'a page with cursors, totals and joins both ways',
      body: query(`{ incidents(first: 5) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id slas { id incident { id name } } } } } }`),
    },
    {
      name: 'SLAs and OneUptime incidents with their Coralogix incidents',
      body: query(`{ incidentSlas(first: 5) { edges { node { id status oneUptimeIncident { id }
        incident { id } } } } oneUptimeIncidents(first: 3) { totalCount edges { node { id
        number incident { id } severity { name } } } } }`),
    },
    {
      name: 'fragments, aliases, @include and @skip',
      body: query(
        `query Q($s: Boolean!) { a: incidents(first: 3) { edges { node { ...F @include(if: $s) } } }
          b: incidents(first: 1) @skip(if: $s) { totalCount } __typename }
          fragment F on Incident { id name severity }`,
        { s: true },
      ),
    },
    {
      name: 'the same document with the other branch',
      body: query(
        `query Q($s: Boolean!) { a: incidents(first: 3) { edges { node { ...F @include(if: $s) } } }
          b: incidents(first: 1) @skip(if: $s) { totalCount } __typename }
          fragment F on Incident { id name severity }`,
        { s: false },
      ),
    },
    {
      name: 'introspection',
      body: query('{ __schema { queryType { name } } __type(name: "Incident") { name } }'),
    },
    {
      name: 'a misspelt enum value in a variable',
      body: query('query ($f: IncidentFilter) { incidents(filter: $f, first: 1) { totalCount } }', {
        f: { severities: ['CRITICLE'] },
      }),
    },
    {
      name: 'a missing required variable',
      body: query('query ($id: ID!) { incident(id: $id) { id } }', {}),
    },
    {
      name: 'a variable of the wrong type',
      body: query('query ($n: Int) { incidents(first: $n) { totalCount } }', { n: 'ten' }),
    },
    { name: 'an id that is not a UUID', body: query('{ incident(id: "not-a-uuid") { id } }') },
    { name: 'first over 100', body: query('{ incidents(first: 500) { totalCount } }') },
    {
      name: 'an operation name the document does not have',
      body: query('query A { __typename }', undefined, 'B'),
    },
    {
      name: 'a mutation refused before any write',
      body: query(
        'mutation { assignIncidents(input: { incidentIds: [], userId: "u" }) { incidents { id } } }',
      ),
    },
    {
      name: 'a join whose upstream fails: null fields with their paths',
      body: query('{ incidents(first: 3) { edges { node { id slas { id } } } } }'),
      fault: { upstream: 'oneuptime', path: 'incident-sla/get-list', status: 500 },
    },
    {
      name: 'a root list whose upstream fails',
      body: query('{ incidents(first: 2) { totalCount } incidentSlas(first: 1) { totalCount } }'),
      fault: { upstream: 'coralogix', status: 503 },
    },
    {
      name: 'a non-null field without its value: null goes up to the nullable parent',
      body: query('{ incidentSlas(first: 2) { totalCount edges { node { id status } } } }'),
      fault: {
        upstream: 'oneuptime',
        path: 'incident-sla/get-list',
        status: 200,
        body: { data: [{ _id: 'sla-without-status', incidentId: 'x' }], count: 1 },
      },
    },
  ];
});

afterAll(async () => {
  await compiled?.stop();
  await interpreted?.stop();
  await sandbox?.stop();
});

describe('the compiled executor', () => {
  it('answers every case exactly as graphql-js does', async () => {
    for (const { name, body, fault } of cases) {
      const answers = [];
      for (const gateway of [compiled, interpreted]) {
        // A document is compiled the second time it runs (jit.ts): the first run warms it up.
        if (gateway === compiled) await gateway.post(JSON.stringify(body));
        sandbox.reset();
        if (fault) sandbox.setFault(fault);
        const response = await gateway.post(JSON.stringify(body));
        answers.push({ status: response.status, body: response.json });
      }
      expect(answers[0], name).toEqual(answers[1]);
      expect(answers[0]?.body, name).toBeDefined();
    }
    sandbox.reset();
  });

  it('runs the cases through graphql-jit on one gateway and graphql-js on the other', () => {
    expect(compiled.config.graphqlJit).toBe(true);
    expect(interpreted.config.graphqlJit).toBe(false);
  });
});
