/**
 * The link writes over real HTTP (DESIGN 5a): what each one sends to
 * OneUptime (the merged `customFields` of a PUT, the create of
 * ensureOneUptimeIncident), what it refuses before writing, and that the
 * gateway's own cached links follow at once.
 */
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { LINK_FIELD } from '../../src/sandbox/seed.js';
import { oneUptime } from '../support/oneuptime.js';
import { useStack } from '../support/stack.js';

// The cache on: a write must drop the links it changes at once.
const stack = useStack({ env: { LINK_CACHE_TTL_MS: '60000' }, resetEach: true });

const seed = () => stack.sandbox.seed;
const fieldsOf = (row: { customFields?: unknown }) =>
  (row.customFields ?? null) as Record<string, unknown> | null;
const claimants = (coralogixId: string) =>
  seed().oneUptimeIncidents.filter((row) => fieldsOf(row)?.[LINK_FIELD] === coralogixId);
const unlinkedIncident = (skip = 0) =>
  seed().incidents.filter((i) => claimants(i.id).length === 0)[skip]!;
const linkedIncident = (skip = 0) =>
  seed().incidents.filter((i) => claimants(i.id).length === 1)[skip]!;
const oneUptimeOnly = () =>
  seed().oneUptimeIncidents.filter(
    (row) => fieldsOf(row) && Object.keys(fieldsOf(row)!).length > 0 && !fieldsOf(row)![LINK_FIELD],
  )[0]!;
const writes = () =>
  stack.sandbox
    .requests('oneuptime')
    .filter((r: RecordedRequest) => r.method !== 'GET' && !/get-list|count|get-item/.test(r.path));

const LINK_STATUS =
  'query ($id: ID!) { incident(id: $id) { linkStatus oneUptimeIncident { id } } }';
const LINK = `mutation ($i: LinkIncidentInput!) { linkIncident(input: $i) {
  incident { id linkStatus } oneUptimeIncident { id customFields } created } }`;
const UNLINK = `mutation ($i: UnlinkIncidentInput!) { unlinkIncident(input: $i) {
  incident { id linkStatus } oneUptimeIncident { id customFields } created } }`;
const ENSURE = `mutation ($i: EnsureOneUptimeIncidentInput!) { ensureOneUptimeIncident(input: $i) {
  incident { id } oneUptimeIncident { id title severity { name } customFields } created } }`;
const CREATE_ENTRY = `mutation ($i: CreateStateTimelineInput!) { createStateTimeline(input: $i) {
  id oneUptimeIncidentId incident { id } state { name } } }`;

const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  response.errors?.[0]?.extensions?.code;

describe('linkIncident', () => {
  it('writes the Coralogix id into the custom fields, keeping the other keys, and the link shows at once', async () => {
    const incident = unlinkedIncident();
    const row = oneUptimeOnly();
    // Cache "not linked" first: the write must drop it.
    expect((await stack.graphql(LINK_STATUS, { id: incident.id })).data).toEqual({
      incident: { linkStatus: 'NOT_LINKED', oneUptimeIncident: null },
    });
    stack.sandbox.clearRequests();
    const response = await stack.graphql(LINK, {
      i: { incidentId: incident.id, oneUptimeIncidentId: row._id },
    });
    expect(response.errors).toBeUndefined();
    const merged = { ...fieldsOf(row), [LINK_FIELD]: incident.id };
    expect(response.data).toEqual({
      linkIncident: {
        incident: { id: incident.id, linkStatus: 'LINKED' },
        oneUptimeIncident: { id: row._id, customFields: merged },
        created: false,
      },
    });
    expect(writes().map((r) => [r.method, r.path, r.body])).toEqual([
      ['PUT', `/api/incident/${row._id}`, { data: { customFields: merged } }],
    ]);
    expect((await stack.graphql(LINK_STATUS, { id: incident.id })).data).toEqual({
      incident: { linkStatus: 'LINKED', oneUptimeIncident: { id: row._id } },
    });
  });

  it('is CONFLICT, with nothing written, when another OneUptime incident claims the Coralogix one', async () => {
    const incident = linkedIncident();
    stack.sandbox.clearRequests();
    const response = await stack.graphql(LINK, {
      i: { incidentId: incident.id, oneUptimeIncidentId: oneUptimeOnly()._id },
    });
    expect(codeOf(response)).toBe('CONFLICT');
    expect(response.errors?.[0]?.message).toContain(claimants(incident.id)[0]!._id);
    expect(writes()).toEqual([]);
  });

  it('is CONFLICT, with nothing written, when the OneUptime incident already names another', async () => {
    const taken = claimants(linkedIncident(1).id)[0]!;
    stack.sandbox.clearRequests();
    const response = await stack.graphql(LINK, {
      i: { incidentId: unlinkedIncident().id, oneUptimeIncidentId: taken._id },
    });
    expect(codeOf(response)).toBe('CONFLICT');
    expect(writes()).toEqual([]);
  });

  it('changes nothing when the two are already linked', async () => {
    const incident = linkedIncident(2);
    stack.sandbox.clearRequests();
    const response = await stack.graphql(LINK, {
      i: { incidentId: incident.id, oneUptimeIncidentId: claimants(incident.id)[0]!._id },
    });
    expect(response.errors).toBeUndefined();
    expect(writes()).toEqual([]);
  });

  it('is NOT_FOUND for a OneUptime incident that does not exist, with nothing written', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(LINK, {
      i: {
        incidentId: unlinkedIncident().id,
        oneUptimeIncidentId: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(codeOf(response)).toBe('NOT_FOUND');
    expect(writes()).toEqual([]);
  });
});

describe('unlinkIncident', () => {
  it('removes only the link key from every claimant, and the link is gone at once', async () => {
    const conflicted = seed().incidents.find((i) => claimants(i.id).length > 1)!;
    const rows = claimants(conflicted.id);
    expect((await stack.graphql(LINK_STATUS, { id: conflicted.id })).data).toMatchObject({
      incident: { linkStatus: 'CONFLICT' },
    });
    stack.sandbox.clearRequests();
    const response = await stack.graphql(UNLINK, { i: { incidentId: conflicted.id } });
    expect(response.errors).toBeUndefined();
    const without = (row: { customFields?: unknown }) => {
      const fields = { ...fieldsOf(row) };
      delete fields[LINK_FIELD];
      return fields;
    };
    expect(
      writes()
        .map((r) => [r.method, r.path, r.body])
        .sort(),
    ).toEqual(
      rows
        .map((row) => ['PUT', `/api/incident/${row._id}`, { data: { customFields: without(row) } }])
        .sort(),
    );
    expect((await stack.graphql(LINK_STATUS, { id: conflicted.id })).data).toEqual({
      incident: { linkStatus: 'NOT_LINKED', oneUptimeIncident: null },
    });
  });

  it('keeps the other ids of a multi-value link field: unlinking one never unlinks another', async () => {
    const [first, second] = [unlinkedIncident(2), unlinkedIncident(3)];
    const row = oneUptimeOnly();
    const put = await oneUptime(stack.sandbox, `/api/incident/${row._id}`, 'PUT', {
      data: { customFields: { ...fieldsOf(row), [LINK_FIELD]: [first.id, second.id] } },
    });
    expect(put.status).toBe(200);
    // Both cached as linked first: the write must drop only what it changed.
    for (const incident of [first, second]) {
      expect((await stack.graphql(LINK_STATUS, { id: incident.id })).data).toEqual({
        incident: { linkStatus: 'LINKED', oneUptimeIncident: { id: row._id } },
      });
    }
    stack.sandbox.clearRequests();
    const response = await stack.graphql(UNLINK, { i: { incidentId: first.id } });
    expect(response.errors).toBeUndefined();
    const kept = { ...fieldsOf(row), [LINK_FIELD]: [second.id] };
    expect(writes().map((r) => [r.method, r.path, r.body])).toEqual([
      ['PUT', `/api/incident/${row._id}`, { data: { customFields: kept } }],
    ]);
    expect(response.data).toMatchObject({
      unlinkIncident: { oneUptimeIncident: { id: row._id, customFields: kept } },
    });
    expect((await stack.graphql(LINK_STATUS, { id: first.id })).data).toEqual({
      incident: { linkStatus: 'NOT_LINKED', oneUptimeIncident: null },
    });
    expect((await stack.graphql(LINK_STATUS, { id: second.id })).data).toEqual({
      incident: { linkStatus: 'LINKED', oneUptimeIncident: { id: row._id } },
    });
  });

  it('is seen by the next mutation field of the same operation', async () => {
    const incident = linkedIncident(4);
    const response = await stack.graphql<{
      b: {
        created: boolean;
        incident: { linkStatus: string; oneUptimeIncident: { id: string } | null };
        oneUptimeIncident: { id: string };
      };
    }>(
      `mutation ($i: ID!) {
        a: unlinkIncident(input: { incidentId: $i }) { incident { linkStatus } }
        b: ensureOneUptimeIncident(input: { incidentId: $i }) {
          created incident { linkStatus oneUptimeIncident { id } } oneUptimeIncident { id }
        }
      }`,
      { i: incident.id },
    );
    expect(response.errors).toBeUndefined();
    const b = response.data!.b;
    expect(b.created).toBe(true);
    // The link ensure made, not the one unlink removed nor "not linked" from before it.
    expect(b.incident).toEqual({
      linkStatus: 'LINKED',
      oneUptimeIncident: { id: b.oneUptimeIncident.id },
    });
  });

  it('writes nothing for an incident that is not linked', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(UNLINK, { i: { incidentId: unlinkedIncident().id } });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ unlinkIncident: { oneUptimeIncident: null } });
    expect(writes()).toEqual([]);
  });
});

describe('ensureOneUptimeIncident', () => {
  it('returns the linked incident and creates nothing when there is one', async () => {
    const incident = linkedIncident(3);
    stack.sandbox.clearRequests();
    const response = await stack.graphql(ENSURE, { i: { incidentId: incident.id } });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({
      ensureOneUptimeIncident: {
        oneUptimeIncident: { id: claimants(incident.id)[0]!._id },
        created: false,
      },
    });
    expect(writes()).toEqual([]);
    // The link query read the incident: no second read of it.
    expect(stack.sandbox.requests('oneuptime').map((r) => r.path)).toEqual([
      '/api/incident/get-list',
    ]);
  });

  it('creates one linked incident titled after the Coralogix one, severity matched by name', async () => {
    const incident = unlinkedIncident(1);
    stack.sandbox.clearRequests();
    const response = await stack.graphql<{
      ensureOneUptimeIncident: {
        oneUptimeIncident: { id: string; title: string; severity: { name: string } };
        created: boolean;
      };
    }>(ENSURE, { i: { incidentId: incident.id } });
    expect(response.errors).toBeUndefined();
    const severityName = incident.severity.replace('INCIDENT_SEVERITY_', '').toLowerCase();
    const severity = seed().incidentSeverities.find((s) => s.name.toLowerCase() === severityName);
    expect(severity, `a seeded severity named like ${incident.severity}`).toBeDefined();
    const created = response.data!.ensureOneUptimeIncident;
    expect(created.created).toBe(true);
    expect(created.oneUptimeIncident).toMatchObject({
      title: incident.name,
      severity: { name: severity!.name },
    });
    expect(writes().map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        '/api/incident',
        {
          data: {
            title: incident.name,
            description: incident.description,
            incidentSeverityId: severity!._id,
            customFields: { [LINK_FIELD]: incident.id },
          },
        },
      ],
    ]);
    expect((await stack.graphql(LINK_STATUS, { id: incident.id })).data).toEqual({
      incident: { linkStatus: 'LINKED', oneUptimeIncident: { id: created.oneUptimeIncident.id } },
    });
  });

  it('two concurrent calls for one incident create exactly one OneUptime incident', async () => {
    const incident = unlinkedIncident(2);
    // Slow answers: without the lock both calls would read "not linked" before either creates.
    stack.sandbox.setLatency(50);
    stack.sandbox.clearRequests();
    const [a, b] = await Promise.all([
      stack.graphql(ENSURE, { i: { incidentId: incident.id } }),
      stack.graphql(ENSURE, { i: { incidentId: incident.id } }),
    ]);
    stack.sandbox.setLatency(0);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    const creates = writes().filter((r) => r.method === 'POST' && r.path === '/api/incident');
    expect(creates).toHaveLength(1);
    const payloads = [a, b].map(
      (r) =>
        (
          r.data as {
            ensureOneUptimeIncident: { created: boolean; oneUptimeIncident: { id: string } };
          }
        ).ensureOneUptimeIncident,
    );
    expect(payloads.map((p) => p.created).sort()).toEqual([false, true]);
    expect(payloads[0]!.oneUptimeIncident.id).toBe(payloads[1]!.oneUptimeIncident.id);
  });

  it('refuses an unknown severity or state id with BAD_USER_INPUT and writes nothing', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const input of [{ severityId: missing }, { stateId: missing }]) {
      stack.sandbox.clearRequests();
      const response = await stack.graphql(ENSURE, {
        i: { incidentId: unlinkedIncident(3).id, ...input },
      });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(writes()).toEqual([]);
    }
  });
});

describe('createStateTimeline through the link', () => {
  const nextState = (row: { currentIncidentStateId?: string | null }) => {
    const states = [...seed().incidentStates].sort((a, b) => a.order - b.order);
    const current = states.findIndex((s) => s._id === row.currentIncidentStateId);
    return states.slice(current + 1).find((s) => !s.isResolvedState) ?? states.at(-1)!;
  };

  it('writes the entry to the OneUptime incident linked to the Coralogix one, never the Coralogix id', async () => {
    const incident = seed().incidents.find((i) => {
      const [row] = claimants(i.id);
      return (
        claimants(i.id).length === 1 && row && nextState(row)._id !== row.currentIncidentStateId
      );
    })!;
    const row = claimants(incident.id)[0]!;
    const state = nextState(row);
    stack.sandbox.clearRequests();
    const response = await stack.graphql(CREATE_ENTRY, {
      i: { incidentId: incident.id, incidentStateId: state._id },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({
      createStateTimeline: {
        oneUptimeIncidentId: row._id,
        incident: { id: incident.id },
        state: { name: state.name },
      },
    });
    expect(writes().map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        '/api/incident-state-timeline',
        { data: { incidentId: row._id, incidentStateId: state._id } },
      ],
    ]);
  });

  it('is NOT_LINKED, with nothing written, for a Coralogix incident without a linked one', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(CREATE_ENTRY, {
      i: { incidentId: unlinkedIncident().id, incidentStateId: seed().incidentStates[1]!._id },
    });
    expect(codeOf(response)).toBe('NOT_LINKED');
    expect(writes()).toEqual([]);
  });

  it.each([
    ['both incident ids', (c: string, o: string) => ({ incidentId: c, oneUptimeIncidentId: o })],
    ['neither incident id', () => ({})],
    ['a OneUptime id that is not a UUID', () => ({ oneUptimeIncidentId: 'OU-42' })],
    [
      'a state id that is not a UUID',
      (c: string) => ({ incidentId: c, incidentStateId: 'Acknowledged' }),
    ],
  ])('refuses %s with BAD_USER_INPUT before any upstream call', async (_name, input) => {
    const incident = linkedIncident();
    stack.sandbox.clearRequests();
    const response = await stack.graphql(CREATE_ENTRY, {
      i: {
        incidentStateId: seed().incidentStates[1]!._id,
        ...input(incident.id, claimants(incident.id)[0]!._id),
      },
    });
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(stack.sandbox.requests()).toEqual([]);
  });

  it('refuses a state the project does not have with BAD_USER_INPUT, nothing written', async () => {
    stack.sandbox.clearRequests();
    const response = await stack.graphql(CREATE_ENTRY, {
      i: {
        oneUptimeIncidentId: claimants(linkedIncident().id)[0]!._id,
        incidentStateId: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(writes()).toEqual([]);
  });
});
