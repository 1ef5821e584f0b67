/**
 * Contract tests of the Coralogix emulator's event feed, its count,
 * incident-by-event and filter values (openapi_v5.yaml e509de6 lines
 * 8624–8990), over real HTTP, with object-valued query parameters encoded as
 * the vendor's generated Go client encodes them (see queryParams.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { StoredIncident } from '../../src/sandbox/coralogix/store.js';
import type {
  EventFeedPage,
  IncidentQueryFiltersValues,
  ListIncidentEventsRequest,
} from '../../src/upstreams/coralogix/incidents/eventTypes.js';
import { encodeObjectParams } from '../../src/upstreams/coralogix/queryParams.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const EVENTS = '/incidents/events/v1';
const seed = () => sandbox.seed;
const incidentOf = (id: string) => seed().incidents.find((i) => i.id === id) as StoredIncident;

async function get<T>(path: string, query: Array<[string, string]> = []) {
  const url = new URL(`${sandbox.coralogix.url}${path}`);
  for (const [name, value] of query) url.searchParams.append(name, value);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${sandbox.coralogix.apiKey}` },
  });
  return { status: response.status, body: (await response.json()) as T };
}

const events = (request: ListIncidentEventsRequest) =>
  get<EventFeedPage>(EVENTS, encodeObjectParams({ ...request }));

/** Every page of a query, following nextPageToken. */
async function walk(request: ListIncidentEventsRequest) {
  const items: EventFeedPage['items'] = [];
  let token: string | undefined;
  do {
    const pagination = { pageSize: 400, ...(token ? { pageToken: token } : {}) };
    const { status, body } = await events({ ...request, pagination });
    expect(status).toBe(200);
    items.push(...body.items);
    token = body.pagination?.nextPageToken;
  } while (token);
  return items;
}

const ASC = { direction: 'ORDER_BY_DIRECTION_ASC' } as const;

describe('GET /incidents/events/v1 (ListIncidentEvents)', () => {
  it('lists every seeded event once, oldest first, with its instant, key and incident metadata', async () => {
    const items = await walk({ order_by: ASC });
    expect(items.map((item) => item.cxEventKey)).toEqual(seed().eventFeed.map((r) => r.cxEventKey));
    seed().eventFeed.forEach((record, i) => {
      const item = items[i]!;
      const incident = incidentOf(record.incidentId);
      expect(item.cxEventTimestamp).toBe(record.cxEventTimestamp);
      expect(item.incidentEvent).toEqual(incident.events.find((e) => e.id === record.eventId));
      expect(item.incidentEventExtendedMetadata).toMatchObject({
        alertName: incident.name,
        incidentSeverity: incident.severity,
        incidentStatus: incident.status,
        incidentState: incident.state,
        alertLabels: incident.metaLabels,
      });
    });
  });

  it('answers newest first and 100 items when neither order nor page size is given', async () => {
    const { body } = await events({});
    expect(body.items).toHaveLength(100);
    const newest = [...seed().eventFeed].reverse().slice(0, 100);
    expect(body.items.map((i) => i.cxEventKey)).toEqual(newest.map((r) => r.cxEventKey));
    expect(body.pagination?.totalSize).toBe(seed().eventFeed.length);
  });

  it('keeps the events of a half-open time window whose incident matches name, status and severity', async () => {
    const incident = seed().incidents.find((i) => i.closedAt && i.events.length >= 4)!;
    const start = incident.createdAt;
    const end = incident.closedAt!;
    const filter = {
      name: incident.name!,
      status: [incident.status],
      severity: [incident.severity],
      timestamp: { startTime: start, endTime: end },
    };
    const items = await walk({ filter, order_by: ASC });
    const expected = seed().eventFeed.filter((r) => {
      const owner = incidentOf(r.incidentId);
      return (
        Date.parse(r.cxEventTimestamp) >= Date.parse(start) &&
        Date.parse(r.cxEventTimestamp) < Date.parse(end) &&
        owner.name === incident.name &&
        owner.status === incident.status &&
        owner.severity === incident.severity
      );
    });
    expect(items.map((i) => i.cxEventKey)).toEqual(expected.map((r) => r.cxEventKey));
    // The CLOSE event sits at closedAt, the excluded end of the window.
    expect(items.some((i) => i.incidentEvent?.id === incident.events.at(-1)?.id)).toBe(false);
  });

  it('matches meta labels by position-paired key and value lists, any or all of them', async () => {
    const [a, b] = [
      { key: 'env', value: 'production' },
      { key: 'team', value: 'payments' },
    ];
    const has = (i: StoredIncident, l: { key: string; value: string }) =>
      (i.metaLabels ?? []).some((m) => m.key === l.key && m.value === l.value);
    for (const operator of ['FILTER_OPERATOR_OR_OR_UNSPECIFIED', 'FILTER_OPERATOR_AND'] as const) {
      const items = await walk({
        filter: { labels: { metaLabels: [a, b], operator } },
        order_by: ASC,
      });
      const expected = seed().eventFeed.filter((r) => {
        const owner = incidentOf(r.incidentId);
        return operator === 'FILTER_OPERATOR_AND'
          ? has(owner, a) && has(owner, b)
          : has(owner, a) || has(owner, b);
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(items.map((i) => i.cxEventKey)).toEqual(expected.map((r) => r.cxEventKey));
    }
  });

  it.each([
    ['a dotted parameter', [['filter.status', 'INCIDENT_STATUS_TRIGGERED']]],
    ['a bare object parameter', [['filter', '{"status":[]}']]],
    ['an unknown filter field', [['filter[incidentId]', 'x']]],
    ['a page size over 1000', [['pagination[pageSize]', '1001']]],
    ['half a time window', [['filter[timestamp][startTime]', '2026-01-01T00:00:00Z']]],
    ['unpaired meta label lists', [['filter[labels][metaLabels][key]', 'env']]],
    ['an unknown status', [['filter[status]', 'OPEN']]],
  ] as Array<[string, Array<[string, string]>]>)('refuses %s with 400', async (_, query) => {
    const { status, body } = await get<{ code: number }>(EVENTS, query);
    expect(status).toBe(400);
    expect(body.code).toBe(400);
  });
});

describe('GET /incidents/events/v1/all/count and /{event_id}', () => {
  it('counts the matching events as a uint64 string', async () => {
    const severity = 'INCIDENT_SEVERITY_CRITICAL';
    const { status, body } = await get<{ count: string; reachedLimit: boolean }>(
      `${EVENTS}/all/count`,
      encodeObjectParams({ filter: { severity: [severity] } }),
    );
    expect(status).toBe(200);
    const expected = seed().eventFeed.filter((r) => incidentOf(r.incidentId).severity === severity);
    expect(body).toEqual({ count: String(expected.length), reachedLimit: false });
  });

  it('finds the incident of an event by its cxEventKey, and answers 404 for an incident-event id', async () => {
    const record = seed().eventFeed[42]!;
    const found = await get<{ incident: StoredIncident }>(`${EVENTS}/${record.cxEventKey}`);
    expect(found.status).toBe(200);
    expect(found.body.incident.id).toBe(record.incidentId);
    const missing = await get<{ code: number; message: string }>(`${EVENTS}/${record.eventId}`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/^Not Found: /);
  });

  it('adds a write’s event to the feed at the write’s instant, named by lastStateUpdateKey', async () => {
    const incident = seed().incidents.find((i) => i.status === 'INCIDENT_STATUS_TRIGGERED')!;
    const response = await fetch(
      `${sandbox.coralogix.url}/incidents/incidents/v1/all/acknowledge`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${sandbox.coralogix.apiKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ incidentIds: [incident.id] }),
      },
    );
    const [after] = ((await response.json()) as { incidents: StoredIncident[] }).incidents;
    const { body } = await events({ filter: { name: incident.name! } });
    const [newest] = body.items;
    expect(newest?.incidentEvent?.incidentEventType).toBe('INCIDENT_EVENT_TYPE_ACKNOWLEDGE');
    expect(newest?.incidentEvent?.id).toBe(after?.events.at(-1)?.id);
    expect(newest?.cxEventKey).toBe(after?.lastStateUpdateKey);
    expect(newest?.cxEventTimestamp).toBe(after?.lastStateUpdateTime);
    const owner = await get<{ incident: StoredIncident }>(`${EVENTS}/${newest?.cxEventKey}`);
    expect(owner.body.incident.id).toBe(incident.id);
  });
});

describe('POST /incidents/filter-values/v1 (GetFilterValues)', () => {
  const filterValues = async (filter: unknown) => {
    const response = await fetch(`${sandbox.coralogix.url}/incidents/filter-values/v1`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.coralogix.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ filter }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { filtersValues: IncidentQueryFiltersValues }).filtersValues;
  };

  /** value → count over the incidents, as a plain object (order-free). */
  const tally = (incidents: StoredIncident[], read: (i: StoredIncident) => string[]) => {
    const out: Record<string, number> = {};
    for (const incident of incidents)
      for (const v of new Set(read(incident))) out[v] = (out[v] ?? 0) + 1;
    return out;
  };
  const asMap = <K extends string>(
    rows: Array<Partial<Record<K | 'count', unknown>>> | undefined,
    key: K,
  ) => Object.fromEntries((rows ?? []).map((row) => [String(row[key]), Number(row.count)]));

  it('counts severities, statuses, states, assignees and meta labels over the filtered incidents', async () => {
    const filter = { status: ['INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED'] };
    const values = await filterValues(filter);
    const open = seed().incidents.filter((i) => filter.status.includes(i.status));
    expect(asMap(values.severityWithCount, 'severity')).toEqual(tally(open, (i) => [i.severity]));
    expect(asMap(values.statusWithCount, 'status')).toEqual(tally(open, (i) => [i.status]));
    expect(asMap(values.stateWithCount, 'state')).toEqual(tally(open, (i) => [i.state]));
    expect(asMap(values.assigneeWithCount, 'assignee')).toEqual(
      tally(open, (i) => i.assignments.map((a) => a.assignedTo?.userId ?? '')),
    );
    const labels = Object.fromEntries(
      (values.metaLabelsWithCount ?? []).map((row) => [
        `${row.metaLabel?.key}=${row.metaLabel?.value}`,
        Number(row.count),
      ]),
    );
    expect(labels).toEqual(
      tally(open, (i) => (i.metaLabels ?? []).map((l) => `${l.key}=${l.value}`)),
    );
    expect(values.metaLabelsOp).toBe('FILTER_OPERATOR_OR_OR_UNSPECIFIED');
  });

  it('counts every incident with no filter, most frequent first', async () => {
    const values = await filterValues(undefined);
    const counts = (values.severityWithCount ?? []).map((row) => Number(row.count));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(seed().incidents.length);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });
});
