import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCoralogixOrder } from '../../src/resolvers/filters.js';
import { encodeCursor, fingerprint } from '../../src/resolvers/pagination.js';
import { MAX_CORALOGIX_PAGE } from '../../src/resolvers/lists.js';
import { startStack, type Stack } from '../support/stack.js';

/** Newest first, ties by id: the order the emulator and the gateway use by default. */
const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);

describe('resuming from a cursor deep inside an upstream page', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ sandbox: { incidentCount: 1200 } });
  });
  afterAll(() => stack.stop());

  // A middle-edge cursor whose offset from its page token is past Coralogix's page limit.
  const deepCursor = (offset: number) =>
    encodeCursor({
      kind: 'token',
      token: undefined,
      offset,
      fingerprint: fingerprint({ filter: {}, orderBys: toCoralogixOrder(undefined) }),
    });

  it('hops over whole pages so pageSize never exceeds the limit, and resumes at the right incident', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql<{ incidents: { edges: Array<{ node: { id: string } }> } }>(
      'query($after: String) { incidents(first: 20, after: $after) { edges { node { id } } } }',
      { after: deepCursor(990) },
    );
    expect(response.errors).toBeUndefined();
    const expected = [...stack.sandbox.seed.incidents]
      .sort(newestFirst)
      .slice(990, 1010)
      .map((i) => i.id);
    expect(response.data?.incidents.edges.map((e) => e.node.id)).toEqual(expected);
    const sizes = stack.sandbox
      .requests('coralogix')
      .map((r) => (r.body as { pagination?: { pageSize?: number } }).pagination?.pageSize);
    expect(sizes.every((size) => size !== undefined && size <= MAX_CORALOGIX_PAGE)).toBe(true);
    expect(sizes).toHaveLength(2);
  });

  it('returns the last incidents, then an empty page, past the end of the list', async () => {
    type Result = {
      incidents: { edges: unknown[]; pageInfo: { hasNextPage: boolean }; totalCount: number };
    };
    const query =
      'query($after: String) { incidents(first: 20, after: $after) { totalCount edges { cursor } pageInfo { hasNextPage } } }';
    const last = await stack.graphql<Result>(query, { after: deepCursor(1195) });
    expect(last.errors).toBeUndefined();
    expect(last.data?.incidents.edges).toHaveLength(5);
    expect(last.data?.incidents.pageInfo.hasNextPage).toBe(false);

    const past = await stack.graphql<Result>(query, { after: deepCursor(1200) });
    expect(past.errors).toBeUndefined();
    expect(past.data?.incidents.edges).toEqual([]);
    expect(past.data?.incidents.pageInfo.hasNextPage).toBe(false);
    expect(past.data?.incidents.totalCount).toBe(1200);
  });
});
