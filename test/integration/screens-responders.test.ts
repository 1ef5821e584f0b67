/**
 * `addIncidentResponder` / `removeIncidentResponder` over real HTTP: members
 * of the OneUptime incident linked to a Coralogix incident, every check made
 * before anything is written.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { linkedOf } from '../support/screens.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());
beforeEach(() => stack.sandbox.reset());

const seed = () => stack.sandbox.seed;
const writes = () =>
  stack.sandbox
    .requests('oneuptime')
    .filter((r: RecordedRequest) => r.method !== 'POST' || !/get-list|count|get-item/.test(r.path));

const ADD = `mutation ($input: AddIncidentResponderInput!) {
  addIncidentResponder(input: $input) { id user { id } role { name } notes oneUptimeIncidentId }
}`;

async function add(input: Record<string, unknown>) {
  stack.sandbox.clearRequests();
  return stack.graphql<{ addIncidentResponder: { id: string; role: { name: string } } }>(ADD, {
    input,
  });
}

const singleUserRole = () => seed().roles.find((r) => r.canAssignMultipleUsers !== true)!;
const multiUserRole = () => seed().roles.find((r) => r.canAssignMultipleUsers === true)!;

/** A linked Coralogix incident whose OneUptime incident has a member in a single-user role. */
function takenSingleRole() {
  for (const incident of seed().incidents) {
    const linked = linkedOf(seed(), incident.id);
    const holder = seed().members.find(
      (m) =>
        m.incidentId === linked?._id &&
        seed().roles.find((r) => r._id === m.incidentRoleId)?.canAssignMultipleUsers !== true,
    );
    if (linked && holder) return { incident, linked, holder };
  }
  throw new Error('the seed has no incident with a single-user role taken');
}

const newcomer = (oneUptimeIncidentId: string) =>
  seed().users.find(
    (u) => !seed().members.some((m) => m.incidentId === oneUptimeIncidentId && m.userId === u.id),
  )!;

describe('addIncidentResponder', () => {
  it('adds a member to the linked OneUptime incident, which then responds', async () => {
    const { incident, linked } = takenSingleRole();
    const user = newcomer(linked._id);
    const role = multiUserRole();
    const { data, errors } = await add({
      incidentId: incident.id,
      userId: user.id,
      roleId: role._id,
      notes: 'Joined from the bridge.',
    });
    expect(errors).toBeUndefined();
    expect(data!.addIncidentResponder).toMatchObject({
      user: { id: user.id },
      role: { name: role.name },
      notes: 'Joined from the bridge.',
      oneUptimeIncidentId: linked._id,
    });
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/incident-member']);
    const after = await stack.graphql<{ incident: { responders: Array<{ id: string }> } }>(
      'query ($id: ID!) { incident(id: $id) { responders { id } } }',
      { id: incident.id },
    );
    expect(after.data!.incident.responders.map((r) => r.id)).toContain(
      data!.addIncidentResponder.id,
    );
  });

  it('refuses a single-user role someone already holds with CONFLICT, writing nothing', async () => {
    const { incident, linked, holder } = takenSingleRole();
    const { errors } = await add({
      incidentId: incident.id,
      userId: newcomer(linked._id).id,
      roleId: holder.incidentRoleId,
    });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', memberId: holder._id });
    expect(writes()).toEqual([]);
  });

  it('is what keeps the role single: OneUptime’s API itself accepts a second user', async () => {
    const { linked, holder } = takenSingleRole();
    const response = await fetch(`${stack.sandbox.oneuptime.url}/api/incident-member`, {
      method: 'POST',
      headers: { apikey: stack.sandbox.oneuptime.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: {
          incidentId: linked._id,
          userId: newcomer(linked._id).id,
          incidentRoleId: holder.incidentRoleId,
        },
      }),
    });
    expect(response.status).toBe(200);
  });

  it('refuses the same user in the same role twice with CONFLICT, writing nothing', async () => {
    const { incident, linked } = takenSingleRole();
    const member = seed().members.find((m) => m.incidentId === linked._id)!;
    const { errors } = await add({
      incidentId: incident.id,
      userId: member.userId,
      roleId: member.incidentRoleId,
    });
    expect(errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(writes()).toEqual([]);
  });

  it('refuses a role the project does not have with BAD_USER_INPUT, writing nothing', async () => {
    const { incident, linked } = takenSingleRole();
    const { errors } = await add({
      incidentId: incident.id,
      userId: newcomer(linked._id).id,
      roleId: '00000000-0000-4000-8000-000000000000',
    });
    expect(errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'input.roleId',
    });
    expect(writes()).toEqual([]);
  });

  it('answers NOT_LINKED for an incident without a OneUptime incident, writing nothing', async () => {
    const unlinked = seed().incidents.find((i) => !linkedOf(seed(), i.id))!;
    const { errors } = await add({
      incidentId: unlinked.id,
      userId: seed().users[0]!.id,
      roleId: singleUserRole()._id,
    });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'NOT_LINKED', incidentId: unlinked.id });
    expect(writes()).toEqual([]);
  });

  it.each(['incidentId', 'userId', 'roleId'])(
    'refuses a %s that is not a UUID with BAD_USER_INPUT before any call',
    async (field) => {
      const { incident, linked } = takenSingleRole();
      const input = {
        incidentId: incident.id,
        userId: newcomer(linked._id).id,
        roleId: multiUserRole()._id,
      };
      const { errors } = await add({ ...input, [field]: 'not-a-uuid' });
      expect(errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: `input.${field}`,
      });
      expect(stack.sandbox.requests()).toEqual([]);
    },
  );
});

describe('removeIncidentResponder', () => {
  const REMOVE = 'mutation ($id: ID!) { removeIncidentResponder(id: $id) { id } }';

  it('deletes the member', async () => {
    const member = seed().members[0]!;
    stack.sandbox.clearRequests();
    const { data, errors } = await stack.graphql(REMOVE, { id: member._id });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ removeIncidentResponder: { id: member._id } });
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /api/incident-member/${member._id}`,
    ]);
  });

  it('answers NOT_FOUND for a member that does not exist, deleting nothing', async () => {
    stack.sandbox.clearRequests();
    const { errors } = await stack.graphql(REMOVE, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(writes()).toEqual([]);
  });
});
