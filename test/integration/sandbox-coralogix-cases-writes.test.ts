/**
 * Contract tests of the Coralogix Cases emulator's writes, over real HTTP via
 * `startSandbox()`, against shared/upstreams/coralogix-cases.md: every
 * single and bulk write, the lifecycle and its refusals, validation limits,
 * all-or-nothing bulk calls, the events each write appends, and the system's
 * own changes (activation gives a readable id). Comments are in
 * sandbox-coralogix-cases-comments.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type {
  Case,
  CaseEvent,
  CaseResponse,
  CasesResponse,
  ListEventsResponse,
} from '../../src/upstreams/coralogix/cases/types.js';
import { byStatus, expectCxError, UNKNOWN_CASE } from '../support/cases.js';
import { cx } from '../support/coralogix.js';

let sandbox: Sandbox;
let keyUser: string;
let otherUser: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  keyUser = sandbox.seed.users[0]!.id;
  otherUser = sandbox.seed.users[5]!.id;
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const getCase = async (id: string) =>
  (await cx<CaseResponse>(sandbox, 'GET', `/cases/cases/v1/${id}`)).body.case;
/** The case's events, oldest first (the emulator answers newest first). */
const eventsOf = async (id: string): Promise<CaseEvent[]> =>
  (await cx<ListEventsResponse>(sandbox, 'GET', `/cases/cases/v1/${id}/events`)).body.events
    .slice()
    .reverse();
const one = (method: string, path: string, body?: unknown) =>
  cx<CaseResponse>(sandbox, method, path, body === undefined ? {} : { body });
const many = (method: string, path: string, body?: unknown, query?: Array<[string, string]>) =>
  cx<CasesResponse>(sandbox, method, path, { ...(body === undefined ? {} : { body }), query });
const idsQuery = (ids: string[]) => ids.map((id): [string, string] => ['ids', id]);
const firstOf = (status: string) => byStatus(sandbox, status)[0]!.case;
const unassignedActive = () =>
  byStatus(sandbox, 'ACTIVE').find((r) => !r.case.assignee && !r.case.priorityDetails?.override)!
    .case;

/** Runs `write`, then expects exactly `added` new events, written by `actor` within the call. */
async function expectEvents(
  id: string,
  write: () => Promise<unknown>,
  added: Array<Record<string, unknown>>,
  actor: Record<string, unknown> = { user: { id: keyUser } },
): Promise<CaseEvent[]> {
  const before = await eventsOf(id);
  const start = Date.now();
  await write();
  const end = Date.now();
  const after = await eventsOf(id);
  const fresh = after.filter((e) => !before.some((b) => b.eventId === e.eventId));
  expect(fresh.map((e) => e.eventData)).toEqual(added);
  for (const event of fresh) {
    expect(event.actor).toEqual(actor);
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.eventTime)).toBeGreaterThanOrEqual(start - 5);
    expect(Date.parse(event.eventTime)).toBeLessThanOrEqual(end + 5);
    expect(event.createTime).toBe(event.eventTime);
  }
  return fresh;
}

describe('assignment', () => {
  it('assigns, reassigns and unassigns one case, each with its event', async () => {
    const c = unassignedActive();
    await expectEvents(
      c.id,
      async () => {
        const reply = await one('POST', `/cases/assigned/v1/${c.id}`, {
          assignee: { userId: otherUser },
        });
        expect(reply.status).toBe(200);
        expect(reply.body.case.assignee).toEqual({ userId: otherUser });
      },
      [{ assigned: { assigneeUserId: otherUser } }],
    );
    await expectEvents(
      c.id,
      () => one('POST', `/cases/assigned/v1/${c.readableId}`, { assignee: { userId: keyUser } }),
      [{ assigned: { assigneeUserId: keyUser, previousAssigneeUserId: otherUser } }],
    );
    await expectEvents(c.id, () => one('DELETE', `/cases/assigned/v1/${c.id}`), [
      { unassigned: { previousAssigneeUserId: keyUser } },
    ]);
    expect(await getCase(c.id)).not.toHaveProperty('assignee');
  });

  it('treats assigning the current assignee and unassigning an unassigned case as no-ops', async () => {
    const c = unassignedActive();
    await expectEvents(c.id, () => one('DELETE', `/cases/assigned/v1/${c.id}`), []);
    await one('POST', `/cases/assigned/v1/${c.id}`, { assignee: { userId: otherUser } });
    const updated = (await getCase(c.id)).updateTime;
    await expectEvents(
      c.id,
      async () => {
        const reply = await one('POST', `/cases/assigned/v1/${c.id}`, {
          assignee: { userId: otherUser },
        });
        expect(reply.status).toBe(200);
      },
      [],
    );
    expect((await getCase(c.id)).updateTime).toBe(updated);
  });

  it.each([
    ['no body', undefined],
    ['no assignee', {}],
    ['no userId', { assignee: {} }],
    ['a userId that is not a UUID', { assignee: { userId: 'kim@example.com' } }],
  ])('refuses %s with 400', async (_, body) => {
    expectCxError(await one('POST', `/cases/assigned/v1/${unassignedActive().id}`, body), 400);
  });

  it('assigns and unassigns in bulk, by UUID or readable id, each case once', async () => {
    const [a, b] = byStatus(sandbox, 'ACTIVE').map((r) => r.case);
    const reply = await many('PUT', '/cases/assigned/v1', {
      ids: [a!.id, b!.readableId, a!.readableId],
      assignee: { userId: otherUser },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.cases.map((c) => [c.id, c.assignee?.userId])).toEqual([
      [a!.id, otherUser],
      [b!.id, otherUser],
    ]);
    const cleared = await many(
      'DELETE',
      '/cases/assigned/v1',
      undefined,
      idsQuery([a!.id, b!.readableId!]),
    );
    expect(cleared.body.cases.map((c) => c.assignee)).toEqual([undefined, undefined]);
  });
});

describe('bulk calls are all or nothing', () => {
  it('answers 404 naming the unknown ids and changes none of the known cases', async () => {
    const c = unassignedActive();
    const reply = await many('PUT', '/cases/assigned/v1', {
      ids: [c.id, UNKNOWN_CASE, 'CASE-999999'],
      assignee: { userId: otherUser },
    });
    expectCxError(reply, 404, /^Not Found: .*00000000-0000-4000-8000-000000000000.*CASE-999999/);
    expect(await getCase(c.id)).not.toHaveProperty('assignee');
  });

  it('answers 400 naming a case the lifecycle refuses and changes none of the others', async () => {
    const active = firstOf('ACTIVE');
    const resolved = firstOf('RESOLVED');
    const reply = await many('POST', '/cases/acknowledged/v1', {
      ids: [active.id, resolved.id],
      actor: { userId: otherUser },
    });
    expectCxError(reply, 400, new RegExp(resolved.readableId!));
    expect((await getCase(active.id)).status).toBe('CASE_STATUS_ACTIVE');
  });

  it.each([
    ['no ids', { ids: [] }],
    ['1001 ids', { ids: Array.from({ length: 1001 }, (_, i) => `CASE-${i + 1}`) }],
    ['a malformed id', { ids: ['CASE-1', 'not an id'] }],
    ['ids that are not a list', { ids: 'CASE-1' }],
  ])('refuses %s with 400', async (_, body) => {
    expectCxError(await many('POST', '/cases/closed/v1', body), 400);
  });

  it('reads bulk DELETE ids from repeated query parameters only', async () => {
    expectCxError(await many('DELETE', '/cases/assigned/v1'), 400);
    const joined = await many('DELETE', '/cases/assigned/v1', undefined, [
      ['ids', 'CASE-1,CASE-2'],
    ]);
    expectCxError(joined, 400);
  });
});

describe('acknowledgement', () => {
  it('acknowledges an active case and unacknowledges it again', async () => {
    const c = unassignedActive();
    await expectEvents(
      c.id,
      async () => {
        const reply = await one('PUT', `/cases/acknowledged/v1/${c.readableId}`);
        expect(reply.body.case.status).toBe('CASE_STATUS_ACKNOWLEDGED');
        expect(Date.parse(reply.body.case.acknowledgeTime!)).toBeGreaterThan(Date.now() - 5000);
        expect(reply.body.case.updateTime).toBe(reply.body.case.acknowledgeTime);
      },
      [
        {
          statusChanged: { oldStatus: 'CASE_STATUS_ACTIVE', newStatus: 'CASE_STATUS_ACKNOWLEDGED' },
        },
      ],
    );
    await expectEvents(
      c.id,
      async () => {
        const reply = await one('DELETE', `/cases/acknowledged/v1/${c.id}`);
        expect(reply.body.case.status).toBe('CASE_STATUS_ACTIVE');
        expect(reply.body.case).not.toHaveProperty('acknowledgeTime');
      },
      [
        {
          statusChanged: { oldStatus: 'CASE_STATUS_ACKNOWLEDGED', newStatus: 'CASE_STATUS_ACTIVE' },
        },
      ],
    );
  });

  it('treats acknowledging an acknowledged case and unacknowledging an active one as no-ops', async () => {
    const acked = firstOf('ACKNOWLEDGED');
    await expectEvents(acked.id, () => one('PUT', `/cases/acknowledged/v1/${acked.id}`), []);
    expect((await getCase(acked.id)).acknowledgeTime).toBe(acked.acknowledgeTime);
    const active = firstOf('ACTIVE');
    await expectEvents(active.id, () => one('DELETE', `/cases/acknowledged/v1/${active.id}`), []);
  });

  it.each([
    ['PENDING_ACTIVATION', 'PUT', /activated by the system/],
    ['RESOLVED', 'PUT', /a resolved case can only be closed/],
    ['CLOSED', 'PUT', /a closed case is final/],
    ['RESOLVED', 'DELETE', /a resolved case can only be closed/],
    ['CLOSED', 'DELETE', /a closed case is final/],
  ])('refuses to change a %s case with %s and changes nothing', async (status, method, message) => {
    const c = firstOf(status);
    await expectEvents(
      c.id,
      async () => expectCxError(await one(method, `/cases/acknowledged/v1/${c.id}`), 400, message),
      [],
    );
    const { duration, ...after } = await getCase(c.id);
    expect(duration).toMatch(/^[0-9]+$/);
    expect(after).toEqual(c);
  });

  it('needs actor.userId in bulk, and names that user as the actor', async () => {
    const [a, b] = byStatus(sandbox, 'ACTIVE').map((r) => r.case);
    expectCxError(await many('POST', '/cases/acknowledged/v1', { ids: [a!.id] }), 400, /actor/);
    expectCxError(await many('POST', '/cases/acknowledged/v1', { ids: [a!.id], actor: {} }), 400);
    await expectEvents(
      a!.id,
      async () => {
        const reply = await many('POST', '/cases/acknowledged/v1', {
          ids: [a!.id, b!.id],
          actor: { userId: otherUser },
        });
        expect(reply.body.cases.map((c) => c.status)).toEqual([
          'CASE_STATUS_ACKNOWLEDGED',
          'CASE_STATUS_ACKNOWLEDGED',
        ]);
      },
      [
        {
          statusChanged: { oldStatus: 'CASE_STATUS_ACTIVE', newStatus: 'CASE_STATUS_ACKNOWLEDGED' },
        },
      ],
      { user: { id: otherUser } },
    );
  });
});

describe('resolution and closure', () => {
  it('resolves with a trimmed reason: resolution details, duration frozen, event', async () => {
    const c = unassignedActive();
    let resolved: Case | undefined;
    await expectEvents(
      c.id,
      async () => {
        const reply = await one('PUT', `/cases/resolved/v1/${c.id}`, {
          reason: '  Rolled back.  ',
        });
        resolved = reply.body.case;
      },
      [{ statusChanged: { oldStatus: 'CASE_STATUS_ACTIVE', newStatus: 'CASE_STATUS_RESOLVED' } }],
    );
    expect(resolved!.status).toBe('CASE_STATUS_RESOLVED');
    expect(resolved!.resolutionDetails).toEqual({
      resolveTime: resolved!.updateTime,
      resolvedBy: { cxUser: {} },
      reason: 'Rolled back.',
    });
    expect(Number(resolved!.duration)).toBe(
      Date.parse(resolved!.resolutionDetails!.resolveTime!) - Date.parse(c.createTime),
    );
    await new Promise((r) => setTimeout(r, 5));
    expect((await getCase(c.id)).duration).toBe(resolved!.duration);
  });

  it('limits the reason to 500 characters after trimming (4096 in bulk)', async () => {
    const c = unassignedActive();
    expectCxError(await one('PUT', `/cases/resolved/v1/${c.id}`, { reason: 'x'.repeat(501) }), 400);
    expectCxError(await one('PUT', `/cases/resolved/v1/${c.id}`, { reason: '   ' }), 400);
    expect(
      (await one('PUT', `/cases/resolved/v1/${c.id}`, { reason: ` ${'x'.repeat(500)} ` })).status,
    ).toBe(200);
    const other = byStatus(sandbox, 'ACKNOWLEDGED')[0]!.case;
    expectCxError(
      await many('POST', '/cases/resolved/v1', { ids: [other.id], reason: 'y'.repeat(4097) }),
      400,
    );
    const bulk = await many('POST', '/cases/resolved/v1', {
      ids: [other.id],
      reason: 'y'.repeat(4096),
    });
    expect(bulk.body.cases[0]!.resolutionDetails?.reason).toHaveLength(4096);
    expect((await one('PUT', `/cases/resolved/v1/${other.id}`, {})).status).toBe(200);
  });

  it('closes a resolved case, keeping its resolution; a closed case refuses everything after', async () => {
    const c = firstOf('RESOLVED');
    await expectEvents(c.id, () => one('POST', `/cases/closed/v1/${c.readableId}`), [
      { statusChanged: { oldStatus: 'CASE_STATUS_RESOLVED', newStatus: 'CASE_STATUS_CLOSED' } },
    ]);
    const closed = await getCase(c.id);
    expect(closed.resolutionDetails).toEqual(c.resolutionDetails);
    expect(closed.duration).toBe(
      String(Date.parse(c.resolutionDetails!.resolveTime!) - Date.parse(c.createTime)),
    );
    expectCxError(await one('PUT', `/cases/resolved/v1/${c.id}`), 400, /final/);
    expectCxError(await one('PUT', `/cases/acknowledged/v1/${c.id}`), 400, /final/);
    expectCxError(await one('DELETE', `/cases/acknowledged/v1/${c.id}`), 400, /final/);
    await expectEvents(c.id, () => one('POST', `/cases/closed/v1/${c.id}`), []);
  });

  it('closes an open case directly, without a resolution; resolving a resolved case is a no-op', async () => {
    const [a, b] = byStatus(sandbox, 'ACKNOWLEDGED').map((r) => r.case);
    const reply = await many('POST', '/cases/closed/v1', { ids: [a!.id, b!.readableId] });
    expect(reply.body.cases.map((c) => c.status)).toEqual([
      'CASE_STATUS_CLOSED',
      'CASE_STATUS_CLOSED',
    ]);
    expect(reply.body.cases[0]).not.toHaveProperty('resolutionDetails');
    const resolved = firstOf('RESOLVED');
    await expectEvents(
      resolved.id,
      () => one('PUT', `/cases/resolved/v1/${resolved.id}`, { reason: 'again' }),
      [],
    );
    expect((await getCase(resolved.id)).resolutionDetails).toEqual(resolved.resolutionDetails);
  });

  it('refuses to resolve or close a pending case', async () => {
    const c = firstOf('PENDING_ACTIVATION');
    expectCxError(await one('PUT', `/cases/resolved/v1/${c.id}`), 400, /activated by the system/);
    expectCxError(await many('POST', '/cases/closed/v1', { ids: [c.id] }), 400);
  });

  it('walks a whole life: ACTIVE → ACKNOWLEDGED → ACTIVE → ACKNOWLEDGED → RESOLVED → CLOSED', async () => {
    const c = unassignedActive();
    const steps: Array<[string, string]> = [
      ['PUT', 'acknowledged'],
      ['DELETE', 'acknowledged'],
      ['PUT', 'acknowledged'],
      ['PUT', 'resolved'],
      ['POST', 'closed'],
    ];
    for (const [method, family] of steps) {
      expect((await one(method, `/cases/${family}/v1/${c.id}`)).status).toBe(200);
    }
    const changes = (await eventsOf(c.id))
      .filter((e) => e.actor.user?.id === keyUser)
      .map((e) => e.eventData.statusChanged?.newStatus);
    expect(changes).toEqual([
      'CASE_STATUS_ACKNOWLEDGED',
      'CASE_STATUS_ACTIVE',
      'CASE_STATUS_ACKNOWLEDGED',
      'CASE_STATUS_RESOLVED',
      'CASE_STATUS_CLOSED',
    ]);
  });
});

describe('priority override', () => {
  it('overrides the computed priority and clears the override, each with its event', async () => {
    const c = unassignedActive();
    const system = c.priorityDetails!.system!;
    const override = system === 'CASE_PRIORITY_P1' ? 'CASE_PRIORITY_P5' : 'CASE_PRIORITY_P1';
    await expectEvents(
      c.id,
      async () => {
        const reply = await one('PUT', `/cases/priority-override/v1/${c.id}`, {
          priority: override,
        });
        expect(reply.body.case.priority).toBe(override);
        expect(reply.body.case.priorityDetails).toEqual({ system, override });
      },
      [{ priorityDetailsChanged: { from: { system }, to: { system, override } } }],
    );
    await expectEvents(
      c.id,
      async () => {
        const reply = await one('DELETE', `/cases/priority-override/v1/${c.readableId}`);
        expect(reply.body.case.priority).toBe(system);
        expect(reply.body.case.priorityDetails).toEqual({ system });
      },
      [{ priorityDetailsChanged: { from: { system, override }, to: { system } } }],
    );
    await expectEvents(c.id, () => one('DELETE', `/cases/priority-override/v1/${c.id}`), []);
  });

  it.each([
    ['no priority', {}],
    ['CASE_PRIORITY_UNSPECIFIED', { priority: 'CASE_PRIORITY_UNSPECIFIED' }],
    ['an unknown priority', { priority: 'P1' }],
  ])('refuses %s with 400', async (_, body) => {
    expectCxError(
      await one('PUT', `/cases/priority-override/v1/${unassignedActive().id}`, body),
      400,
    );
  });

  it('sets and clears overrides in bulk, in every status', async () => {
    const ids = [firstOf('CLOSED').id, firstOf('PENDING_ACTIVATION').id];
    const set = await many('POST', '/cases/priority-override/v1', {
      ids,
      priority: 'CASE_PRIORITY_P2',
    });
    expect(set.body.cases.map((c) => c.priority)).toEqual(['CASE_PRIORITY_P2', 'CASE_PRIORITY_P2']);
    expectCxError(await many('POST', '/cases/priority-override/v1', { ids }), 400);
    const cleared = await many('DELETE', '/cases/priority-override/v1', undefined, idsQuery(ids));
    expect(cleared.body.cases.map((c) => c.priorityDetails?.override)).toEqual([
      undefined,
      undefined,
    ]);
  });
});

describe('PUT /cases/cases/v1/{id} (UpdateCase)', () => {
  it('changes the title, trimmed, with a titleChangedEvent; the same title is a no-op', async () => {
    const c = unassignedActive();
    await expectEvents(
      c.id,
      async () => {
        const reply = await one('PUT', `/cases/cases/v1/${c.id}`, {
          title: '  Checkout is down  ',
        });
        expect(reply.body.case.title).toBe('Checkout is down');
      },
      [{ titleChangedEvent: { from: c.title, to: 'Checkout is down' } }],
    );
    await expectEvents(
      c.id,
      () => one('PUT', `/cases/cases/v1/${c.id}`, { title: 'Checkout is down' }),
      [],
    );
  });

  it.each([
    ['an empty body', {}],
    ['a blank title', { title: '   ' }],
    ['a 513-character title', { title: 'x'.repeat(513) }],
    ['a title that is not a string', { title: 42 }],
    ['a 501-character resolution reason', { resolutionReason: 'x'.repeat(501) }],
  ])('refuses %s with 400', async (_, body) => {
    expectCxError(await one('PUT', `/cases/cases/v1/${firstOf('RESOLVED').id}`, body), 400);
  });

  it('accepts a 512-character title', async () => {
    const reply = await one('PUT', `/cases/cases/v1/${unassignedActive().id}`, {
      title: 't'.repeat(512),
    });
    expect(reply.body.case.title).toHaveLength(512);
  });

  it('changes the resolution reason of a resolved case only', async () => {
    const resolved = byStatus(sandbox, 'RESOLVED').find(
      (r) => r.case.resolutionDetails?.reason,
    )!.case;
    const from = resolved.resolutionDetails!.reason!;
    await expectEvents(
      resolved.id,
      async () => {
        const reply = await one('PUT', `/cases/cases/v1/${resolved.id}`, {
          resolutionReason: 'Better reason.',
        });
        expect(reply.body.case.resolutionDetails?.reason).toBe('Better reason.');
      },
      [{ resolutionReasonChangedEvent: { from, to: 'Better reason.' } }],
    );
    const active = unassignedActive();
    expectCxError(
      await one('PUT', `/cases/cases/v1/${active.id}`, { resolutionReason: 'Too early.' }),
      400,
      /has not been resolved/,
    );
  });

  it('answers 404 for an unknown case after checking the body', async () => {
    expectCxError(await one('PUT', `/cases/cases/v1/${UNKNOWN_CASE}`, { title: 'x' }), 404);
    expectCxError(await one('PUT', `/cases/cases/v1/${UNKNOWN_CASE}`, {}), 400);
  });
});

describe("the system's own changes", () => {
  it('activates a pending case: the next readable id, addressable at once, the system as actor', async () => {
    const pending = firstOf('PENDING_ACTIVATION');
    const highest = Math.max(
      ...sandbox.seed.cases.flatMap((r) =>
        r.case.readableId ? [Number(r.case.readableId.slice(5))] : [],
      ),
    );
    await expectEvents(
      pending.id,
      async () => sandbox.caseSystemChange(pending.id, 'activate'),
      [
        {
          statusChanged: {
            oldStatus: 'CASE_STATUS_PENDING_ACTIVATION',
            newStatus: 'CASE_STATUS_ACTIVE',
          },
        },
      ],
      { system: {} },
    );
    const active = await getCase(`CASE-${highest + 1}`);
    expect(active.id).toBe(pending.id);
    expect(active.status).toBe('CASE_STATUS_ACTIVE');
    expect(() => sandbox.caseSystemChange(pending.id, 'activate')).not.toThrow();
    expect(() => sandbox.caseSystemChange(firstOf('CLOSED').id, 'resolve')).toThrow(/final/);
  });

  it('resolves as the system, and reset() brings the seed back', async () => {
    const c = unassignedActive();
    sandbox.caseSystemChange(c.id, 'resolve');
    expect((await getCase(c.id)).resolutionDetails?.resolvedBy).toEqual({ system: {} });
    sandbox.reset();
    expect((await getCase(c.id)).status).toBe('CASE_STATUS_ACTIVE');
    expect(await eventsOf(c.id)).toHaveLength(
      sandbox.seed.cases.find((r) => r.case.id === c.id)!.events.length,
    );
  });
});
