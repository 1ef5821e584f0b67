/**
 * Write paths of the gateway over real HTTP against the sandbox emulators:
 * the Coralogix incident actions, OneUptime state-timeline and role writes,
 * validation before any upstream call, NOT_FOUND mapping, and retries (reads
 * are retried, writes never).
 */
import { CX, isCall } from '../support/coralogix.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SeedData } from '../../src/sandbox/seed.js';
import type { StoredIncident as Incident } from '../../src/sandbox/coralogix/store.js';
import type { IncidentRoleRecord } from '../../src/upstreams/oneuptime/types.js';
import { expectLinkQuery, isLinkQuery, seedLinks, type SeedLinks } from '../support/links.js';
import { useStack, type GraphQLResponse } from '../support/stack.js';
import { ROLE_FIELDS, TIMELINE_FIELDS } from '../support/selections.js';

const stack = useStack({ resetEach: true });
let seed: SeedData;
let links: SeedLinks;
beforeAll(() => {
  seed = stack.sandbox.seed;
  links = seedLinks(seed);
});

// ---------------------------------------------------------------- helpers

type Vars = Record<string, unknown>;

interface UserRef {
  id: string;
}

interface IncidentView {
  id: string;
  state: string;
  status: string;
  closedAt: string | null;
  lastStateUpdateTime: string | null;
  assignments: Array<{ assignedTo: UserRef | null; assignedBy: UserRef | null }>;
  events: Array<{
    type: string;
    originator: { __typename: string; user?: UserRef | null } | null;
    detail: ({ __typename: string } & Record<string, unknown>) | null;
  }>;
}

interface TimelineView {
  id: string;
  oneUptimeIncidentId: string;
  incidentStateId: string;
  startsAt: string | null;
  endsAt: string | null;
  rootCause: string | null;
  stateChangeLog: unknown;
}

interface RoleView {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  color: string;
  roleIcon: string | null;
  isPrimaryRole: boolean | null;
  isDeleteable: boolean | null;
  canAssignMultipleUsers: boolean | null;
}

const INCIDENT_VIEW = `
  id state status closedAt lastStateUpdateTime
  assignments { assignedTo { id } assignedBy { id } }
  events {
    type
    originator { __typename ... on AdministrativeOriginator { user { id } } }
    detail {
      __typename
      ... on AssignDetail { assignedTo { id } assignedBy { id } }
      ... on UnassignDetail { unassigned }
      ... on AcknowledgeDetail { acknowledgedBy { id } }
      ... on CloseDetail { closedBy { id } }
      ... on UpsertStateDetail { stateType }
    }
  }`;

const ASSIGN = `mutation ($input: AssignIncidentsInput!) {
  assignIncidents(input: $input) { incidents { ${INCIDENT_VIEW} } }
}`;
const action = (name: string) => `mutation ($input: IncidentIdsInput!) {
  ${name}(input: $input) { incidents { ${INCIDENT_VIEW} } }
}`;
const CREATE_TIMELINE = `mutation ($input: CreateStateTimelineInput!) {
  createStateTimeline(input: $input) { ${TIMELINE_FIELDS} incident { id } }
}`;
const CREATE_ROLE = `mutation ($input: CreateIncidentRoleInput!) {
  createIncidentRole(input: $input) { ${ROLE_FIELDS} }
}`;
const UPDATE_ROLE = `mutation ($id: ID!, $input: UpdateIncidentRoleInput!) {
  updateIncidentRole(id: $id, input: $input) { ${ROLE_FIELDS} }
}`;
const DELETE_ROLE = `mutation ($id: ID!) { deleteIncidentRole(id: $id) { id } }`;

const MISSING_UUID = '00000000-0000-4000-8000-000000000000';
const LATER = '2027-01-01T00:00:00.000Z';

const upstreamRequests = () =>
  stack.sandbox.requests('coralogix').length + stack.sandbox.requests('oneuptime').length;

function errorCodes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

async function ok<T>(query: string, variables?: Vars): Promise<T> {
  const response = await stack.graphql<T>(query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}

async function readIncident(id: string): Promise<IncidentView> {
  const data = await ok<{ incident: IncidentView }>(
    `query ($id: ID!) { incident(id: $id) { ${INCIDENT_VIEW} } }`,
    { id },
  );
  return data.incident;
}

async function readRole(id: string): Promise<RoleView | null> {
  const data = await ok<{ incidentRole: RoleView | null }>(
    `query ($id: ID!) { incidentRole(id: $id) { ${ROLE_FIELDS} } }`,
    { id },
  );
  return data.incidentRole;
}

async function roleIds(): Promise<{ ids: string[]; totalCount: number }> {
  const data = await ok<{
    incidentRoles: { totalCount: number; edges: Array<{ node: { id: string } }> };
  }>(`{ incidentRoles(first: 100) { totalCount edges { node { id } } } }`);
  return {
    ids: data.incidentRoles.edges.map((e) => e.node.id),
    totalCount: data.incidentRoles.totalCount,
  };
}

function pick(predicate: (incident: Incident) => boolean, skip = 0): Incident {
  const found = seed.incidents.filter(predicate)[skip];
  if (!found) throw new Error('the seed has no such incident');
  return found;
}

const actor = () => seed.users[0]?.id as string;
const open = (i: Incident) => i.state === 'INCIDENT_STATE_TRIGGERED';

// ---------------------------------------------------------------- Coralogix actions

describe('incident actions', () => {
  it('assignIncidents assigns, and a later read shows the assignment and an ASSIGN event', async () => {
    const assignee = seed.users[3]?.id as string;
    const incident = pick((i) => !i.assignments.some((a) => a.assignedTo?.userId === assignee));
    const data = await ok<{ assignIncidents: { incidents: IncidentView[] } }>(ASSIGN, {
      input: { incidentIds: [incident.id], userId: assignee },
    });
    const expectedAssignment = { assignedTo: { id: assignee }, assignedBy: { id: actor() } };
    expect(data.assignIncidents.incidents.map((i) => i.id)).toEqual([incident.id]);
    expect(data.assignIncidents.incidents[0]?.assignments).toContainEqual(expectedAssignment);

    const after = await readIncident(incident.id);
    expect(after.assignments).toHaveLength(incident.assignments.length + 1);
    expect(after.assignments.at(-1)).toEqual(expectedAssignment);
    expect(after.events).toHaveLength(incident.events.length + 1);
    expect(after.events.at(-1)).toEqual({
      type: 'ASSIGN',
      originator: { __typename: 'AdministrativeOriginator', user: { id: actor() } },
      detail: { __typename: 'AssignDetail', ...expectedAssignment },
    });
  });

  it('unassignIncidents removes every assignment and records an UNASSIGN event', async () => {
    const incident = pick((i) => i.assignments.length > 0);
    const data = await ok<{ unassignIncidents: { incidents: IncidentView[] } }>(
      action('unassignIncidents'),
      { input: { incidentIds: [incident.id] } },
    );
    expect(data.unassignIncidents.incidents[0]?.assignments).toEqual([]);

    const after = await readIncident(incident.id);
    expect(after.assignments).toEqual([]);
    expect(after.events.at(-1)).toEqual({
      type: 'UNASSIGN',
      originator: { __typename: 'AdministrativeOriginator', user: { id: actor() } },
      detail: { __typename: 'UnassignDetail', unassigned: true },
    });
  });

  it('acknowledgeIncidents moves triggered incidents to ACKNOWLEDGED', async () => {
    const first = pick((i) => i.status === 'INCIDENT_STATUS_TRIGGERED', 0);
    const second = pick((i) => i.status === 'INCIDENT_STATUS_TRIGGERED', 1);
    const data = await ok<{ acknowledgeIncidents: { incidents: IncidentView[] } }>(
      action('acknowledgeIncidents'),
      { input: { incidentIds: [first.id, second.id] } },
    );
    expect(data.acknowledgeIncidents.incidents.map((i) => [i.id, i.status])).toEqual([
      [first.id, 'ACKNOWLEDGED'],
      [second.id, 'ACKNOWLEDGED'],
    ]);
    for (const incident of [first, second]) {
      const after = await readIncident(incident.id);
      expect(after.status).toBe('ACKNOWLEDGED');
      expect(after.state).toBe('TRIGGERED');
      expect(after.events.at(-1)).toMatchObject({
        type: 'ACKNOWLEDGE',
        detail: { __typename: 'AcknowledgeDetail', acknowledgedBy: { id: actor() } },
      });
    }
  });

  it('resolveIncidents resolves an open incident and sets closedAt', async () => {
    const incident = pick(open);
    expect(incident.closedAt).toBeUndefined();
    const data = await ok<{ resolveIncidents: { incidents: IncidentView[] } }>(
      action('resolveIncidents'),
      { input: { incidentIds: [incident.id] } },
    );
    expect(data.resolveIncidents.incidents[0]).toMatchObject({
      state: 'RESOLVED',
      status: 'RESOLVED',
    });

    const after = await readIncident(incident.id);
    expect(after.state).toBe('RESOLVED');
    expect(after.status).toBe('RESOLVED');
    expect(after.closedAt).toEqual(expect.any(String));
    expect(Date.parse(after.closedAt as string)).toBeGreaterThan(Date.parse(incident.createdAt));
    expect(after.events.at(-1)).toMatchObject({
      type: 'UPSERT_STATE',
      detail: { __typename: 'UpsertStateDetail', stateType: 'RESOLVED' },
    });
  });

  it('closeIncidents closes an open incident, visible on a later query', async () => {
    const incident = pick(open, 1);
    await ok(action('closeIncidents'), { input: { incidentIds: [incident.id] } });

    const after = await readIncident(incident.id);
    expect(after).toMatchObject({ state: 'RESOLVED', status: 'RESOLVED' });
    expect(after.closedAt).toEqual(expect.any(String));
    expect(after.events.at(-1)).toEqual({
      type: 'CLOSE',
      originator: { __typename: 'AdministrativeOriginator', user: { id: actor() } },
      detail: { __typename: 'CloseDetail', closedBy: { id: actor() } },
    });
    const list = await ok<{ incidents: { edges: Array<{ node: { id: string } }> } }>(
      `query ($search: String) {
        incidents(first: 100, filter: { statuses: [RESOLVED], search: $search }) { edges { node { id } } }
      }`,
      { search: incident.name },
    );
    expect(list.incidents.edges.map((e) => e.node.id)).toContain(incident.id);
  });

  it('an unknown incident id in assignIncidents is NOT_FOUND and changes nothing', async () => {
    const assignee = seed.users[5]?.id as string;
    const known = pick((i) => i.assignments.length === 0);
    const response = await stack.graphql(ASSIGN, {
      input: { incidentIds: [known.id, MISSING_UUID], userId: assignee },
    });
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(response.errors?.[0]?.extensions?.upstream).toBe('coralogix');
    expect(response.data).toEqual({ assignIncidents: null });
    const after = await readIncident(known.id);
    expect(after.assignments).toEqual([]);
    expect(after.events).toHaveLength(known.events.length);
  });

  it('the returned incidents prime the incident loader (no batchGet for their joins)', async () => {
    const incident = pick(
      (i) => links.status(i.id) === 'LINKED' && links.slasOf(i.id).length > 0 && open(i),
    );
    stack.sandbox.clearRequests();
    const data = await ok<{
      acknowledgeIncidents: { incidents: Array<{ slas: Array<{ incident: { id: string } }> }> };
    }>(
      `mutation ($input: IncidentIdsInput!) {
        acknowledgeIncidents(input: $input) { incidents { slas { incident { id } } } }
      }`,
      { input: { incidentIds: [incident.id] } },
    );
    const slas = data.acknowledgeIncidents.incidents[0]?.slas ?? [];
    expect(slas).toHaveLength(links.slasOf(incident.id).length);
    expect(slas.every((s) => s.incident.id === incident.id)).toBe(true);
    expect(stack.sandbox.requests('coralogix').map((r) => `${r.method} ${r.path}`)).toEqual([
      `${CX.acknowledge.method} ${CX.acknowledge.path}`,
    ]);
    // Through the link: its query, then the SLAs of the linked OneUptime incident, whose row
    // (from the link query) leads the SLAs back to the primed Coralogix incident.
    const oneuptime = stack.sandbox.requests('oneuptime');
    expect(oneuptime.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/incident/get-list',
      'POST /api/incident-sla/get-list',
    ]);
    expectLinkQuery(oneuptime[0], [incident.id]);
    expect((oneuptime[1]?.body as { query: unknown }).query).toEqual({
      incidentId: [links.oneUptimeOf(incident.id)],
    });
  });
});

// ---------------------------------------------------------------- OneUptime writes

describe('state timeline writes', () => {
  const stateId = (name: string) => seed.incidentStates.find((s) => s.name === name)?.id as string;
  /** The OneUptime writes among the recorded requests (everything but get-list reads). */
  const oneUptimeWrites = () =>
    stack.sandbox
      .requests('oneuptime')
      .filter((r) => r.method !== 'POST' || !r.path.endsWith('get-list'));

  it.each([
    ['the Coralogix incident id (through the link)', 'incidentId', 0],
    ['the OneUptime incident id', 'oneUptimeIncidentId', 1],
  ] as const)(
    'createStateTimeline by %s adds an entry that Incident.stateTimeline shows last',
    async (_, key, skip) => {
      const incident = pick((i) => links.status(i.id) === 'LINKED' && open(i), skip);
      const oneUptimeId = links.oneUptimeOf(incident.id) as string;
      expect(oneUptimeId).not.toBe(incident.id);
      const before = links.timelinesOf(incident.id);
      const previous = before.at(-1);
      const previousState = seed.incidentStates.find((s) => s.id === previous?.incidentStateId);
      stack.sandbox.clearRequests();
      const data = await ok<{ createStateTimeline: TimelineView & { incident: { id: string } } }>(
        CREATE_TIMELINE,
        {
          input: {
            [key]: key === 'incidentId' ? incident.id : oneUptimeId,
            incidentStateId: stateId('Resolved'),
            startsAt: LATER,
            rootCause: 'Rolled back the deploy.',
          },
        },
      );
      const created = data.createStateTimeline;
      expect(created).toMatchObject({
        oneUptimeIncidentId: oneUptimeId,
        incidentStateId: stateId('Resolved'),
        startsAt: LATER,
        endsAt: null,
        rootCause: 'Rolled back the deploy.',
        stateChangeLog: { from: previousState?.name, to: 'Resolved' },
        incident: { id: incident.id },
      });
      // One write, to the linked OneUptime incident (never the Coralogix id).
      const writes = oneUptimeWrites();
      expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /api/incident-state-timeline',
      ]);
      expect((writes[0]?.body as { data: Record<string, unknown> }).data).toMatchObject({
        incidentId: oneUptimeId,
        incidentStateId: stateId('Resolved'),
      });
      // By Coralogix id the link is read afresh (a link query) before the write.
      const linkQueries = stack.sandbox.requests('oneuptime').filter(isLinkQuery);
      if (key === 'incidentId') {
        expect(linkQueries).toHaveLength(1);
        expectLinkQuery(linkQueries[0], [incident.id]);
      } else {
        expect(linkQueries).toEqual([]);
      }

      const after = await ok<{ incident: { stateTimeline: TimelineView[] } }>(
        `query ($id: ID!) { incident(id: $id) { stateTimeline { ${TIMELINE_FIELDS} } } }`,
        { id: incident.id },
      );
      const timeline = after.incident.stateTimeline;
      expect(timeline.map((t) => t.id)).toEqual([...before.map((t) => t._id), created.id]);
      expect(timeline.at(-2)?.endsAt).toBe(LATER);
    },
  );

  it('createStateTimeline for an unknown incident is NOT_FOUND without any OneUptime write', async () => {
    // The link is read first (no OneUptime incident names the id), then Coralogix says it does not
    // exist: NOT_FOUND rather than NOT_LINKED, and nothing is written.
    stack.sandbox.clearRequests();
    const response = await stack.graphql(CREATE_TIMELINE, {
      input: { incidentId: MISSING_UUID, incidentStateId: stateId('Resolved') },
    });
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(response.data).toEqual({ createStateTimeline: null });
    const oneuptime = stack.sandbox.requests('oneuptime');
    expect(oneUptimeWrites()).toEqual([]);
    expect(oneuptime.map((r) => r.path).sort()).toEqual([
      '/api/incident-state/get-list',
      '/api/incident/get-list',
    ]);
    expectLinkQuery(oneuptime.find(isLinkQuery), [MISSING_UUID]);
    expect(stack.sandbox.requests('coralogix').map((r) => `${r.method} ${r.path}`)).toEqual([
      `${CX.batchGet.method} ${CX.batchGet.path}`,
    ]);
    expect(stack.sandbox.requests('coralogix')[0]?.query.ids).toEqual([MISSING_UUID]);

    // The same for a OneUptime incident id that does not exist: no write either.
    stack.sandbox.clearRequests();
    const byOneUptime = await stack.graphql(CREATE_TIMELINE, {
      input: { oneUptimeIncidentId: MISSING_UUID, incidentStateId: stateId('Resolved') },
    });
    expect(errorCodes(byOneUptime)).toEqual(['NOT_FOUND']);
    expect(oneUptimeWrites()).toEqual([]);
    expect(stack.sandbox.requests('coralogix')).toEqual([]);
  });

  it('createStateTimeline for an incident that is not linked is NOT_LINKED without any OneUptime write', async () => {
    const incident = links.unlinked[0] as Incident;
    expect(incident).toBeDefined();
    stack.sandbox.clearRequests();
    const response = await stack.graphql(CREATE_TIMELINE, {
      input: { incidentId: incident.id, incidentStateId: stateId('Resolved') },
    });
    expect(errorCodes(response)).toEqual(['NOT_LINKED']);
    expect(response.errors?.[0]?.extensions?.incidentId).toBe(incident.id);
    expect(response.data).toEqual({ createStateTimeline: null });
    expect(oneUptimeWrites()).toEqual([]);
    expectLinkQuery(stack.sandbox.requests('oneuptime').find(isLinkQuery), [incident.id]);
  });

  it('createStateTimeline going back to an earlier state is UPSTREAM_BAD_REQUEST', async () => {
    const incident = pick(
      (i) =>
        links.status(i.id) === 'LINKED' &&
        links.timelinesOf(i.id).some((t) => t.incidentStateId !== stateId('Created')),
    );
    stack.sandbox.clearRequests();
    const response = await stack.graphql(CREATE_TIMELINE, {
      input: { incidentId: incident.id, incidentStateId: stateId('Created'), startsAt: LATER },
    });
    expect(errorCodes(response)).toEqual(['UPSTREAM_BAD_REQUEST']);
    expect(response.errors?.[0]?.extensions?.upstream).toBe('oneuptime');
    // OneUptime refused the one write, sent to the linked OneUptime incident.
    const writes = oneUptimeWrites();
    expect(writes.map((r) => [r.path, r.status])).toEqual([['/api/incident-state-timeline', 400]]);
    expect((writes[0]?.body as { data: { incidentId: string } }).data.incidentId).toBe(
      links.oneUptimeOf(incident.id),
    );
  });
});

describe('incident role writes', () => {
  const primary = () => seed.roles.find((r) => r.isPrimaryRole) as IncidentRoleRecord;
  const deleteable = () => seed.roles.filter((r) => r.isDeleteable).at(-1) as IncidentRoleRecord;

  it('createIncidentRole creates a role that reads and lists show afterwards', async () => {
    const data = await ok<{ createIncidentRole: RoleView }>(CREATE_ROLE, {
      input: {
        name: 'Security Lead',
        color: '#12ab34',
        description: 'Handles security incidents.',
        canAssignMultipleUsers: true,
      },
    });
    const role = data.createIncidentRole;
    expect(role).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Security Lead',
      // OneUptime's `Slug.getSlug`: the slugified name, '-' and 10 random digits 1–9.
      slug: expect.stringMatching(/^security-lead-[1-9]{10}$/),
      description: 'Handles security incidents.',
      color: '#12AB34',
      roleIcon: null,
      isPrimaryRole: false,
      isDeleteable: true,
      canAssignMultipleUsers: true,
    });
    expect(await readRole(role.id)).toEqual(role);
    const list = await roleIds();
    expect(list.totalCount).toBe(seed.roles.length + 1);
    expect(list.ids[0]).toBe(role.id);
  });

  it('updateIncidentRole changes only the given fields, visible on a later read', async () => {
    const role = seed.roles[1] as IncidentRoleRecord;
    const data = await ok<{ updateIncidentRole: RoleView }>(UPDATE_ROLE, {
      id: role._id,
      input: { name: 'Comms Lead', color: '#0a0b0c', description: null },
    });
    const expected = {
      id: role._id,
      name: 'Comms Lead',
      description: null,
      color: '#0A0B0C',
      roleIcon: role.roleIcon,
      isPrimaryRole: role.isPrimaryRole,
      isDeleteable: role.isDeleteable,
      canAssignMultipleUsers: role.canAssignMultipleUsers,
    };
    expect(data.updateIncidentRole).toMatchObject(expected);
    expect(await readRole(role._id)).toMatchObject(expected);
  });

  it('updateIncidentRole of an unknown id is NOT_FOUND and sends no PUT', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(UPDATE_ROLE, {
      id: MISSING_UUID,
      input: { name: 'Nobody' },
    });
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(stack.sandbox.requests('oneuptime').filter((r) => r.method === 'PUT')).toEqual([]);
  });

  it('updateIncidentRole refused by OneUptime is UPSTREAM_BAD_REQUEST and changes nothing', async () => {
    const role = primary();
    const response = await stack.graphql(UPDATE_ROLE, {
      id: role._id,
      input: { canAssignMultipleUsers: true },
    });
    expect(errorCodes(response)).toEqual(['UPSTREAM_BAD_REQUEST']);
    expect((await readRole(role._id))?.canAssignMultipleUsers).toBe(false);
  });

  it('deleteIncidentRole deletes the role, which reads and lists no longer show', async () => {
    const role = deleteable();
    const data = await ok<{ deleteIncidentRole: { id: string } }>(DELETE_ROLE, { id: role._id });
    expect(data.deleteIncidentRole).toEqual({ id: role._id });
    expect(await readRole(role._id)).toBeNull();
    const list = await roleIds();
    expect(list.totalCount).toBe(seed.roles.length - 1);
    expect(list.ids).not.toContain(role._id);
  });

  it('deleteIncidentRole of an unknown id is NOT_FOUND and sends no DELETE', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(DELETE_ROLE, { id: MISSING_UUID });
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(stack.sandbox.requests('oneuptime').filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('deleteIncidentRole of the primary role is UPSTREAM_BAD_REQUEST and the role stays', async () => {
    const role = primary();
    const response = await stack.graphql(DELETE_ROLE, { id: role._id });
    expect(errorCodes(response)).toEqual(['UPSTREAM_BAD_REQUEST']);
    expect(response.errors?.[0]?.extensions?.upstream).toBe('oneuptime');
    expect((await readRole(role._id))?.name).toBe(role.name);
    expect((await roleIds()).totalCount).toBe(seed.roles.length);
  });
});

// ---------------------------------------------------------------- validation

describe('several writes in one operation', () => {
  it("a failing second write leaves the first one's result in the answer (role created, delete NOT_FOUND)", async () => {
    const response = await stack.graphql<{
      a: { id: string; name: string } | null;
      b: { id: string } | null;
    }>(
      `mutation ($role: CreateIncidentRoleInput!, $missing: ID!) {
        a: createIncidentRole(input: $role) { id name }
        b: deleteIncidentRole(id: $missing) { id }
      }`,
      { role: { name: 'Scribe', color: '#123456' }, missing: MISSING_UUID },
    );
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(response.errors?.[0]?.path).toEqual(['b']);
    expect(response.data?.b).toBeNull();
    expect(response.data?.a).toEqual({ id: expect.any(String), name: 'Scribe' });
    expect(await readRole(response.data!.a!.id)).toMatchObject({ name: 'Scribe' });
  });

  it('a failing unassign after an assign leaves the assignment in the answer', async () => {
    const assignee = seed.users[4]?.id as string;
    const incident = pick((i) => !i.assignments.some((a) => a.assignedTo?.userId === assignee));
    const response = await stack.graphql<{
      a: { incidents: Array<{ id: string; assignments: IncidentView['assignments'] }> } | null;
      b: unknown;
    }>(
      `mutation ($ids: [ID!]!, $user: ID!, $missing: [ID!]!) {
        a: assignIncidents(input: { incidentIds: $ids, userId: $user }) {
          incidents { id assignments { assignedTo { id } assignedBy { id } } }
        }
        b: unassignIncidents(input: { incidentIds: $missing }) { incidents { id } }
      }`,
      { ids: [incident.id], user: assignee, missing: [MISSING_UUID] },
    );
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(response.errors?.[0]?.path).toEqual(['b']);
    expect(response.data?.b).toBeNull();
    expect(response.data?.a?.incidents.map((i) => i.id)).toEqual([incident.id]);
    expect(response.data?.a?.incidents[0]?.assignments).toContainEqual({
      assignedTo: { id: assignee },
      assignedBy: { id: actor() },
    });
  });
});

describe('validation before any upstream call', () => {
  const some = () => seed.incidents.slice(0, 3).map((i) => i.id);
  const many = () => seed.incidents.slice(0, 101).map((i) => i.id);
  const user = () => seed.users[2]?.id as string;

  it.each<[string, string, () => Vars]>([
    ['assign with no incident ids', ASSIGN, () => ({ input: { incidentIds: [], userId: user() } })],
    [
      'assign with 101 incident ids',
      ASSIGN,
      () => ({ input: { incidentIds: many(), userId: user() } }),
    ],
    [
      'assign with a repeated incident id',
      ASSIGN,
      () => ({ input: { incidentIds: [...some(), some()[1]], userId: user() } }),
    ],
    [
      'assign with a blank userId',
      ASSIGN,
      () => ({ input: { incidentIds: some(), userId: '  ' } }),
    ],
    [
      'assign with a blank incident id',
      ASSIGN,
      () => ({ input: { incidentIds: [' '], userId: user() } }),
    ],
    [
      'unassign with no incident ids',
      action('unassignIncidents'),
      () => ({ input: { incidentIds: [] } }),
    ],
    [
      'acknowledge with 101 incident ids',
      action('acknowledgeIncidents'),
      () => ({ input: { incidentIds: many() } }),
    ],
    [
      'resolve with a repeated incident id',
      action('resolveIncidents'),
      () => ({ input: { incidentIds: [some()[0], some()[0]] } }),
    ],
    [
      'close with no incident ids',
      action('closeIncidents'),
      () => ({ input: { incidentIds: [] } }),
    ],
    [
      'create a role with the colour "red"',
      CREATE_ROLE,
      () => ({ input: { name: 'X', color: 'red' } }),
    ],
    [
      'create a role with the colour "#12345"',
      CREATE_ROLE,
      () => ({ input: { name: 'X', color: '#12345' } }),
    ],
    [
      'create a role with a blank name',
      CREATE_ROLE,
      () => ({ input: { name: ' ', color: '#123456' } }),
    ],
    [
      'update a role with a non-UUID id',
      UPDATE_ROLE,
      () => ({ id: 'role-1', input: { name: 'X' } }),
    ],
    [
      'update a role with an empty input',
      UPDATE_ROLE,
      () => ({ id: seed.roles[1]?._id, input: {} }),
    ],
    [
      'update a role with a null name',
      UPDATE_ROLE,
      () => ({ id: seed.roles[1]?._id, input: { name: null } }),
    ],
    [
      'update a role with a bad colour',
      UPDATE_ROLE,
      () => ({ id: seed.roles[1]?._id, input: { color: '#GGGGGG' } }),
    ],
    ['delete a role with a non-UUID id', DELETE_ROLE, () => ({ id: 'role-1' })],
    [
      'create a timeline entry with a non-UUID incident id',
      CREATE_TIMELINE,
      () => ({ input: { incidentId: 'nope', incidentStateId: seed.incidentStates[1]?.id } }),
    ],
    [
      'create a timeline entry with a non-UUID state id',
      CREATE_TIMELINE,
      () => ({ input: { incidentId: seed.incidents[0]?.id, incidentStateId: 'nope' } }),
    ],
  ])('%s is BAD_USER_INPUT with no upstream request', async (_, mutation, variables) => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(mutation, variables());
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(upstreamRequests()).toBe(0);
  });
});

// ---------------------------------------------------------------- retries

describe('retries', () => {
  it('a mutation is never retried: one 503 gives UPSTREAM_UNAVAILABLE after one request', async () => {
    const incident = pick((i) => i.assignments.length === 0);
    stack.sandbox.setFault({
      upstream: 'coralogix',
      method: CX.assign.method,
      path: CX.assign.path,
      status: 503,
      body: { code: 503, message: 'unavailable' },
      times: 1,
    });
    const response = await stack.graphql(ASSIGN, {
      input: { incidentIds: [incident.id], userId: seed.users[1]?.id },
    });
    expect(errorCodes(response)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(response.errors?.[0]?.extensions?.upstream).toBe('coralogix');
    const assigns = stack.sandbox.requests('coralogix').filter(isCall(CX.assign));
    expect(assigns.map((r) => r.status)).toEqual([503]);
    expect((await readIncident(incident.id)).assignments).toEqual([]);
  });

  it('a OneUptime write is never retried either', async () => {
    stack.sandbox.setFault({
      upstream: 'oneuptime',
      method: 'POST',
      path: /^\/api\/incident-role$/,
      status: 503,
      times: 1,
    });
    const response = await stack.graphql(CREATE_ROLE, {
      input: { name: 'Once', color: '#123456' },
    });
    expect(errorCodes(response)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(
      stack.sandbox.requests('oneuptime').filter((r) => r.path === '/api/incident-role').length,
    ).toBe(1);
    expect((await roleIds()).totalCount).toBe(seed.roles.length);
  });

  it('a Coralogix read is retried after a 503 and succeeds', async () => {
    const incident = seed.incidents[4] as Incident;
    stack.sandbox.setFault({
      upstream: 'coralogix',
      method: CX.batchGet.method,
      path: CX.batchGet.path,
      status: 503,
      body: { code: 503, message: 'unavailable' },
      times: 1,
    });
    const data = await ok<{ incident: { id: string; name: string } }>(
      `query ($id: ID!) { incident(id: $id) { id name } }`,
      { id: incident.id },
    );
    expect(data.incident).toEqual({ id: incident.id, name: incident.name });
    const batchGets = stack.sandbox.requests('coralogix').filter(isCall(CX.batchGet));
    expect(batchGets.map((r) => r.status)).toEqual([503, 200]);
    expect(batchGets[1]?.query).toEqual(batchGets[0]?.query);
  });

  it('a OneUptime read is retried after a 503 and succeeds', async () => {
    stack.sandbox.setFault({
      upstream: 'oneuptime',
      path: 'incident-sla/get-list',
      status: 503,
      body: { error: 'Service Unavailable' },
      times: 1,
    });
    const data = await ok<{ incidentSlas: { edges: unknown[] } }>(
      `{ incidentSlas(first: 3) { edges { node { id } } } }`,
    );
    expect(data.incidentSlas.edges).toHaveLength(3);
    const lists = stack.sandbox.requests('oneuptime').filter((r) => r.path.endsWith('get-list'));
    expect(lists.map((r) => r.status)).toEqual([503, 200]);
  });
});
