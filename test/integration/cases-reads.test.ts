/**
 * Reading Coralogix cases through the gateway (DESIGN 5c), over real HTTP
 * against the Cases emulator: the exact upstream calls and bodies of `case`,
 * `cases` and `caseFacets`, the case GETs of one level sent together, the
 * cursor walk, `totalCount` from one filter-values call only when selected,
 * and the case fields as Coralogix has them (read straight from the emulator).
 */
import { describe, expect, it } from 'vitest';
import { caseCalls, caseRequests, liveCase, UNKNOWN_CASE } from '../support/cases.js';
import { cx } from '../support/coralogix.js';
import { dataOf, useStack } from '../support/stack.js';

const stack = useStack({ resetEach: true });

const CASE = `query ($id: ID!) { case(id: $id) {
  id readableId title status priority systemPriority priorityOverride category
  assignee { id } labels { key value } groupings { key value }
  createdAt updatedAt acknowledgedAt durationMs aiSummary
  resolution { reason resolvedAt resolvedBy }
  alerts { alertId state priority triggeredAt resolvedAt }
} }`;

const SHORT = (wire: string | undefined, prefix: string) =>
  wire === undefined ? null : wire.replace(prefix, '');

interface CaseNode {
  id: string;
  readableId: string | null;
  status: string;
}
interface CasesPage {
  cases: {
    totalCount?: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: CaseNode }>;
  };
}

describe('case(id)', () => {
  it('reads one case with one GET, by UUID or by readable id, as Coralogix has it', async () => {
    const id = stack.sandbox.caseIds.byStatus.RESOLVED;
    const wire = await liveCase(stack.sandbox, id);
    const expected = {
      id,
      readableId: wire.readableId ?? null,
      title: wire.title,
      status: 'RESOLVED',
      priority: SHORT(wire.priority, 'CASE_PRIORITY_'),
      systemPriority: SHORT(wire.priorityDetails?.system, 'CASE_PRIORITY_'),
      priorityOverride: SHORT(wire.priorityDetails?.override, 'CASE_PRIORITY_'),
      category: SHORT(wire.category, 'CASE_CATEGORY_'),
      assignee: wire.assignee ? { id: wire.assignee.userId } : null,
      labels: wire.labels,
      groupings: wire.groupings,
      createdAt: wire.createTime,
      updatedAt: wire.updateTime ?? null,
      acknowledgedAt: wire.acknowledgeTime ?? null,
      durationMs: Number(wire.duration),
      aiSummary: wire.aiSummary ?? null,
      resolution: {
        reason: wire.resolutionDetails?.reason ?? null,
        resolvedAt: wire.resolutionDetails?.resolveTime ?? null,
        resolvedBy: Object.keys(wire.resolutionDetails?.resolvedBy ?? {})[0] ?? null,
      },
      alerts: (wire.caseIndicators?.alertIndicators ?? []).map((alert) => ({
        alertId: alert.alertId,
        state: SHORT(alert.state, 'INDICATOR_STATE_'),
        priority: SHORT(alert.priority, 'INDICATOR_PRIORITY_'),
        triggeredAt: alert.triggerTime ?? null,
        resolvedAt: alert.resolveTime ?? null,
      })),
    };
    expect(expected.resolution.resolvedAt).not.toBeNull();

    const byUuid = await dataOf<{ case: unknown }>(stack, CASE, { id });
    expect(byUuid.case).toEqual(expected);
    expect(caseCalls(stack.sandbox)).toEqual([`GET /cases/cases/v1/${id}`]);

    const readable = wire.readableId as string;
    const byReadable = await dataOf<{ case: unknown }>(stack, CASE, { id: readable });
    expect(byReadable.case).toEqual(expected);
    expect(caseCalls(stack.sandbox)).toEqual([`GET /cases/cases/v1/${readable}`]);
  });

  it('is null without an error for a case Coralogix does not have (one GET, 404)', async () => {
    const data = await dataOf<{ case: null }>(stack, 'query ($id: ID!) { case(id: $id) { id } }', {
      id: UNKNOWN_CASE,
    });
    expect(data.case).toBeNull();
    expect(caseCalls(stack.sandbox)).toEqual([`GET /cases/cases/v1/${UNKNOWN_CASE}`]);
  });

  it.each(['case-12', '12', 'CASE12', 'CASE-12 ', 'not a case', 'CASE-1/../x'])(
    'refuses the malformed id %j with BAD_USER_INPUT before any call',
    async (id) => {
      stack.sandbox.clearRequests();
      const answer = await stack.graphql('query ($id: ID!) { case(id: $id) { id } }', { id });
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(stack.sandbox.requests()).toEqual([]);
    },
  );

  it('knows a case by both its names: the second name costs no GET', async () => {
    const id = stack.sandbox.caseIds.linked;
    const readable = (await liveCase(stack.sandbox, id)).readableId as string;
    const data = await dataOf<{ case: { id: string; oneUptimeIncident: unknown } }>(
      stack,
      `query ($id: ID!) { case(id: $id) { id oneUptimeIncident { case { id readableId } } } }`,
      { id: readable },
    );
    expect(data.case).toEqual({ id, oneUptimeIncident: { case: { id, readableId: readable } } });
    expect(caseCalls(stack.sandbox)).toEqual([`GET /cases/cases/v1/${readable}`]);
  });
});

describe('cases(filter, orderBy, first, after)', () => {
  const LIST = `query ($filter: CaseFilter, $orderBy: CaseOrder, $first: Int, $after: String) {
    cases(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor } edges { cursor node { id readableId status } }
    } }`;

  it('maps every filter member and the order onto one ListCases body', async () => {
    const user = '0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10';
    await dataOf(stack, LIST, {
      filter: {
        statuses: ['ACTIVE', 'ACKNOWLEDGED'],
        priorities: ['P1', 'P2'],
        categories: ['SECURITY'],
        assigneeUserIds: [user],
        unassigned: true,
        search: '  kafka  ',
        createdAfter: '2026-01-01T00:00:00.000Z',
        createdBefore: '2027-01-01T00:00:00.000Z',
      },
      orderBy: { field: 'PRIORITY', direction: 'ASC' },
      first: 5,
    });
    const [list, ...rest] = caseRequests(stack.sandbox);
    expect(rest).toEqual([]);
    expect(list).toMatchObject({ method: 'POST', path: '/cases/cases/v1' });
    expect(list?.body).toEqual({
      filters: {
        statuses: ['CASE_STATUS_ACTIVE', 'CASE_STATUS_ACKNOWLEDGED'],
        priorities: ['CASE_PRIORITY_P1', 'CASE_PRIORITY_P2'],
        categories: ['CASE_CATEGORY_SECURITY'],
        assignees: [{ assignee: user }, { unassigned: {} }],
        textSearch: 'kafka',
        dateRange: {
          from: '2026-01-01T00:00:00.000Z',
          to: '2027-01-01T00:00:00.000Z',
          mode: 'DATE_RANGE_MODE_CREATED_AT',
        },
      },
      orderBy: {
        field: 'CASE_ORDER_BY_FIELD_PRIORITY',
        direction: 'CASE_ORDER_BY_DIRECTION_ASCENDING',
      },
      pagination: { pageSize: 5 },
    });
  });

  it('asks for newest first by default, with no filter-values call when totalCount is not selected', async () => {
    await dataOf(stack, LIST, {});
    expect(caseRequests(stack.sandbox).map((r) => [r.path, r.body])).toEqual([
      [
        '/cases/cases/v1',
        {
          filters: {},
          orderBy: {
            field: 'CASE_ORDER_BY_FIELD_CREATED_AT',
            direction: 'CASE_ORDER_BY_DIRECTION_DESCENDING',
          },
          pagination: { pageSize: 20 },
        },
      ],
    ]);
  });

  it('walks every case of a filter by endCursor, one ListCases per page, in Coralogix order', async () => {
    const filter = { statuses: ['ACTIVE', 'RESOLVED'] };
    const direct = await cx<{ cases: Array<{ id: string }> }>(
      stack.sandbox,
      'POST',
      '/cases/cases/v1',
      {
        body: {
          filters: { statuses: ['CASE_STATUS_ACTIVE', 'CASE_STATUS_RESOLVED'] },
          orderBy: {
            field: 'CASE_ORDER_BY_FIELD_UPDATED_AT',
            direction: 'CASE_ORDER_BY_DIRECTION_DESCENDING',
          },
          pagination: { pageSize: 1000 },
        },
      },
    );
    const expected = direct.body.cases.map((c) => c.id);
    expect(expected.length).toBeGreaterThan(14);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    stack.sandbox.clearRequests();
    for (;;) {
      const response = await stack.graphql<CasesPage>(LIST, {
        filter,
        orderBy: { field: 'UPDATED_AT', direction: 'DESC' },
        first: 7,
        after,
      });
      expect(response.errors).toBeUndefined();
      const page: CasesPage['cases'] = response.data!.cases;
      pages += 1;
      seen.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(caseCalls(stack.sandbox)).toEqual(Array(pages).fill('POST /cases/cases/v1'));
    // Each page after the first resumes from the token Coralogix gave.
    const tokens = caseRequests(stack.sandbox).map(
      (r) => (r.body as { pagination: { pageToken?: string } }).pagination.pageToken,
    );
    expect(tokens[0]).toBeUndefined();
    expect(tokens.slice(1).every((token) => typeof token === 'string')).toBe(true);
  });

  it('resumes right after any edge, not only the last one', async () => {
    const first = await dataOf<CasesPage>(stack, LIST, { first: 6 });
    const third = first.cases.edges[2]!;
    const next = await dataOf<CasesPage>(stack, LIST, { first: 3, after: third.cursor });
    expect(next.cases.edges.map((e) => e.node.id)).toEqual(
      first.cases.edges.slice(3, 6).map((e) => e.node.id),
    );
  });

  it('refuses a cursor of another filter with BAD_USER_INPUT before any call', async () => {
    const page = await dataOf<CasesPage>(stack, LIST, { first: 2 });
    stack.sandbox.clearRequests();
    const answer = await stack.graphql(LIST, {
      filter: { statuses: ['CLOSED'] },
      first: 2,
      after: page.cases.pageInfo.endCursor,
    });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sandbox.requests()).toEqual([]);
  });

  it('counts with one filter-values call, summing the statuses the filter admits', async () => {
    const all = await cx<{ statusAggregations: Array<{ status: string; count: string }> }>(
      stack.sandbox,
      'POST',
      '/cases/filter-values/v1',
      { body: { filters: {} } },
    );
    const count = (statuses: string[]) =>
      all.body.statusAggregations
        .filter((row) => statuses.length === 0 || statuses.includes(row.status))
        .reduce((sum, row) => sum + Number(row.count), 0);

    const COUNT = `query ($filter: CaseFilter) { cases(filter: $filter, first: 1) { totalCount } }`;
    const total = await dataOf<CasesPage>(stack, COUNT, {});
    expect(total.cases.totalCount).toBe(count([]));
    expect(total.cases.totalCount).toBe(stack.sandbox.seed.cases.length);
    expect(caseCalls(stack.sandbox).sort()).toEqual([
      'POST /cases/cases/v1',
      'POST /cases/filter-values/v1',
    ]);

    const some = await dataOf<CasesPage>(stack, COUNT, {
      filter: { statuses: ['ACTIVE', 'CLOSED'] },
    });
    expect(some.cases.totalCount).toBe(count(['CASE_STATUS_ACTIVE', 'CASE_STATUS_CLOSED']));
    const values = caseRequests(stack.sandbox).find((r) => r.path === '/cases/filter-values/v1');
    expect(values?.body).toEqual({
      filters: { statuses: ['CASE_STATUS_ACTIVE', 'CASE_STATUS_CLOSED'] },
    });
  });

  it('shares one filter-values call between totalCount and caseFacets of the same filter', async () => {
    const data = await dataOf<{
      cases: { totalCount: number };
      caseFacets: { statuses: unknown[] };
    }>(
      stack,
      `{ cases(filter: { categories: [SECURITY] }, first: 0) { totalCount }
         caseFacets(filter: { categories: [SECURITY] }) { statuses { status count } } }`,
    );
    expect(data.cases.totalCount).toBeGreaterThan(0);
    expect(caseCalls(stack.sandbox).filter((c) => c.includes('filter-values'))).toHaveLength(1);
  });
});

describe('caseFacets(filter)', () => {
  it('answers the counts of one GetFilterValues call, most frequent first', async () => {
    const direct = await cx<{
      statusAggregations: Array<{ status: string; count: string }>;
      priorityAggregations: Array<{ priority: string; count: string }>;
      categoryAggregations: Array<{ category: string; count: string }>;
      assigneeAggregations: {
        assignedCounts: Array<{ assignee: string; count: string }>;
        unassignedCount?: string;
      };
    }>(stack.sandbox, 'POST', '/cases/filter-values/v1', {
      body: {
        filters: { priorities: ['CASE_PRIORITY_P1', 'CASE_PRIORITY_P2', 'CASE_PRIORITY_P3'] },
      },
    });
    const data = await dataOf<{ caseFacets: Record<string, unknown> }>(
      stack,
      `{ caseFacets(filter: { priorities: [P1, P2, P3] }) {
          statuses { status count } priorities { priority count } categories { category count }
          assignees(first: 3) { user { id } count } unassignedCount } }`,
    );
    const sorted = <T extends { count: number }>(rows: T[]) =>
      [...rows].sort(
        (a, b) => b.count - a.count || JSON.stringify(a).localeCompare(JSON.stringify(b)),
      );
    expect(data.caseFacets).toEqual({
      statuses: sorted(
        direct.body.statusAggregations.map((r) => ({
          status: r.status.replace('CASE_STATUS_', ''),
          count: Number(r.count),
        })),
      ),
      priorities: sorted(
        direct.body.priorityAggregations.map((r) => ({
          priority: r.priority.replace('CASE_PRIORITY_', ''),
          count: Number(r.count),
        })),
      ),
      categories: sorted(
        direct.body.categoryAggregations.map((r) => ({
          category: r.category.replace('CASE_CATEGORY_', ''),
          count: Number(r.count),
        })),
      ),
      assignees: sorted(
        direct.body.assigneeAggregations.assignedCounts.map((r) => ({
          user: { id: r.assignee },
          count: Number(r.count),
        })),
      ).slice(0, 3),
      unassignedCount: Number(direct.body.assigneeAggregations.unassignedCount ?? 0),
    });
    expect(caseRequests(stack.sandbox).map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        '/cases/filter-values/v1',
        { filters: { priorities: ['CASE_PRIORITY_P1', 'CASE_PRIORITY_P2', 'CASE_PRIORITY_P3'] } },
      ],
    ]);
  });
});
