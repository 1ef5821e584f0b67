/**
 * Exact upstream call counts of joined queries: the dataloaders batch every
 * parent of one level into one upstream call per resource (≤ 100 ids and
 * ≤ 1000 rows per call, following `skip` pages), and dedupe repeated ids.
 * Joins from a Coralogix incident go through the link (DESIGN 5a): one
 * OneUptime `incident/get-list` per level with the JSON-column `Includes`
 * on `customFields.coralogixIncidentId`, then the OneUptime incident ids. The
 * gateways here keep no link cache (LINK_CACHE_TTL_MS=0), so every count is
 * the cold one; one test shows what the cache saves.
 *
 * Not covered here: splitting one level's ids into several calls (the batch
 * get's URL-length chunking, the IN query's 100 ids) and following skip pages
 * past 1000 rows. No query over the seed reaches them: a level never has more
 * than 100 parents (`first` ≤ 100, filters ≤ 100 ids) nor 1000 joined rows;
 * test/unit/upstream-clients.test.ts covers them against a local server.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import type { SeedData } from '../../src/sandbox/seed.js';
import { CX } from '../support/coralogix.js';
import {
  expectLinkQuery,
  isIncidentByIdQuery,
  isLinkQuery,
  linkQueryIds,
  seedLinks,
  type SeedLinks,
} from '../support/links.js';
import { dataOf, useStack, type Stack } from '../support/stack.js';

/** No link cache: every request resolves its links. */
const COLD = { LINK_CACHE_TTL_MS: '0' };

const stack = useStack({ env: COLD, resetEach: true });
let seed: SeedData;
let links: SeedLinks;
beforeAll(() => {
  seed = stack.sandbox.seed;
  links = seedLinks(seed);
});

// ---------------------------------------------------------------- helpers

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
  return queriedIds(request, 'incidentId');
}

/** The values of a get-list `{"<column>": [..]}` IN query (and nothing else in the query). */
function queriedIds(request: RecordedRequest | undefined, column: string): string[] {
  const body = request?.body as { query?: Record<string, unknown> } | undefined;
  const ids = body?.query?.[column];
  if (!Array.isArray(ids)) throw new Error(`no ${column} IN query in ${JSON.stringify(body)}`);
  expect(Object.keys(body?.query ?? {})).toEqual([column]);
  return ids as string[];
}

/** The linked OneUptime incident ids of these Coralogix incidents (the unlinked have none). */
const linkedIds = (coralogixIds: readonly string[]) =>
  coralogixIds.flatMap((id) => links.oneUptimeOf(id) ?? []);

/** OneUptime `METHOD path` of every recorded call, in arrival order. */
const oneuptimeCalls = (target: Stack = stack) =>
  oneuptime(target).map((r) => `${r.method} ${r.path}`);

/** Skip values a paged read of `rows` rows, 1000 at a time, must use. */
const pagesOf = (rows: number) =>
  Array.from({ length: Math.max(1, Math.ceil(rows / 1000)) }, (_, i) => i * 1000);

/** The records of these OneUptime incidents. */
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

/** Every incident carries exactly its linked OneUptime incident's timeline (oldest first) and SLAs. */
function expectJoinsMatchSeed(data: IncidentsWithJoins): void {
  for (const { node } of data.incidents.edges) {
    const timeline = links.timelinesOf(node.id).map((t) => t._id);
    expect(node.stateTimeline.map((t) => t.id)).toEqual(timeline);
    expect(sorted(node.slas.map((s) => s.id))).toEqual(
      sorted(links.slasOf(node.id).map((s) => s._id)),
    );
  }
}

/**
 * The OneUptime calls of `incidents { stateTimeline slas }` over these Coralogix ids: first the
 * link query (alone in its round), then the timeline and SLA lists of the linked OneUptime ids,
 * one page of 1000 rows each (more pages only past 1000 rows).
 */
function expectLinkThenJoins(ids: readonly string[]): void {
  const calls = oneuptime();
  expectLinkQuery(calls[0], ids);
  expect(calls.filter(isLinkQuery)).toHaveLength(1);
  const linked = linkedIds(ids);
  const rest = calls.slice(1);
  const timelineRows = rowsFor(seed.stateTimelines, linked).length;
  const slaRows = rowsFor(seed.slas, linked).length;
  expect(skips(rest, 'incident-state-timeline')).toEqual(pagesOf(timelineRows));
  expect(skips(rest, 'incident-sla')).toEqual(pagesOf(slaRows));
  expect(rest).toHaveLength(pagesOf(timelineRows).length + pagesOf(slaRows).length);
  for (const call of rest) {
    expect(call.query.limit).toEqual(['1000']);
    // OneUptime incident ids, never the Coralogix ones.
    expect(sorted(queriedIncidentIds(call))).toEqual(sorted(linked));
  }
}

// ---------------------------------------------------------------- incident → OneUptime

describe('Incident.stateTimeline and Incident.slas', () => {
  it('20 incidents cost one Coralogix list and one OneUptime get-list per resource', async () => {
    const data = await dataOf<IncidentsWithJoins>(stack, INCIDENTS_WITH_JOINS, { first: 20 });
    const ids = data.incidents.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(20);
    const linked = linkedIds(ids);
    // Some of the page is linked, some is not: the unlinked ones cost nothing further.
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.length).toBeLessThan(20);
    expect(rowsFor(seed.stateTimelines, linked).length).toBeLessThanOrEqual(100);
    expect(rowsFor(seed.slas, linked).length).toBeLessThanOrEqual(100);

    expect(coralogix().map(callOf)).toEqual([LIST]);
    const calls = oneuptime();
    // Round 2: the link query alone; round 3: the two lists of the linked OneUptime incidents.
    expect(oneuptimeCalls()[0]).toBe(`POST ${getList('incident')}`);
    expect(oneuptimeCalls().slice(1).sort()).toEqual([
      `POST ${getList('incident-sla')}`,
      `POST ${getList('incident-state-timeline')}`,
    ]);
    expectLinkQuery(calls[0], ids);
    expect(calls[0]?.query).toMatchObject({ skip: ['0'] });
    for (const call of calls.slice(1)) {
      expect(sorted(queriedIncidentIds(call))).toEqual(sorted(linked));
      expect(call.query).toMatchObject({ skip: ['0'], limit: ['1000'] });
    }
    expectJoinsMatchSeed(data);
  });

  it('50 incidents cost one Coralogix list and one OneUptime get-list per resource (pages of 1000 rows)', async () => {
    const data = await dataOf<IncidentsWithJoins>(stack, INCIDENTS_WITH_JOINS, { first: 50 });
    const ids = data.incidents.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(50);
    const timelineRows = rowsFor(seed.stateTimelines, linkedIds(ids)).length;
    // With the default seed the 50 newest incidents' linked OneUptime incidents have over 100
    // timeline entries, one page of 1000 (the docs' stale "100" limit would have needed two):
    // the link query and 2 OneUptime lists in all (DESIGN 5a: 4 calls, 3 rounds, cold).
    expect(timelineRows).toBeGreaterThan(100);
    expect(oneuptime()).toHaveLength(3);

    expect(coralogix().map(callOf)).toEqual([LIST]);
    expectLinkThenJoins(ids);
    expectJoinsMatchSeed(data);
  });

  it('100 incidents with over 200 timeline rows are one page each, losing none', async () => {
    const data = await dataOf<IncidentsWithJoins>(stack, INCIDENTS_WITH_JOINS, { first: 100 });
    const ids = data.incidents.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(100);
    const linked = linkedIds(ids);
    const timelineRows = rowsFor(seed.stateTimelines, linked).length;
    const slaRows = rowsFor(seed.slas, linked).length;
    expect(timelineRows).toBeGreaterThan(200);
    // Only linked incidents have SLAs (0 to 2 each): fewer rows than timelines, still one page.
    expect(slaRows).toBeGreaterThan(50);

    expect(coralogix().map(callOf)).toEqual([LIST]);
    // 100 Coralogix ids fit one link query.
    expectLinkThenJoins(ids);
    expect(skips(oneuptime(), 'incident-state-timeline')).toEqual([0]);
    const returned = data.incidents.edges.flatMap((e) => e.node.stateTimeline.map((t) => t.id));
    expect(returned).toHaveLength(timelineRows);
    expect(new Set(returned).size).toBe(timelineRows);
    const returnedSlas = data.incidents.edges.flatMap((e) => e.node.slas.map((t) => t.id));
    expect(new Set(returnedSlas).size).toBe(slaRows);
    expect(returnedSlas).toHaveLength(slaRows);
    expectJoinsMatchSeed(data);
  });

  it('a list primes the incident loader: StateTimeline.incident back to listed incidents costs no batchGet', async () => {
    const data = await dataOf<{
      incidents: {
        edges: Array<{ node: { id: string; stateTimeline: Array<{ incident: { id: string } }> } }>;
      };
    }>(
      stack,
      `{ incidents(first: 30) { edges { node { id stateTimeline { incident { id } } } } } }`,
    );
    const ids = data.incidents.edges.map((e) => e.node.id);
    for (const { node } of data.incidents.edges) {
      // Linked: every entry leads back to the listed incident. Not linked: no entries.
      expect(node.stateTimeline).toHaveLength(links.timelinesOf(node.id).length);
      if (links.oneUptimeOf(node.id)) expect(node.stateTimeline.length).toBeGreaterThan(0);
      for (const entry of node.stateTimeline) expect(entry.incident.id).toBe(node.id);
    }
    expect(coralogix().map(callOf)).toEqual([LIST]);
    // The link query's rows also answer the entries' OneUptime incidents (no read by _id).
    expect(oneuptime().map((r) => r.path)).toEqual([
      getList('incident'),
      getList('incident-state-timeline'),
    ]);
    expectLinkQuery(oneuptime()[0], ids);
  });
});

// ---------------------------------------------------------------- OneUptime → incident

describe('IncidentSla.incident and StateTimeline.incident', () => {
  it('50 SLAs cost one OneUptime get-list and one batchGet of their distinct incident ids', async () => {
    // incidentSlas → 1 SLA list; IncidentSla.incident → 1 OneUptime incident read by _id (their
    // link custom fields) → 1 Coralogix batchGet of the distinct Coralogix ids those name.
    const data = await dataOf<{
      incidentSlas: {
        edges: Array<{ node: { oneUptimeIncidentId: string; incident: { name: string } | null } }>;
      };
    }>(
      stack,
      `{ incidentSlas(first: 50) { edges { node { oneUptimeIncidentId incident { name } } } } }`,
    );
    const edges = data.incidentSlas.edges;
    expect(edges).toHaveLength(50);
    const distinct = [...new Set(edges.map((e) => e.node.oneUptimeIncidentId))];
    expect(distinct.length).toBeLessThan(50);
    const coralogixIds = [...new Set(distinct.flatMap((id) => links.coralogixOf(id)?.id ?? []))];
    expect(coralogixIds.length).toBeGreaterThan(0);

    expect(oneuptimeCalls()).toEqual([
      `POST ${getList('incident-sla')}`,
      `POST ${getList('incident')}`,
    ]);
    expect(isIncidentByIdQuery(oneuptime()[1]!)).toBe(true);
    expect(sorted(queriedIds(oneuptime()[1], '_id'))).toEqual(sorted(distinct));
    const calls = coralogix();
    expect(calls.map(callOf)).toEqual([BATCH_GET]);
    const sent = calls[0]?.query.ids ?? [];
    expect(sent.length).toBeLessThanOrEqual(100);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sorted(sent)).toEqual(sorted(coralogixIds));
    expect(calls[0]?.body).toBeUndefined();

    for (const { node } of edges) {
      const incident = links.coralogixOf(node.oneUptimeIncidentId);
      expect(node.incident).toEqual(incident ? { name: incident.name } : null);
    }
  });

  it('50 timeline entries cost one OneUptime get-list and one batchGet', async () => {
    const data = await dataOf<{
      stateTimelines: {
        edges: Array<{ node: { oneUptimeIncidentId: string; incident: { id: string } | null } }>;
      };
    }>(
      stack,
      `{ stateTimelines(first: 50) { edges { node { oneUptimeIncidentId incident { id } } } } }`,
    );
    expect(data.stateTimelines.edges).toHaveLength(50);
    const distinct = [...new Set(data.stateTimelines.edges.map((e) => e.node.oneUptimeIncidentId))];
    for (const { node } of data.stateTimelines.edges) {
      const incident = links.coralogixOf(node.oneUptimeIncidentId);
      expect(node.incident).toEqual(incident ? { id: incident.id } : null);
    }
    expect(oneuptimeCalls()).toEqual([
      `POST ${getList('incident-state-timeline')}`,
      `POST ${getList('incident')}`,
    ]);
    expect(sorted(queriedIds(oneuptime()[1], '_id'))).toEqual(sorted(distinct));
    expect(coralogix().map(callOf)).toEqual([BATCH_GET]);
    expect(sorted(coralogix()[0]?.query.ids ?? [])).toEqual(
      sorted([...new Set(distinct.flatMap((id) => links.coralogixOf(id)?.id ?? []))]),
    );
  });

  it('the same incident asked for twice in one query is fetched once', async () => {
    const incident = seed.incidents[9];
    const data = await dataOf<{ a: { id: string; name: string }; b: { id: string; name: string } }>(
      stack,
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
    const incident = links.linked.find((i) => links.slasOf(i.id).length > 0);
    if (!incident) throw new Error('the seed has no such incident');
    const data = await dataOf<{ incident: { slas: Array<{ incident: { id: string } }> } }>(
      stack,
      `query ($id: ID!) { incident(id: $id) { slas { incident { id } } } }`,
      { id: incident.id },
    );
    expect(data.incident.slas).toHaveLength(links.slasOf(incident.id).length);
    for (const sla of data.incident.slas) expect(sla.incident.id).toBe(incident.id);
    expect(coralogix().map(callOf)).toEqual([BATCH_GET]);
    // The link query's row is the SLAs' OneUptime incident too: no read by _id.
    expect(oneuptime().map((r) => r.path)).toEqual([getList('incident'), getList('incident-sla')]);
    expectLinkQuery(oneuptime()[0], [incident.id]);
    expect(queriedIncidentIds(oneuptime()[1])).toEqual([links.oneUptimeOf(incident.id)]);
  });

  it('three levels of joins cost one call per upstream resource per level', async () => {
    // Level 1: incidentSlas           → 1 OneUptime incident-sla get-list (the page of 50)
    // Level 2: IncidentSla.incident   → 1 OneUptime incident get-list by _id (the link fields),
    //                                   then 1 Coralogix batchGet of the Coralogix ids they name
    // Level 3: Incident.slas          → 1 link query for those Coralogix ids, then
    //                                   1 OneUptime incident-sla get-list, incidentId IN the
    //                                   linked OneUptime ids (plus one per further page of 1000)
    // Level 4: IncidentSla.incident   → 0 calls: every incident is already in the loaders
    const data = await dataOf<{
      incidentSlas: {
        edges: Array<{
          node: {
            oneUptimeIncidentId: string;
            incident: { id: string; slas: Array<{ incident: { id: string } }> } | null;
          };
        }>;
      };
    }>(
      stack,
      `{ incidentSlas(first: 50) { edges { node {
      oneUptimeIncidentId incident { id slas { incident { id } } }
    } } } }`,
    );
    const distinct = [...new Set(data.incidentSlas.edges.map((e) => e.node.oneUptimeIncidentId))];
    const coralogixIds = [...new Set(distinct.flatMap((id) => links.coralogixOf(id)?.id ?? []))];
    const level3 = linkedIds(coralogixIds);
    const level3Rows = rowsFor(seed.slas, level3).length;
    expect(level3Rows).toBeLessThanOrEqual(100);

    expect(coralogix().map(callOf)).toEqual([BATCH_GET]);
    expect(sorted(coralogix()[0]?.query.ids ?? [])).toEqual(sorted(coralogixIds));
    const lists = oneuptime();
    expect(lists.map((r) => r.path)).toEqual([
      getList('incident-sla'),
      getList('incident'),
      getList('incident'),
      getList('incident-sla'),
    ]);
    expect((lists[0]?.body as { query: unknown }).query).toEqual({});
    expect(sorted(queriedIds(lists[1], '_id'))).toEqual(sorted(distinct));
    expectLinkQuery(lists[2], coralogixIds);
    expect(sorted(queriedIncidentIds(lists[3]))).toEqual(sorted(level3));

    for (const { node } of data.incidentSlas.edges) {
      const incident = links.coralogixOf(node.oneUptimeIncidentId);
      if (!incident) {
        expect(node.incident).toBeNull();
        continue;
      }
      expect(node.incident?.id).toBe(incident.id);
      expect(node.incident?.slas).toHaveLength(links.slasOf(incident.id).length);
      expect(node.incident?.slas.length).toBeGreaterThan(0);
      for (const sla of node.incident?.slas ?? []) expect(sla.incident.id).toBe(incident.id);
    }
  });
});

// ---------------------------------------------------------------- the link cache

describe('with the link cache', () => {
  const cached = useStack();

  it('the same joins cost no link query once the links are cached (3 calls in 2 rounds)', async () => {
    const cold = await dataOf<IncidentsWithJoins>(cached, INCIDENTS_WITH_JOINS, { first: 50 });
    const ids = cold.incidents.edges.map((e) => e.node.id);
    expect(oneuptime(cached).filter(isLinkQuery)).toHaveLength(1);
    expect(oneuptime(cached)).toHaveLength(3);

    const warm = await dataOf<IncidentsWithJoins>(cached, INCIDENTS_WITH_JOINS, { first: 50 });
    expect(warm).toEqual(cold);
    expect(coralogix(cached).map(callOf)).toEqual([LIST]);
    expect(
      oneuptime(cached)
        .map((r) => r.path)
        .sort(),
    ).toEqual([getList('incident-sla'), getList('incident-state-timeline')]);
    for (const call of oneuptime(cached))
      expect(sorted(queriedIncidentIds(call))).toEqual(sorted(linkedIds(ids)));
    expectJoinsMatchSeed(warm);
  });
});

// ---------------------------------------------------------------- the naive baseline

describe('without batching', () => {
  const naive = useStack({ batch: false, env: COLD });

  it('the same joins make one OneUptime call per incident and resource (what batching saves)', async () => {
    const data = await dataOf<IncidentsWithJoins>(naive, INCIDENTS_WITH_JOINS, { first: 5 });
    expect(data.incidents.edges).toHaveLength(5);
    const ids = data.incidents.edges.map((e) => e.node.id);
    const linked = linkedIds(ids);
    expect(coralogix(naive).map(callOf)).toEqual([LIST]);
    // One link query per incident and join field (2 × 5), each for one Coralogix id …
    const linkCalls = oneuptime(naive).filter(isLinkQuery);
    expect(linkCalls).toHaveLength(2 * ids.length);
    const asked = linkCalls.map(linkQueryIds);
    for (const one of asked) expect(one).toHaveLength(1);
    expect(sorted(asked.flat())).toEqual(sorted([...ids, ...ids]));
    // … then one list per linked incident and resource, each for one OneUptime id.
    const zeros = linked.map(() => 0);
    expect(skips(oneuptime(naive), 'incident-state-timeline')).toEqual(zeros);
    expect(skips(oneuptime(naive), 'incident-sla')).toEqual(zeros);
    expect(oneuptime(naive)).toHaveLength(2 * ids.length + 2 * linked.length);
    for (const call of oneuptime(naive).filter((r) => !isLinkQuery(r)))
      expect(queriedIncidentIds(call)).toHaveLength(1);
    expectJoinsMatchSeed(data);
  });
});
