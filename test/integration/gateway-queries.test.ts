/**
 * Read paths of the gateway over real HTTP against the sandbox emulators:
 * every root query field, filters, cursors, joins in both directions, event
 * unions, partial failure of a OneUptime join, and both OneUptime value
 * encodings. Expected values are computed from `sandbox.seed`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/upstreams/coralogix/incidents/types.js';
import type { StoredIncident as Incident } from '../../src/sandbox/coralogix/store.js';
import type {
  IncidentRoleRecord,
  IncidentSlaRecord,
  StateTimelineRecord,
} from '../../src/upstreams/oneuptime/types.js';
import type { SeedData } from '../../src/sandbox/seed.js';
import { seedLinks, type SeedLinks } from '../support/links.js';
import { startStack, useStack, type GraphQLResponse, type Stack } from '../support/stack.js';
import { ROLE_FIELDS, TIMELINE_FIELDS } from '../support/selections.js';

let seed: SeedData;
/** The seed's links (Coralogix id ↔ OneUptime incident), computed from its custom fields. */
let links: SeedLinks;
/** Shared by the two stacks of this file, like replicas, so their cursors compare equal. */
const CURSOR_SECRET = 'gateway-queries-cursor-secret';

const stack = useStack({ env: { CURSOR_SECRET }, resetEach: true });
beforeAll(() => {
  seed = stack.sandbox.seed;
  links = seedLinks(seed);
});

// ---------------------------------------------------------------- helpers

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

interface Edge<N> {
  cursor: string;
  node: N;
}

interface Connection<N> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Array<Edge<N>>;
}

type Vars = Record<string, unknown>;

const requests = () =>
  stack.sandbox.requests('coralogix').length + stack.sandbox.requests('oneuptime').length;

function errorCodes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

function expectNoErrors(response: GraphQLResponse<unknown>): void {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
}

async function ok<T>(query: string, variables?: Vars): Promise<T> {
  const response = await stack.graphql<T>(query, variables);
  expectNoErrors(response);
  expect(response.data).toBeTruthy();
  return response.data as T;
}

/** Runs `query` expecting one BAD_USER_INPUT error and no upstream request at all. */
async function expectBadUserInput(query: string, variables?: Vars): Promise<void> {
  stack.sandbox.clearRequests();
  const response = await stack.graphql(query, variables);
  expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  expect(requests()).toBe(0);
}

const sortedBy = <T>(items: readonly T[], compare: (a: T, b: T) => number) =>
  [...items].sort(compare);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const newestFirst = (a: Incident, b: Incident) =>
  Date.parse(b.createdAt) - Date.parse(a.createdAt) || byText(a.id, b.id);

const enumName = (wire: string | undefined, prefix: string) => (wire ?? '').slice(prefix.length);

const SLA_STATUS: Record<string, string> = {
  'On Track': 'ON_TRACK',
  'At Risk': 'AT_RISK',
  Breached: 'BREACHED',
  'Response Breached': 'RESPONSE_BREACHED',
  'Resolution Breached': 'RESOLUTION_BREACHED',
  Met: 'MET',
};

const labels = (map: Record<string, string>) =>
  Object.entries(map)
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => byText(a.key, b.key));
const sortLabels = (list: Array<{ key: string; value: string }>) =>
  [...list].sort((a, b) => byText(a.key, b.key) || byText(a.value, b.value));

const user = (userId: string | undefined) => (userId ? { id: userId } : null);

function expectedIncident(incident: Incident) {
  return {
    id: incident.id,
    name: incident.name ?? '',
    description: incident.description ?? null,
    state: enumName(incident.state, 'INCIDENT_STATE_'),
    status: enumName(incident.status, 'INCIDENT_STATUS_'),
    severity: enumName(incident.severity, 'INCIDENT_SEVERITY_'),
    assignments: incident.assignments.map((a) => ({
      assignedTo: user(a.assignedTo?.userId),
      assignedBy: user(a.assignedBy?.userId),
    })),
    createdAt: incident.createdAt,
    closedAt: incident.closedAt ?? null,
    lastStateUpdateTime: incident.lastStateUpdateTime,
    lastStateUpdateKey: incident.lastStateUpdateKey,
    duration: incident.duration,
    isMuted: incident.isMuted ?? false,
    linkStatus: links.status(incident.id),
  };
}

function expectedEvent(event: IncidentEvent) {
  const type = enumName(event.incidentEventType, 'INCIDENT_EVENT_TYPE_');
  const originator =
    event.originatorType === 'ORIGINATOR_TYPE_ADMINISTRATIVE'
      ? { __typename: 'AdministrativeOriginator', user: user(event.administrativeEvent?.userId) }
      : { __typename: 'OperationalOriginator', systemName: event.operationalEvent?.systemName };
  const details: Record<string, unknown> = {
    SNOOZE_INDICATOR: event.snoozeIndicator && {
      __typename: 'SnoozeDetail',
      startTime: event.snoozeIndicator.startTime,
      durationMinutes: event.snoozeIndicator.durationMinutes,
      user: user(event.snoozeIndicator.userId),
    },
    ASSIGN: event.assignment && {
      __typename: 'AssignDetail',
      assignedTo: user(event.assignment.assignment?.assignedTo?.userId),
      assignedBy: user(event.assignment.assignment?.assignedBy?.userId),
    },
    UNASSIGN: { __typename: 'UnassignDetail', unassigned: true },
    UPSERT_STATE: event.upsertState && {
      __typename: 'UpsertStateDetail',
      stateType: enumName(event.upsertState.stateType ?? '', 'UPSERT_INCIDENT_STATE_TYPE_'),
      cxEventKey: event.upsertState.payload?.cxEventKey ?? null,
      isMuted: event.upsertState.isMuted ?? null,
    },
    ACKNOWLEDGE: event.acknowledge && {
      __typename: 'AcknowledgeDetail',
      acknowledgedBy: user(event.acknowledge.acknowledgedBy?.userId),
    },
    CLOSE: event.close && {
      __typename: 'CloseDetail',
      closedBy: user(event.close.closedBy?.userId),
    },
  };
  return { id: event.id, type, originator, detail: details[type] ?? null };
}

function expectedTimeline(entry: StateTimelineRecord) {
  return {
    id: entry._id,
    oneUptimeIncidentId: entry.incidentId,
    incidentStateId: entry.incidentStateId,
    startsAt: entry.startsAt ?? null,
    endsAt: entry.endsAt ?? null,
    rootCause: entry.rootCause ?? null,
    stateChangeLog: entry.stateChangeLog ?? null,
    createdByUser: user(entry.createdByUserId ?? undefined),
    shouldStatusPageSubscribersBeNotified: entry.shouldStatusPageSubscribersBeNotified ?? null,
    subscriberNotificationStatus: entry.subscriberNotificationStatus ?? null,
    createdAt: entry.createdAt ?? null,
  };
}

function expectedSla(sla: IncidentSlaRecord) {
  return {
    id: sla._id,
    oneUptimeIncidentId: sla.incidentId,
    ruleId: sla.incidentSlaRuleId,
    status: SLA_STATUS[sla.status ?? ''],
    statusText: sla.status,
    responseDeadline: sla.responseDeadline ?? null,
    resolutionDeadline: sla.resolutionDeadline ?? null,
    respondedAt: sla.respondedAt ?? null,
    resolvedAt: sla.resolvedAt ?? null,
    slaStartedAt: sla.slaStartedAt,
    breachNotificationSentAt: sla.breachNotificationSentAt ?? null,
    createdAt: sla.createdAt ?? null,
    updatedAt: sla.updatedAt ?? null,
  };
}

function expectedRole(role: IncidentRoleRecord) {
  return {
    id: role._id,
    name: role.name,
    slug: role.slug,
    description: role.description ?? null,
    color: role.color,
    roleIcon: role.roleIcon ?? null,
    isPrimaryRole: role.isPrimaryRole ?? null,
    isDeleteable: role.isDeleteable ?? null,
    canAssignMultipleUsers: role.canAssignMultipleUsers ?? null,
    createdAt: role.createdAt ?? null,
    updatedAt: role.updatedAt ?? null,
  };
}

const INCIDENT_FIELDS = `
  id name description state status severity
  assignments { assignedTo { id } assignedBy { id } }
  createdAt closedAt lastStateUpdateTime lastStateUpdateKey duration isMuted linkStatus`;
const LABEL_FIELDS = `
  contextualLabels { key value } displayLabels { key value } metaLabels { key value }`;
const EVENT_FIELDS = `
  events {
    id type
    originator {
      __typename
      ... on OperationalOriginator { systemName }
      ... on AdministrativeOriginator { user { id } }
    }
    detail {
      __typename
      ... on SnoozeDetail { startTime durationMinutes user { id } }
      ... on AssignDetail { assignedTo { id } assignedBy { id } }
      ... on UnassignDetail { unassigned }
      ... on UpsertStateDetail { stateType cxEventKey isMuted }
      ... on AcknowledgeDetail { acknowledgedBy { id } }
      ... on CloseDetail { closedBy { id } }
    }
  }`;
const TIMELINE_ALL = `${TIMELINE_FIELDS} createdByUser { id }
  shouldStatusPageSubscribersBeNotified subscriberNotificationStatus createdAt`;
const SLA_FIELDS = `
  id oneUptimeIncidentId ruleId status statusText responseDeadline resolutionDeadline respondedAt
  resolvedAt slaStartedAt breachNotificationSentAt createdAt updatedAt`;
const ROLE_ALL = `${ROLE_FIELDS} createdAt updatedAt`;

const INCIDENTS = `query ($filter: IncidentFilter, $orderBy: IncidentOrderBy, $first: Int, $after: String) {
  incidents(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name createdAt } }
  }
}`;
const SLAS = `query ($filter: IncidentSlaFilter, $first: Int, $after: String) {
  incidentSlas(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id oneUptimeIncidentId status createdAt } }
  }
}`;
const TIMELINES = `query ($filter: StateTimelineFilter, $first: Int, $after: String) {
  stateTimelines(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id oneUptimeIncidentId incidentStateId startsAt } }
  }
}`;
const ROLES = `query ($first: Int, $after: String) {
  incidentRoles(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name createdAt } }
  }
}`;

async function page<N>(query: string, field: string, variables: Vars): Promise<Connection<N>> {
  const data = await ok<Record<string, Connection<N>>>(query, variables);
  const connection = data[field];
  if (!connection) throw new Error(`no ${field} in the response`);
  return connection;
}

/**
 * Follows `endCursor` until `hasNextPage` is false, checking every page's
 * pageInfo on the way; returns every edge in order.
 */
async function walk<N extends { id: string }>(
  query: string,
  field: string,
  variables: Vars,
  first: number,
): Promise<{ edges: Array<Edge<N>>; totalCount: number; pages: number }> {
  const edges: Array<Edge<N>> = [];
  let after: string | undefined;
  let totalCount = -1;
  let pages = 0;
  for (;;) {
    const connection = await page<N>(query, field, { ...variables, first, after });
    pages += 1;
    if (totalCount === -1) totalCount = connection.totalCount;
    expect(connection.totalCount).toBe(totalCount);
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== undefined);
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
    edges.push(...connection.edges);
    if (!connection.pageInfo.hasNextPage) break;
    expect(connection.edges).toHaveLength(first);
    after = connection.pageInfo.endCursor ?? undefined;
    if (pages > 500) throw new Error('pagination does not end');
  }
  return { edges, totalCount, pages };
}

const ids = (edges: Array<Edge<{ id: string }>>) => edges.map((edge) => edge.node.id);

/** Every edge's cursor resumes right after that edge (checked on a spread of edges). */
async function expectCursorsResume<N extends { id: string }>(
  query: string,
  field: string,
  variables: Vars,
  edges: Array<Edge<N>>,
  first: number,
): Promise<void> {
  const all = ids(edges);
  const picks = [0, 3, first + 2, Math.floor(edges.length / 2), edges.length - 2, edges.length - 1];
  for (const index of new Set(picks.filter((i) => i >= 0 && i < edges.length))) {
    const connection = await page<N>(query, field, {
      ...variables,
      first,
      after: edges[index]?.cursor,
    });
    expect(ids(connection.edges), `after edge ${index}`).toEqual(
      all.slice(index + 1, index + 1 + first),
    );
    expect(connection.pageInfo.hasNextPage).toBe(index + 1 + first < all.length);
    expect(connection.pageInfo.hasPreviousPage).toBe(true);
  }
}

function expectDistinct(values: readonly string[]): void {
  expect(new Set(values).size).toBe(values.length);
}

/** All incident ids matching a filter (walked 100 at a time), plus the reported totalCount. */
async function incidentIds(filter: Vars | null, orderBy?: Vars) {
  const { edges, totalCount } = await walk<{ id: string; name: string; createdAt: string }>(
    INCIDENTS,
    'incidents',
    { filter, orderBy },
    100,
  );
  expect(edges).toHaveLength(totalCount);
  return { ids: ids(edges), names: edges.map((e) => e.node.name), totalCount };
}

function seedIds(predicate: (incident: Incident) => boolean): string[] {
  return sortedBy(seed.incidents.filter(predicate), newestFirst).map((incident) => incident.id);
}

/**
 * A linked incident of the seed (one claimant) whose OneUptime incident has at least
 * `timelines` timeline entries and `slas` SLAs.
 */
function incidentWith(
  timelines: number,
  slas: number,
  extra: (i: Incident) => boolean = () => true,
) {
  const found = links.linked.find(
    (incident) =>
      extra(incident) &&
      links.timelinesOf(incident.id).length >= timelines &&
      links.slasOf(incident.id).length >= slas,
  );
  if (!found) throw new Error('the seed has no such incident');
  return found;
}

const MISSING_UUID = '00000000-0000-4000-8000-000000000000';

// ---------------------------------------------------------------- single items

describe('single-item lookups', () => {
  it('incident returns every field of the seeded incident', async () => {
    const incident = incidentWith(
      1,
      1,
      (i) => i.closedAt !== undefined && i.assignments.length > 0,
    );
    const data = await ok<{ incident: Record<string, unknown> }>(
      `query ($id: ID!) { incident(id: $id) { ${INCIDENT_FIELDS} } }`,
      { id: incident.id },
    );
    expect(data.incident).toEqual(expectedIncident(incident));
  });

  it('incident returns labels as key/value pairs', async () => {
    const incident = seed.incidents[7] as Incident;
    const data = await ok<{
      incident: Record<
        'contextualLabels' | 'displayLabels' | 'metaLabels',
        Array<{ key: string; value: string }>
      >;
    }>(`query ($id: ID!) { incident(id: $id) { ${LABEL_FIELDS} } }`, { id: incident.id });
    expect(sortLabels(data.incident.contextualLabels)).toEqual(labels(incident.contextualLabels));
    expect(sortLabels(data.incident.displayLabels)).toEqual(labels(incident.displayLabels));
    expect(data.incident.metaLabels).toEqual(incident.metaLabels);
    expect(data.incident.contextualLabels.length).toBeGreaterThan(0);
  });

  it('incident returns events with their originator and detail union members', async () => {
    const incident = seed.incidents.find((i) => {
      const types = new Set(i.events.map((e) => e.incidentEventType));
      return (
        types.has('INCIDENT_EVENT_TYPE_SNOOZE_INDICATOR') &&
        types.has('INCIDENT_EVENT_TYPE_CLOSE') &&
        types.has('INCIDENT_EVENT_TYPE_ASSIGN')
      );
    }) as Incident;
    expect(incident).toBeDefined();
    const data = await ok<{ incident: { events: unknown[] } }>(
      `query ($id: ID!) { incident(id: $id) { ${EVENT_FIELDS} } }`,
      { id: incident.id },
    );
    expect(data.incident.events).toEqual(incident.events.map(expectedEvent));
    const typenames = new Set(
      (data.incident.events as Array<{ detail: { __typename: string } | null }>).map(
        (e) => e.detail?.__typename ?? null,
      ),
    );
    for (const name of [
      'SnoozeDetail',
      'AssignDetail',
      'UpsertStateDetail',
      'AcknowledgeDetail',
      'CloseDetail',
      null,
    ]) {
      expect(typenames).toContain(name);
    }
  });

  it('incident returns null without an error for an id that does not exist', async () => {
    const response = await stack.graphql<{ incident: unknown }>(
      `query ($id: ID!) { incident(id: $id) { id name } }`,
      { id: MISSING_UUID },
    );
    expectNoErrors(response);
    expect(response.data).toEqual({ incident: null });
  });

  it('stateTimeline returns the seeded entry and its incident', async () => {
    // An entry of a linked OneUptime incident: its incident is the Coralogix one the link names.
    const entry = seed.stateTimelines.filter((t) => links.coralogixOf(t.incidentId))[5];
    if (!entry) throw new Error('the seed has no such entry');
    const incident = links.coralogixOf(entry.incidentId) as Incident;
    expect(incident.id).not.toBe(entry.incidentId);
    const state = seed.incidentStates.find((s) => s._id === entry.incidentStateId);
    const data = await ok<{ stateTimeline: Record<string, unknown> }>(
      `query ($id: ID!) { stateTimeline(id: $id) {
        ${TIMELINE_ALL} incident { id name } oneUptimeIncident { id title } state { id name }
      } }`,
      { id: entry._id },
    );
    expect(data.stateTimeline).toEqual({
      ...expectedTimeline(entry),
      incident: { id: incident.id, name: incident.name },
      oneUptimeIncident: {
        id: entry.incidentId,
        title: links.row(entry.incidentId as string)?.title,
      },
      state: { id: state?._id, name: state?.name },
    });
  });

  it('incidentSla returns the seeded SLA and its incident', async () => {
    const sla = seed.slas.find(
      (s) => s.breachNotificationSentAt && links.coralogixOf(s.incidentId),
    ) as IncidentSlaRecord;
    const incident = links.coralogixOf(sla.incidentId) as Incident;
    expect(incident.id).not.toBe(sla.incidentId);
    const data = await ok<{ incidentSla: Record<string, unknown> }>(
      `query ($id: ID!) { incidentSla(id: $id) {
        ${SLA_FIELDS} incident { id name } oneUptimeIncident { id title }
      } }`,
      { id: sla._id },
    );
    expect(data.incidentSla).toEqual({
      ...expectedSla(sla),
      incident: { id: incident.id, name: incident.name },
      oneUptimeIncident: { id: sla.incidentId, title: links.row(sla.incidentId as string)?.title },
    });
  });

  it('incidentRole returns the seeded role', async () => {
    for (const role of [seed.roles[0], seed.roles[3]] as IncidentRoleRecord[]) {
      const data = await ok<{ incidentRole: unknown }>(
        `query ($id: ID!) { incidentRole(id: $id) { ${ROLE_ALL} } }`,
        { id: role._id },
      );
      expect(data.incidentRole).toEqual(expectedRole(role));
    }
  });

  it.each(['incidentRole', 'incidentSla', 'stateTimeline'])(
    '%s returns null without an error for a UUID that does not exist',
    async (field) => {
      const response = await stack.graphql(`query ($id: ID!) { ${field}(id: $id) { id } }`, {
        id: MISSING_UUID,
      });
      expectNoErrors(response);
      expect(response.data).toEqual({ [field]: null });
    },
  );

  it.each(['incidentRole', 'incidentSla', 'stateTimeline'])(
    '%s refuses a non-UUID id with BAD_USER_INPUT before calling OneUptime',
    async (field) => {
      await expectBadUserInput(`query ($id: ID!) { ${field}(id: $id) { id } }`, {
        id: 'not-a-uuid',
      });
    },
  );
});

// ---------------------------------------------------------------- page size

describe('page size', () => {
  const LISTS = [
    ['incidents', INCIDENTS],
    ['incidentSlas', SLAS],
    ['stateTimelines', TIMELINES],
    ['incidentRoles', ROLES],
  ] as const;

  it.each(LISTS)(
    '%s refuses first: 101 and first: -1 before any upstream call',
    async (_, query) => {
      await expectBadUserInput(query, { first: 101 });
      await expectBadUserInput(query, { first: -1 });
    },
  );

  it.each([
    ['incidents', INCIDENTS, () => seed.incidents.length],
    ['incidentSlas', SLAS, () => seed.slas.length],
    ['stateTimelines', TIMELINES, () => seed.stateTimelines.length],
    ['incidentRoles', ROLES, () => seed.roles.length],
  ] as const)('%s with first: 0 returns totalCount and no edges', async (field, query, total) => {
    const connection = await page<{ id: string }>(query, field, { first: 0 });
    expect(connection.edges).toEqual([]);
    expect(connection.totalCount).toBe(total());
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('incidents defaults to 20 incidents, newest first', async () => {
    const connection = await page<{ id: string }>(INCIDENTS, 'incidents', {});
    expect(ids(connection.edges)).toEqual(seedIds(() => true).slice(0, 20));
    expect(connection.totalCount).toBe(300);
  });
});

// ---------------------------------------------------------------- pagination

describe('pagination', () => {
  it('walks all 300 incidents 7 at a time without gaps or duplicates, newest first', async () => {
    const { edges, totalCount, pages } = await walk<{ id: string }>(INCIDENTS, 'incidents', {}, 7);
    expect(totalCount).toBe(300);
    expect(pages).toBe(Math.ceil(300 / 7));
    expect(ids(edges)).toEqual(seedIds(() => true));
    expectDistinct(edges.map((e) => e.cursor));
    await expectCursorsResume(INCIDENTS, 'incidents', {}, edges, 7);
  });

  it('walks the incidents of one severity 7 at a time, resuming from any edge', async () => {
    const filter = { severities: ['ERROR'] };
    const { edges, totalCount } = await walk<{ id: string }>(INCIDENTS, 'incidents', { filter }, 7);
    const expected = seedIds((i) => i.severity === 'INCIDENT_SEVERITY_ERROR');
    expect(expected.length).toBeGreaterThan(14);
    expect(totalCount).toBe(expected.length);
    expect(ids(edges)).toEqual(expected);
    await expectCursorsResume(INCIDENTS, 'incidents', { filter }, edges, 7);
  });

  it('keeps its place when every page resumes from the middle edge of the previous one', async () => {
    const expected = seedIds(() => true);
    let connection = await page<{ id: string }>(INCIDENTS, 'incidents', { first: 7 });
    let start = 0;
    let steps = 0;
    while (connection.edges.length > 4) {
      expect(ids(connection.edges)).toEqual(expected.slice(start, start + 7));
      const middle = connection.edges[3] as Edge<{ id: string }>;
      connection = await page(INCIDENTS, 'incidents', { first: 7, after: middle.cursor });
      start += 4;
      steps += 1;
    }
    expect(ids(connection.edges)).toEqual(expected.slice(start));
    expect(steps).toBeGreaterThan(70);
  });

  it('walks every SLA 7 at a time without gaps or duplicates, newest first', async () => {
    const { edges, totalCount } = await walk<{ id: string; createdAt: string }>(
      SLAS,
      'incidentSlas',
      {},
      7,
    );
    expect(totalCount).toBe(seed.slas.length);
    expect(edges).toHaveLength(totalCount);
    expectDistinct(ids(edges));
    expect(new Set(ids(edges))).toEqual(new Set(seed.slas.map((s) => s._id)));
    const times = edges.map((e) => e.node.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    await expectCursorsResume(SLAS, 'incidentSlas', {}, edges, 7);
  });

  it('walks the state timelines of some incidents 7 at a time, oldest first', async () => {
    // Coralogix ids, resolved through the link: the entries of their linked OneUptime incidents.
    const incidentIdsFilter = seed.incidents.slice(0, 25).map((i) => i.id);
    const filter = { incidentIds: incidentIdsFilter };
    const { edges, totalCount } = await walk<{ id: string; startsAt: string }>(
      TIMELINES,
      'stateTimelines',
      { filter },
      7,
    );
    const expected = incidentIdsFilter.flatMap((id) => links.timelinesOf(id));
    expect(expected.length).toBeGreaterThan(21);
    expect(totalCount).toBe(expected.length);
    expect(edges).toHaveLength(totalCount);
    expectDistinct(ids(edges));
    expect(new Set(ids(edges))).toEqual(new Set(expected.map((t) => t._id)));
    const starts = edges.map((e) => e.node.startsAt);
    expect(starts).toEqual([...starts].sort());
    await expectCursorsResume(TIMELINES, 'stateTimelines', { filter }, edges, 7);
  });

  it('walks the incident roles, newest first, in one page of 7 or pages of 2', async () => {
    const expected = sortedBy(seed.roles, (a, b) =>
      byText(b.createdAt ?? '', a.createdAt ?? ''),
    ).map((r) => r._id);
    const one = await walk<{ id: string }>(ROLES, 'incidentRoles', {}, 7);
    expect(one.pages).toBe(1);
    expect(ids(one.edges)).toEqual(expected);
    expect(one.totalCount).toBe(seed.roles.length);

    const small = await walk<{ id: string }>(ROLES, 'incidentRoles', {}, 2);
    expect(small.pages).toBe(3);
    expect(ids(small.edges)).toEqual(expected);
    await expectCursorsResume(ROLES, 'incidentRoles', {}, small.edges, 2);
  });

  it('refuses a cursor reused with a different filter', async () => {
    const incidents = await page<{ id: string }>(INCIDENTS, 'incidents', {
      first: 7,
      filter: { severities: ['ERROR'] },
    });
    await expectBadUserInput(INCIDENTS, {
      first: 7,
      filter: { severities: ['WARNING'] },
      after: incidents.pageInfo.endCursor,
    });
    await expectBadUserInput(INCIDENTS, {
      first: 7,
      orderBy: { field: 'NAME', direction: 'ASC' },
      filter: { severities: ['ERROR'] },
      after: incidents.edges[2]?.cursor,
    });

    const slas = await page<{ id: string }>(SLAS, 'incidentSlas', {
      first: 7,
      filter: { statuses: ['AT_RISK'] },
    });
    await expectBadUserInput(SLAS, { first: 7, after: slas.pageInfo.endCursor });

    const timelines = await page<{ id: string }>(TIMELINES, 'stateTimelines', { first: 7 });
    const linked = links.oneUptimeOf(links.linked[0]?.id as string);
    await expectBadUserInput(TIMELINES, {
      first: 7,
      filter: { oneUptimeIncidentIds: [linked] },
      after: timelines.pageInfo.endCursor,
    });
    await expectBadUserInput(TIMELINES, {
      first: 7,
      filter: { incidentStateId: seed.incidentStates[0]?._id },
      after: timelines.pageInfo.endCursor,
    });
  });

  // GATEWAY BUG (src/resolvers/lists.ts, incidentRecordPage): a Coralogix `incidentIds` filter is
  // resolved through the link before the cursor is checked, and when none of the ids is linked the
  // cursor is never checked at all (an empty page, no error). DESIGN 7: BAD_USER_INPUT before any
  // upstream call. A gateway without a link cache, so the link is never already known.
  it.each([
    ['linked', () => links.linked[0] as Incident],
    ['not linked', () => links.unlinked[0] as Incident],
  ])(
    'refuses a cursor reused with a different incidentIds filter (%s) before any upstream call',
    async (_, incident) => {
      const cold = await startStack({ env: { CURSOR_SECRET, LINK_CACHE_TTL_MS: '0' } });
      try {
        for (const [query, field] of [
          [TIMELINES, 'stateTimelines'],
          [SLAS, 'incidentSlas'],
        ] as const) {
          const first = await cold.graphql<Record<string, Connection<{ id: string }>>>(query, {
            first: 7,
          });
          expectNoErrors(first);
          cold.sandbox.clearRequests();
          const response = await cold.graphql(query, {
            first: 7,
            filter: { incidentIds: [incident().id] },
            after: first.data?.[field]?.pageInfo.endCursor,
          });
          expect(errorCodes(response), JSON.stringify(response)).toEqual(['BAD_USER_INPUT']);
          expect(cold.sandbox.requests()).toEqual([]);
        }
      } finally {
        await cold.stop();
      }
    },
  );

  it('refuses a cursor of another list', async () => {
    const slas = await page<{ id: string }>(SLAS, 'incidentSlas', { first: 3 });
    await expectBadUserInput(INCIDENTS, { first: 3, after: slas.pageInfo.endCursor });
    await expectBadUserInput(TIMELINES, { first: 3, after: slas.pageInfo.endCursor });
    const incidents = await page<{ id: string }>(INCIDENTS, 'incidents', { first: 3 });
    await expectBadUserInput(ROLES, { first: 3, after: incidents.pageInfo.endCursor });
  });

  it.each([
    'garbage',
    '!!!',
    Buffer.from('{"foo":1}').toString('base64url'),
    Buffer.from('["s","x","-1"]').toString('base64url'),
  ])('refuses the cursor %j on every list', async (after) => {
    for (const query of [INCIDENTS, SLAS, TIMELINES, ROLES]) {
      await expectBadUserInput(query, { first: 3, after });
    }
  });
});

// ---------------------------------------------------------------- filters

describe('incident filters', () => {
  it.each<[string, Vars, (i: Incident) => boolean]>([
    [
      'severities',
      { severities: ['CRITICAL', 'LOW'] },
      (i) => ['INCIDENT_SEVERITY_CRITICAL', 'INCIDENT_SEVERITY_LOW'].includes(i.severity),
    ],
    ['states', { states: ['RESOLVED'] }, (i) => i.state === 'INCIDENT_STATE_RESOLVED'],
    [
      'statuses',
      { statuses: ['ACKNOWLEDGED'] },
      (i) => i.status === 'INCIDENT_STATUS_ACKNOWLEDGED',
    ],
    ['search', { search: 'latency' }, (i) => (i.name ?? '').toLowerCase().includes('latency')],
    ['isMuted: true', { isMuted: true }, (i) => i.isMuted === true],
    ['isMuted: false', { isMuted: false }, (i) => !i.isMuted],
    [
      'metaLabels (any)',
      {
        metaLabels: [
          { key: 'team', value: 'payments' },
          { key: 'region', value: 'ap-south-1' },
        ],
      },
      (i) =>
        (i.metaLabels ?? []).some(
          (l) =>
            (l.key === 'team' && l.value === 'payments') ||
            (l.key === 'region' && l.value === 'ap-south-1'),
        ),
    ],
    [
      'metaLabels (all)',
      {
        metaLabels: [
          { key: 'team', value: 'payments' },
          { key: 'env', value: 'staging' },
        ],
        metaLabelsMatchAll: true,
      },
      (i) =>
        (i.metaLabels ?? []).some((l) => l.key === 'team' && l.value === 'payments') &&
        (i.metaLabels ?? []).some((l) => l.key === 'env' && l.value === 'staging'),
    ],
    [
      'severities and statuses together',
      { severities: ['ERROR'], statuses: ['TRIGGERED', 'ACKNOWLEDGED'] },
      (i) => i.severity === 'INCIDENT_SEVERITY_ERROR' && i.status !== 'INCIDENT_STATUS_RESOLVED',
    ],
  ])('%s returns exactly the matching seeded incidents', async (_, filter, predicate) => {
    const expected = seedIds(predicate);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(seed.incidents.length);
    const result = await incidentIds(filter);
    expect(result.totalCount).toBe(expected.length);
    expect(result.ids).toEqual(expected);
  });

  it('assigneeUserIds returns the incidents assigned to any of the users', async () => {
    const users = [seed.users[1]?.id, seed.users[4]?.id] as string[];
    const expected = seedIds((i) =>
      i.assignments.some((a) => users.includes(a.assignedTo?.userId ?? '')),
    );
    expect(expected.length).toBeGreaterThan(0);
    const result = await incidentIds({ assigneeUserIds: users });
    expect(result.ids).toEqual(expected);
    expect(result.totalCount).toBe(expected.length);
  });

  it('createdAfter is inclusive and createdBefore exclusive', async () => {
    const times = seed.incidents.map((i) => i.createdAt).sort();
    const after = times[40] as string;
    const before = times[120] as string;
    const expected = seedIds((i) => i.createdAt >= after && i.createdAt < before);
    expect(expected).toHaveLength(80);
    const result = await incidentIds({ createdAfter: after, createdBefore: before });
    expect(result.ids).toEqual(expected);

    const onlyAfter = await incidentIds({ createdAfter: after });
    expect(onlyAfter.ids).toEqual(seedIds((i) => i.createdAt >= after));
    const onlyBefore = await incidentIds({ createdBefore: before });
    expect(onlyBefore.ids).toEqual(seedIds((i) => i.createdAt < before));
  });

  it('refuses createdAfter later than createdBefore, and a DateTime without offset', async () => {
    await expectBadUserInput(INCIDENTS, {
      filter: { createdAfter: '2026-10-02T00:00:00Z', createdBefore: '2026-10-01T00:00:00Z' },
    });
    await expectBadUserInput(INCIDENTS, { filter: { createdAfter: '2026-10-02T00:00:00' } });
  });

  it('an empty filter list places no restriction', async () => {
    const connection = await page<{ id: string }>(INCIDENTS, 'incidents', {
      first: 0,
      filter: { severities: [], statuses: [], metaLabels: [], search: '  ' },
    });
    expect(connection.totalCount).toBe(seed.incidents.length);
  });

  it('orderBy NAME ASC sorts every incident by name', async () => {
    const result = await incidentIds(null, { field: 'NAME', direction: 'ASC' });
    expect(result.totalCount).toBe(seed.incidents.length);
    expect(new Set(result.ids)).toEqual(new Set(seed.incidents.map((i) => i.id)));
    const lower = result.names.map((n) => n.toLowerCase());
    expect(lower).toEqual([...lower].sort());
    expect(lower[0]).not.toBe(lower.at(-1));
  });

  it('orderBy NAME ASC pages 7 at a time in the same order as one big page', async () => {
    const orderBy = { field: 'NAME', direction: 'ASC' };
    const filter = { severities: ['WARNING'] };
    const big = await page<{ id: string }>(INCIDENTS, 'incidents', { first: 100, orderBy, filter });
    const { edges } = await walk<{ id: string }>(INCIDENTS, 'incidents', { orderBy, filter }, 7);
    expect(ids(edges)).toEqual(ids(big.edges));
    await expectCursorsResume(INCIDENTS, 'incidents', { orderBy, filter }, edges, 7);
  });
});

describe('SLA and state timeline filters', () => {
  it('incidentSlas filtered by statuses returns exactly the matching SLAs', async () => {
    const expected = seed.slas.filter((s) => s.status === 'At Risk');
    expect(expected.length).toBeGreaterThan(0);
    const { edges, totalCount } = await walk<{ id: string; status: string }>(
      SLAS,
      'incidentSlas',
      { filter: { statuses: ['AT_RISK'] } },
      100,
    );
    expect(totalCount).toBe(expected.length);
    expect(new Set(ids(edges))).toEqual(new Set(expected.map((s) => s._id)));
    expect(new Set(edges.map((e) => e.node.status))).toEqual(new Set(['AT_RISK']));
  });

  it('incidentSlas filtered by incidentIds and statuses returns their intersection', async () => {
    // 40 Coralogix incidents whose linked OneUptime incidents have SLAs, resolved through the link.
    const incidents = seed.incidents
      .filter((i) => links.slasOf(i.id).length > 0)
      .slice(0, 40)
      .map((i) => i.id);
    expect(incidents).toHaveLength(40);
    const statuses = ['MET', 'RESPONSE_BREACHED'];
    const expected = incidents
      .flatMap((id) => links.slasOf(id))
      .filter((s) => ['Met', 'Response Breached'].includes(s.status as string));
    expect(expected.length).toBeGreaterThan(0);
    const { edges, totalCount } = await walk<{ id: string }>(
      SLAS,
      'incidentSlas',
      { filter: { incidentIds: incidents, statuses } },
      100,
    );
    expect(totalCount).toBe(expected.length);
    expect(new Set(ids(edges))).toEqual(new Set(expected.map((s) => s._id)));
  });

  it('stateTimelines filtered by incidentIds and incidentStateId returns their intersection', async () => {
    const incidents = seed.incidents.slice(0, 60).map((i) => i.id);
    const state = seed.incidentStates.find((s) => s.name === 'Resolved')?.id as string;
    const expected = incidents
      .flatMap((id) => links.timelinesOf(id))
      .filter((t) => t.incidentStateId === state);
    expect(expected.length).toBeGreaterThan(0);
    // Ids that are not linked match nothing (and are no error).
    expect(incidents.some((id) => links.status(id) === 'NOT_LINKED')).toBe(true);
    const { edges, totalCount } = await walk<{ id: string; incidentStateId: string }>(
      TIMELINES,
      'stateTimelines',
      { filter: { incidentIds: incidents, incidentStateId: state } },
      100,
    );
    expect(totalCount).toBe(expected.length);
    expect(new Set(ids(edges))).toEqual(new Set(expected.map((t) => t._id)));
  });

  it.each([
    ['incidentSlas', SLAS, { incidentIds: ['nope'] }],
    ['stateTimelines', TIMELINES, { incidentIds: ['nope'] }],
    ['stateTimelines', TIMELINES, { incidentStateId: 'nope' }],
  ])('%s refuses a non-UUID id in its filter (%j)', async (_, query, filter) => {
    await expectBadUserInput(query, { filter });
  });

  it('stateTimelines refuses more than 100 incidentIds', async () => {
    const incidents = seed.incidents.slice(0, 101).map((i) => i.id);
    await expectBadUserInput(TIMELINES, { filter: { incidentIds: incidents } });
    await expectBadUserInput(SLAS, { filter: { incidentIds: incidents } });
  });
});

// ---------------------------------------------------------------- joins

describe('joins between Coralogix and OneUptime', () => {
  it('Incident.stateTimeline and Incident.slas return the seeded records, timelines oldest first', async () => {
    const incident = incidentWith(4, 2);
    const data = await ok<{
      incident: {
        stateTimeline: Array<Record<string, unknown>>;
        slas: Array<Record<string, unknown>>;
      };
    }>(
      `query ($id: ID!) { incident(id: $id) {
        stateTimeline { ${TIMELINE_ALL} }
        slas { ${SLA_FIELDS} }
      } }`,
      { id: incident.id },
    );
    // The records of the linked OneUptime incident, which has an id of its own.
    const linked = links.oneUptimeOf(incident.id);
    expect(linked).toBeDefined();
    expect(linked).not.toBe(incident.id);
    const timeline = links.timelinesOf(incident.id);
    expect(timeline.every((t) => t.incidentId === linked)).toBe(true);
    expect(data.incident.stateTimeline).toEqual(timeline.map(expectedTimeline));
    const slas = links.slasOf(incident.id);
    expect(data.incident.slas).toHaveLength(slas.length);
    expect(data.incident.slas).toEqual(expect.arrayContaining(slas.map(expectedSla)));
  });

  it('Incident.stateTimeline and Incident.slas are empty lists when OneUptime has nothing', async () => {
    // Linked, but its OneUptime incident has no SLA: slas [] next to a non-empty timeline.
    const incident = links.linked.find((i) => links.slasOf(i.id).length === 0) as Incident;
    expect(incident).toBeDefined();
    const data = await ok<{ incident: { slas: unknown[]; stateTimeline: Array<{ id: string }> } }>(
      `query ($id: ID!) { incident(id: $id) { slas { id } stateTimeline { id } } }`,
      { id: incident.id },
    );
    expect(data.incident.slas).toEqual([]);
    expect(data.incident.stateTimeline.map((t) => t.id)).toEqual(
      links.timelinesOf(incident.id).map((t) => t._id),
    );
    expect(data.incident.stateTimeline.length).toBeGreaterThan(0);

    // Not linked at all: both lists are empty, without an error.
    const unlinked = links.unlinked[0] as Incident;
    expect(unlinked).toBeDefined();
    const none = await ok<{
      incident: { linkStatus: string; slas: unknown[]; stateTimeline: unknown[] };
    }>(`query ($id: ID!) { incident(id: $id) { linkStatus slas { id } stateTimeline { id } } }`, {
      id: unlinked.id,
    });
    expect(none.incident).toEqual({ linkStatus: 'NOT_LINKED', slas: [], stateTimeline: [] });
  });

  it('IncidentSla.incident and StateTimeline.incident return the Coralogix incident', async () => {
    const data = await ok<{
      incidentSlas: {
        edges: Array<{
          node: { oneUptimeIncidentId: string; incident: { id: string; name: string } | null };
        }>;
      };
      stateTimelines: {
        edges: Array<{
          node: { oneUptimeIncidentId: string; incident: { id: string; severity: string } | null };
        }>;
      };
    }>(`{
      incidentSlas(first: 30) { edges { node { oneUptimeIncidentId incident { id name } } } }
      stateTimelines(first: 30) { edges { node { oneUptimeIncidentId incident { id severity } } } }
    }`);
    // Through the link: the Coralogix incident the OneUptime incident's custom field names.
    expect(data.incidentSlas.edges).toHaveLength(30);
    let joined = 0;
    for (const { node } of data.incidentSlas.edges) {
      const incident = links.coralogixOf(node.oneUptimeIncidentId);
      expect(node.incident).toEqual(incident ? { id: incident.id, name: incident.name } : null);
      if (incident) joined += 1;
    }
    expect(data.stateTimelines.edges).toHaveLength(30);
    for (const { node } of data.stateTimelines.edges) {
      const incident = links.coralogixOf(node.oneUptimeIncidentId);
      expect(node.incident).toEqual(
        incident
          ? { id: incident.id, severity: enumName(incident.severity, 'INCIDENT_SEVERITY_') }
          : null,
      );
      if (incident) joined += 1;
    }
    expect(joined).toBeGreaterThan(30);
  });

  it('a list of incidents carries each incident’s own timelines and SLAs', async () => {
    const data = await ok<{
      incidents: {
        edges: Array<{
          node: { id: string; stateTimeline: Array<{ id: string }>; slas: Array<{ id: string }> };
        }>;
      };
    }>(`{ incidents(first: 40) { edges { node { id stateTimeline { id } slas { id } } } } }`);
    expect(data.incidents.edges).toHaveLength(40);
    for (const { node } of data.incidents.edges) {
      expect(node.stateTimeline.map((t) => t.id)).toEqual(
        links.timelinesOf(node.id).map((t) => t._id),
      );
      expect(new Set(node.slas.map((s) => s.id))).toEqual(
        new Set(links.slasOf(node.id).map((s) => s._id)),
      );
    }
    // Both kinds are on the page: linked incidents with records, and unlinked ones with [].
    const kinds = new Set(data.incidents.edges.map(({ node }) => links.status(node.id)));
    expect(kinds).toContain('LINKED');
    expect(kinds).toContain('NOT_LINKED');
  });

  it('a OneUptime failure nulls only Incident.slas, with an UPSTREAM_UNAVAILABLE error', async () => {
    const incident = incidentWith(2, 1);
    stack.sandbox.setFault({
      upstream: 'oneuptime',
      path: 'incident-sla',
      status: 500,
      body: { error: 'Server Error' },
    });
    const response = await stack.graphql<{
      incident: {
        id: string;
        name: string;
        severity: string;
        slas: unknown;
        stateTimeline: Array<{ id: string }>;
      };
    }>(
      `query ($id: ID!) { incident(id: $id) { id name severity slas { id } stateTimeline { id } } }`,
      { id: incident.id },
    );
    expect(response.status).toBe(200);
    expect(response.data?.incident).toMatchObject({
      id: incident.id,
      name: incident.name,
      severity: enumName(incident.severity, 'INCIDENT_SEVERITY_'),
      slas: null,
    });
    expect(response.data?.incident.stateTimeline.map((t) => t.id)).toEqual(
      links.timelinesOf(incident.id).map((t) => t._id),
    );
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.path).toEqual(['incident', 'slas']);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'oneuptime',
    });
    expect(JSON.stringify(response.errors)).not.toContain(stack.sandbox.oneuptime.apiKey);
  });
});

// ---------------------------------------------------------------- value encodings

describe('OneUptime value encodings', () => {
  let plain: Stack;

  beforeAll(async () => {
    // The same data, so relative to the same instant.
    plain = await startStack({
      sandbox: { valueEncoding: 'plain', now: stack.sandbox.now },
      env: { CURSOR_SECRET },
    });
  });

  afterAll(async () => {
    await plain?.stop();
  });

  async function rawRoleColor(target: Stack): Promise<unknown> {
    const response = await fetch(
      `${target.sandbox.oneuptime.url}/api/incident-role/get-list?limit=1`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: target.sandbox.oneuptime.apiKey },
        body: JSON.stringify({ select: { color: true }, query: {} }),
      },
    );
    const body = (await response.json()) as { data: Array<{ color: unknown }> };
    return body.data[0]?.color;
  }

  it('the two sandboxes really send different wire encodings', async () => {
    expect(await rawRoleColor(stack)).toMatchObject({ _type: 'Color' });
    expect(typeof (await rawRoleColor(plain))).toBe('string');
  });

  it('plain values give exactly the same data as envelopes', async () => {
    const incident = incidentWith(3, 2);
    const sla = seed.slas[10] as IncidentSlaRecord;
    const query = `query ($id: ID!, $sla: ID!, $role: ID!, $timeline: ID!) {
      incident(id: $id) {
        ${INCIDENT_FIELDS}
        stateTimeline { ${TIMELINE_ALL} incident { id } }
        slas { ${SLA_FIELDS} incident { id } }
      }
      incidentSla(id: $sla) { ${SLA_FIELDS} }
      incidentRole(id: $role) { ${ROLE_ALL} }
      stateTimeline(id: $timeline) { ${TIMELINE_ALL} }
      incidentRoles(first: 10) { totalCount edges { cursor node { ${ROLE_ALL} } } }
      incidentSlas(first: 15) { totalCount edges { cursor node { ${SLA_FIELDS} } } }
      stateTimelines(first: 15, filter: { incidentIds: ["${incident.id}"] }) {
        totalCount edges { cursor node { ${TIMELINE_ALL} } }
      }
    }`;
    const variables = {
      id: incident.id,
      sla: sla._id,
      role: seed.roles[2]?._id,
      timeline: seed.stateTimelines[3]?._id,
    };
    const envelope = await stack.graphql(query, variables);
    const plainResponse = await plain.graphql(query, variables);
    expectNoErrors(envelope);
    expectNoErrors(plainResponse);
    expect(plainResponse.data).toEqual(envelope.data);
    expect(JSON.stringify(envelope.data)).not.toContain('_type');
    expect((envelope.data as { incidentSla: unknown }).incidentSla).toEqual(expectedSla(sla));
  });
});
