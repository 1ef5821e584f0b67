/**
 * The cross-vendor link (DESIGN 5a) over real HTTP: a Coralogix incident
 * reaches its OneUptime records only through the OneUptime incident whose
 * `customFields` name it, one link call per level, cached afterwards.
 */
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { LINK_FIELD } from '../../src/sandbox/seed.js';
import { CX } from '../support/coralogix.js';
import { dataOf, startStack, useStack } from '../support/stack.js';

// Links are read afresh each time here, so every test sees its own link calls
// (the cache has a test of its own below).
const stack = useStack({ env: { LINK_CACHE_TTL_MS: '0' }, resetEach: true });

const seed = () => stack.sandbox.seed;
const UUID = /^[0-9a-f-]{36}$/;

/** Coralogix id → the OneUptime incidents claiming it, oldest first (the seed's truth). */
function claimants(coralogixId: string) {
  return seed()
    .oneUptimeIncidents.filter(
      (row) => (row.customFields as Record<string, unknown> | null)?.[LINK_FIELD] === coralogixId,
    )
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a._id < b._id ? -1 : 1));
}

const ouCalls = (path: string) =>
  stack.sandbox.requests('oneuptime').filter((r: RecordedRequest) => r.path === path);
const callsOf = (requests: RecordedRequest[]) => requests.map((r) => `${r.method} ${r.path}`);

interface LinkedNode {
  id: string;
  linkStatus: string;
  stateTimeline: Array<{ id: string; oneUptimeIncidentId: string }>;
  slas: Array<{ id: string }>;
  oneUptimeIncident: { id: string; state: { name: string; color: string } | null } | null;
}

const JOINS = `query ($first: Int) { incidents(first: $first) { edges { node {
  id linkStatus stateTimeline { id oneUptimeIncidentId } slas { id }
  oneUptimeIncident { id state { name color } }
} } } }`;

describe('Incident → OneUptime through the link', () => {
  it('50 incidents with timelines, SLAs and the linked incident state cost 1 Coralogix and 3 OneUptime calls cold', async () => {
    const data = await dataOf<{ incidents: { edges: Array<{ node: LinkedNode }> } }>(stack, JOINS, {
      first: 50,
    });
    const nodes = data.incidents.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    expect(callsOf(stack.sandbox.requests('coralogix'))).toEqual([
      `${CX.list.method} ${CX.list.path}`,
    ]);
    expect(callsOf(stack.sandbox.requests('oneuptime')).sort()).toEqual([
      'POST /api/incident-sla/get-list',
      'POST /api/incident-state-timeline/get-list',
      'POST /api/incident/get-list',
    ]);
    // The link query: the custom field, per key, Includes the page's 50 Coralogix ids.
    const [link] = ouCalls('/api/incident/get-list');
    const query = (link?.body as { query: { customFields: Record<string, unknown> } }).query;
    expect(Object.keys(query)).toEqual(['customFields']);
    expect(query.customFields[LINK_FIELD]).toEqual({
      _type: 'Includes',
      value: expect.arrayContaining(nodes.map((n) => n.id)),
    });
    expect((query.customFields[LINK_FIELD] as { value: string[] }).value).toHaveLength(50);
    // Joins ask OneUptime for OneUptime incident ids only: never a Coralogix id.
    const coralogixIds = new Set(seed().incidents.map((i) => i.id));
    for (const request of [
      ...ouCalls('/api/incident-sla/get-list'),
      ...ouCalls('/api/incident-state-timeline/get-list'),
    ]) {
      const asked = (request.body as { query: { incidentId: string[] } }).query.incidentId;
      expect(asked.length).toBeGreaterThan(0);
      for (const id of asked) expect(coralogixIds.has(id), id).toBe(false);
    }
    // The answers match the seed through the link.
    for (const node of nodes) {
      const [linked] = claimants(node.id);
      const expectedStatus = !linked
        ? 'NOT_LINKED'
        : claimants(node.id).length > 1
          ? 'CONFLICT'
          : 'LINKED';
      expect(node.linkStatus).toBe(expectedStatus);
      expect(node.oneUptimeIncident?.id ?? null).toBe(linked?._id ?? null);
      const timeline = seed().stateTimelines.filter((t) => t.incidentId === linked?._id);
      expect(node.stateTimeline.map((t) => t.id).sort()).toEqual(timeline.map((t) => t._id).sort());
      for (const entry of node.stateTimeline) expect(entry.oneUptimeIncidentId).toBe(linked?._id);
      const slas = seed().slas.filter((s) => s.incidentId === linked?._id);
      expect(node.slas.map((s) => s.id).sort()).toEqual(slas.map((s) => s._id).sort());
      if (linked) {
        const state = seed().incidentStates.find((s) => s._id === linked.currentIncidentStateId);
        expect(node.oneUptimeIncident?.state).toEqual({ name: state?.name, color: state?.color });
      }
    }
    expect(nodes.some((n) => n.linkStatus === 'NOT_LINKED')).toBe(true);
  });

  it('makes no link call once the links of a page are cached (LINK_CACHE_TTL_MS)', async () => {
    const cached = await startStack({ env: { LINK_CACHE_TTL_MS: '60000' } });
    try {
      const page = `query { incidents(first: 20) { edges { node { id stateTimeline { id } slas { id } } } } }`;
      expect((await cached.graphql(page)).errors).toBeUndefined();
      expect(callsOf(cached.sandbox.requests('oneuptime'))).toContain(
        'POST /api/incident/get-list',
      );
      cached.sandbox.clearRequests();
      expect((await cached.graphql(page)).errors).toBeUndefined();
      expect(callsOf(cached.sandbox.requests('oneuptime')).sort()).toEqual([
        'POST /api/incident-sla/get-list',
        'POST /api/incident-state-timeline/get-list',
      ]);
    } finally {
      await cached.stop();
    }
  });

  it('answers [] for an incident that is not linked, with no timeline or SLA call', async () => {
    const unlinked = seed().incidents.find((i) => claimants(i.id).length === 0)!;
    const data = await dataOf<{ incident: LinkedNode }>(
      stack,
      `query ($id: ID!) { incident(id: $id) { id linkStatus stateTimeline { id oneUptimeIncidentId } slas { id } oneUptimeIncident { id state { name color } } } }`,
      { id: unlinked.id },
    );
    expect(data.incident).toMatchObject({
      linkStatus: 'NOT_LINKED',
      stateTimeline: [],
      slas: [],
      oneUptimeIncident: null,
    });
    expect(callsOf(stack.sandbox.requests('oneuptime'))).toEqual(['POST /api/incident/get-list']);
  });

  it('uses the oldest of two OneUptime incidents claiming one Coralogix incident, and says CONFLICT', async () => {
    const conflicted = seed().incidents.find((i) => claimants(i.id).length > 1)!;
    const [oldest, newer] = claimants(conflicted.id);
    expect(Date.parse(oldest!.createdAt)).toBeLessThan(Date.parse(newer!.createdAt));
    const data = await dataOf<{ incident: LinkedNode }>(
      stack,
      `query ($id: ID!) { incident(id: $id) { id linkStatus oneUptimeIncident { id } stateTimeline { id oneUptimeIncidentId } } }`,
      { id: conflicted.id },
    );
    expect(data.incident.linkStatus).toBe('CONFLICT');
    expect(data.incident.oneUptimeIncident?.id).toBe(oldest!._id);
    for (const entry of data.incident.stateTimeline) {
      expect(entry.oneUptimeIncidentId).toBe(oldest!._id);
    }
  });
});

describe('what a link read selects (src/links/readColumns.ts)', () => {
  /** The columns of the one link get-list the last query made. */
  const linkSelect = () => {
    const reads = ouCalls('/api/incident/get-list').filter(
      (r) => 'customFields' in ((r.body as { query?: object }).query ?? {}),
    );
    expect(reads).toHaveLength(1);
    return Object.keys((reads[0]?.body as { select: object }).select).sort();
  };

  it('only the link when the operation shows no OneUptime incident column', async () => {
    await dataOf(
      stack,
      `{ incidents(first: 20) { edges { node { id linkStatus stateTimeline { id } slas { id } } } } }`,
    );
    expect(linkSelect()).toEqual(['_id', 'createdAt', 'customFields']);
  });

  it('with every column the operation shows, so the linked incidents cost no read by id', async () => {
    const data = await dataOf<{
      incidents: {
        edges: Array<{
          node: {
            slas: Array<{ oneUptimeIncident: { title: string } | null }>;
            oneUptimeIncident: { number: number | null } | null;
          };
        }>;
      };
    }>(
      stack,
      `{ incidents(first: 20) { edges { node {
        oneUptimeIncident { number }
        slas { oneUptimeIncident { title state { name } } }
      } } } }`,
    );
    expect(linkSelect()).toEqual([
      '_id',
      'createdAt',
      'currentIncidentState',
      'currentIncidentStateId',
      'customFields',
      'incidentNumber',
      'title',
    ]);
    // The link read, then the SLAs: their incidents (the linked ones) come from the link rows.
    expect(callsOf(stack.sandbox.requests('oneuptime')).sort()).toEqual([
      'POST /api/incident-sla/get-list',
      'POST /api/incident/get-list',
    ]);
    const shown = data.incidents.edges.flatMap((e) => e.node.slas).map((s) => s.oneUptimeIncident);
    expect(shown.length).toBeGreaterThan(0);
    for (const incident of shown) {
      const row = seed().oneUptimeIncidents.find((r) => r.title === incident?.title);
      expect(row, incident?.title).toBeDefined();
    }
  });
});

describe('OneUptime records → Coralogix through the link', () => {
  it('50 SLAs with their Coralogix incident cost 1 SLA call, 1 OneUptime incident call and 1 Coralogix batch get', async () => {
    const data = await dataOf<{
      incidentSlas: {
        edges: Array<{
          node: { oneUptimeIncidentId: string; incident: { id: string; name: string } | null };
        }>;
      };
    }>(
      stack,
      '{ incidentSlas(first: 50) { edges { node { oneUptimeIncidentId incident { id name } } } } }',
    );
    const edges = data.incidentSlas.edges;
    expect(edges).toHaveLength(50);
    expect(callsOf(stack.sandbox.requests('oneuptime')).sort()).toEqual([
      'POST /api/incident-sla/get-list',
      'POST /api/incident/get-list',
    ]);
    // The OneUptime incidents by their own ids, then Coralogix by the ids their custom field names.
    const [byId] = ouCalls('/api/incident/get-list');
    const distinct = [...new Set(edges.map((e) => e.node.oneUptimeIncidentId))];
    expect((byId?.body as { query: { _id: string[] } }).query._id.sort()).toEqual(distinct.sort());
    expect(callsOf(stack.sandbox.requests('coralogix'))).toEqual([
      `${CX.batchGet.method} ${CX.batchGet.path}`,
    ]);
    for (const { node } of edges) {
      const row = seed().oneUptimeIncidents.find((r) => r._id === node.oneUptimeIncidentId)!;
      const named = (row.customFields as Record<string, unknown> | null)?.[LINK_FIELD];
      const incident = seed().incidents.find((i) => i.id === named);
      expect(node.incident).toEqual(incident ? { id: incident.id, name: incident.name } : null);
    }
  });

  it('a OneUptime-only incident has no Coralogix incident, without an error', async () => {
    const only = seed().oneUptimeIncidents.find(
      (row) => !(row.customFields as Record<string, unknown> | null)?.[LINK_FIELD],
    )!;
    const data = await dataOf<{ oneUptimeIncident: { id: string; title: string; incident: null } }>(
      stack,
      'query ($id: ID!) { oneUptimeIncident(id: $id) { id title incident { id } } }',
      { id: only._id },
    );
    expect(data.oneUptimeIncident).toEqual({ id: only._id, title: only.title, incident: null });
    expect(stack.sandbox.requests('coralogix')).toEqual([]);
  });

  it('lists OneUptime incidents by link: linked, not linked, and linked to given Coralogix ids', async () => {
    const linkedCount = seed().oneUptimeIncidents.filter((row) =>
      UUID.test(String((row.customFields as Record<string, unknown> | null)?.[LINK_FIELD] ?? '')),
    ).length;
    const counts = await dataOf<{
      linked: { totalCount: number };
      unlinked: { totalCount: number };
    }>(
      stack,
      '{ linked: oneUptimeIncidents(first: 0, filter: { linked: true }) { totalCount } unlinked: oneUptimeIncidents(first: 0, filter: { linked: false }) { totalCount } }',
    );
    expect(counts.linked.totalCount).toBe(linkedCount);
    expect(counts.unlinked.totalCount).toBe(seed().oneUptimeIncidents.length - linkedCount);
    const conflicted = seed().incidents.find((i) => claimants(i.id).length > 1)!;
    const byLink = await dataOf<{ oneUptimeIncidents: { edges: Array<{ node: { id: string } }> } }>(
      stack,
      'query ($ids: [ID!]) { oneUptimeIncidents(filter: { incidentIds: $ids }) { edges { node { id } } } }',
      { ids: [conflicted.id] },
    );
    expect(byLink.oneUptimeIncidents.edges.map((e) => e.node.id).sort()).toEqual(
      claimants(conflicted.id)
        .map((r) => r._id)
        .sort(),
    );
  });

  it('lists the project states and severities in their order', async () => {
    const data = await dataOf<{
      oneUptimeIncidentStates: Array<{ name: string; order: number }>;
      oneUptimeIncidentSeverities: Array<{ name: string; order: number }>;
    }>(
      stack,
      '{ oneUptimeIncidentStates { name order } oneUptimeIncidentSeverities { name order } }',
    );
    const byOrder = <T extends { order?: number | null }>(rows: T[]) =>
      [...rows].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    expect(data.oneUptimeIncidentStates.map((s) => s.name)).toEqual(
      byOrder(seed().incidentStates).map((s) => s.name),
    );
    expect(data.oneUptimeIncidentSeverities.map((s) => s.name)).toEqual(
      byOrder(seed().incidentSeverities).map((s) => s.name),
    );
  });

  it('filters SLAs by Coralogix ids through one link call, and by OneUptime ids directly', async () => {
    const linked = seed()
      .incidents.filter((i) => claimants(i.id).length === 1)
      .slice(0, 5);
    const ouIds = linked.map((i) => claimants(i.id)[0]!._id);
    const expected = seed()
      .slas.filter((s) => ouIds.includes(s.incidentId as string))
      .map((s) => s._id)
      .sort();
    const byCoralogix = await dataOf<{ incidentSlas: { edges: Array<{ node: { id: string } }> } }>(
      stack,
      'query ($ids: [ID!]) { incidentSlas(first: 100, filter: { incidentIds: $ids }) { edges { node { id } } } }',
      { ids: linked.map((i) => i.id) },
    );
    expect(byCoralogix.incidentSlas.edges.map((e) => e.node.id).sort()).toEqual(expected);
    expect(callsOf(stack.sandbox.requests('oneuptime'))).toEqual([
      'POST /api/incident/get-list',
      'POST /api/incident-sla/get-list',
    ]);
    const byOneUptime = await dataOf<{ incidentSlas: { edges: Array<{ node: { id: string } }> } }>(
      stack,
      'query ($ids: [ID!]) { incidentSlas(first: 100, filter: { oneUptimeIncidentIds: $ids }) { edges { node { id } } } }',
      { ids: ouIds },
    );
    expect(byOneUptime.incidentSlas.edges.map((e) => e.node.id).sort()).toEqual(expected);
    expect(callsOf(stack.sandbox.requests('oneuptime'))).toEqual([
      'POST /api/incident-sla/get-list',
    ]);
  });

  it('answers an empty page without an SLA call when the Coralogix ids are not linked', async () => {
    const unlinked = seed().incidents.find((i) => claimants(i.id).length === 0)!;
    const data = await dataOf<{ incidentSlas: { totalCount: number; edges: unknown[] } }>(
      stack,
      'query ($ids: [ID!]) { incidentSlas(filter: { incidentIds: $ids }) { totalCount edges { cursor } } }',
      { ids: [unlinked.id] },
    );
    expect(data.incidentSlas).toEqual({ totalCount: 0, edges: [] });
    // At most the link call (none when an earlier test left "not linked" in the cache).
    expect(
      callsOf(stack.sandbox.requests('oneuptime')).filter(
        (c) => c !== 'POST /api/incident/get-list',
      ),
    ).toEqual([]);
  });
});
