/**
 * Contract tests of the Coralogix Incidents API emulator, over real HTTP via
 * `startSandbox()`, against shared/upstreams/coralogix.md.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createCoralogixEmulator } from '../../src/sandbox/coralogix/emulator.js';
import { generateSeed } from '../../src/sandbox/seed.js';
import type {
  BatchGetIncidentsResponse,
  CoralogixErrorBody,
  GetIncidentResponse,
  Incident,
  IncidentQueryFilter,
  IncidentsResponse,
  ListIncidentEventsResponse,
  ListIncidentsRequest,
  ListIncidentsResponse,
} from '../../src/upstreams/coralogix/incidents/types.js';
import { cx, type CallOptions, type Reply } from '../support/coralogix.js';

let sandbox: Sandbox;
let seeded: Incident[];

beforeAll(async () => {
  sandbox = await startSandbox();
  seeded = sandbox.seed.incidents;
});

afterAll(async () => {
  await sandbox.stop();
});

beforeEach(() => {
  sandbox.reset();
});

const call = <T>(method: string, path: string, options?: CallOptions) =>
  cx<T>(sandbox, method, path, options);

/** v5 paths after the base URL (openapi_v5.yaml). */
const INCIDENTS = '/incidents/incidents/v1';
const getIncident = (id: string) =>
  call<GetIncidentResponse>('GET', `${INCIDENTS}/${encodeURIComponent(id)}`);
const getEvents = (id: string) =>
  call<ListIncidentEventsResponse>('GET', `${INCIDENTS}/${encodeURIComponent(id)}/events`);
const list = (body: ListIncidentsRequest | string | unknown) =>
  call<ListIncidentsResponse>('POST', INCIDENTS, { body });
/** The five writes as the vendor's client sends them; unassign's ids go in the query string. */
const write = (action: string, body: unknown) => {
  if (action === 'unassign') {
    const incidentIds = (body as { incidentIds?: unknown } | undefined)?.incidentIds;
    const query = Array.isArray(incidentIds)
      ? incidentIds.map((id): [string, string] => ['incident_ids', String(id)])
      : [];
    return call<IncidentsResponse>('DELETE', `${INCIDENTS}/all/by-user`, { query });
  }
  const segment = { assign: 'by-user', close: 'closed' }[action] ?? action;
  return call<IncidentsResponse>('POST', `${INCIDENTS}/all/${segment}`, { body });
};
const batchGet = (ids: string[]) =>
  call<BatchGetIncidentsResponse>('GET', INCIDENTS, {
    query: ids.map((id) => ['ids', id]),
  });

/** The v5 facade's error body: `{code: <the HTTP status>, message}`. */
function expectRpcError(reply: Reply<unknown>, status: number): void {
  expect(reply.status).toBe(status);
  const body = reply.body as CoralogixErrorBody;
  expect(body.code).toBe(status);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
}

function seededWhere(predicate: (incident: Incident) => boolean): Incident {
  const incident = seeded.find(predicate);
  if (!incident) throw new Error('the seed has no incident of the wanted kind');
  return incident;
}

const triggered = () => seededWhere((i) => i.status === 'INCIDENT_STATUS_TRIGGERED');
const resolved = () => seededWhere((i) => i.status === 'INCIDENT_STATUS_RESOLVED');
const ids = (incidents: Incident[]) => incidents.map((i) => i.id);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const SEVERITY_RANK = [
  'INCIDENT_SEVERITY_UNSPECIFIED',
  'INCIDENT_SEVERITY_LOW',
  'INCIDENT_SEVERITY_INFO',
  'INCIDENT_SEVERITY_WARNING',
  'INCIDENT_SEVERITY_ERROR',
  'INCIDENT_SEVERITY_CRITICAL',
];

describe('authentication', () => {
  it('rejects a request without an Authorization header with 401', async () => {
    const reply = await call('GET', `${INCIDENTS}/${triggered().id}`, { auth: null });
    expectRpcError(reply, 401);
  });

  it('rejects a wrong API key with 401', async () => {
    const reply = await call('POST', INCIDENTS, { body: {}, auth: 'Bearer not-the-key' });
    expectRpcError(reply, 401);
  });

  it('rejects a write with a wrong API key and changes nothing', async () => {
    const incident = triggered();
    const reply = await call('POST', '/v1/incidents:resolve', {
      body: { incidentIds: [incident.id] },
      auth: `Basic ${sandbox.coralogix.apiKey}`,
    });
    expectRpcError(reply, 401);
    expect((await getIncident(incident.id)).body.incident).toEqual(incident);
  });
});

describe('routing', () => {
  it('answers an unknown route with the plain-text route-not-found body', async () => {
    const reply = await call('GET', '/incidents/nothing-here/v1');
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('Not Found: Not Found');
  });

  it.each([
    ['POST', '/v1/incidents:batchGet'],
    ['POST', '/v1/incidents'],
    ['POST', '/v1/incidents:assign'],
    ['POST', '/v1/incidents:unassign'],
    ['GET', '/v1/incidents/00000000-0000-4000-8000-000000000000'],
  ])(
    'answers the old LTS path %s /mgmt/openapi%s with the route-not-found body',
    async (method, path) => {
      const url = `${sandbox.coralogix.url.replace(/\/mgmt\/openapi\/5$/, '/mgmt/openapi')}${path}`;
      const response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${sandbox.coralogix.apiKey}` },
      });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('Not Found: Not Found');
    },
  );

  it('answers a wrong method on a known path with 405 and an Allow header', async () => {
    const reply = await call<CoralogixErrorBody>('PUT', INCIDENTS);
    expect(reply.status).toBe(405);
    expect(reply.body.code).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET, POST');
  });
});

describe('GET /incidents/incidents/v1/{id}', () => {
  it('returns the seeded incident wrapped in "incident"', async () => {
    const incident = resolved();
    const reply = await getIncident(incident.id);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ incident });
  });

  it('speaks proto3 JSON: enum strings, RFC 3339 timestamps, Duration seconds, label maps', async () => {
    const { incident } = (await getIncident(resolved().id)).body;
    expect(incident.state).toMatch(/^INCIDENT_STATE_/);
    expect(incident.severity).toMatch(/^INCIDENT_SEVERITY_/);
    expect(incident.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(incident.closedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(incident.duration).toMatch(/^\d+(\.\d+)?s$/);
    expect(Array.isArray(incident.contextualLabels)).toBe(false);
    expect(typeof incident.contextualLabels.application).toBe('string');
  });

  it('omits closedAt of an incident that is still open', async () => {
    const { incident } = (await getIncident(triggered().id)).body;
    expect(incident).not.toHaveProperty('closedAt');
  });

  it('answers an unknown id with 404', async () => {
    expectRpcError(await getIncident(UNKNOWN_ID), 404);
  });
});

describe('GET /incidents/incidents/v1?ids= (batch get)', () => {
  it('returns found incidents as a map keyed by id and lists the missing ids', async () => {
    const [a, b] = [seeded[0]!, seeded[1]!];
    const reply = await batchGet([b.id, UNKNOWN_ID, a.id]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ incidents: { [a.id]: a, [b.id]: b }, notFoundIds: [UNKNOWN_ID] });
  });

  it('accepts duplicate ids and answers each once', async () => {
    const a = seeded[0]!;
    const reply = await batchGet([a.id, a.id, UNKNOWN_ID, UNKNOWN_ID]);
    expect(Object.keys(reply.body.incidents)).toEqual([a.id]);
    expect(reply.body.notFoundIds).toEqual([UNKNOWN_ID]);
  });

  it('reads the ids from the query string only', async () => {
    const a = seeded[0]!;
    const reply = await call<BatchGetIncidentsResponse>('GET', INCIDENTS, {
      query: [['ids', a.id]],
    });
    expect(Object.keys(reply.body.incidents)).toEqual([a.id]);
  });

  it('rejects a request without ids with 400', async () => {
    expectRpcError(await batchGet([]), 400);
  });
});

describe('POST /incidents/incidents/v1 (list)', () => {
  it('returns 10 incidents, newest first, with the total size when pagination is absent', async () => {
    const reply = await list({});
    expect(reply.status).toBe(200);
    expect(reply.body.incidents).toHaveLength(10);
    expect(reply.body.pagination.totalSize).toBe(seeded.length);
    expect(typeof reply.body.pagination.nextPageToken).toBe('string');
    const newest = [...seeded]
      .sort((a, b) => b.createdAt!.localeCompare(a.createdAt!) || a.id.localeCompare(b.id))
      .slice(0, 10);
    expect(ids(reply.body.incidents)).toEqual(ids(newest));
  });

  it('walks every incident with pageSize 7 without gaps or duplicates', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const reply = await list({ pagination: { pageSize: 7, pageToken } });
      expect(reply.status).toBe(200);
      expect(reply.body.pagination.totalSize).toBe(seeded.length);
      expect(reply.body.incidents.length).toBeLessThanOrEqual(7);
      seen.push(...ids(reply.body.incidents));
      pageToken = reply.body.pagination.nextPageToken;
      pages += 1;
    } while (pageToken !== undefined && pages < 1000);
    expect(pages).toBe(Math.ceil(seeded.length / 7));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(ids(seeded).sort());
  });

  it('omits nextPageToken on the last page', async () => {
    const reply = await list({ pagination: { pageSize: 1000 } });
    expect(reply.body.incidents).toHaveLength(seeded.length);
    expect(reply.body.pagination).toEqual({ totalSize: seeded.length });
  });

  it.each([0, 10001, -1, 2.5])('rejects pageSize %s with 400', async (pageSize) => {
    expectRpcError(await list({ pagination: { pageSize } }), 400);
  });

  it('rejects pagination without pageSize with 400', async () => {
    expectRpcError(await list({ pagination: {} }), 400);
  });

  it('rejects a page token that is not one of its own', async () => {
    expectRpcError(await list({ pagination: { pageSize: 5, pageToken: 'garbage!' } }), 400);
  });

  it('rejects a page token issued for a different filter', async () => {
    const first = await list({ pagination: { pageSize: 5 } });
    const pageToken = first.body.pagination.nextPageToken;
    const reply = await list({
      filter: { status: ['INCIDENT_STATUS_RESOLVED'] },
      pagination: { pageSize: 5, pageToken },
    });
    expectRpcError(reply, 400);
  });

  it('rejects a malformed JSON body with 400', async () => {
    expectRpcError(await list('{"filter": '), 400);
  });

  it('rejects an unknown enum value with 400', async () => {
    expectRpcError(await list({ filter: { severity: ['INCIDENT_SEVERITY_HUGE'] } }), 400);
    expectRpcError(await list({ orderBys: [{ incidentField: 'INCIDENTS_FIELDS_COLOR' }] }), 400);
  });

  it('rejects a searchQuery naming both incidentField and contextualLabel', async () => {
    const searchQuery = {
      query: 'x',
      incidentField: 'INCIDENTS_FIELDS_NAME',
      contextualLabel: 'application',
    };
    expectRpcError(await list({ filter: { searchQuery } }), 400);
  });

  it('rejects a createdAtRange without endTime with 400', async () => {
    const filter = { createdAtRange: { startTime: '2026-10-01T00:00:00Z' } };
    expectRpcError(await list({ filter }), 400);
  });

  describe('filters', () => {
    /** Asserts the filter selects exactly what `predicate` selects, and that this is a proper subset. */
    async function expectFilter(
      filter: IncidentQueryFilter,
      predicate: (incident: Incident) => boolean,
    ): Promise<void> {
      const expected = seeded.filter(predicate);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(seeded.length);
      const reply = await list({ filter, pagination: { pageSize: 1000 } });
      expect(reply.status).toBe(200);
      expect(reply.body.pagination.totalSize).toBe(expected.length);
      expect(ids(reply.body.incidents).sort()).toEqual(ids(expected).sort());
    }

    const createdMs = (incident: Incident) => Date.parse(incident.createdAt ?? '');
    const sortedCreated = () => seeded.map(createdMs).sort((a, b) => a - b);

    it('keeps incidents whose status is listed', () =>
      expectFilter(
        { status: ['INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED'] },
        (i) => i.status !== 'INCIDENT_STATUS_RESOLVED',
      ));

    it('keeps incidents whose state is listed', () =>
      expectFilter(
        { state: ['INCIDENT_STATE_RESOLVED'] },
        (i) => i.state === 'INCIDENT_STATE_RESOLVED',
      ));

    it('keeps incidents whose severity is listed', () =>
      expectFilter({ severity: ['INCIDENT_SEVERITY_CRITICAL', 'INCIDENT_SEVERITY_LOW'] }, (i) =>
        ['INCIDENT_SEVERITY_CRITICAL', 'INCIDENT_SEVERITY_LOW'].includes(i.severity),
      ));

    it('keeps incidents assigned to one of the listed users', () => {
      const userId = sandbox.seed.users[3]!.id;
      return expectFilter({ assignee: [userId] }, (i) =>
        i.assignments.some((a) => a.assignedTo?.userId === userId),
      );
    });

    it('treats empty lists as no constraint', async () => {
      const reply = await list({ filter: { status: [], severity: [], assignee: [] } });
      expect(reply.body.pagination.totalSize).toBe(seeded.length);
    });

    it('searches the name case-insensitively with searchQuery on INCIDENTS_FIELDS_NAME', () =>
      expectFilter(
        { searchQuery: { query: 'LATENCY', incidentField: 'INCIDENTS_FIELDS_NAME' } },
        (i) => (i.name ?? '').toLowerCase().includes('latency'),
      ));

    it('searches one contextual label with searchQuery on contextualLabel', () =>
      expectFilter({ searchQuery: { query: 'pay', contextualLabel: 'application' } }, (i) =>
        (i.contextualLabels.application ?? '').includes('pay'),
      ));

    it('keeps incidents created in createdAtRange, start inclusive and end exclusive', () => {
      const times = sortedCreated();
      const start = times[50]!;
      const end = times[150]!;
      return expectFilter(
        {
          createdAtRange: {
            startTime: new Date(start).toISOString(),
            endTime: new Date(end).toISOString(),
          },
        },
        (i) => createdMs(i) >= start && createdMs(i) < end,
      );
    });

    it('honours the deprecated top-level startTime and endTime', () => {
      const times = sortedCreated();
      const start = times[100]!;
      const end = times[200]!;
      return expectFilter(
        { startTime: new Date(start).toISOString(), endTime: new Date(end).toISOString() },
        (i) => createdMs(i) >= start && createdMs(i) < end,
      );
    });

    it('keeps incidents open at some instant of incidentDurationRange', () => {
      const times = sortedCreated();
      const start = times[100]!;
      const end = times[110]!;
      return expectFilter(
        {
          incidentDurationRange: {
            startTime: new Date(start).toISOString(),
            endTime: new Date(end).toISOString(),
          },
        },
        (i) => createdMs(i) < end && (i.closedAt === undefined || Date.parse(i.closedAt) >= start),
      );
    });

    it('keeps muted or unmuted incidents with isMuted', async () => {
      await expectFilter({ isMuted: true }, (i) => i.isMuted === true);
      await expectFilter({ isMuted: false }, (i) => i.isMuted !== true);
    });

    const hasMeta = (i: Incident, key: string, value: string) =>
      (i.metaLabels ?? []).some((l) => l.key === key && l.value === value);

    it('keeps incidents with any of the metaLabels by default', () =>
      expectFilter(
        {
          metaLabels: [
            { key: 'team', value: 'payments' },
            { key: 'region', value: 'eu-west-1' },
          ],
        },
        (i) => hasMeta(i, 'team', 'payments') || hasMeta(i, 'region', 'eu-west-1'),
      ));

    it('keeps incidents with all of the metaLabels under FILTER_OPERATOR_AND', () =>
      expectFilter(
        {
          metaLabels: [
            { key: 'team', value: 'payments' },
            { key: 'region', value: 'eu-west-1' },
          ],
          metaLabelsOp: 'FILTER_OPERATOR_AND',
        },
        (i) => hasMeta(i, 'team', 'payments') && hasMeta(i, 'region', 'eu-west-1'),
      ));

    it('keeps incidents whose contextual label has one of the values', () =>
      expectFilter(
        { contextualLabels: { application: { contextualLabelValues: ['search', 'auth'] } } },
        (i) => ['search', 'auth'].includes(i.contextualLabels.application ?? ''),
      ));

    it('keeps incidents whose display label has one of the values', () =>
      expectFilter(
        { displayLabels: { env: { displayLabelValues: ['staging'] } } },
        (i) => i.displayLabels.env === 'staging',
      ));

    it('matches applicationName against the application contextual label', () =>
      expectFilter(
        { applicationName: ['checkout'] },
        (i) => i.contextualLabels.application === 'checkout',
      ));

    it('matches subsystemName against the subsystem contextual label', () =>
      expectFilter({ subsystemName: ['billing-api', 'gateway-api'] }, (i) =>
        ['billing-api', 'gateway-api'].includes(i.contextualLabels.subsystem ?? ''),
      ));

    it('combines different filter fields with AND', () =>
      expectFilter(
        {
          status: ['INCIDENT_STATUS_TRIGGERED'],
          displayLabels: { env: { displayLabelValues: ['production'] } },
        },
        (i) => i.status === 'INCIDENT_STATUS_TRIGGERED' && i.displayLabels.env === 'production',
      ));
  });

  describe('orderBys', () => {
    const all = async (orderBys: ListIncidentsRequest['orderBys']) =>
      (await list({ orderBys, pagination: { pageSize: 1000 } })).body.incidents;

    it('orders severity by rank (LOW < INFO < WARNING < ERROR < CRITICAL), ties by id', async () => {
      const incidents = await all([
        { incidentField: 'INCIDENTS_FIELDS_SEVERITY', direction: 'ORDER_BY_DIRECTION_DESC' },
      ]);
      const expected = [...seeded].sort(
        (a, b) =>
          SEVERITY_RANK.indexOf(b.severity) - SEVERITY_RANK.indexOf(a.severity) ||
          (a.id < b.id ? -1 : 1),
      );
      expect(ids(incidents)).toEqual(ids(expected));
      expect(incidents[0]!.severity).toBe('INCIDENT_SEVERITY_CRITICAL');
      expect(incidents.at(-1)!.severity).toBe('INCIDENT_SEVERITY_LOW');
    });

    it('orders by name ascending, case-insensitively', async () => {
      const incidents = await all([
        { incidentField: 'INCIDENTS_FIELDS_NAME', direction: 'ORDER_BY_DIRECTION_ASC' },
      ]);
      const names = incidents.map((i) => (i.name ?? '').toLowerCase());
      expect(names).toEqual([...names].sort());
    });

    it('applies a second order key within ties of the first', async () => {
      const incidents = await all([
        { incidentField: 'INCIDENTS_FIELDS_STATUS', direction: 'ORDER_BY_DIRECTION_ASC' },
        { incidentField: 'INCIDENTS_FIELDS_CREATED_TIME', direction: 'ORDER_BY_DIRECTION_DESC' },
      ]);
      const keys = incidents.map((i) => [i.status, i.createdAt ?? ''] as const);
      for (let k = 1; k < keys.length; k++) {
        const [prevStatus, prevCreated] = keys[k - 1]!;
        const [status, created] = keys[k]!;
        if (prevStatus === status) expect(prevCreated >= created).toBe(true);
      }
      expect(incidents[0]!.status).toBe('INCIDENT_STATUS_TRIGGERED');
      expect(incidents.at(-1)!.status).toBe('INCIDENT_STATUS_RESOLVED');
    });
  });
});

describe('GET /incidents/incidents/v1/{incident_id}/events', () => {
  it('returns the events of the incident', async () => {
    const incident = resolved();
    const reply = await getEvents(incident.id);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ incidentEvents: incident.events });
  });

  it('answers an unknown incident with 404', async () => {
    expectRpcError(await getEvents(UNKNOWN_ID), 404);
  });
});

describe('writes', () => {
  const keyUserId = () => sandbox.seed.users[0]!.id;
  const newEvents = async (incident: Incident) =>
    (await getEvents(incident.id)).body.incidentEvents.slice(incident.events.length);

  function expectTouched(after: Incident, before: Incident): void {
    expect(after.lastStateUpdateKey).not.toBe(before.lastStateUpdateKey);
    expect(Date.parse(after.lastStateUpdateTime ?? '')).toBeGreaterThan(
      Date.parse(before.lastStateUpdateTime ?? ''),
    );
  }

  it('unassigns through DELETE …/all/by-user with the ids in incident_ids and no body', async () => {
    const incident = seededWhere((i) => i.assignments.length > 0);
    sandbox.clearRequests();
    const reply = await call<IncidentsResponse>('DELETE', `${INCIDENTS}/all/by-user`, {
      query: [['incident_ids', incident.id]],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.incidents[0]!.assignments).toEqual([]);
    expect(sandbox.requests('coralogix')[0]).toMatchObject({
      method: 'DELETE',
      path: '/mgmt/openapi/5/incidents/incidents/v1/all/by-user',
      query: { incident_ids: [incident.id] },
      body: undefined,
    });
  });

  it('closes through POST …/all/closed (not …/all/close)', async () => {
    const incident = triggered();
    expect((await call('POST', `${INCIDENTS}/all/close`, { body: {} })).status).toBe(404);
    const reply = await call<IncidentsResponse>('POST', `${INCIDENTS}/all/closed`, {
      body: { incidentIds: [incident.id] },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.incidents[0]!.status).toBe('INCIDENT_STATUS_RESOLVED');
  });

  it('assigns a user, recording who assigned and an ASSIGN event', async () => {
    const incident = seededWhere((i) => i.assignments.length === 0);
    const userId = sandbox.seed.users[5]!.id;
    const reply = await write('assign', { incidentIds: [incident.id], assignedTo: { userId } });
    expect(reply.status).toBe(200);
    const assignment = { assignedTo: { userId }, assignedBy: { userId: keyUserId() } };
    expect(reply.body.incidents[0]!.assignments).toEqual([assignment]);

    const after = (await getIncident(incident.id)).body.incident;
    expect(after.assignments).toEqual([assignment]);
    expectTouched(after, incident);
    const events = await newEvents(incident);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      incidentEventType: 'INCIDENT_EVENT_TYPE_ASSIGN',
      originatorType: 'ORIGINATOR_TYPE_ADMINISTRATIVE',
      administrativeEvent: { userId: keyUserId() },
      assignment: { assignment },
    });
    expect(events[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not duplicate an assignment of the same user', async () => {
    const incident = seededWhere((i) => i.assignments.length === 0);
    const body = { incidentIds: [incident.id], assignedTo: { userId: 'user-x' } };
    await write('assign', body);
    const reply = await write('assign', body);
    expect(reply.body.incidents[0]!.assignments).toHaveLength(1);
    expect(await newEvents(incident)).toHaveLength(1);
  });

  it('makes an assignment visible to the assignee filter of a later list', async () => {
    const incident = seededWhere((i) => i.assignments.length === 0);
    const before = await list({ filter: { assignee: ['brand-new-user'] } });
    expect(before.body.pagination.totalSize).toBe(0);
    await write('assign', { incidentIds: [incident.id], assignedTo: { userId: 'brand-new-user' } });
    const after = await list({ filter: { assignee: ['brand-new-user'] } });
    expect(ids(after.body.incidents)).toEqual([incident.id]);
  });

  it('unassigns everyone and records an UNASSIGN event', async () => {
    const incident = seededWhere((i) => i.assignments.length > 0);
    const reply = await write('unassign', { incidentIds: [incident.id] });
    expect(reply.status).toBe(200);
    const after = (await getIncident(incident.id)).body.incident;
    expect(after.assignments).toEqual([]);
    expectTouched(after, incident);
    expect(await newEvents(incident)).toMatchObject([
      {
        incidentEventType: 'INCIDENT_EVENT_TYPE_UNASSIGN',
        originatorType: 'ORIGINATOR_TYPE_ADMINISTRATIVE',
        administrativeEvent: { userId: keyUserId() },
        unassign: {},
      },
    ]);
  });

  it('acknowledges a triggered incident and records an ACKNOWLEDGE event', async () => {
    const incident = triggered();
    await write('acknowledge', { incidentIds: [incident.id] });
    const after = (await getIncident(incident.id)).body.incident;
    expect(after.status).toBe('INCIDENT_STATUS_ACKNOWLEDGED');
    expect(after.state).toBe('INCIDENT_STATE_TRIGGERED');
    expectTouched(after, incident);
    expect(await newEvents(incident)).toMatchObject([
      {
        incidentEventType: 'INCIDENT_EVENT_TYPE_ACKNOWLEDGE',
        acknowledge: { acknowledgedBy: { userId: keyUserId() } },
      },
    ]);
  });

  it('leaves a resolved incident resolved when acknowledged', async () => {
    const incident = resolved();
    const reply = await write('acknowledge', { incidentIds: [incident.id] });
    expect(reply.status).toBe(200);
    expect(reply.body.incidents[0]!.status).toBe('INCIDENT_STATUS_RESOLVED');
    expect((await getIncident(incident.id)).body.incident).toEqual(incident);
  });

  it('resolves an incident: state, status, closedAt, duration and an UPSERT_STATE event', async () => {
    const incident = triggered();
    const startedAt = Date.now();
    await write('resolve', { incidentIds: [incident.id] });
    const after = (await getIncident(incident.id)).body.incident;
    expect(after.state).toBe('INCIDENT_STATE_RESOLVED');
    expect(after.status).toBe('INCIDENT_STATUS_RESOLVED');
    const closedMs = Date.parse(after.closedAt ?? '');
    expect(closedMs).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(after.duration).toBe(
      `${Math.round((closedMs - Date.parse(incident.createdAt ?? '')) / 1000)}s`,
    );
    expectTouched(after, incident);
    expect(await newEvents(incident)).toMatchObject([
      {
        incidentEventType: 'INCIDENT_EVENT_TYPE_UPSERT_STATE',
        upsertState: { stateType: 'UPSERT_INCIDENT_STATE_TYPE_RESOLVED' },
      },
    ]);
  });

  it('closes an incident and records a CLOSE event', async () => {
    const incident = triggered();
    await write('close', { incidentIds: [incident.id] });
    const after = (await getIncident(incident.id)).body.incident;
    expect(after.state).toBe('INCIDENT_STATE_RESOLVED');
    expect(after.status).toBe('INCIDENT_STATUS_RESOLVED');
    expect(after.closedAt).toBeDefined();
    expect(await newEvents(incident)).toMatchObject([
      {
        incidentEventType: 'INCIDENT_EVENT_TYPE_CLOSE',
        close: { closedBy: { userId: keyUserId() } },
      },
    ]);
  });

  it('makes a resolved incident visible to a later status filter', async () => {
    const incident = triggered();
    const filter = { status: ['INCIDENT_STATUS_RESOLVED' as const] };
    const before = (await list({ filter, pagination: { pageSize: 1000 } })).body;
    await write('resolve', { incidentIds: [incident.id] });
    const after = (await list({ filter, pagination: { pageSize: 1000 } })).body;
    expect(after.pagination.totalSize).toBe(before.pagination.totalSize + 1);
    expect(ids(after.incidents)).toContain(incident.id);
  });

  it('answers in request order without duplicates', async () => {
    const [a, b] = [seeded[5]!, seeded[2]!];
    const reply = await write('unassign', { incidentIds: [a.id, b.id, a.id] });
    expect(ids(reply.body.incidents)).toEqual([a.id, b.id]);
  });

  it.each(['acknowledge', 'resolve', 'close', 'unassign', 'assign'])(
    'answers %s naming an unknown id with 404 code 5 and changes nothing',
    async (action) => {
      const incident = seededWhere(
        (i) => i.status === 'INCIDENT_STATUS_TRIGGERED' && i.assignments.length > 0,
      );
      const reply = await write(action, {
        incidentIds: [incident.id, UNKNOWN_ID],
        assignedTo: { userId: 'someone' },
      });
      expectRpcError(reply, 404);
      expect((await getIncident(incident.id)).body.incident).toEqual(incident);
    },
  );

  it.each([
    ['malformed JSON', '{"incidentIds": ['],
    ['a body that is not an object', '["a"]'],
    ['missing incidentIds', {}],
    ['an empty incidentIds list', { incidentIds: [] }],
    ['non-string ids', { incidentIds: [42] }],
  ])('rejects %s with 400', async (_case, body) => {
    expectRpcError(await write('resolve', body), 400);
  });

  it('rejects assign without assignedTo.userId with 400 and changes nothing', async () => {
    const incident = triggered();
    expectRpcError(await write('assign', { incidentIds: [incident.id] }), 400);
    expectRpcError(await write('assign', { incidentIds: [incident.id], assignedTo: {} }), 400);
    expect((await getIncident(incident.id)).body.incident).toEqual(incident);
  });
});

describe('sandbox plumbing', () => {
  it('records the call in requests() with the Authorization header redacted', async () => {
    const a = seeded[0]!;
    await batchGet([a.id]);
    const recorded = sandbox.requests('coralogix');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      upstream: 'coralogix',
      method: 'GET',
      path: '/mgmt/openapi/5/incidents/incidents/v1',
      query: { ids: [a.id] },
      status: 200,
    });
    expect(recorded[0]!.headers.authorization).toBe('[redacted]');
  });

  it('serves an injected fault once, then answers normally', async () => {
    sandbox.setFault({
      upstream: 'coralogix',
      method: 'GET',
      path: /\/incidents\/incidents\/v1$/,
      status: 503,
      body: { code: 503, message: 'unavailable' },
      times: 1,
    });
    const a = seeded[0]!;
    const first = await batchGet([a.id]);
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ code: 503, message: 'unavailable' });
    const second = await batchGet([a.id]);
    expect(second.status).toBe(200);
  });

  it('restores the seeded state on reset()', async () => {
    const incident = triggered();
    await write('resolve', { incidentIds: [incident.id] });
    sandbox.reset();
    expect((await getIncident(incident.id)).body.incident).toEqual(incident);
  });
});

describe('emulator handler (without HTTP)', () => {
  const seed = generateSeed(7, 20);
  const emulator = createCoralogixEmulator({ apiKey: 'k', keyUserId: 'me', seed });
  const request = (method: string, path: string, query = new URLSearchParams(), rawBody = '') =>
    emulator.handler({
      method,
      path: `/mgmt/openapi/5/incidents/incidents/v1${path}`,
      query,
      headers: { authorization: 'Bearer k' },
      rawBody,
    });

  beforeEach(() => emulator.reset());

  it('rejects more than 10000 batchGet ids with 400', () => {
    const query = new URLSearchParams();
    for (let n = 0; n <= 10_000; n++) query.append('ids', `id-${n}`);
    const response = request('GET', '', query);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 400 });
  });

  it('returns deep copies, so mutating a response does not change the store', () => {
    const id = seed.incidents[0]!.id;
    const first = request('GET', `/${id}`).body as GetIncidentResponse;
    first.incident.name = 'changed';
    first.incident.events.length = 0;
    const second = request('GET', `/${id}`).body as GetIncidentResponse;
    expect(second.incident).toEqual(seed.incidents[0]);
  });

  it('never mutates the seed object, and reset() restores it', () => {
    const snapshot = structuredClone(seed.incidents);
    const id = seed.incidents[0]!.id;
    request('POST', '/all/closed', undefined, JSON.stringify({ incidentIds: [id] }));
    expect(seed.incidents).toEqual(snapshot);
    emulator.reset();
    expect((request('GET', `/${id}`).body as GetIncidentResponse).incident).toEqual(snapshot[0]);
  });
});
