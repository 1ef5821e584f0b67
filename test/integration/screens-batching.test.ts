/**
 * Incident screens over real HTTP: a list of incidents with their responders
 * and merged timelines costs a fixed number of upstream calls, whatever the
 * page size, and the answers match the seed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { CX } from '../support/coralogix.js';
import { EVENTS_PATH, expectedTimeline, linkedOf } from '../support/screens.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  // Links are read afresh, so every query below pays its link call.
  stack = await startStack({ env: { LINK_CACHE_TTL_MS: '0' } });
});
afterAll(() => stack?.stop());
beforeEach(() => stack.sandbox.reset());

const seed = () => stack.sandbox.seed;
const callsOf = (requests: RecordedRequest[]) =>
  requests.map((r) => `${r.method} ${r.path}`).sort();

async function run<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  stack.sandbox.clearRequests();
  const response = await stack.graphql<T>(query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}

interface ScreenNode {
  id: string;
  responders: Array<{ user: { id: string }; role: { name: string } | null }>;
  timeline: { edges: Array<{ node: { __typename: string } }> };
}

const SCREEN = `query ($first: Int) { incidents(first: $first) { edges { node {
  id
  responders { user { id } role { name } }
  timeline(first: 10) { edges { node { __typename } } }
} } } }`;

/** The calls the screen makes: Coralogix list + feed; OneUptime link, members, state changes, roles. */
const SCREEN_CALLS = [
  `${CX.list.method} ${CX.list.path}`,
  `GET ${EVENTS_PATH}`,
  'POST /api/incident-member/get-list',
  'POST /api/incident-role/get-list',
  'POST /api/incident-state-timeline/get-list',
  'POST /api/incident/get-list',
].sort();

describe('incidents with responders and timelines', () => {
  it('costs 6 upstream calls (2 Coralogix, 4 OneUptime) for 20 incidents, as for 5', async () => {
    for (const first of [5, 20]) {
      const data = await run<{ incidents: { edges: Array<{ node: ScreenNode }> } }>(SCREEN, {
        first,
      });
      expect(data.incidents.edges).toHaveLength(first);
      expect(callsOf(stack.sandbox.requests())).toEqual(SCREEN_CALLS);
    }
  });

  it('answers each incident’s responders with their role names, and [] for an unlinked one', async () => {
    const data = await run<{ incidents: { edges: Array<{ node: ScreenNode }> } }>(SCREEN, {
      first: 20,
    });
    const roleName = new Map(seed().roles.map((role) => [role._id, role.name]));
    for (const { node } of data.incidents.edges) {
      const linked = linkedOf(seed(), node.id);
      const members = seed()
        .members.filter((m) => m.incidentId === linked?._id)
        // Oldest first; OneUptime breaks ties by id.
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a._id < b._id ? -1 : 1));
      expect(node.responders).toEqual(
        members.map((m) => ({
          user: { id: m.userId },
          role: { name: roleName.get(m.incidentRoleId) },
        })),
      );
    }
    expect(data.incidents.edges.some(({ node }) => !linkedOf(seed(), node.id))).toBe(true);
    expect(data.incidents.edges.some(({ node }) => node.responders.length > 1)).toBe(true);
  });

  it('answers each incident’s first 10 timeline items, from both vendors, as the seed orders them', async () => {
    const data = await run<{ incidents: { edges: Array<{ node: ScreenNode }> } }>(SCREEN, {
      first: 20,
    });
    const sources = new Set<string>();
    for (const { node } of data.incidents.edges) {
      const incident = seed().incidents.find((i) => i.id === node.id)!;
      const expected = expectedTimeline(seed(), incident).slice(0, 10);
      expect(node.timeline.edges.map((e) => e.node.__typename)).toEqual(
        expected.map((e) => e.type),
      );
      for (const item of expected) sources.add(item.type);
    }
    expect([...sources].sort()).toEqual(['IncidentEvent', 'IncidentMember', 'StateTimeline']);
  });

  it('reads the instants of the whole page with one feed query over the incidents’ windows', async () => {
    await run(SCREEN, { first: 20 });
    const [feed, ...more] = stack.sandbox
      .requests('coralogix')
      .filter((r) => r.path === EVENTS_PATH);
    expect(more).toHaveLength(0);
    const [start] = feed!.query['filter[timestamp][startTime]']!;
    const [end] = feed!.query['filter[timestamp][endTime]']!;
    expect(feed!.query['order_by[direction]']).toEqual(['ORDER_BY_DIRECTION_ASC']);
    expect(feed!.query['pagination[pageSize]']).toEqual(['1000']);
    // The window covers every event of the 20 newest incidents, and the feed holds fewer than a page.
    const newest = [...seed().incidents]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 20);
    expect(Date.parse(start!)).toBe(Math.min(...newest.map((i) => Date.parse(i.createdAt))));
    const inWindow = seed().eventFeed.filter(
      (r) => r.cxEventTimestamp >= start! && r.cxEventTimestamp < end!,
    );
    expect(inWindow.length).toBeLessThan(1000);
  });

  it('narrows the feed query to the incident’s name for one incident', async () => {
    const incident = seed().incidents.find((i) => i.closedAt)!;
    await run(`query ($id: ID!) { incident(id: $id) { timeline { totalCount } } }`, {
      id: incident.id,
    });
    const [feed] = stack.sandbox.requests('coralogix').filter((r) => r.path === EVENTS_PATH);
    expect(feed?.query).toEqual({
      'filter[timestamp][startTime]': [incident.createdAt],
      'filter[timestamp][endTime]': [
        new Date(Date.parse(incident.closedAt!) + 60_000).toISOString(),
      ],
      'filter[name]': [incident.name],
      'pagination[pageSize]': ['1000'],
      'order_by[direction]': ['ORDER_BY_DIRECTION_ASC'],
    });
  });

  it('lists a OneUptime incident’s responders with one member call for a whole page', async () => {
    const data = await run<{
      oneUptimeIncidents: {
        edges: Array<{ node: { id: string; responders: Array<{ id: string }> } }>;
      };
    }>('{ oneUptimeIncidents(first: 30) { edges { node { id responders { id } } } } }');
    expect(callsOf(stack.sandbox.requests())).toEqual([
      'POST /api/incident-member/get-list',
      'POST /api/incident/get-list',
    ]);
    for (const { node } of data.oneUptimeIncidents.edges) {
      const members = seed().members.filter((m) => m.incidentId === node.id);
      expect(node.responders.map((r) => r.id).sort()).toEqual(members.map((m) => m._id).sort());
    }
  });
});
