/**
 * Cursors are signed and bound how far one request walks upstream (issue 11,
 * item 4: an edited offset made one request list a whole account).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCoralogixOrder } from '../../src/resolvers/filters.js';
import { createCursorCodec, fingerprint } from '../../src/resolvers/pagination.js';
import { MAX_CORALOGIX_PAGE } from '../../src/resolvers/lists.js';
import { startStack, useStack, type Stack } from '../support/stack.js';

const SECRET = 'deep-cursor-test-secret-0123456789';
const codec = createCursorCodec(SECRET);
const PRINT = fingerprint({ filter: {}, orderBys: toCoralogixOrder(undefined) });

/** Newest first, ties by id: the order the emulator and the gateway use by default. */
const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);

const PAGE = `query($first: Int, $after: String) {
  incidents(first: $first, after: $after) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor }
  }
}`;
interface PageResult {
  incidents: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { id: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const stack = useStack({ sandbox: { incidentCount: 1200 }, env: { CURSOR_SECRET: SECRET } });
let sorted: string[];
beforeAll(() => {
  sorted = [...stack.sandbox.seed.incidents].sort(newestFirst).map((i) => i.id);
});

const pageSizes = () =>
  stack.sandbox
    .requests('coralogix')
    .map((r) => (r.body as { pagination?: { pageSize?: number } }).pagination?.pageSize);

describe('resuming from a cursor deep inside an upstream page', () => {
  // A middle-edge cursor as the gateway issues it, `offset` items past the first page's start.
  const deepCursor = (offset: number, token?: string) =>
    codec.encode({ kind: 'token', token, offset, fingerprint: PRINT });

  it('hops over one whole page so pageSize never exceeds the limit, and resumes at the right incident', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql<PageResult>(PAGE, { first: 20, after: deepCursor(990) });
    expect(response.errors).toBeUndefined();
    expect(response.data?.incidents.edges.map((e) => e.node.id)).toEqual(sorted.slice(990, 1010));
    const sizes = pageSizes();
    expect(sizes.every((size) => size !== undefined && size <= MAX_CORALOGIX_PAGE)).toBe(true);
    expect(sizes).toHaveLength(2);
  });

  it('returns the last incidents, then an empty page, past the end of the list', async () => {
    // The cursor of the 1000th incident points at the second upstream page's token.
    const upTo1000 = await stack.graphql<PageResult>(PAGE, { first: 100, after: deepCursor(900) });
    const endCursor = upTo1000.data?.incidents.pageInfo.endCursor;
    const token = endCursor ? codec.decode(endCursor, 'token', PRINT) : undefined;
    expect(token).toMatchObject({ offset: 0, token: expect.any(String) });

    const last = await stack.graphql<PageResult>(PAGE, {
      first: 20,
      after: deepCursor(195, token?.token),
    });
    expect(last.errors).toBeUndefined();
    expect(last.data?.incidents.edges.map((e) => e.node.id)).toEqual(sorted.slice(1195));
    expect(last.data?.incidents.pageInfo.hasNextPage).toBe(false);

    // 1000 + 990 is past the end: the hop finds no next page.
    const past = await stack.graphql<PageResult>(PAGE, {
      first: 20,
      after: deepCursor(990, token?.token),
    });
    expect(past.errors).toBeUndefined();
    expect(past.data?.incidents.edges).toEqual([]);
    expect(past.data?.incidents.pageInfo.hasNextPage).toBe(false);
    expect(past.data?.incidents.totalCount).toBe(1200);
  });

  it('walks the whole list from middle edges with at most two list calls of one page per request', async () => {
    // Resuming from the second-to-last edge each time pushes the offset ever deeper into a page.
    let after: string | undefined;
    let position = 0;
    const seen: string[] = [];
    while (position < sorted.length) {
      stack.sandbox.clearRequests();
      const response = await stack.graphql<PageResult>(PAGE, { first: 100, after });
      expect(response.errors).toBeUndefined();
      const edges = response.data?.incidents.edges ?? [];
      expect(edges.map((e) => e.node.id)).toEqual(sorted.slice(position, position + 100));
      const sizes = pageSizes();
      expect(sizes.length).toBeLessThanOrEqual(2);
      expect(sizes.every((size) => size !== undefined && size <= MAX_CORALOGIX_PAGE)).toBe(true);
      seen.push(...edges.slice(0, -1).map((e) => e.node.id));
      if (edges.length < 100) break;
      after = edges.at(-2)?.cursor;
      position += 99;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(position).toBeGreaterThan(MAX_CORALOGIX_PAGE);
  });
});

describe('signed cursors', () => {
  let replica: Stack;
  let stranger: Stack;
  beforeAll(async () => {
    const env = { CURSOR_SECRET: SECRET };
    replica = await startStack({ over: stack.sandbox, env });
    stranger = await startStack({
      over: stack.sandbox,
      env: { CURSOR_SECRET: 'a-different-gateway-secret-42' },
    });
  });
  afterAll(async () => {
    await replica.stop();
    await stranger.stop();
  });

  const expectRefusedBeforeAnyCall = async (after: string) => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql<PageResult>(PAGE, { first: 20, after });
    expect(response.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName: 'after' }),
    ]);
    expect(stack.sandbox.requests()).toEqual([]);
  };

  it('refuses a cursor whose offset was edited (to 2^53 - 1) before any upstream call', async () => {
    const first = await stack.graphql<PageResult>(PAGE, { first: 5 });
    const genuine = first.data?.incidents.edges[2]?.cursor ?? '';
    const [payload, tag] = genuine.split('.');
    const parts = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as string[];
    expect(parts[2]).toBe('3');
    parts[2] = String(2 ** 53 - 1);
    const edited = `${Buffer.from(JSON.stringify(parts)).toString('base64url')}.${tag}`;
    await expectRefusedBeforeAnyCall(edited);
  });

  it('refuses a cursor signed with another secret before any upstream call', async () => {
    const foreign = await stranger.graphql<PageResult>(PAGE, { first: 5 });
    const cursor = foreign.data?.incidents.pageInfo.endCursor ?? '';
    expect(cursor).not.toBe('');
    await expectRefusedBeforeAnyCall(cursor);
  });

  it('refuses a signed cursor deeper than any the gateway issues before any upstream call', async () => {
    await expectRefusedBeforeAnyCall(
      codec.encode({ kind: 'token', token: undefined, offset: 2 ** 53 - 1, fingerprint: PRINT }),
    );
    await expectRefusedBeforeAnyCall(
      codec.encode({
        kind: 'token',
        token: undefined,
        offset: MAX_CORALOGIX_PAGE + 1,
        fingerprint: PRINT,
      }),
    );
  });

  it('takes a cursor issued by another gateway sharing CURSOR_SECRET', async () => {
    const fromReplica = await replica.graphql<PageResult>(PAGE, { first: 5 });
    const after = fromReplica.data?.incidents.pageInfo.endCursor;
    const next = await stack.graphql<PageResult>(PAGE, { first: 5, after });
    expect(next.errors).toBeUndefined();
    expect(next.data?.incidents.edges.map((e) => e.node.id)).toEqual(sorted.slice(5, 10));

    const roles = `query($after: String) {
      incidentRoles(first: 2, after: $after) { edges { node { id } } pageInfo { endCursor } }
    }`;
    type Roles = {
      incidentRoles: { edges: Array<{ node: { id: string } }>; pageInfo: { endCursor: string } };
    };
    const firstRoles = await replica.graphql<Roles>(roles);
    const onReplica = await replica.graphql<Roles>(roles, {
      after: firstRoles.data?.incidentRoles.pageInfo.endCursor,
    });
    const here = await stack.graphql<Roles>(roles, {
      after: firstRoles.data?.incidentRoles.pageInfo.endCursor,
    });
    expect(here.errors).toBeUndefined();
    expect(here.data?.incidentRoles.edges).toHaveLength(2);
    expect(here.data?.incidentRoles.edges).toEqual(onReplica.data?.incidentRoles.edges);
  });
});
