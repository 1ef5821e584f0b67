/**
 * Level-synchronous batching and link pairs (DESIGN 9, issue 25): the call
 * floor holds in every link-cache state. A running gateway's link cache holds
 * some links and not others; keys of one level must still reach each loader
 * together, whether their parents came from the cache, a prime or a fetch, and
 * a link the request resolved answers the reverse join without an `_id` read.
 *
 * Property-style: each query of a set runs over a page of Coralogix incidents
 * the gateway has never seen (so its link cache holds exactly what the test
 * put there), after warming a random subset of that page's links (seeded, so a
 * failure names the subset to replay). The calls are counted from the
 * emulators' request log and compared with the floor of the query, derived
 * level by level below: one call per upstream resource per level, cold when a
 * link the query needs is not cached, warm when all are.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest, Sandbox } from '../../src/sandbox/index.js';
import { LINK_FIELD } from '../../src/sandbox/seed.js';
import { CX } from '../support/coralogix.js';
import { isIncidentByIdQuery, isLinkQuery, seedLinks, type SeedLinks } from '../support/links.js';
import { oneUptime } from '../support/oneuptime.js';
import { describeRedis, startRedis, type RedisServer } from '../support/redis.js';
import { startStack, type RawResponse, type Stack } from '../support/stack.js';

const PAGE = 8;

// ---------------------------------------------------------------- calls

const LIST = 'coralogix list';
const GET = 'coralogix batch get';
const LINK = 'oneuptime link';
const LIST_BY_FIELD = 'oneuptime incident list by custom field';
const BY_ID = 'oneuptime incident by _id';
const TIMELINE = 'oneuptime timeline';
const SLA = 'oneuptime sla';

/** One recorded upstream request, named for the floor it counts against. */
function callName(request: RecordedRequest, upstream: 'coralogix' | 'oneuptime'): string {
  if (upstream === 'coralogix') {
    if (request.method === CX.list.method && request.path === CX.list.path) return LIST;
    if (request.method === CX.batchGet.method && request.path === CX.batchGet.path) return GET;
  } else {
    // The link loader reads every claimant oldest first; a list by the same
    // custom field is a page in the list order (newest first).
    if (isLinkQuery(request)) return isOldestFirst(request) ? LINK : LIST_BY_FIELD;
    if (isIncidentByIdQuery(request)) return BY_ID;
    if (request.path === '/api/incident-state-timeline/get-list') return TIMELINE;
    if (request.path === '/api/incident-sla/get-list') return SLA;
  }
  return `${upstream} ${request.method} ${request.path}`;
}

const isOldestFirst = (request: RecordedRequest) =>
  (request.body as { sort?: Record<string, string> } | undefined)?.sort?.createdAt === 'ASC';

const callsOf = (sandbox: Sandbox) =>
  [
    ...sandbox.requests('coralogix').map((r) => callName(r, 'coralogix')),
    ...sandbox.requests('oneuptime').map((r) => callName(r, 'oneuptime')),
  ].sort();

// ---------------------------------------------------------------- queries

interface Page {
  /** The cursor of the edge before the page (none for the first page). */
  after: string | null;
  /** The page's Coralogix ids, in list order. */
  ids: string[];
}

interface Case {
  name: string;
  query: string;
  variables(page: Page, links: SeedLinks): Record<string, unknown>;
  /** The Coralogix ids whose links the query resolves. */
  needs(page: Page, links: SeedLinks): string[];
  /** The floor with a link of `needs` missing from the cache, and with all of them cached. */
  cold: string[];
  warm: string[];
}

const onPage = (fields: string) =>
  `query ($after: String) { incidents(first: ${PAGE}, after: $after) { edges { node { id ${fields} } } } }`;
const pageVariables = (page: Page) => ({ after: page.after });
const linkedOf = (page: Page, links: SeedLinks) =>
  page.ids.filter((id) => links.oneUptimeOf(id) !== undefined);

/**
 * Levels, top down (→ separates sequential rounds). "link" is the OneUptime
 * incident get-list by custom field: cold it is one call for the level (its
 * rows prime the OneUptime incidents), warm the link cache answers it.
 */
const CASES: Case[] = [
  {
    // list → link → timeline + SLA by OneUptime id; the linked incident comes
    // with the link's rows (cold) or one `_id` read (warm).
    name: 'incidents with linkStatus, stateTimeline, slas, oneUptimeIncident',
    query: onPage('linkStatus stateTimeline { id } slas { id } oneUptimeIncident { id title }'),
    variables: pageVariables,
    needs: (page) => page.ids,
    cold: [LIST, LINK, TIMELINE, SLA],
    warm: [LIST, BY_ID, TIMELINE, SLA],
  },
  {
    // list → link → SLAs → (their incident: this request's links) → the
    // incidents' timelines, in one call however the links were found.
    name: 'incidents → slas → incident → stateTimeline',
    query: onPage('slas { id incident { id stateTimeline { id } } }'),
    variables: pageVariables,
    needs: (page) => page.ids,
    cold: [LIST, LINK, SLA, TIMELINE],
    warm: [LIST, SLA, TIMELINE],
  },
  {
    // The reverse join reads back the ids the request started from: no call.
    name: 'incidents → slas → incident { id }',
    query: onPage('slas { id incident { id } }'),
    variables: pageVariables,
    needs: (page) => page.ids,
    cold: [LIST, LINK, SLA],
    warm: [LIST, SLA],
  },
  {
    name: 'incidents → stateTimeline → incident → slas',
    query: onPage('stateTimeline { id incident { id slas { id } } }'),
    variables: pageVariables,
    needs: (page) => page.ids,
    cold: [LIST, LINK, TIMELINE, SLA],
    warm: [LIST, TIMELINE, SLA],
  },
  {
    // The linked incident's own link field answers its `incident`.
    name: 'incidents → oneUptimeIncident → incident + stateTimeline',
    query: onPage('oneUptimeIncident { id incident { id name } stateTimeline { id } }'),
    variables: pageVariables,
    needs: (page) => page.ids,
    cold: [LIST, LINK, TIMELINE],
    warm: [LIST, BY_ID, TIMELINE],
  },
  {
    // SLA list → their incidents' custom field (`_id`, no link of this request
    // names them yet) → Coralogix batch get → link → timeline.
    name: 'incidentSlas → incident → linkStatus + stateTimeline',
    query: `query ($ids: [ID!]) { incidentSlas(filter: { oneUptimeIncidentIds: $ids }, first: 50) {
      edges { node { id incident { id linkStatus stateTimeline { id } } } } } }`,
    variables: (page, links) => ({ ids: linkedOf(page, links).map((id) => links.oneUptimeOf(id)) }),
    needs: linkedOf,
    cold: [SLA, BY_ID, GET, LINK, TIMELINE],
    warm: [SLA, BY_ID, GET, TIMELINE],
  },
  {
    // The OneUptime incidents naming the page (a list by custom field, whose
    // rows answer `incident`) → their Coralogix incidents (batch get) → link →
    // their SLAs.
    name: 'oneUptimeIncidents by Coralogix ids → incident → slas',
    query: `query ($ids: [ID!]) { oneUptimeIncidents(filter: { incidentIds: $ids }, first: 50) {
      edges { node { id incident { id slas { id } } } } } }`,
    variables: (page) => ({ ids: page.ids }),
    needs: linkedOf,
    cold: [LIST_BY_FIELD, GET, LINK, SLA],
    warm: [LIST_BY_FIELD, GET, SLA],
  },
];

// ---------------------------------------------------------------- the property

/** mulberry32: a small seeded generator, so a failing subset can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every page of PAGE Coralogix incidents in list order, read without touching a link. */
async function pagesOf(stack: Stack): Promise<Page[]> {
  type Edge = { cursor: string; node: { id: string } };
  type Answer = {
    incidents: { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
  };
  const edges: Edge[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: RawResponse<Answer> = await stack.graphql<Answer>(
      `query ($after: String) { incidents(first: 100, after: $after) {
        edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    expect(answer.errors).toBeUndefined();
    edges.push(...answer.data!.incidents.edges);
    if (!answer.data!.incidents.pageInfo.hasNextPage) break;
    after = answer.data!.incidents.pageInfo.endCursor;
  }
  const pages: Page[] = [];
  for (let start = 0; start + PAGE <= edges.length; start += PAGE) {
    pages.push({
      after: start === 0 ? null : edges[start - 1]!.cursor,
      ids: edges.slice(start, start + PAGE).map((edge) => edge.node.id),
    });
  }
  return pages;
}

/** Warms the links of `ids` (one `incident(id) { linkStatus }` per id, aliased). */
async function warm(stack: Stack, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const fields = ids.map((id, i) => `l${i}: incident(id: "${id}") { linkStatus }`).join(' ');
  const answer = await stack.graphql(`{ ${fields} }`);
  expect(answer.errors).toBeUndefined();
}

/**
 * Runs every case in four cache states (nothing warm, everything warm, two
 * random subsets), each over a fresh page; answers must not depend on the state.
 */
function levelProperty(start: () => Promise<{ stack: Stack; stop(): Promise<void> }>) {
  let stack: Stack;
  let stop: () => Promise<void>;
  let pages: Page[];
  let links: SeedLinks;
  beforeAll(async () => {
    ({ stack, stop } = await start());
    links = seedLinks(stack.sandbox.seed);
    // Pages where every join has rows: a linked incident with a timeline and an SLA.
    pages = (await pagesOf(stack)).filter((page) =>
      page.ids.some((id) => links.timelinesOf(id).length > 0 && links.slasOf(id).length > 0),
    );
    expect(pages.length).toBeGreaterThanOrEqual(CASES.length * 4);
    return () => stop();
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))(
    '%s makes its floor of calls cold, warm and partly warm',
    async (_, c, index) => {
      const seed = 2500 + index;
      const draw = random(seed);
      const states = ['none', 'all', 'random', 'random'] as const;
      const answers: unknown[] = [];
      for (const [round, state] of states.entries()) {
        const page = pages[index * states.length + round]!;
        const subset =
          state === 'none' ? [] : state === 'all' ? page.ids : page.ids.filter(() => draw() < 0.5);
        await warm(stack, subset);
        stack.sandbox.clearRequests();
        const answer = await stack.graphql(c.query, c.variables(page, links));
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        const needed = c.needs(page, links);
        expect(needed.length).toBeGreaterThan(0);
        const cached = new Set(subset);
        const floor = needed.every((id) => cached.has(id)) ? c.warm : c.cold;
        expect(
          callsOf(stack.sandbox),
          `${c.name}, links warmed: ${JSON.stringify(subset)} (seed ${seed}, round ${round})`,
        ).toEqual([...floor].sort());
        // Run again, every link now cached: the answer is the same in any cache state.
        const again = await stack.graphql(c.query, c.variables(page, links));
        expect(again.data).toEqual(answer.data);
        answers.push(answer.data);
      }
      expect(answers).toHaveLength(states.length);
    },
  );
}

describe('the call floor in every link-cache state (in-process link cache)', () => {
  levelProperty(async () => {
    const stack = await startStack({ env: { LINK_CACHE_TTL_MS: '600000' } });
    return { stack, stop: () => stack.stop() };
  });
});

describeRedis('the call floor in every link-cache state (links cached in Redis)', (path) => {
  // Redis answers the cached links over a socket: the hits arrive a macrotask
  // later than the in-process ones, the case a tick-based batch splits.
  levelProperty(async () => {
    const redis: RedisServer = await startRedis(path);
    const stack = await startStack({
      env: { LINK_CACHE_TTL_MS: '600000', REDIS_URL: redis.url },
    });
    return {
      stack,
      stop: async () => {
        await stack.stop();
        await redis.stop();
      },
    };
  });
});

// ---------------------------------------------------------------- pairs

describe('link pairs answer the reverse join', () => {
  let stack: Stack;
  let links: SeedLinks;
  beforeAll(async () => {
    stack = await startStack({ env: { LINK_CACHE_TTL_MS: '600000' } });
    links = seedLinks(stack.sandbox.seed);
    return () => stack.stop();
  });

  const SLAS_BACK = `query ($after: String) { incidents(first: 20, after: $after) {
    edges { node { id slas { id incident { id } } } } } }`;
  type SlasBack = {
    incidents: {
      edges: Array<{ node: { id: string; slas: Array<{ incident: { id: string } }> } }>;
    };
  };

  it('reads no OneUptime incident back when the links are cached: the SLAs lead to the incidents they came from', async () => {
    await stack.graphql(SLAS_BACK);
    stack.sandbox.clearRequests();
    const answer = await stack.graphql<SlasBack>(SLAS_BACK);
    expect(answer.errors).toBeUndefined();
    expect(callsOf(stack.sandbox)).toEqual([LIST, SLA].sort());
    const nodes = answer.data!.incidents.edges.map((edge) => edge.node);
    expect(nodes.some((node) => node.slas.length > 0)).toBe(true);
    for (const node of nodes) {
      expect(node.slas).toHaveLength(links.slasOf(node.id).length);
      for (const sla of node.slas) expect(sla.incident.id).toBe(node.id);
    }
  });

  it('reads the custom field when a multi-value link field names another id first', async () => {
    // A OneUptime incident whose field lists two Coralogix incidents links to
    // both, but its reverse join is the first one named: the pair the second
    // link would suggest must not answer it. A gateway of its own, so no link
    // cached before the edit is in play.
    const fresh = await startStack({ over: stack.sandbox, env: { LINK_CACHE_TTL_MS: '600000' } });
    const [first, second] = links.linked.filter((i) => links.slasOf(i.id).length > 0);
    const target = links.oneUptimeOf(second!.id)!;
    const put = await oneUptime(fresh.sandbox, `/api/incident/${target}`, 'PUT', {
      data: { customFields: { [LINK_FIELD]: [first!.id, second!.id] } },
    });
    expect(put.status).toBe(200);
    try {
      const query = `query ($id: ID!) { incident(id: $id) { id linkStatus slas { id incident { id } } } }`;
      // Cached, the link carries no row: the incident's custom field is read by `_id`.
      await fresh.graphql(`{ incident(id: "${second!.id}") { linkStatus } }`);
      fresh.sandbox.clearRequests();
      const answer = await fresh.graphql<{
        incident: { linkStatus: string; slas: Array<{ incident: { id: string } | null }> };
      }>(query, { id: second!.id });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.incident.linkStatus).toBe('LINKED');
      const slas = answer.data!.incident.slas;
      expect(slas.length).toBeGreaterThan(0);
      for (const sla of slas) expect(sla.incident?.id).toBe(first!.id);
      expect(callsOf(fresh.sandbox)).toEqual([GET, SLA, BY_ID, GET].sort());
    } finally {
      await fresh.stop();
      stack.sandbox.reset();
    }
  });
});
