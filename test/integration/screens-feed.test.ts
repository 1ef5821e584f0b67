/**
 * The dashboard fields over real HTTP: `incidentEvents` (Coralogix's event
 * feed, each event with its incident) and `incidentFacets` (one filter-values
 * call), checked against plain counts over the emulator's store.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredIncident } from '../../src/sandbox/coralogix/store.js';
import { CX } from '../support/coralogix.js';
import { EVENTS_PATH, FILTER_VALUES_PATH } from '../support/screens.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());
beforeEach(() => stack.sandbox.reset());

const seed = () => stack.sandbox.seed;
const incidentOf = (id: string) => seed().incidents.find((i) => i.id === id) as StoredIncident;
const byEventKey = () => new Map(seed().eventFeed.map((r) => [r.cxEventKey, r]));

async function run<T>(query: string, variables?: Record<string, unknown>) {
  stack.sandbox.clearRequests();
  return stack.graphql<T>(query, variables);
}

interface FeedPage {
  incidentEvents: {
    totalCount?: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      node: { cxEventKey: string; at: string; incident?: { id: string; name: string } | null };
    }>;
  };
}

const FEED = `query ($filter: IncidentEventFilter, $first: Int, $after: String, $order: OrderDirection) {
  incidentEvents(filter: $filter, first: $first, after: $after, order: $order) {
    pageInfo { hasNextPage endCursor }
    edges { node { cxEventKey at } }
  }
}`;

describe('Query.incidentEvents', () => {
  it('pages Coralogix’s feed with cursors, newest first, every event once', async () => {
    const keys: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const { data, errors }: { data?: FeedPage | null; errors?: unknown } = await run<FeedPage>(
        FEED,
        { first: 40, after },
      );
      expect(errors).toBeUndefined();
      keys.push(...data!.incidentEvents.edges.map((e) => e.node.cxEventKey));
      after = data!.incidentEvents.pageInfo.endCursor;
    }
    const newest = [...seed().eventFeed].reverse().slice(0, 120);
    expect(keys).toEqual(newest.map((r) => r.cxEventKey));
  });

  it('sends the filter as bracketed query parameters and keeps only matching events, oldest first', async () => {
    const incident = seed().incidents.find(
      (i) => i.closedAt && i.severity === 'INCIDENT_SEVERITY_ERROR',
    )!;
    const filter = {
      occurredAfter: incident.createdAt,
      occurredBefore: new Date(Date.parse(incident.closedAt!) + 1).toISOString(),
      name: incident.name,
      severities: ['ERROR'],
      metaLabels: [{ key: 'env', value: incident.displayLabels.env }],
    };
    const { data, errors } = await run<FeedPage>(FEED, { filter, first: 100, order: 'ASC' });
    expect(errors).toBeUndefined();
    const [call] = stack.sandbox.requests('coralogix');
    expect(call?.query).toEqual({
      'filter[severity]': ['INCIDENT_SEVERITY_ERROR'],
      'filter[name]': [incident.name],
      'filter[labels][metaLabels][key]': ['env'],
      'filter[labels][metaLabels][value]': [incident.displayLabels.env],
      'filter[labels][operator]': ['FILTER_OPERATOR_OR_OR_UNSPECIFIED'],
      'filter[timestamp][startTime]': [incident.createdAt],
      'filter[timestamp][endTime]': [filter.occurredBefore],
      'pagination[pageSize]': ['100'],
      'order_by[direction]': ['ORDER_BY_DIRECTION_ASC'],
    });
    const expected = seed().eventFeed.filter((r) => {
      const owner = incidentOf(r.incidentId);
      return (
        r.cxEventTimestamp >= filter.occurredAfter &&
        r.cxEventTimestamp < filter.occurredBefore &&
        owner.name === incident.name &&
        owner.severity === 'INCIDENT_SEVERITY_ERROR' &&
        owner.metaLabels?.some((l) => l.key === 'env' && l.value === incident.displayLabels.env)
      );
    });
    expect(data!.incidentEvents.edges.map((e) => e.node.cxEventKey)).toEqual(
      expected.map((r) => r.cxEventKey),
    );
    expect(expected.length).toBeGreaterThanOrEqual(incident.events.length);
  });

  it('finds each event’s incident with at most one call per event of the page, priming the incident loader', async () => {
    const { data, errors } = await run<FeedPage>(
      '{ incidentEvents(first: 30) { edges { node { cxEventKey incident { id name } } } } }',
    );
    expect(errors).toBeUndefined();
    const records = byEventKey();
    const edges = data!.incidentEvents.edges;
    for (const { node } of edges) {
      const owner = incidentOf(records.get(node.cxEventKey)!.incidentId);
      expect(node.incident).toEqual({ id: owner.id, name: owner.name });
    }
    const lookups = stack.sandbox
      .requests('coralogix')
      .filter((r) => r.path.startsWith(`${EVENTS_PATH}/`));
    const incidents = new Set(edges.map((e) => records.get(e.node.cxEventKey)!.incidentId));
    expect(lookups.length).toBeGreaterThanOrEqual(incidents.size);
    expect(lookups.length).toBeLessThanOrEqual(edges.length);
    // Each lookup names a distinct event of the page; no batch get follows.
    const asked = lookups.map((r) => r.path.slice(EVENTS_PATH.length + 1));
    expect(new Set(asked).size).toBe(asked.length);
    for (const key of asked) expect(records.has(key)).toBe(true);
    expect(
      stack.sandbox
        .requests('coralogix')
        .some((r) => r.path === CX.batchGet.path && r.method === 'GET'),
    ).toBe(false);
  });

  it('takes totalCount from the page’s totalSize, with no count call', async () => {
    const { data } = await run<FeedPage>('{ incidentEvents(first: 1) { totalCount } }');
    expect(data!.incidentEvents.totalCount).toBe(seed().eventFeed.length);
    expect(stack.sandbox.requests('coralogix').map((r) => r.path)).toEqual([EVENTS_PATH]);
  });

  it('asks the count endpoint only when the page has no totalSize and totalCount is selected', async () => {
    const noTotal = {
      path: /\/incidents\/events\/v1$/,
      method: 'GET',
      status: 200,
      body: { items: [] },
    };
    stack.sandbox.setFault(noTotal);
    const { data } = await run<FeedPage>(
      '{ incidentEvents(first: 5, filter: { severities: [CRITICAL] }) { totalCount } }',
    );
    const critical = seed().eventFeed.filter(
      (r) => incidentOf(r.incidentId).severity === 'INCIDENT_SEVERITY_CRITICAL',
    );
    expect(data!.incidentEvents.totalCount).toBe(critical.length);
    const paths = stack.sandbox.requests('coralogix').map((r) => r.path);
    expect(paths).toEqual([EVENTS_PATH, `${EVENTS_PATH}/all/count`]);
    stack.sandbox.setFault(noTotal);
    await run('{ incidentEvents(first: 5) { edges { cursor } } }');
    expect(stack.sandbox.requests('coralogix').map((r) => r.path)).toEqual([EVENTS_PATH]);
  });

  it.each([
    ['a negative first', '{ incidentEvents(first: -1) { totalCount } }'],
    [
      'a forged cursor',
      '{ incidentEvents(after: "eyJ4Ijp0cnVlfQ.AAAAAAAAAAAAAAAAAAAAAA") { totalCount } }',
    ],
    [
      'a window that ends before it starts',
      '{ incidentEvents(filter: { occurredAfter: "2026-02-01T00:00:00Z", occurredBefore: "2026-01-01T00:00:00Z" }) { totalCount } }',
    ],
  ])('refuses %s with BAD_USER_INPUT before any call', async (_, query) => {
    const response = await run(query);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sandbox.requests()).toHaveLength(0);
  });
});

describe('Query.incidentFacets', () => {
  /** value → number of incidents, over the incidents a predicate keeps. */
  const tally = (keep: (i: StoredIncident) => boolean, read: (i: StoredIncident) => string[]) => {
    const out: Record<string, number> = {};
    for (const incident of seed().incidents.filter(keep)) {
      for (const value of new Set(read(incident))) out[value] = (out[value] ?? 0) + 1;
    }
    return out;
  };
  const short = (wire: string) => wire.replace(/^INCIDENT_(SEVERITY|STATUS|STATE)_/, '');

  it('matches a plain count over the emulator’s store, in one filter-values call', async () => {
    const filter = {
      statuses: ['TRIGGERED', 'ACKNOWLEDGED'],
      severities: ['ERROR', 'CRITICAL', 'WARNING'],
    };
    const { data, errors } = await run<{
      incidentFacets: {
        severities: Array<{ severity: string; count: number }>;
        statuses: Array<{ status: string; count: number }>;
        states: Array<{ state: string; count: number }>;
        assignees: Array<{ user: { id: string }; count: number }>;
        metaLabels: Array<{ label: { key: string; value: string }; count: number }>;
      };
    }>(
      `query ($filter: IncidentFilter) { incidentFacets(filter: $filter) {
        severities { severity count } statuses { status count } states { state count }
        assignees(first: 100) { user { id } count } metaLabels(first: 100) { label { key value } count }
      } }`,
      { filter },
    );
    expect(errors).toBeUndefined();
    const keep = (i: StoredIncident) =>
      filter.statuses.includes(short(i.status)) && filter.severities.includes(short(i.severity));
    const facets = data!.incidentFacets;
    const asMap = <T>(rows: T[], key: (row: T) => string, count: (row: T) => number) =>
      Object.fromEntries(rows.map((row) => [key(row), count(row)]));
    expect(
      asMap(
        facets.severities,
        (r) => r.severity,
        (r) => r.count,
      ),
    ).toEqual(tally(keep, (i) => [short(i.severity)]));
    expect(
      asMap(
        facets.statuses,
        (r) => r.status,
        (r) => r.count,
      ),
    ).toEqual(tally(keep, (i) => [short(i.status)]));
    expect(
      asMap(
        facets.states,
        (r) => r.state,
        (r) => r.count,
      ),
    ).toEqual(tally(keep, (i) => [short(i.state)]));
    expect(
      asMap(
        facets.assignees,
        (r) => r.user.id,
        (r) => r.count,
      ),
    ).toEqual(tally(keep, (i) => i.assignments.map((a) => a.assignedTo!.userId!)));
    expect(
      asMap(
        facets.metaLabels,
        (r) => `${r.label.key}=${r.label.value}`,
        (r) => r.count,
      ),
    ).toEqual(tally(keep, (i) => (i.metaLabels ?? []).map((l) => `${l.key}=${l.value}`)));
    const calls = stack.sandbox.requests();
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${FILTER_VALUES_PATH}`]);
    // The same filter mapping as `incidents`.
    await run(
      'query ($filter: IncidentFilter) { incidents(filter: $filter, first: 1) { totalCount } }',
      { filter },
    );
    const [list] = stack.sandbox.requests('coralogix');
    expect((calls[0]?.body as { filter: unknown }).filter).toEqual(
      (list?.body as { filter: unknown }).filter,
    );
  });

  it('returns the most frequent assignees first, as many as asked for', async () => {
    const { data } = await run<{ incidentFacets: { assignees: Array<{ count: number }> } }>(
      '{ incidentFacets { assignees(first: 3) { count } } }',
    );
    const counts = Object.values(
      tally(
        () => true,
        (i) => i.assignments.map((a) => a.assignedTo!.userId!),
      ),
    );
    expect(data!.incidentFacets.assignees.map((a) => a.count)).toEqual(
      counts.sort((a, b) => b - a).slice(0, 3),
    );
  });

  it('refuses a facet first over 100 with BAD_USER_INPUT', async () => {
    const response = await run('{ incidentFacets { assignees(first: 101) { count } } }');
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
