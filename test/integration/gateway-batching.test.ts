/**
 * Exact upstream call counts of joined queries: the dataloaders batch every
 * parent of one level into one upstream call per resource (≤ 100 ids and
 * ≤ 1000 rows per call, following `skip` pages), and dedupe repeated ids.
 *
 * Not covered here: splitting one level's ids into several calls (the batch
 * get's URL-length chunking, the IN query's 100 ids) and following skip pages
 * past 1000 rows. No query over the seed reaches them: a level never has more
 * than 100 parents (`first` ≤ 100, filters ≤ 100 ids) nor 1000 joined rows;
 * test/unit/upstream-clients.test.ts covers them against a local server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import type { SeedData } from '../../src/sandbox/seed.js';
import { CX } from '../support/coralogix.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let seed: SeedData;

beforeAll(async () => {
  stack = await startStack();
  seed = stack.sandbox.seed;
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  stack.sandbox.reset();
});

// ---------------------------------------------------------------- helpers

type Vars = Record<string, unknown>;

async function run<T>(query: string, variables?: Vars, target: Stack = stack): Promise<T> {
  target.sandbox.clearRequests();
  const response = await target.graphql<T>(query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}

const LIST = `${CX.list.method} ${CX.list.path}`;
const BATCH_GET = `${CX.batchGet.method} ${CX.batchGet.path}`;
const callOf = (r: RecordedRequest) => `${r.method} ${r.path}`;
const getList = (resource: string) => `/api/${resource}/get-list`;

const coralogix = (target: Stack = stack) => target.sandbox.requests('coralogix');
const oneuptime = (target: Stack = stack) => target.sandbox.requests('oneuptime');

/** `skip` of every get-list call of one resource, in ascending order. */
function skips(requests: RecordedRequest[], resource: string): number[] {
  return requests
    .filter((r) => r.path === getList(resource))
    .map((r) => Number(r.query.skip?.[0]))
    .sort((a, b) => a - b);
}

/** The incident ids of a get-list `{"incidentId": [..]}` query. */
function queriedIncidentIds(request: RecordedRequest | undefined): string[] {
  const body = request?.body as { query?: { incidentId?: unknown } } | undefined;
  const ids = body?.query?.incidentId;
  if (!Array.isArray(ids)) throw new Error(`no incidentId IN query in ${JSON.stringify(body)}`);
  return ids as string[];
}

/** Skip values a paged read of `rows` rows, 1000 at a time, must use. */
const pagesOf = (rows: number) =>
  Array.from({ length: Math.max(1, Math.ceil(rows / 1000)) }, (_, i) => i * 1000);

const rowsFor = (
  records: ReadonlyArray<{ incidentId?: string | null }>,
  ids: readonly string[],
) => {
  const wanted = new Set(ids);
  return records.filter((r) => wanted.has(r.incidentId as string));
};

const sorted = (values: readonly string[]) => [...values].sort();

interface IncidentsWithJoins {
  incidents: {
    edges: Array<{
      node: { id: string; stateTimeline: Array<{ id: string }>; slas: Array<{ id: string }> };
    }>;
  };
}

const INCIDENTS_WITH_JOINS = `query ($first: Int) {
  incidents(first: $first) { edges { node { id stateTimeline { id } slas { id } } } }
}`;

/** Every incident carries exactly its own seeded timeline (oldest first) and SLAs. */
function expectJoinsMatchSeed(data: IncidentsWithJoins): void {
  for (const { node } of data.incidents.edges) {
    const timeline = seed.stateTimelines
      .filter((t) => t.incidentId === node.id)
      .sort((a, b) => ((a.startsAt ?? '') < (b.startsAt ?? '') ? -1 : 1))
      .map((t) => t._id);
    expect(node.stateTimeline.map((t) => t.id)).toEqual(timeline);
    expect(sorted(node.slas.map((s) => s.id))).toEqual(
      sorted(seed.slas.filter((s) => s.incidentId === node.id).map((s) => s._id)),
    );
  }
}

// ---------------------------------------------------------------- incident → OneUptime

describe('Incident.stateTimeline and Incident.slas', () => {
  it('20 incidents cost one Coralogix list and one OneUptime get-list per resource', async () => {
    const data = await run<IncidentsWithJoins>(INCIDENTS_WITH_JOINS, { first: 20 });
    const ids = data.incidents.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(20);
    expect(rowsFor(seed.stateTimelines, ids).length).toBeLessThanOrEqual(100);
    expect(rowsFor(seed.slas, ids).length).toBeLessThanOrEqual(100);

    expect(coralogix().map(callOf)).toEqual([LIST]);
    const calls = oneuptime();
    expect(calls.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      `POST ${getList('incident-sla')}`,
      `POST ${getList('incident-state-timeline')}`,
    ]);
    for (const call of calls) {
      expect(sorted(queriedIncidentIds(call))).toEqual(sorted(ids));
      expect(call.query).toMatchObject({ skip: ['0'], limit: ['1000'] });
    }
    expectJoinsMatchSeed(data);
  });

  it('50 incidents cost one Coralogix list and one OneUptime get-list per resource (pages of 1000 rows)', async () => {
    const data = await run<IncidentsWithJoins>(INCIDENTS_WITH_JOINS, { first: 50 });
    const ids = data.incidents.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(50);
    const timelineRows = rowsFor(seed.stateTimelines, ids).length;
    const slaRows = rowsFor(seed.slas, ids).length;
    // With the default seed the 50 newest incidents have over 100 timeline entries, one page
    // of 1000 (the docs' stale "100" limit would have needed two): 2 OneUptime calls in all.
    expect(timelineRows).toBeGreaterThan(100);
    expect(oneuptime()).toHaveLength(2);

    expect(coralogix().map(callOf)).toEqual([LIST]);
    expect(skips(oneuptime(), 'incident-state-timeline')).toEqual(pagesOf(timelineRows));
    expect(skips(oneuptime(), 'incident-sla')).toEqual(pagesOf(slaRows));
    expect(oneuptime()).toHaveLength(pagesOf(timelineRows).length + pagesOf(slaRows).length);
    for (const call of oneuptime()) expect(sorted(queriedIncidentIds(call))).toEqual(sorted(ids));
    expectJoinsMatchSeed(data);
  });

  it('100 incidents with over 200 timeline rows are one page each, losing none', async () => {
    const data = await run<IncidentsWithJoins>(INCIDENTS_WITH_JOINS, { first: 100 });
    const ids = data.incidents.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(100);
    const timelineRows = rowsFor(seed.stateTimelines, ids).length;
    const slaRows = rowsFor(seed.slas, ids).length;
    expect(timelineRows).toBeGreaterThan(200);
    expect(slaRows).toBeGreaterThan(100);

    expect(coralogix().map(callOf)).toEqual([LIST]);
    expect(skips(oneuptime(), 'incident-state-timeline')).toEqual(pagesOf(timelineRows));
    expect(skips(oneuptime(), 'incident-state-timeline')).toEqual([0]);
    expect(skips(oneuptime(), 'incident-sla')).toEqual(pagesOf(slaRows));
    for (const call of oneuptime()) {
      expect(call.query.limit).toEqual(['1000']);
      expect(sorted(queriedIncidentIds(call))).toEqual(sorted(ids));
    }
    const returned = data.incidents.edges.flatMap((e) => e.node.stateTimeline.map((t) => t.id));
    expect(returned).toHaveLength(timelineRows);
    expect(new Set(returned).size).toBe(timelineRows);
    expectJoinsMatchSeed(data);
  });

  it('a list primes the incident loader: StateTimeline.incident back to listed incidents costs no batchGet', async () => {
    const data = await run<{
      incidents: {
        edges: Array<{ node: { id: string; stateTimeline: Array<{ incident: { id: string } }> } }>;
      };
    }>(`{ incidents(first: 30) { edges { node { id stateTimeline { incident { id } } } } } }`);
    for (const { node } of data.incidents.edges) {
      expect(node.stateTimeline.length).toBeGreaterThan(0);
      for (const entry of node.stateTimeline) expect(entry.incident.id).toBe(node.id);
    }
    expect(coralogix().map(callOf)).toEqual([LIST]);
    expect(oneuptime().map((r) => r.path)).toEqual([getList('incident-state-timeline')]);
  });
});

// ---------------------------------------------------------------- OneUptime → incident

describe('IncidentSla.incident and StateTimeline.incident', () => {
  it('50 SLAs cost one OneUptime get-list and one batchGet of their distinct incident ids', async () => {
    const data = await run<{
      incidentSlas: { edges: Array<{ node: { incidentId: string; incident: { name: string } } }> };
    }>(`{ incidentSlas(first: 50) { edges { node { incidentId incident { name } } } } }`);
    const edges = data.incidentSlas.edges;
    expect(edges).toHaveLength(50);
    const distinct = [...new Set(edges.map((e) => e.node.incidentId))];
    expect(distinct.length).toBeLessThan(50);

    expect(oneuptime().map((r) => r.path)).toEqual([getList('incident-sla')]);
    const calls = coralogix();
    expect(calls.map(callOf)).toEqual([BATCH_GET]);
    const sent = calls[0]?.query.ids ?? [];
    expect(sent.length).toBeLessThanOrEqual(100);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sorted(sent)).toEqual(sorted(distinct));
    expect(calls[0]?.body).toBeUndefined();

    const names = new Map(seed.incidents.map((i) => [i.id, i.name]));
    for (const { node } of edges) expect(node.incident.name).toBe(names.get(node.incidentId));
  });

  it('50 timeline entries cost one OneUptime get-list and one batchGet', async () => {
    const data = await run<{
      stateTimelines: { edges: Array<{ node: { incidentId: string; incident: { id: string } } }> };
    }>(`{ stateTimelines(first: 50) { edges { node { incidentId incident { id } } } } }`);
    const distinct = new Set(data.stateTimelines.edges.map((e) => e.node.incidentId));
    for (const { node } of data.stateTimelines.edges)
      expect(node.incident.id).toBe(node.incidentId);
    expect(oneuptime().map((r) => r.path)).toEqual([getList('incident-state-timeline')]);
    expect(coralogix().map(callOf)).toEqual([BATCH_GET]);
    expect(sorted(coralogix()[0]?.query.ids ?? [])).toEqual(sorted([...distinct]));
  });

  it('the same incident asked for twice in one query is fetched once', async () => {
    const incident = seed.incidents[9];
    const data = await run<{ a: { id: string; name: string }; b: { id: string; name: string } }>(
      `query ($id: ID!) { a: incident(id: $id) { id name } b: incident(id: $id) { id name } }`,
      { id: incident?.id },
    );
    expect(data.a).toEqual({ id: incident?.id, name: incident?.name });
    expect(data.b).toEqual(data.a);
    expect(coralogix().map(callOf)).toEqual([BATCH_GET]);
    expect(coralogix()[0]?.query.ids).toEqual([incident?.id]);
    expect(oneuptime()).toEqual([]);
  });

  it('an incident reached again through its own SLAs is not fetched again', async () => {
    const incident = seed.incidents.find((i) => seed.slas.some((s) => s.incidentId === i.id));
    const data = await run<{ incident: { slas: Array<{ incident: { id: string } }> } }>(
      `query ($id: ID!) { incident(id: $id) { slas { incident { id } } } }`,
      { id: incident?.id },
    );
    expect(data.incident.slas.length).toBeGreaterThan(0);
    for (const sla of data.incident.slas) expect(sla.incident.id).toBe(incident?.id);
    expect(coralogix().map(callOf)).toEqual([BATCH_GET]);
    expect(oneuptime().map((r) => r.path)).toEqual([getList('incident-sla')]);
  });

  it('three levels of joins cost one call per upstream resource per level', async () => {
    // Level 1: incidentSlas           → 1 OneUptime incident-sla get-list (the page of 50)
    // Level 2: IncidentSla.incident   → 1 Coralogix batchGet of the page's distinct incident ids
    // Level 3: Incident.slas          → 1 OneUptime incident-sla get-list, incidentId IN those ids
    //                                   (plus one per further page of 1000 rows)
    // Level 4: IncidentSla.incident   → 0 calls: every incident is already in the loader
    const data = await run<{
      incidentSlas: {
        edges: Array<{
          node: { incidentId: string; incident: { slas: Array<{ incident: { id: string } }> } };
        }>;
      };
    }>(`{ incidentSlas(first: 50) { edges { node {
      incidentId incident { slas { incident { id } } }
    } } } }`);
    const distinct = [...new Set(data.incidentSlas.edges.map((e) => e.node.incidentId))];
    const level3Rows = rowsFor(seed.slas, distinct).length;
    expect(level3Rows).toBeLessThanOrEqual(100);

    expect(coralogix().map(callOf)).toEqual([BATCH_GET]);
    expect(sorted(coralogix()[0]?.query.ids ?? [])).toEqual(sorted(distinct));
    const lists = oneuptime();
    expect(lists.map((r) => r.path)).toEqual([getList('incident-sla'), getList('incident-sla')]);
    expect((lists[0]?.body as { query: unknown }).query).toEqual({});
    expect(sorted(queriedIncidentIds(lists[1]))).toEqual(sorted(distinct));

    for (const { node } of data.incidentSlas.edges) {
      expect(node.incident.slas.length).toBeGreaterThan(0);
      for (const sla of node.incident.slas) expect(sla.incident.id).toBe(node.incidentId);
    }
  });
});

// ---------------------------------------------------------------- the naive baseline

describe('without batching', () => {
  let naive: Stack;

  beforeAll(async () => {
    naive = await startStack({ batch: false });
  });

  afterAll(async () => {
    await naive?.stop();
  });

  it('the same joins make one OneUptime call per incident and resource (what batching saves)', async () => {
    const data = await run<IncidentsWithJoins>(INCIDENTS_WITH_JOINS, { first: 5 }, naive);
    expect(data.incidents.edges).toHaveLength(5);
    expect(coralogix(naive).map(callOf)).toEqual([LIST]);
    expect(skips(oneuptime(naive), 'incident-state-timeline')).toEqual([0, 0, 0, 0, 0]);
    expect(skips(oneuptime(naive), 'incident-sla')).toEqual([0, 0, 0, 0, 0]);
    for (const call of oneuptime(naive)) expect(queriedIncidentIds(call)).toHaveLength(1);
  });
});
