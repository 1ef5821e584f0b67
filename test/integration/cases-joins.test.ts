/**
 * Cases and OneUptime through the case link (DESIGN 5c) over real HTTP: the
 * floors of the issue (`cases(first: 50) { slas stateTimeline }` and
 * `incidentSlas(first: 50) { case { title } }`), the case GETs of one level
 * sent together, the Activity events oldest first, the merged timeline, and a
 * key without `case:*` permissions next to working incidents.
 */
import { describe, expect, it } from 'vitest';
import { CASE_LINK_FIELD } from '../../src/sandbox/seed.js';
import { caseCalls, caseRequests } from '../support/cases.js';
import { cx } from '../support/coralogix.js';
import { expectLinkQuery, isIncidentByIdQuery, isLinkQuery, seedLinks } from '../support/links.js';
import { dataOf, startStack, useStack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const stack = useStack({ env: { LINK_CACHE_TTL_MS: '0' }, resetEach: true });
const links = () => seedLinks(stack.sandbox.seed, 'case');
const ouCalls = () =>
  stack.sandbox
    .requests('oneuptime')
    .map((r) => `${r.method} ${r.path}`)
    .sort();

const CASE_JOINS = `query ($first: Int) { cases(first: $first) { edges { node {
  id slas { id } stateTimeline { id }
} } } }`;

interface JoinedCase {
  id: string;
  slas: Array<{ id: string }>;
  stateTimeline: Array<{ id: string }>;
}

describe('Case → OneUptime through the case link', () => {
  it('cases(first: 50) { slas stateTimeline } costs 1 ListCases and 3 OneUptime calls cold', async () => {
    const data = await dataOf<{ cases: { edges: Array<{ node: JoinedCase }> } }>(
      stack,
      CASE_JOINS,
      { first: 50 },
    );
    const nodes = data.cases.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    expect(caseCalls(stack.sandbox)).toEqual(['POST /cases/cases/v1']);
    expect(ouCalls()).toEqual([
      'POST /api/incident-sla/get-list',
      'POST /api/incident-state-timeline/get-list',
      'POST /api/incident/get-list',
    ]);
    const [linkCall] = stack.sandbox.requests('oneuptime').filter(isLinkQuery);
    expectLinkQuery(
      linkCall,
      nodes.map((n) => n.id),
      CASE_LINK_FIELD,
    );
    // What each case got is its linked OneUptime incident's, as the seed says.
    for (const node of nodes) {
      expect(node.slas.map((s) => s.id).sort()).toEqual(
        links()
          .slasOf(node.id)
          .map((s) => s._id)
          .sort(),
      );
      expect(node.stateTimeline.map((t) => t.id)).toEqual(
        links()
          .timelinesOf(node.id)
          .map((t) => t._id),
      );
    }
    expect(nodes.some((n) => n.slas.length > 0)).toBe(true);
  });

  it('costs 3 calls once the links are cached (no link call)', async () => {
    const warm = await startStack({
      over: stack.sandbox,
      env: { LINK_CACHE_TTL_MS: '60000' },
    });
    try {
      await dataOf(warm, CASE_JOINS, { first: 50 });
      await dataOf(warm, CASE_JOINS, { first: 50 });
      expect(caseCalls(stack.sandbox)).toEqual(['POST /cases/cases/v1']);
      expect(ouCalls()).toEqual([
        'POST /api/incident-sla/get-list',
        'POST /api/incident-state-timeline/get-list',
      ]);
    } finally {
      await warm.stop();
    }
  });

  it('cases → slas → case: the links of the request lead back, with no read of custom fields even warm', async () => {
    const warm = await startStack({
      over: stack.sandbox,
      env: { LINK_CACHE_TTL_MS: '60000' },
    });
    const query = `query { cases(first: 12) { edges { node { id slas { id case { id } } } } } }`;
    try {
      await dataOf(warm, query);
      const data = await dataOf<{
        cases: { edges: Array<{ node: { id: string; slas: Array<{ case: { id: string } }> } }> };
      }>(warm, query);
      const nodes = data.cases.edges.map((e) => e.node);
      expect(nodes.some((n) => n.slas.length > 0)).toBe(true);
      for (const node of nodes) {
        expect(node.slas.map((s) => s.case.id)).toEqual(node.slas.map(() => node.id));
      }
      // The link cache answers the link, the links answer the way back: no `_id` read.
      expect(caseCalls(stack.sandbox)).toEqual(['POST /cases/cases/v1']);
      expect(ouCalls()).toEqual(['POST /api/incident-sla/get-list']);
    } finally {
      await warm.stop();
    }
  });

  it('says CONFLICT for a case claimed twice (the oldest claimant is used) and [] when not linked', async () => {
    const { doubleClaimed, unlinked } = stack.sandbox.caseIds;
    const data = await dataOf<Record<string, Record<string, unknown>>>(
      stack,
      `query ($a: ID!, $b: ID!) {
        a: case(id: $a) { linkStatus oneUptimeIncident { id } }
        b: case(id: $b) { linkStatus oneUptimeIncident { id } slas { id } stateTimeline { id } responders { id } }
      }`,
      { a: doubleClaimed, b: unlinked },
    );
    expect(links().claimants(doubleClaimed)).toHaveLength(2);
    expect(data.a).toEqual({
      linkStatus: 'CONFLICT',
      oneUptimeIncident: { id: links().claimants(doubleClaimed)[0] },
    });
    expect(data.b).toEqual({
      linkStatus: 'NOT_LINKED',
      oneUptimeIncident: null,
      slas: [],
      stateTimeline: [],
      responders: [],
    });
    // Only the link lookup: nothing to join for a case that is not linked.
    expect(ouCalls()).toEqual(['POST /api/incident/get-list']);
  });
});

describe('OneUptime records → Coralogix cases', () => {
  /** OneUptime incidents that name a case, with the case they name. */
  const caseLinked = () =>
    stack.sandbox.seed.oneUptimeIncidents.filter(
      (row) => typeof row.customFields?.[CASE_LINK_FIELD] === 'string',
    );

  it('incidentSlas(first: 50) { case { title } }: SLA list, OneUptime incidents, one GET per distinct case, sent together', async () => {
    const rows = caseLinked().slice(0, 20);
    const named = new Set(rows.map((row) => String(row.customFields?.[CASE_LINK_FIELD])));
    const slaRows = stack.sandbox.seed.slas.filter((sla) =>
      rows.some((row) => row._id === sla.incidentId),
    );
    const cases = new Set(
      slaRows.map((sla) => links().namedBy(sla.incidentId as string) as string),
    );
    expect(cases.size).toBeGreaterThan(3);
    expect(cases.size).toBeLessThanOrEqual(32);
    expect([...cases].every((id) => named.has(id))).toBe(true);

    // Every case GET is slow: all of them must be on the wire before the first is answered.
    stack.sandbox.setFault({
      upstream: 'coralogix',
      method: 'GET',
      path: /\/cases\/cases\/v1\/[^/]+$/,
      latencyMs: 400,
    });
    stack.sandbox.clearRequests();
    const pending = stack.graphql<{
      incidentSlas: { edges: Array<{ node: { case: { id: string; title: string } | null } }> };
    }>(
      `query ($ids: [ID!]) { incidentSlas(filter: { oneUptimeIncidentIds: $ids }, first: 50) {
        edges { node { oneUptimeIncidentId case { id title } } } } }`,
      { ids: rows.map((row) => row._id) },
    );
    const gets = () => caseRequests(stack.sandbox).filter((r) => r.method === 'GET');
    await waitFor('every case GET to be sent', () => gets().length === cases.size);
    expect(gets().every((r) => r.status === undefined)).toBe(true);
    const answer = await pending;
    expect(answer.errors, answer.text).toBeUndefined();

    expect(
      gets()
        .map((r) => r.path)
        .sort(),
    ).toEqual([...cases].map((id) => `/cases/cases/v1/${id}`).sort());
    expect(ouCalls()).toEqual(['POST /api/incident-sla/get-list', 'POST /api/incident/get-list']);
    const [byId] = stack.sandbox.requests('oneuptime').filter(isIncidentByIdQuery);
    expect(byId).toBeDefined();
    const titles = new Map(stack.sandbox.seed.cases.map((r) => [r.case.id, r.case.title]));
    for (const edge of answer.data!.incidentSlas.edges) {
      expect(edge.node.case).toEqual({
        id: expect.any(String),
        title: titles.get(edge.node.case!.id),
      });
    }
    expect(answer.data!.incidentSlas.edges).toHaveLength(slaRows.length);
  });

  it('a OneUptime incident, a timeline entry: each reaches its case, and an incident-linked one none', async () => {
    const caseRow = caseLinked()[0]!;
    const caseId = String(caseRow.customFields?.[CASE_LINK_FIELD]);
    const incidentRow = stack.sandbox.seed.oneUptimeIncidents.find(
      (row) => !row.customFields?.[CASE_LINK_FIELD],
    )!;
    const data = await dataOf<Record<string, unknown>>(
      stack,
      `query ($a: ID!, $b: ID!) {
        a: oneUptimeIncident(id: $a) { case { id } stateTimeline { case { id } } }
        b: oneUptimeIncident(id: $b) { case { id } }
      }`,
      { a: caseRow._id, b: incidentRow._id },
    );
    const entries = (data.a as { stateTimeline: unknown[] }).stateTimeline;
    expect(entries.length).toBeGreaterThan(0);
    expect(data).toEqual({
      a: { case: { id: caseId }, stateTimeline: entries.map(() => ({ case: { id: caseId } })) },
      b: { case: null },
    });
    // One GET for the one case, whatever asks for it.
    expect(caseCalls(stack.sandbox)).toEqual([`GET /cases/cases/v1/${caseId}`]);
  });
});

describe('Case.events and Case.timeline', () => {
  const EVENTS = `query ($id: ID!) { case(id: $id) { events { id at kind text actor { kind } } } }`;

  it('lists the Activity oldest first, each with its instant and kind, from one ListEvents', async () => {
    const id = stack.sandbox.caseIds.byStatus.CLOSED;
    const direct = await cx<{
      events: Array<{ eventId: string; eventTime: string; createTime: string }>;
    }>(stack.sandbox, 'GET', `/cases/cases/v1/${id}/events`);
    const data = await dataOf<{
      case: { events: Array<{ id: string; at: string; kind: string }> };
    }>(stack, EVENTS, { id });
    const expected = [...direct.body.events].sort(
      (a, b) =>
        Date.parse(a.eventTime) - Date.parse(b.eventTime) ||
        Date.parse(a.createTime) - Date.parse(b.createTime) ||
        (a.eventId < b.eventId ? -1 : 1),
    );
    expect(data.case.events.map((e) => e.id)).toEqual(expected.map((e) => e.eventId));
    expect(data.case.events.map((e) => e.at)).toEqual(expected.map((e) => e.eventTime));
    expect(data.case.events[0]?.kind).toBe('CREATED');
    expect(data.case.events.map((e) => e.kind)).toContain('STATUS_CHANGED');
    expect(caseCalls(stack.sandbox)).toEqual([
      `GET /cases/cases/v1/${id}`,
      `GET /cases/cases/v1/${id}/events`,
    ]);
  });

  it('sorts events Coralogix sends in any order and shows an unknown kind as UNKNOWN with a log line', async () => {
    const id = stack.sandbox.caseIds.byStatus.ACTIVE;
    const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const event = (eventId: string, minute: number, eventData: object, created = minute) => ({
      eventId,
      eventTime: at(minute),
      createTime: at(created),
      actor: { system: {} },
      eventData,
    });
    stack.sandbox.setFault({
      upstream: 'coralogix',
      method: 'GET',
      path: /\/events$/,
      status: 200,
      body: {
        events: [
          event('00000000-0000-4000-8000-000000000004', 30, { comment: { unsafeText: 'late' } }),
          event('00000000-0000-4000-8000-000000000003', 20, { somethingNew: { x: 1 } }, 25),
          event(
            '00000000-0000-4000-8000-000000000002',
            20,
            { assigned: { assigneeUserId: 'u' } },
            21,
          ),
          event('00000000-0000-4000-8000-000000000001', 10, {
            created: { priority: 'CASE_PRIORITY_P2' },
          }),
        ],
      },
    });
    const data = await dataOf<{ case: { events: Array<Record<string, unknown>> } }>(
      stack,
      `query ($id: ID!) { case(id: $id) { events { id kind text detail } } }`,
      { id },
    );
    expect(data.case.events).toEqual([
      {
        id: '00000000-0000-4000-8000-000000000001',
        kind: 'CREATED',
        text: null,
        detail: { priority: 'CASE_PRIORITY_P2' },
      },
      {
        id: '00000000-0000-4000-8000-000000000002',
        kind: 'ASSIGNED',
        text: null,
        detail: { assigneeUserId: 'u' },
      },
      {
        id: '00000000-0000-4000-8000-000000000003',
        kind: 'UNKNOWN',
        text: null,
        detail: { somethingNew: { x: 1 } },
      },
      {
        id: '00000000-0000-4000-8000-000000000004',
        kind: 'COMMENT',
        text: 'late',
        detail: { unsafeText: 'late' },
      },
    ]);
    const warning = stack.logs
      .entries()
      .find((entry) =>
        String(entry.msg).includes('case event of a kind this gateway does not know'),
      );
    expect(warning).toMatchObject({
      upstream: 'coralogix',
      caseId: id,
      eventId: '00000000-0000-4000-8000-000000000003',
      members: ['somethingNew'],
    });
  });

  it('merges the case events with the linked incident state changes and responders, exact, and resumes after any edge', async () => {
    const id = stack.sandbox.caseIds.linked;
    const TIMELINE = `query ($id: ID!, $first: Int, $after: String) { case(id: $id) {
      events { id at }
      stateTimeline { id startsAt }
      responders { id createdAt }
      timeline(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor at precision source node { __typename
          ... on CaseEvent { id } ... on StateTimeline { id } ... on IncidentMember { id } } }
      } } }`;
    interface TimelineCase {
      events: Array<{ id: string; at: string }>;
      stateTimeline: Array<{ id: string; startsAt: string }>;
      responders: Array<{ id: string; createdAt: string }>;
      timeline: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: Array<{
          cursor: string;
          at: string;
          precision: string;
          source: string;
          node: { __typename: string; id: string };
        }>;
      };
    }
    const full = (await dataOf<{ case: TimelineCase }>(stack, TIMELINE, { id, first: 100 })).case;
    const rank = { CaseEvent: 0, StateTimeline: 1, IncidentMember: 2 } as Record<string, number>;
    const expected = [
      ...full.events.map((e, i) => ({ id: e.id, at: e.at, type: 'CaseEvent', i })),
      ...full.stateTimeline.map((t, i) => ({ id: t.id, at: t.startsAt, type: 'StateTimeline', i })),
      ...full.responders.map((m, i) => ({ id: m.id, at: m.createdAt, type: 'IncidentMember', i })),
    ]
      .sort(
        (a, b) => Date.parse(a.at) - Date.parse(b.at) || rank[a.type]! - rank[b.type]! || a.i - b.i,
      )
      .map((item) => ({ id: item.id, type: item.type, at: new Date(item.at).toISOString() }));
    expect(full.stateTimeline.length + full.responders.length).toBeGreaterThan(0);
    expect(full.timeline.totalCount).toBe(expected.length);
    expect(
      full.timeline.edges.map((e) => ({ id: e.node.id, type: e.node.__typename, at: e.at })),
    ).toEqual(expected);
    expect(new Set(full.timeline.edges.map((e) => e.precision))).toEqual(new Set(['EXACT']));
    expect(full.timeline.edges.filter((e) => e.source === 'CORALOGIX')).toHaveLength(
      full.events.length,
    );

    const resumed = (
      await dataOf<{ case: TimelineCase }>(stack, TIMELINE, {
        id,
        first: 3,
        after: full.timeline.edges[4]!.cursor,
      })
    ).case.timeline;
    expect(resumed.edges.map((e) => e.node.id)).toEqual(expected.slice(5, 8).map((e) => e.id));

    // A cursor of this case's timeline is refused on another case's, before any call.
    stack.sandbox.clearRequests();
    const other = await stack.graphql(TIMELINE, {
      id: stack.sandbox.caseIds.unlinked,
      first: 3,
      after: full.timeline.edges[4]!.cursor,
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('a key without case:* permissions', () => {
  it('leaves incidents working and makes the case fields UPSTREAM_FORBIDDEN naming case:Read', async () => {
    stack.sandbox.setFault({
      upstream: 'coralogix',
      path: '/cases/',
      status: 403,
      body: { code: 403, message: 'Forbidden' },
    });
    const answer = await stack.graphql<Record<string, unknown>>(
      `query ($id: ID!) {
        incidents(first: 2) { edges { node { id } } }
        cases(first: 2) { edges { node { id } } }
        case(id: $id) { id }
        caseFacets { unassignedCount }
      }`,
      { id: stack.sandbox.caseIds.linked },
    );
    expect((answer.data?.incidents as { edges: unknown[] }).edges).toHaveLength(2);
    expect(answer.data).toMatchObject({ cases: null, case: null, caseFacets: null });
    expect(answer.errors?.map((e) => e.path?.[0]).sort()).toEqual(['case', 'caseFacets', 'cases']);
    for (const error of answer.errors ?? []) {
      expect(error.extensions).toMatchObject({
        code: 'UPSTREAM_FORBIDDEN',
        upstream: 'coralogix',
        permission: 'case:Read',
      });
      expect(error.message).toContain('case:Read');
    }
  });
});
