/**
 * `Incident.timeline` over real HTTP: Coralogix events with the instants of
 * Coralogix's event feed, and the linked OneUptime incident's state changes
 * and responders, in one order, paged by cursors that resume exactly.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredIncident } from '../../src/sandbox/coralogix/store.js';
import { EVENTS_PATH, TIMELINE_NODE, expectedTimeline, linkedOf } from '../support/screens.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { LINK_CACHE_TTL_MS: '0' } });
});
afterAll(() => stack?.stop());
beforeEach(() => stack.sandbox.reset());

const seed = () => stack.sandbox.seed;

interface Edge {
  cursor: string;
  at: string | null;
  precision: string;
  source: string;
  node: { __typename: string; id: string; type?: string };
}
interface TimelinePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Edge[];
}

const TIMELINE = `query ($id: ID!, $first: Int, $after: String) { incident(id: $id) {
  timeline(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor at precision source ${TIMELINE_NODE} }
  }
} }`;

async function page(id: string, first: number, after?: string | null) {
  const response = await stack.graphql<{ incident: { timeline: TimelinePage } }>(TIMELINE, {
    id,
    first,
    after,
  });
  return response;
}

async function walk(id: string, first: number): Promise<{ edges: Edge[]; pages: number }> {
  const edges: Edge[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const { data, errors } = await page(id, first, after);
    expect(errors).toBeUndefined();
    const timeline = data!.incident.timeline;
    edges.push(...timeline.edges);
    pages += 1;
    if (!timeline.pageInfo.hasNextPage) return { edges, pages };
    after = timeline.pageInfo.endCursor;
  }
}

/** A linked incident with items from all three sources and more than a few of them. */
function richIncident(): StoredIncident {
  return seed().incidents.find((incident) => {
    const types = new Set(expectedTimeline(seed(), incident).map((item) => item.type));
    return types.size === 3 && expectedTimeline(seed(), incident).length >= 8;
  })!;
}

const view = (edges: Edge[]) =>
  edges.map((e) => ({ type: e.node.__typename, id: e.node.id, at: e.at, source: e.source }));

describe('Incident.timeline', () => {
  it('walks every item once, in order, across both vendors, three items a page', async () => {
    const incident = richIncident();
    const expected = expectedTimeline(seed(), incident);
    const { edges, pages } = await walk(incident.id, 3);
    expect(view(edges)).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 3));
    expect(new Set(edges.map((e) => e.node.id)).size).toBe(edges.length);
    expect(edges.every((e) => e.precision === 'EXACT')).toBe(true);
  });

  it('resumes exactly after the cursor when a responder joins between pages', async () => {
    const incident = richIncident();
    const first = await page(incident.id, 4);
    const [role] = seed().roles.filter((r) => r.canAssignMultipleUsers);
    const user = seed().users.find(
      (u) =>
        !seed().members.some(
          (m) => m.incidentId === linkedOf(seed(), incident.id)?._id && m.userId === u.id,
        ),
    )!;
    const added = await stack.graphql<{ addIncidentResponder: { id: string } }>(
      `mutation ($input: AddIncidentResponderInput!) { addIncidentResponder(input: $input) { id } }`,
      { input: { incidentId: incident.id, userId: user.id, roleId: role!._id } },
    );
    expect(added.errors).toBeUndefined();
    const { data } = await page(incident.id, 100, first.data!.incident.timeline.pageInfo.endCursor);
    const rest = data!.incident.timeline.edges;
    const expected = expectedTimeline(seed(), incident);
    expect(view([...first.data!.incident.timeline.edges, ...rest]).map((e) => e.id)).toEqual([
      ...expected.map((e) => e.id),
      added.data!.addIncidentResponder.id,
    ]);
  });

  it('shows an unlinked incident’s Coralogix events, with their exact instants', async () => {
    const incident = seed().incidents.find((i) => !linkedOf(seed(), i.id) && i.events.length > 3)!;
    const { edges } = await walk(incident.id, 50);
    expect(view(edges)).toEqual(expectedTimeline(seed(), incident));
    expect(edges.map((e) => e.node.id)).toEqual(incident.events.map((e) => e.id));
    expect(new Set(edges.map((e) => `${e.source} ${e.precision}`))).toEqual(
      new Set(['CORALOGIX EXACT']),
    );
  });

  /** An unlinked incident's timeline while Coralogix's feed answers no items. */
  async function withoutFeed(pick: (incident: StoredIncident) => boolean) {
    const incident = seed().incidents.find((i) => !linkedOf(seed(), i.id) && pick(i))!;
    stack.sandbox.setFault({ path: EVENTS_PATH, method: 'GET', status: 200, body: { items: [] } });
    const { edges } = await walk(incident.id, 50);
    expect(edges.map((e) => e.node.id)).toEqual(incident.events.map((e) => e.id));
    return { incident, stated: edges.map((e) => [e.node.type, e.precision, e.at]) };
  }

  it('takes OPEN’s instant from createdAt and the last state change’s from lastStateUpdateTime when the feed lacks them', async () => {
    const { incident, stated } = await withoutFeed(
      (i) => i.events.at(-1)?.upsertState?.payload?.cxEventKey === i.lastStateUpdateKey,
    );
    expect(stated).toEqual([
      ['OPEN', 'FROM_INCIDENT', incident.createdAt],
      ['UPSERT_STATE', 'FROM_INCIDENT', incident.lastStateUpdateTime],
    ]);
  });

  it('takes CLOSE’s instant from closedAt, and places events the incident gives no instant for by Coralogix’s order, without a time', async () => {
    const { incident, stated } = await withoutFeed(
      (i) => Boolean(i.closedAt) && i.events.some((e) => e.incidentEventType?.endsWith('ASSIGN')),
    );
    const expected = incident.events.map((event) => {
      const type = (event.incidentEventType ?? '').replace('INCIDENT_EVENT_TYPE_', '');
      if (type === 'OPEN') return [type, 'FROM_INCIDENT', incident.createdAt];
      if (type === 'CLOSE') return [type, 'FROM_INCIDENT', incident.closedAt];
      return [type, 'ORDER_ONLY', null];
    });
    expect(stated).toEqual(expected);
  });
});

describe('Incident.timeline arguments', () => {
  const requestsAfter = async (variables: Record<string, unknown>) => {
    const incident = richIncident();
    stack.sandbox.clearRequests();
    const response = await stack.graphql(TIMELINE, { id: incident.id, ...variables });
    return { response, incident };
  };

  it.each([
    ['a negative first', { first: -1 }],
    ['a first over 100', { first: 101 }],
    ['a forged cursor', { after: 'WyJrIiwieCIsIjAiLCJbMCwwLDAsXCJcIl0iXQ.AAAAAAAAAAAAAAAAAAAAAA' }],
  ])('refuses %s with BAD_USER_INPUT before reading any timeline', async (_, variables) => {
    const { response } = await requestsAfter(variables);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.data?.incident).toEqual({ timeline: null });
    // Only the incident itself was read: no feed, link or OneUptime call.
    expect(stack.sandbox.requests().map((r) => r.method)).toEqual(['GET']);
    expect(stack.sandbox.requests('oneuptime')).toHaveLength(0);
  });

  it('refuses another incident’s cursor with BAD_USER_INPUT', async () => {
    const incident = richIncident();
    const other = seed().incidents.find((i) => i.id !== incident.id)!;
    const { data } = await page(other.id, 1);
    const { response } = await requestsAfter({
      after: data!.incident.timeline.pageInfo.endCursor,
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
