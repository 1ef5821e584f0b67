/**
 * Contract tests of the OneUptime emulator's incidents, incident states and
 * severities over real HTTP, as OneUptime's services behave at ab6f409
 * (IncidentService, IncidentStateService, IncidentSeverityService).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { SeedData } from '../../src/sandbox/seed.js';
import { type Json, oneUptime, plain } from '../support/oneuptime.js';

interface ListReply {
  data: Json[];
  count: number;
}

let sandbox: Sandbox;
let seed: SeedData;

beforeAll(async () => {
  sandbox = await startSandbox();
  seed = sandbox.seed;
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const call = <T = Json>(path: string, method = 'POST', body?: unknown) =>
  oneUptime<T>(sandbox, path, method, body);
const create = (resource: string, data: Json) => call(`/api/${resource}`, 'POST', { data });
const list = async (resource: string, body: Json, search = '?limit=10000') =>
  (await call<ListReply>(`/api/${resource}/get-list${search}`, 'POST', body)).body;
const get = async (resource: string, id: unknown, select: Json) =>
  (await call(`/api/${resource}/${String(id)}/get-item`, 'POST', { select })).body;

const named = <T extends { name: string }>(rows: T[], name: string): T => {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`no ${name}`);
  return row;
};
const state = (name: string) => named(seed.incidentStates, name)._id;
const severity = (name: string) => named(seed.incidentSeverities, name)._id;
const timelineOf = async (incidentId: unknown) =>
  (
    await list('incident-state-timeline', {
      query: { incidentId },
      select: { incidentStateId: true, startsAt: true, endsAt: true, rootCause: true },
      sort: { startsAt: 'ASC' },
    })
  ).data;

describe('OneUptime emulator: incidents', () => {
  it('creates an incident in the created state with the next number and a server slug', async () => {
    const before = Date.now();
    const reply = await create('incident', {
      title: 'Checkout errors',
      incidentSeverityId: severity('Error'),
      customFields: { team: 'payments' },
      slug: 'ignored',
      incidentNumber: 1,
    });
    expect(reply.status).toBe(200);
    const maxNumber = Math.max(...seed.oneUptimeIncidents.map((i) => i.incidentNumber));
    expect(reply.body).toMatchObject({
      title: 'Checkout errors',
      currentIncidentStateId: { _type: 'ObjectID', value: state('Created') },
      incidentSeverityId: { _type: 'ObjectID', value: severity('Error') },
      customFields: { team: 'payments' },
      incidentNumber: maxNumber + 1,
      incidentNumberWithPrefix: `#${maxNumber + 1}`,
      isVisibleOnStatusPage: true,
      isPrivate: false,
      projectId: { _type: 'ObjectID', value: seed.projectId },
    });
    expect(reply.body.slug).toMatch(/^[a-z0-9]{10}-[1-9]{10}$/);
    expect(Date.parse(String(plain(reply.body.declaredAt)))).toBeGreaterThanOrEqual(before - 1);
    const count = await call('/api/incident/count');
    expect(count.body).toEqual({ count: seed.oneUptimeIncidents.length + 1 });
  });

  it("creates the incident's first state-timeline entry at declaredAt, in its state", async () => {
    const reply = await create('incident', {
      title: 'Search latency',
      incidentSeverityId: severity('Warning'),
      currentIncidentStateId: state('Investigating'),
      declaredAt: '2026-10-01T08:00:00Z',
    });
    const entries = await timelineOf(reply.body._id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      incidentStateId: { value: state('Investigating') },
      startsAt: { value: '2026-10-01T08:00:00.000Z' },
      endsAt: null,
    });
  });

  it('refuses a missing title or severity and unknown state or severity ids with 400', async () => {
    const unknown = '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
    const cases: Array<[Json, string]> = [
      [{ incidentSeverityId: severity('Low') }, 'title is required'],
      [{ title: 'x' }, 'incidentSeverityId is required'],
      [
        { title: 'x', incidentSeverityId: severity('Low'), currentIncidentStateId: unknown },
        'Invalid incident state provided. The state does not exist or does not belong to this project.',
      ],
      [
        { title: 'x', incidentSeverityId: unknown },
        `This incident references records that do not exist: Incident Severity "${unknown}". Please pick values that exist in this project and try again.`,
      ],
    ];
    for (const [data, error] of cases) {
      expect(await create('incident', data)).toEqual({ status: 400, body: { error } });
    }
    expect((await call('/api/incident/count')).body).toEqual({
      count: seed.oneUptimeIncidents.length,
    });
  });

  it('renders the current state and severity as nested objects with their columns', async () => {
    const incident = seed.oneUptimeIncidents[0]!;
    const current = seed.incidentStates.find((s) => s._id === incident.currentIncidentStateId)!;
    const level = seed.incidentSeverities.find((s) => s._id === incident.incidentSeverityId)!;
    const body = await get('incident', incident._id, {
      title: true,
      currentIncidentState: {
        name: true,
        color: true,
        order: true,
        isCreatedState: true,
        isAcknowledgedState: true,
        isResolvedState: true,
      },
      incidentSeverity: { name: true, color: true, order: true },
    });
    expect(body).toEqual({
      _id: incident._id,
      title: incident.title,
      currentIncidentState: {
        _id: current._id,
        name: current.name,
        color: { _type: 'Color', value: current.color },
        order: current.order,
        isCreatedState: current.isCreatedState,
        isAcknowledgedState: current.isAcknowledgedState,
        isResolvedState: current.isResolvedState,
      },
      incidentSeverity: {
        _id: level._id,
        name: level.name,
        color: { _type: 'Color', value: level.color },
        order: level.order,
      },
    });
  });

  it('follows its latest timeline entry, also when an entry is added in the middle or deleted', async () => {
    const { body } = await create('incident', {
      title: 'Queue backlog',
      incidentSeverityId: severity('Info'),
      declaredAt: '2026-10-01T08:00:00Z',
    });
    const currentState = async () =>
      plain(
        (await get('incident', body._id, { currentIncidentStateId: true })).currentIncidentStateId,
      );
    const ack = await create('incident-state-timeline', {
      incidentId: body._id,
      incidentStateId: state('Acknowledged'),
      startsAt: '2026-10-01T09:00:00Z',
    });
    expect(await currentState()).toBe(state('Acknowledged'));
    await create('incident-state-timeline', {
      incidentId: body._id,
      incidentStateId: state('Investigating'),
      startsAt: '2026-10-01T08:30:00Z',
    });
    expect(await currentState()).toBe(state('Acknowledged'));
    await call(`/api/incident-state-timeline/${String(ack.body._id)}`, 'DELETE');
    expect(await currentState()).toBe(state('Investigating'));
  });

  it('adds a timeline entry when a PUT changes currentIncidentStateId', async () => {
    const { body } = await create('incident', {
      title: 'Pod restarts',
      incidentSeverityId: severity('Critical'),
    });
    const put = await call(`/api/incident/${String(body._id)}`, 'PUT', {
      data: { currentIncidentStateId: state('Identified') },
    });
    expect(put).toEqual({ status: 200, body: {} });
    const entries = await timelineOf(body._id);
    expect(entries.map((e) => plain(e.incidentStateId))).toEqual([
      state('Created'),
      state('Identified'),
    ]);
    expect(entries[1]?.rootCause).toBe('This status was changed when the incident was updated.');
  });

  it('deletes an incident together with its timeline, SLAs and members', async () => {
    const incident = seed.oneUptimeIncidents.find((i) =>
      seed.members.some((m) => m.incidentId === i._id),
    )!;
    const deleted = await call(`/api/incident/${incident._id}`, 'DELETE');
    expect(deleted).toEqual({ status: 200, body: {} });
    for (const resource of ['incident-state-timeline', 'incident-sla', 'incident-member']) {
      expect((await list(resource, { query: { incidentId: incident._id } })).count).toBe(0);
    }
  });

  it('serves up to 10000 rows per page of each new resource and refuses more', async () => {
    for (const [resource, rows] of [
      ['incident', seed.oneUptimeIncidents.length],
      ['incident-state', seed.incidentStates.length],
      ['incident-severity', seed.incidentSeverities.length],
      ['incident-member', seed.members.length],
    ] as const) {
      const page = await list(resource, {}, '?limit=10000');
      expect([page.data.length, page.count]).toEqual([rows, rows]);
      const tooMany = await call(`/api/${resource}/get-list?limit=10001`);
      expect(tooMany).toEqual({ status: 400, body: { error: 'Limit should be less than 10000' } });
    }
  });
});

describe('OneUptime emulator: incident states and severities', () => {
  it("lists the project's states in order with their colours and flags", async () => {
    const page = await list('incident-state', {
      select: { name: true, color: true, order: true, isCreatedState: true, isResolvedState: true },
      sort: { order: 'ASC' },
    });
    expect(page.data.map((s) => [s.name, plain(s.color), s.order])).toEqual(
      seed.incidentStates.map((s) => [s.name, s.color, s.order]),
    );
    expect(page.data.filter((s) => s.isCreatedState).map((s) => s.name)).toEqual(['Created']);
    expect(page.data.filter((s) => s.isResolvedState).map((s) => s.name)).toEqual(['Resolved']);
  });

  it('creates a state at an order and moves the states at or after it one up', async () => {
    const reply = await create('incident-state', { name: 'Mitigated', color: '#00aa55', order: 5 });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ order: 5, isCreatedState: false, isResolvedState: false });
    expect(reply.body.slug).toMatch(/^mitigated-[1-9]{10}$/);
    const page = await list('incident-state', { select: { name: true }, sort: { order: 'ASC' } });
    expect(page.data.map((s) => s.name)).toEqual([
      'Created',
      'Investigating',
      'Identified',
      'Acknowledged',
      'Mitigated',
      'Monitoring',
      'Resolved',
    ]);
  });

  it('refuses a state or severity without an order, and any update of the order, with 400', async () => {
    expect(await create('incident-state', { name: 'X', color: '#000000' })).toEqual({
      status: 400,
      body: { error: 'Incident State order is required' },
    });
    expect(await create('incident-severity', { name: 'X', color: '#000000' })).toEqual({
      status: 400,
      body: { error: 'Incident severity order is required' },
    });
    const put = await call(`/api/incident-severity/${severity('Low')}`, 'PUT', {
      data: { order: 1 },
    });
    expect(put.status).toBe(400);
    expect(put.body.error).toMatch(/^Incident Severity order should not be updated/);
  });

  it('refuses to delete a state or severity an incident uses; deleting one moves later ones back', async () => {
    const blocked = {
      status: 400,
      body: {
        error:
          'This item cannot be deleted because Incident records still reference it. Please delete those records first, and then try again.',
      },
    };
    expect(await call(`/api/incident-state/${state('Created')}`, 'DELETE')).toEqual(blocked);
    expect(await call(`/api/incident-severity/${severity('Critical')}`, 'DELETE')).toEqual(blocked);
    const extra = await create('incident-severity', { name: 'Sev0', color: '#ff0000', order: 1 });
    expect((await get('incident-severity', severity('Low'), { order: true })).order).toBe(6);
    await call(`/api/incident-severity/${String(extra.body._id)}`, 'DELETE');
    expect((await get('incident-severity', severity('Low'), { order: true })).order).toBe(5);
  });
});
