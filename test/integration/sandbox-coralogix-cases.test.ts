/**
 * Contract tests of the Coralogix Cases emulator's reads, over real HTTP via
 * `startSandbox()`, against shared/upstreams/coralogix-cases.md: auth,
 * routing, GetCase by UUID or readable id, ListCases filters, order and
 * pagination, GetFilterValues, GetGroupingKeys, ListEvents / GetEvent, and
 * the HTTP shell (request log, faults) on cases routes. Writes are in
 * sandbox-coralogix-cases-writes.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { caseView, type CaseRecord } from '../../src/sandbox/coralogix/cases/store.js';
import { mismatch } from '../../src/upstreams/shape.js';
import {
  CASE_RESPONSE,
  FILTER_VALUES,
  LIST_CASES_RESPONSE,
} from '../../src/upstreams/coralogix/cases/resources.js';
import {
  EVENT_RESPONSE,
  LIST_EVENTS_RESPONSE,
} from '../../src/upstreams/coralogix/cases/eventResources.js';
import type {
  Case,
  CaseResponse,
  EventResponse,
  GetFilterValuesResponse,
  ListCasesRequest,
  ListCasesResponse,
  ListEventsResponse,
} from '../../src/upstreams/coralogix/cases/types.js';
import { byStatus, expectCxError, seededCases, UNKNOWN_CASE } from '../support/cases.js';
import { cx } from '../support/coralogix.js';

let sandbox: Sandbox;
let all: CaseRecord[];

beforeAll(async () => {
  sandbox = await startSandbox();
  all = sandbox.seed.cases;
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const getCase = (id: string) => cx<CaseResponse>(sandbox, 'GET', `/cases/cases/v1/${id}`);
const list = (body: ListCasesRequest | Record<string, unknown>) =>
  cx<ListCasesResponse>(sandbox, 'POST', '/cases/cases/v1', { body });
const ids = (cases: Array<{ id: string }>) => cases.map((c) => c.id);
const withoutDuration = ({ duration, ...rest }: Case) => {
  expect(duration).toMatch(/^[0-9]+$/);
  return rest;
};
/** Every id matching `filters`, in the default order. */
async function matching(filters: Record<string, unknown>): Promise<string[]> {
  const reply = await list({ filters, pagination: { pageSize: 1000 } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body.pagination.nextPageToken).toBeUndefined();
  return ids(reply.body.cases).sort();
}
const expected = (test: (r: CaseRecord) => boolean) =>
  all
    .filter(test)
    .map((r) => r.case.id)
    .sort();

describe('authentication and routing', () => {
  it('answers 401 with the {code, message} body without a key or with a wrong one', async () => {
    const id = sandbox.caseIds.byStatus.ACTIVE;
    expectCxError(await cx(sandbox, 'GET', `/cases/cases/v1/${id}`, { auth: null }), 401);
    expectCxError(
      await cx(sandbox, 'POST', '/cases/cases/v1', { body: {}, auth: 'Bearer nope' }),
      401,
    );
    const write = await cx(sandbox, 'PUT', `/cases/acknowledged/v1/${id}`, { auth: null });
    expectCxError(write, 401);
    expect((await getCase(id)).body.case.status).toBe('CASE_STATUS_ACTIVE');
  });

  it.each([
    ['GET', '/cases/cases/v1/CASE-1/deep-links'],
    ['POST', '/cases/indicators/v1/get'],
    ['POST', '/cases/notifications/v1/deliveries'],
    ['POST', '/cases/cases/v1/CASE-1/sync-external-thread-comments'],
    ['POST', '/cases/cases/case-settings/v1/configs'],
    ['GET', '/cases/nothing/v1'],
  ])(
    'answers the operations it does not emulate (%s %s) with the route-not-found body',
    async (method, path) => {
      const reply = await cx(sandbox, method, path, method === 'GET' ? {} : { body: {} });
      expect(reply.status).toBe(404);
      expect(reply.body).toBe('Not Found: Not Found');
    },
  );

  it('answers a wrong method on a known path with 405 and an Allow header', async () => {
    const reply = await cx(sandbox, 'PATCH', `/cases/cases/v1/${sandbox.caseIds.byStatus.ACTIVE}`);
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET, PUT');
  });
});

describe('GET /cases/cases/v1/{id}', () => {
  it('returns the seeded case wrapped in "case", by UUID and by readable id', async () => {
    const record = byStatus(sandbox, 'RESOLVED')[0]!;
    const byUuid = await getCase(record.case.id);
    expect(byUuid.status).toBe(200);
    expect(mismatch(byUuid.body, CASE_RESPONSE)).toBeUndefined();
    expect(byUuid.body.case).toEqual(caseView(record, Date.now()));
    const byReadable = await getCase(record.case.readableId!);
    expect(byReadable.body).toEqual(byUuid.body);
  });

  it('gives a pending case no readable id, and finds it by UUID only', async () => {
    const pending = byStatus(sandbox, 'PENDING_ACTIVATION')[0]!;
    const { body } = await getCase(pending.case.id);
    expect(body.case.status).toBe('CASE_STATUS_PENDING_ACTIVATION');
    expect(body.case).not.toHaveProperty('readableId');
    for (const record of all) {
      expect(record.case.readableId === undefined).toBe(
        record.case.status === 'CASE_STATUS_PENDING_ACTIVATION',
      );
    }
  });

  it('counts duration in milliseconds: still growing while open, frozen once resolved or closed', async () => {
    const open = byStatus(sandbox, 'ACTIVE')[0]!;
    const before = Date.now();
    const { body } = await getCase(open.case.id);
    const opened = Date.parse(open.case.createTime);
    expect(Number(body.case.duration)).toBeGreaterThanOrEqual(before - opened);
    expect(Number(body.case.duration)).toBeLessThanOrEqual(Date.now() - opened);
    const closed = byStatus(sandbox, 'CLOSED')[0]!;
    const frozen = (await getCase(closed.case.id)).body.case;
    expect(Number(frozen.duration)).toBe(
      Date.parse(closed.endedAt!) - Date.parse(closed.case.createTime),
    );
  });

  it('answers an unknown UUID or readable id with 404 "Not Found: …"', async () => {
    expectCxError(await getCase(UNKNOWN_CASE), 404, /^Not Found: .+/);
    expectCxError(await getCase('CASE-999999'), 404, /^Not Found: .+/);
  });

  it.each([
    ['a lower-case readable id', 'case-1'],
    ['an upper-case UUID', 'ABCDEF00-0000-4000-8000-000000000000'],
    ['a readable id without a number', 'CASE-'],
    ['65 characters', `CASE-${'1'.repeat(60)}`],
  ])('refuses %s with 400 before looking it up', async (_, id) => {
    expectCxError(await getCase(encodeURIComponent(id)), 400);
  });
});

describe('POST /cases/cases/v1 (ListCases)', () => {
  /** The default order: creation time, then id, descending (S1 `CaseOrderBy`). */
  const defaultOrder = (test: (r: CaseRecord) => boolean = () => true) =>
    all
      .filter(test)
      .sort(
        (a, b) =>
          Date.parse(b.case.createTime) - Date.parse(a.case.createTime) ||
          (a.case.id < b.case.id ? 1 : -1),
      )
      .map((r) => r.case.id);

  it('answers 10 cases by default, newest first, with a next page token and no total', async () => {
    const reply = await list({});
    expect(reply.status).toBe(200);
    expect(mismatch(reply.body, LIST_CASES_RESPONSE)).toBeUndefined();
    expect(ids(reply.body.cases)).toEqual(defaultOrder().slice(0, 10));
    expect(typeof reply.body.pagination.nextPageToken).toBe('string');
    expect(reply.body.pagination).not.toHaveProperty('totalSize');
    expect(reply.body).not.toHaveProperty('pbacTruncated');
  });

  it('walks every case with pageSize 7, without gaps or duplicates', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const reply = await list({ pagination: { pageSize: 7, pageToken } });
      expect(reply.status).toBe(200);
      expect(reply.body.cases.length).toBeLessThanOrEqual(7);
      seen.push(...ids(reply.body.cases));
      pageToken = reply.body.pagination.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual(defaultOrder());
  });

  it('keeps its place after a change between pages (a keyset cursor, not an offset)', async () => {
    const open = ['CASE_STATUS_ACTIVE', 'CASE_STATUS_ACKNOWLEDGED'];
    const filters = { statuses: open };
    const first = await list({ filters, pagination: { pageSize: 5 } });
    // The newest open case stops matching: an offset would now skip one case.
    await cx(sandbox, 'POST', `/cases/closed/v1/${first.body.cases[0]!.id}`);
    const next = await list({
      filters,
      pagination: { pageSize: 5, pageToken: first.body.pagination.nextPageToken },
    });
    expect(ids(next.body.cases)).toEqual(
      defaultOrder((r) => open.includes(r.case.status)).slice(5, 10),
    );
  });

  it('skips items after the token position, and pageSize may change between pages', async () => {
    const skipped = await list({ pagination: { pageSize: 4, skip: 3 } });
    expect(ids(skipped.body.cases)).toEqual(defaultOrder().slice(3, 7));
    const first = await list({ pagination: { pageSize: 5 } });
    const rest = await list({
      pagination: { pageSize: '3', skip: '2', pageToken: first.body.pagination.nextPageToken },
    });
    expect(ids(rest.body.cases)).toEqual(defaultOrder().slice(7, 10));
  });

  it('answers every case in one page of 1000 without a token', async () => {
    const reply = await list({ pagination: { pageSize: 1000 } });
    expect(reply.body.cases).toHaveLength(all.length);
    expect(reply.body.pagination).toEqual({});
  });

  it.each([
    ['pageSize 0', { pagination: { pageSize: 0 } }],
    ['pageSize 1001', { pagination: { pageSize: 1001 } }],
    ['a fractional pageSize', { pagination: { pageSize: 2.5 } }],
    ['skip -1', { pagination: { skip: -1 } }],
    ['skip 1000001', { pagination: { skip: 1_000_001 } }],
    ['a garbage token', { pagination: { pageToken: 'not-a-token' } }],
    ['an empty token', { pagination: { pageToken: '' } }],
    ['a 4097-character token', { pagination: { pageToken: 'x'.repeat(4097) } }],
    ['an unknown order field', { orderBy: { field: 'CASE_ORDER_BY_FIELD_TITLE' } }],
    ['an unknown status', { filters: { statuses: ['CASE_STATUS_OPEN'] } }],
    ['a filter list over 1000', { filters: { priorities: Array(1001).fill('CASE_PRIORITY_P1') } }],
    ['an empty textSearch', { filters: { textSearch: '' } }],
    ['a textSearch over 4096', { filters: { textSearch: 'x'.repeat(4097) } }],
    [
      'an assignee option with both members',
      { filters: { assignees: [{ assignee: 'u', unassigned: {} }] } },
    ],
    ['a date range without to', { filters: { dateRange: { from: '2026-01-01T00:00:00Z' } } }],
    [
      'a date range that ends before it starts',
      { filters: { dateRange: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } } },
    ],
    ['a label group without a key', { filters: { labels: [{ values: ['x'] }] } }],
    ['a non-UUID alert id', { filters: { alertFilters: { alertIds: ['alert-1'] } } }],
    ['a body that is not an object', []],
  ])('refuses %s with 400', async (_, body) => {
    expectCxError(await list(body as Record<string, unknown>), 400);
  });

  it('refuses a token made for other filters or another order', async () => {
    const first = await list({ pagination: { pageSize: 5 } });
    const token = first.body.pagination.nextPageToken;
    expectCxError(
      await list({
        filters: { statuses: ['CASE_STATUS_ACTIVE'] },
        pagination: { pageToken: token },
      }),
      400,
    );
    expectCxError(
      await list({
        orderBy: { field: 'CASE_ORDER_BY_FIELD_PRIORITY' },
        pagination: { pageToken: token },
      }),
      400,
    );
  });

  it('filters by status, priority and category (any of the values)', async () => {
    expect(
      await matching({ statuses: ['CASE_STATUS_ACTIVE', 'CASE_STATUS_ACKNOWLEDGED'] }),
    ).toEqual(
      expected((r) => ['CASE_STATUS_ACTIVE', 'CASE_STATUS_ACKNOWLEDGED'].includes(r.case.status)),
    );
    expect(await matching({ priorities: ['CASE_PRIORITY_P1'] })).toEqual(
      expected((r) => r.case.priority === 'CASE_PRIORITY_P1'),
    );
    expect(await matching({ categories: ['CASE_CATEGORY_SECURITY'] })).toEqual(
      expected((r) => r.case.category === 'CASE_CATEGORY_SECURITY'),
    );
  });

  it('filters by assignee, unassigned, or both', async () => {
    const userId = all.find((r) => r.case.assignee)!.case.assignee!.userId!;
    expect(await matching({ assignees: [{ assignee: userId }] })).toEqual(
      expected((r) => r.case.assignee?.userId === userId),
    );
    expect(await matching({ assignees: [{ unassigned: {} }] })).toEqual(
      expected((r) => !r.case.assignee),
    );
    expect(await matching({ assignees: [{ assignee: userId }, { unassigned: {} }] })).toEqual(
      expected((r) => !r.case.assignee || r.case.assignee.userId === userId),
    );
  });

  it('filters by labels, groupings and flat labels', async () => {
    expect(await matching({ labels: [{ key: 'team', values: ['payments', 'search'] }] })).toEqual(
      expected((r) =>
        r.case.labels.some((l) => l.key === 'team' && ['payments', 'search'].includes(l.value!)),
      ),
    );
    expect(await matching({ labels: [{ key: 'customer-impact', values: [] }] })).toEqual(
      expected((r) => r.case.labels.some((l) => l.key === 'customer-impact')),
    );
    expect(
      await matching({
        groupings: [
          { key: 'service', values: ['checkout'] },
          { key: 'environment', values: ['production'] },
        ],
      }),
    ).toEqual(
      expected(
        (r) =>
          r.case.groupings.some((g) => g.key === 'service' && g.value === 'checkout') &&
          r.case.groupings.some((g) => g.key === 'environment' && g.value === 'production'),
      ),
    );
    expect(
      await matching({ caseLabelsFilter: { flatLabels: [{ key: 'env', value: 'staging' }] } }),
    ).toEqual(expected((r) => r.case.labels.some((l) => l.key === 'env' && l.value === 'staging')));
  });

  it('searches titles case-insensitively and ANDs different fields', async () => {
    const result = await matching({ textSearch: 'CHECKOUT', statuses: ['CASE_STATUS_CLOSED'] });
    expect(result).toEqual(
      expected(
        (r) =>
          r.case.title.toLowerCase().includes('checkout') && r.case.status === 'CASE_STATUS_CLOSED',
      ),
    );
    expect(result.length).toBeGreaterThan(0);
  });

  it('filters by creation time, or by the window a case was active in (the default mode)', async () => {
    const to = new Date(sandbox.now - 24 * 3600_000).toISOString();
    const from = new Date(sandbox.now - 3 * 24 * 3600_000).toISOString();
    const [fromMs, toMs] = [Date.parse(from), Date.parse(to)];
    const created = (r: CaseRecord) => Date.parse(r.case.createTime);
    expect(await matching({ dateRange: { from, to, mode: 'DATE_RANGE_MODE_CREATED_AT' } })).toEqual(
      expected((r) => created(r) >= fromMs && created(r) < toMs),
    );
    const active = expected(
      (r) => created(r) < toMs && (r.endedAt ? Date.parse(r.endedAt) : Infinity) >= fromMs,
    );
    expect(await matching({ dateRange: { from, to } })).toEqual(active);
    expect(
      await matching({ dateRange: { from, to, mode: 'DATE_RANGE_MODE_ACTIVE_WINDOW' } }),
    ).toEqual(active);
  });

  it('filters by KPI breach, alert, impacted entity, indicator type and connector', async () => {
    const kpis = (r: CaseRecord) => r.case.kpiBreaches?.breachedKpis ?? [];
    expect(await matching({ breached: ['KPI_FILTER_TIME_TO_ACKNOWLEDGE_BREACHED'] })).toEqual(
      expected((r) => kpis(r).some((k) => k.kpiType === 'KPI_TYPE_TIME_TO_ACKNOWLEDGE')),
    );
    expect(await matching({ breached: ['KPI_FILTER_NOT_BREACHED'] })).toEqual(
      expected((r) => kpis(r).length === 0),
    );
    const alertId = all.find((r) => r.case.caseIndicators?.alertIndicators?.length)!.case
      .caseIndicators!.alertIndicators![0]!.alertId!;
    const alerts = (r: CaseRecord) => r.case.caseIndicators?.alertIndicators ?? [];
    expect(await matching({ alertFilters: { alertIds: [alertId] } })).toEqual(
      expected((r) => alerts(r).some((a) => a.alertId === alertId)),
    );
    expect(
      await matching({ impactedEntities: [{ apmService: { name: 'CHECKOUT-API' } }] }),
    ).toEqual(
      expected((r) => r.case.impactedEntities.some((e) => e.apmService?.name === 'checkout-api')),
    );
    expect(await matching({ indicatorTypes: ['INDICATOR_TYPE_PROMETHEUS_ALERTMANAGER'] })).toEqual(
      expected((r) => (r.case.caseIndicators?.prometheusAlertIndicators?.length ?? 0) > 0),
    );
    expect(await matching({ connectorTypeFilters: [{ noConnector: {} }] })).toHaveLength(
      all.length,
    );
    expect(
      await matching({ connectorTypeFilters: [{ connectorType: 'CONNECTOR_TYPE_SLACK' }] }),
    ).toEqual([]);
  });

  const RANK: Record<string, (c: Case) => number> = {
    CASE_ORDER_BY_FIELD_PRIORITY: (c) => 6 - Number(c.priority.slice(-1)),
    CASE_ORDER_BY_FIELD_STATUS: (c) =>
      ['PENDING_ACTIVATION', 'ACTIVE', 'ACKNOWLEDGED', 'RESOLVED', 'CLOSED'].indexOf(
        c.status.replace('CASE_STATUS_', ''),
      ),
    CASE_ORDER_BY_FIELD_CATEGORY: (c) => (c.category === 'CASE_CATEGORY_SECURITY' ? 1 : 2),
    CASE_ORDER_BY_FIELD_UPDATED_AT: (c) => Date.parse(c.updateTime!),
    CASE_ORDER_BY_FIELD_CREATED_AT: (c) => Date.parse(c.createTime),
  };
  it.each(
    Object.keys(RANK).flatMap((field) => [
      [field, 'CASE_ORDER_BY_DIRECTION_ASCENDING'],
      [field, 'CASE_ORDER_BY_DIRECTION_DESCENDING'],
    ]),
  )('orders by %s %s, ties by creation time then id the same way', async (field, direction) => {
    const reply = await list({ orderBy: { field, direction }, pagination: { pageSize: 1000 } });
    const rank = RANK[field]!;
    const sign = direction === 'CASE_ORDER_BY_DIRECTION_ASCENDING' ? 1 : -1;
    const key = (c: Case): [number, number, string] => [rank(c), Date.parse(c.createTime), c.id];
    const sorted = [...reply.body.cases].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i]! < y[i]! ? -1 : 1) * sign;
      return 0;
    });
    expect(ids(reply.body.cases)).toEqual(ids(sorted));
  });

  it('puts P1 first by priority descending, and orders by duration', async () => {
    const byPriority = await list({
      orderBy: {
        field: 'CASE_ORDER_BY_FIELD_PRIORITY',
        direction: 'CASE_ORDER_BY_DIRECTION_DESCENDING',
      },
    });
    expect(byPriority.body.cases[0]!.priority).toBe('CASE_PRIORITY_P1');
    const longest = await list({
      orderBy: { field: 'CASE_ORDER_BY_FIELD_DURATION' },
      pagination: { pageSize: 1000 },
    });
    const durations = longest.body.cases.map((c) => Number(c.duration));
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
  });
});

describe('POST /cases/filter-values/v1 (GetFilterValues)', () => {
  const count = (values: Array<{ count?: unknown }>) =>
    values.reduce((n, v) => n + Number(v.count), 0);

  it('counts every case by priority, category, status and assignee, as int64 strings', async () => {
    const reply = await cx<GetFilterValuesResponse>(sandbox, 'POST', '/cases/filter-values/v1', {
      body: {},
    });
    expect(reply.status).toBe(200);
    expect(mismatch(reply.body, FILTER_VALUES)).toBeUndefined();
    const body = reply.body;
    for (const facet of [
      body.priorityAggregations,
      body.categoryAggregations,
      body.statusAggregations,
    ]) {
      expect(count(facet!)).toBe(all.length);
      for (const row of facet!) expect(row.count).toMatch(/^[1-9][0-9]*$/);
    }
    const statuses = Object.fromEntries(
      body.statusAggregations!.map((s) => [s.status, Number(s.count)]),
    );
    expect(statuses.CASE_STATUS_ACTIVE).toBe(byStatus(sandbox, 'ACTIVE').length);
    const assignees = body.assigneeAggregations!;
    expect(count(assignees.assignedCounts!) + Number(assignees.unassignedCount)).toBe(all.length);
    expect(Number(assignees.unassignedCount)).toBe(all.filter((r) => !r.case.assignee).length);
    expect(body.alertIdAggregations).toEqual([]);
    const team = body.labelAggregations!.find((g) => g.key === 'team')!;
    expect(count(team.valueCounts!)).toBe(all.length);
    expect(body.groupingAggregations!.map((g) => g.key)).toEqual([
      'environment',
      'region',
      'service',
    ]);
  });

  it('counts only the cases matching the filters, the status filter included', async () => {
    const reply = await cx<GetFilterValuesResponse>(sandbox, 'POST', '/cases/filter-values/v1', {
      body: {
        filters: { statuses: ['CASE_STATUS_ACTIVE'], categories: ['CASE_CATEGORY_AVAILABILITY'] },
      },
    });
    const wanted = seededCases(
      sandbox,
      (r) =>
        r.case.status === 'CASE_STATUS_ACTIVE' && r.case.category === 'CASE_CATEGORY_AVAILABILITY',
    );
    expect(reply.body.statusAggregations).toEqual([
      { status: 'CASE_STATUS_ACTIVE', count: String(wanted.length) },
    ]);
    expect(count(reply.body.priorityAggregations!)).toBe(wanted.length);
  });

  it('fills alertIdAggregations only when alertFilters is sent', async () => {
    const alertId = all.find((r) => r.case.caseIndicators?.alertIndicators?.length)!.case
      .caseIndicators!.alertIndicators![0]!.alertId!;
    const reply = await cx<GetFilterValuesResponse>(sandbox, 'POST', '/cases/filter-values/v1', {
      body: { filters: { alertFilters: { alertIds: [alertId] } } },
    });
    const row = reply.body.alertIdAggregations!.find((a) => a.alertId === alertId);
    expect(Number(row?.count)).toBe(
      all.filter((r) => r.case.caseIndicators?.alertIndicators?.some((a) => a.alertId === alertId))
        .length,
    );
  });

  it('validates the filters as ListCases does', async () => {
    expectCxError(
      await cx(sandbox, 'POST', '/cases/filter-values/v1', {
        body: { filters: { priorities: ['P1'] } },
      }),
      400,
    );
  });
});

describe('GET /cases/grouping-keys/v1', () => {
  it('lists the distinct grouping keys of the cases, sorted', async () => {
    const reply = await cx<{ groupingKeys: string[] }>(sandbox, 'GET', '/cases/grouping-keys/v1');
    const keys = [...new Set(all.flatMap((r) => r.case.groupings.map((g) => g.key!)))].sort();
    expect(reply.body).toEqual({ groupingKeys: keys });
  });
});

describe('the Activity timeline (ListEvents, GetEvent)', () => {
  const events = (id: string) =>
    cx<ListEventsResponse>(sandbox, 'GET', `/cases/cases/v1/${id}/events`);

  it('answers every event of a case, newest first by eventTime, by UUID or readable id', async () => {
    const record = byStatus(sandbox, 'CLOSED').find((r) => r.events.length >= 5)!;
    const reply = await events(record.case.id);
    expect(reply.status).toBe(200);
    expect(mismatch(reply.body, LIST_EVENTS_RESPONSE)).toBeUndefined();
    const times = reply.body.events.map((e) => Date.parse(e.eventTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(reply.body.events.map((e) => e.eventId))).toEqual(
      new Set(record.events.map((e) => e.eventId)),
    );
    expect((await events(record.case.readableId!)).body).toEqual(reply.body);
    expect(reply.body.events.at(-1)!.eventData).toHaveProperty('created');
  });

  it('answers 404 for an unknown case and 400 for a malformed id', async () => {
    expectCxError(await events(UNKNOWN_CASE), 404, /^Not Found: /);
    expectCxError(await events('not-a-case'), 400);
  });

  it('finds one event by id, upper-case hex digits too', async () => {
    const event = all[3]!.events[0]!;
    const reply = await cx<EventResponse>(
      sandbox,
      'GET',
      `/cases/events/v1/${event.eventId.toUpperCase()}`,
    );
    expect(reply.status).toBe(200);
    expect(mismatch(reply.body, EVENT_RESPONSE)).toBeUndefined();
    expect(reply.body).toEqual({ event });
    expectCxError(
      await cx(sandbox, 'GET', `/cases/events/v1/${UNKNOWN_CASE}`),
      404,
      /Event not found/,
    );
    expectCxError(await cx(sandbox, 'GET', '/cases/events/v1/CASE-1'), 400);
  });
});

describe('the HTTP shell on cases routes', () => {
  it('records cases requests, key redacted, query kept', async () => {
    sandbox.clearRequests();
    await cx(sandbox, 'DELETE', '/cases/assigned/v1', {
      query: [
        ['ids', 'CASE-1'],
        ['ids', 'CASE-2'],
      ],
    });
    const [logged] = sandbox.requests('coralogix');
    expect(logged).toMatchObject({
      method: 'DELETE',
      path: '/mgmt/openapi/5/cases/assigned/v1',
      query: { ids: ['CASE-1', 'CASE-2'] },
      status: 200,
    });
    expect(logged!.headers.authorization).toBe('[redacted]');
  });

  it('applies faults to cases routes like to any other', async () => {
    sandbox.setFault({
      upstream: 'coralogix',
      path: '/cases/filter-values/v1',
      status: 503,
      times: 1,
    });
    expect((await cx(sandbox, 'POST', '/cases/filter-values/v1', { body: {} })).status).toBe(503);
    expect((await cx(sandbox, 'POST', '/cases/filter-values/v1', { body: {} })).status).toBe(200);
  });
});

describe('every answer fits the wire declarations', () => {
  it('fits for every seeded case and its events', async () => {
    const reply = await list({ pagination: { pageSize: 1000 } });
    expect(mismatch(reply.body, LIST_CASES_RESPONSE)).toBeUndefined();
    expect(withoutDuration(reply.body.cases[0]!)).toMatchObject({ id: expect.any(String) });
    for (const record of all.slice(0, 30)) {
      expect(mismatch((await events(record.case.id)).body, LIST_EVENTS_RESPONSE)).toBeUndefined();
    }
  });
  const events = (id: string) =>
    cx<ListEventsResponse>(sandbox, 'GET', `/cases/cases/v1/${id}/events`);
});
