import { describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { useStack } from '../support/stack.js';

describe('gateway tokens', () => {
  const stack = useStack({
    env: { GATEWAY_TOKENS: 'rw-token-1,rw-token-2', GATEWAY_READ_TOKENS: 'ro-token' },
  });

  const incidentId = () => stack.sandbox.seed.incidents[0]!.id;
  const assign = `mutation($ids: [ID!]!) { assignIncidents(input: { incidentIds: $ids, userId: "u-1" }) { incidents { id } } }`;

  it('refuses a request without a token with UNAUTHENTICATED and calls no upstream', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql('{ incidents(first: 1) { totalCount } }');
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(stack.sandbox.requests()).toHaveLength(0);
  });

  it('refuses an unknown token', async () => {
    const response = await stack.graphql('{ __typename }', {}, { authorization: 'Bearer nope' });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets a read token query', async () => {
    const response = await stack.graphql(
      '{ incidents(first: 1) { totalCount } }',
      {},
      { authorization: 'Bearer ro-token' },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ incidents: { totalCount: 300 } });
  });

  it('refuses a mutation with a read token as FORBIDDEN before any upstream call', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(
      assign,
      { ids: [incidentId()] },
      { authorization: 'Bearer ro-token' },
    );
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(stack.sandbox.requests()).toHaveLength(0);
  });

  it('lets a read-write token mutate', async () => {
    const response = await stack.graphql(
      assign,
      { ids: [incidentId()] },
      { authorization: 'Bearer rw-token-2' },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ assignIncidents: { incidents: [{ id: incidentId() }] } });
  });
});

describe('operation limits', () => {
  const stack = useStack({
    env: { MAX_DEPTH: '6', MAX_ALIASES: '3', MAX_ROOT_FIELDS: '4', MAX_COST: '500' },
  });

  const expectTooComplex = async (query: string, variables?: Record<string, unknown>) => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(query, variables);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(response.data ?? null).toBeNull();
    expect(stack.sandbox.requests()).toHaveLength(0);
    return response;
  };

  it('refuses a query deeper than MAX_DEPTH', async () => {
    const response = await expectTooComplex(
      '{ incidentSlas(first: 1) { edges { node { incident { slas { incident { id } } } } } } }',
    );
    expect(response.errors?.[0]?.message).toMatch(/depth 7 exceeds the limit of 6/);
  });

  it('counts depth through fragments', async () => {
    await expectTooComplex(
      'query { incidentSlas(first: 1) { edges { node { ...S } } } } fragment S on IncidentSla { incident { slas { incident { id } } } }',
    );
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    await expectTooComplex(
      '{ a: incidentRoles(first: 1) { totalCount } b: incidentRoles(first: 1) { totalCount } c: incidentRoles(first: 1) { totalCount } d: incidentRoles(first: 1) { totalCount } }',
    );
  });

  it('refuses more top-level fields than MAX_ROOT_FIELDS, counting through fragments', async () => {
    const response = await expectTooComplex(
      'query { incidentRoles(first: 1) { totalCount } ...R } fragment R on Query { incidentSlas(first: 1) { totalCount } stateTimelines(first: 1) { totalCount } incidents(first: 1) { totalCount } incidentRole(id: "00000000-0000-4000-8000-000000000000") { id } }',
    );
    expect(response.errors?.[0]?.message).toMatch(/5 top-level fields; the limit is 4/);
  });

  it('multiplies cost by first, including first given as a variable', async () => {
    const query =
      'query($n: Int) { incidents(first: $n) { edges { node { id slas { id status } } } } }';
    await expectTooComplex(query, { n: 100 });
    stack.sandbox.clearRequests();
    const small = await stack.graphql(query, { n: 2 });
    expect(small.errors).toBeUndefined();
  });

  it('refuses a fragment bomb (fragments spreading the previous one twice) before any upstream call', async () => {
    let fragments = 'fragment F0 on Incident { id }';
    for (let i = 1; i <= 12; i++) {
      fragments += ` fragment F${i} on Incident { ...F${i - 1} slas { incident { ...F${i - 1} } } }`;
    }
    await expectTooComplex(`{ incidents(first: 1) { edges { node { ...F12 } } } } ${fragments}`);
  });

  it('counts first from a variable default the request leaves out', async () => {
    await expectTooComplex(
      'query($n: Int = 100) { incidents(first: $n) { edges { node { id slas { id status } } } } }',
    );
  });

  it('counts introspection against the alias and cost limits', async () => {
    await expectTooComplex(
      '{ a: __schema { types { name } } b: __schema { types { name } } c: __schema { types { name } } d: __schema { types { name } } }',
    );
    await expectTooComplex(getIntrospectionQuery());
  });
});

describe('operation limits at their defaults', () => {
  const stack = useStack();

  it('keeps the standard introspection query allowed', async () => {
    const response = await stack.graphql(getIntrospectionQuery());
    expect(response.errors).toBeUndefined();
    expect(response.data).toHaveProperty('__schema');
  });

  it('refuses 120 aliases of __schema', async () => {
    const query = `{ ${Array.from({ length: 120 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ')} }`;
    const response = await stack.graphql(query);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(response.data ?? null).toBeNull();
  });

  it('refuses three standard introspection queries in one operation by cost', async () => {
    const inner = /\{\s*__schema([\s\S]*)\}\s*fragment FullType/.exec(getIntrospectionQuery())?.[1];
    const fragments = getIntrospectionQuery().slice(
      getIntrospectionQuery().indexOf('fragment FullType'),
    );
    const query = `query { a: __schema${inner} b: __schema${inner} c: __schema${inner} } ${fragments}`;
    const response = await stack.graphql(query);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('request size', () => {
  const stack = useStack({ env: { MAX_BODY_BYTES: '5000', MAX_TOKENS: '200' } });

  it('refuses a body over MAX_BODY_BYTES with 413 before parsing', async () => {
    const response = await stack.graphql(`{ __typename ${' '.repeat(6000)} }`);
    expect(response.status).toBe(413);
  });

  it('refuses a document with more tokens than MAX_TOKENS as QUERY_TOO_COMPLEX', async () => {
    const response = await stack.graphql(`{ ${'__typename '.repeat(300)} }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses batched operations', async () => {
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });
});
