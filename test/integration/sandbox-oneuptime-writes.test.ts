/**
 * Contract tests of the OneUptime emulator's writes that touch other rows:
 * foreign keys (PostgresErrorTranslator, release 11.7.2+, and the bare 500 of
 * older releases), incident members, and the state timeline's rules and side
 * effects (IncidentStateTimelineService, IncidentMemberService,
 * IncidentSlaService at ab6f409).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { SeedData } from '../../src/sandbox/seed.js';
import { type Json, oneUptime, plain } from '../support/oneuptime.js';

let sandbox: Sandbox;
let legacy: Sandbox;
let seed: SeedData;

beforeAll(async () => {
  [sandbox, legacy] = await Promise.all([
    startSandbox(),
    startSandbox({ oneuptimeForeignKeyErrors: 'serverError' }),
  ]);
  seed = sandbox.seed;
});
afterAll(() => Promise.all([sandbox.stop(), legacy.stop()]));
beforeEach(() => {
  sandbox.reset();
  legacy.reset();
});

const call = <T = Json>(path: string, method = 'POST', body?: unknown, target = sandbox) =>
  oneUptime<T>(target, path, method, body);
const create = (resource: string, data: Json, target = sandbox) =>
  call(`/api/${resource}`, 'POST', { data }, target);
const count = async (resource: string, query: Json = {}, target = sandbox) =>
  (await call<{ count: number }>(`/api/${resource}/count`, 'POST', { query }, target)).body.count;
const get = async (resource: string, id: unknown, select: Json) =>
  (await call(`/api/${resource}/${String(id)}/get-item`, 'POST', { select })).body;

const state = (name: string) => seed.incidentStates.find((s) => s.name === name)!._id;
const role = (name: string) => seed.roles.find((r) => r.name === name)!._id;
const user = (n: number) => seed.users[n]!.id;
const incident = (n: number) => seed.oneUptimeIncidents[n]!._id;

/** A new OneUptime incident declared at 08:00, so its timeline starts with Created then. */
async function newIncident(): Promise<string> {
  const reply = await create('incident', {
    title: 'Payments latency',
    incidentSeverityId: seed.incidentSeverities[1]!._id,
    declaredAt: '2026-10-01T08:00:00Z',
  });
  return String(reply.body._id);
}

describe('OneUptime emulator: referential integrity', () => {
  const missing = randomUUID();
  const cases: Array<[string, string, () => Json, string]> = [
    [
      'a timeline entry',
      'incident-state-timeline',
      () => ({ incidentId: missing, incidentStateId: state('Created') }),
      'Incident',
    ],
    [
      'an SLA',
      'incident-sla',
      () => ({
        incidentId: missing,
        incidentSlaRuleId: seed.slaRuleIds[0],
        slaStartedAt: '2026-10-01T08:00:00Z',
      }),
      'Incident',
    ],
    [
      'an SLA with an unknown rule',
      'incident-sla',
      () => ({
        incidentId: incident(0),
        incidentSlaRuleId: missing,
        slaStartedAt: '2026-10-01T08:00:00Z',
      }),
      'Incident Sla Rule',
    ],
    [
      'a member',
      'incident-member',
      () => ({ incidentId: missing, userId: user(1), incidentRoleId: role('Scribe') }),
      'Incident',
    ],
    [
      'a member with an unknown role',
      'incident-member',
      () => ({ incidentId: incident(0), userId: user(1), incidentRoleId: missing }),
      'Incident Role',
    ],
    [
      'a member with an unknown user',
      'incident-member',
      () => ({ incidentId: incident(0), userId: missing, incidentRoleId: role('Scribe') }),
      'User',
    ],
  ];

  it.each(cases)(
    'answers 400 naming the missing table to %s pointing at a row that does not exist',
    async (_what, resource, data, table) => {
      const before = await count(resource);
      expect(await create(resource, data())).toEqual({
        status: 400,
        body: {
          error: `This request references ${table} that does not exist. Please check the request and try again.`,
        },
      });
      expect(await count(resource)).toBe(before);
    },
  );

  it.each(cases)(
    'answers 500 Server Error to %s pointing nowhere, as releases before 11.7.2 do',
    async (_what, resource, data) => {
      const before = await count(resource, {}, legacy);
      expect(await create(resource, data(), legacy)).toEqual({
        status: 500,
        body: { error: 'Server Error' },
      });
      expect(await count(resource, {}, legacy)).toBe(before);
    },
  );

  it('refuses a timeline entry in an unknown state before writing, naming the state', async () => {
    const reply = await create('incident-state-timeline', {
      incidentId: incident(0),
      incidentStateId: missing,
    });
    expect(reply).toEqual({
      status: 400,
      body: {
        error: `This incident state timeline references records that do not exist: Incident State "${missing}". Please pick values that exist in this project and try again.`,
      },
    });
  });

  it('never treats a Coralogix incident id as a OneUptime incident', async () => {
    const reply = await create('incident-state-timeline', {
      incidentId: seed.incidents[0]!.id,
      incidentStateId: state('Resolved'),
    });
    expect(reply.status).toBe(400);
    expect(await count('incident-state-timeline', { incidentId: seed.incidents[0]!.id })).toBe(0);
  });
});

describe('OneUptime emulator: incident members', () => {
  it('adds a member and renders its user, role and incident from a nested select', async () => {
    const reply = await create('incident-member', {
      incidentId: incident(0),
      userId: user(2),
      incidentRoleId: role('Scribe'),
      notes: 'Keeps the timeline.',
      isMemberNotified: true,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ notes: 'Keeps the timeline.', isMemberNotified: false });
    expect(
      await get('incident-member', reply.body._id, {
        user: { email: true, name: true },
        incidentRole: { name: true },
        incident: { title: true },
      }),
    ).toEqual({
      _id: reply.body._id,
      user: { _id: user(2), email: seed.users[2]!.email, name: seed.users[2]!.name },
      incidentRole: { _id: role('Scribe'), name: 'Scribe' },
      incident: { _id: incident(0), title: seed.oneUptimeIncidents[0]!.title },
    });
  });

  it('refuses the same user in the same role twice but not a second user in a single-user role', async () => {
    const incidentId = await newIncident();
    const data = { incidentId, userId: user(3), incidentRoleId: role('Scribe') };
    expect((await create('incident-member', data)).status).toBe(200);
    expect(await create('incident-member', data)).toEqual({
      status: 400,
      body: { error: 'This user is already assigned to this role for this incident' },
    });
    // Only the dashboard enforces canAssignMultipleUsers (IncidentRoleFormField.tsx).
    expect((await create('incident-member', { ...data, userId: user(4) })).status).toBe(200);
    expect(await create('incident-member', { incidentId, userId: user(4) })).toEqual({
      status: 400,
      body: { error: 'incidentRoleId is required' },
    });
  });

  it("updates a member's role and notes but not its user or incident", async () => {
    const member = seed.members[0]!;
    const path = `/api/incident-member/${member._id}`;
    const ok = await call(path, 'PUT', { data: { incidentRoleId: role('Scribe'), notes: 'n' } });
    expect(ok).toEqual({ status: 200, body: {} });
    expect(await get('incident-member', member._id, { incidentRoleId: true, notes: true })).toEqual(
      { _id: member._id, incidentRoleId: { _type: 'ObjectID', value: role('Scribe') }, notes: 'n' },
    );
    for (const column of ['userId', 'incidentId']) {
      const refused = await call(path, 'PUT', { data: { [column]: user(0) } });
      expect(refused.status, column).toBe(400);
    }
  });

  it('names the user who changes the state Incident Commander when the incident has none', async () => {
    const incidentId = await newIncident();
    await create('incident-state-timeline', {
      incidentId,
      incidentStateId: state('Investigating'),
      createdByUserId: user(5),
    });
    await create('incident-state-timeline', {
      incidentId,
      incidentStateId: state('Identified'),
      createdByUserId: user(6),
    });
    const members = await call<{ data: Json[] }>('/api/incident-member/get-list', 'POST', {
      query: { incidentId },
      select: { userId: true, incidentRoleId: true },
    });
    expect(members.body.data.map((m) => [plain(m.userId), plain(m.incidentRoleId)])).toEqual([
      [user(5), role('Incident Commander')],
    ]);
  });
});

describe('OneUptime emulator: state timeline rules', () => {
  const entry = (incidentId: string, name: string, startsAt?: string) =>
    create('incident-state-timeline', {
      incidentId,
      incidentStateId: state(name),
      ...(startsAt ? { startsAt } : {}),
    });

  it('defaults startsAt to now, notifies subscribers and closes the previous entry', async () => {
    const incidentId = await newIncident();
    const second = await entry(incidentId, 'Investigating');
    expect(second.status).toBe(200);
    expect(Math.abs(Date.parse(String(plain(second.body.startsAt))) - Date.now())).toBeLessThan(
      5000,
    );
    expect(second.body).toMatchObject({
      endsAt: null,
      shouldStatusPageSubscribersBeNotified: true,
      stateChangeLog: { from: 'Created', to: 'Investigating' },
    });
    const first = await call<{ data: Json[] }>('/api/incident-state-timeline/get-list', 'POST', {
      query: { incidentId, incidentStateId: state('Created') },
      select: { endsAt: true },
    });
    expect(plain(first.body.data[0]?.endsAt)).toBe(plain(second.body.startsAt));
  });

  it("refuses the previous or next entry's state and an earlier state with the server's messages", async () => {
    const incidentId = await newIncident();
    await entry(incidentId, 'Identified', '2026-10-01T09:00:00Z');
    const error = (body: Json) => body.error;
    expect(error((await entry(incidentId, 'Identified')).body)).toBe(
      'Incident state cannot be same as previous state.',
    );
    expect(error((await entry(incidentId, 'Investigating')).body)).toBe(
      'Incident cannot transition to Investigating state from Identified state because Investigating is before Identified in the order of incident states.',
    );
    expect(error((await entry(incidentId, 'Identified', '2026-10-01T08:30:00Z')).body)).toBe(
      'Incident state cannot be same as next state.',
    );
    expect(await count('incident-state-timeline', { incidentId })).toBe(2);
  });

  it('refuses to delete the only entry and reopens the previous one when the latest goes', async () => {
    const incidentId = await newIncident();
    const second = await entry(incidentId, 'Resolved', '2026-10-01T09:00:00Z');
    const deleted = await call(`/api/incident-state-timeline/${String(second.body._id)}`, 'DELETE');
    expect(deleted).toEqual({ status: 200, body: {} });
    const [first] = (
      await call<{ data: Json[] }>('/api/incident-state-timeline/get-list', 'POST', {
        query: { incidentId },
        select: { endsAt: true },
      })
    ).body.data;
    expect(first?.endsAt).toBeNull();
    const only = await call(`/api/incident-state-timeline/${String(first?._id)}`, 'DELETE');
    expect(only.status).toBe(400);
    expect(only.body.error).toMatch(/only state timeline/);
  });

  it("marks the incident's open SLAs responded when acknowledged and resolved when resolved", async () => {
    const incidentId = await newIncident();
    const sla = await create('incident-sla', {
      incidentId,
      incidentSlaRuleId: seed.slaRuleIds[0],
      slaStartedAt: '2026-10-01T08:00:00Z',
      responseDeadline: '2026-10-01T08:15:00Z',
      resolutionDeadline: '2026-10-01T12:00:00Z',
    });
    await entry(incidentId, 'Acknowledged', '2026-10-01T08:20:00Z');
    await entry(incidentId, 'Resolved', '2026-10-01T10:00:00Z');
    expect(
      await get('incident-sla', sla.body._id, {
        respondedAt: true,
        resolvedAt: true,
        status: true,
      }),
    ).toEqual({
      _id: sla.body._id,
      respondedAt: { _type: 'DateTime', value: '2026-10-01T08:20:00.000Z' },
      resolvedAt: { _type: 'DateTime', value: '2026-10-01T10:00:00.000Z' },
      status: 'Response Breached',
    });
  });
});
