/**
 * The gateway speaks the vendors' current APIs: the exact method, path and
 * query string of every Coralogix v5 call it makes, ids refused before any
 * call, and answers read the way the real servers send them.
 */
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { CX, type CoralogixRoute } from '../support/coralogix.js';
import { useStack } from '../support/stack.js';

const stack = useStack({ resetEach: true });

const coralogixCalls = () =>
  stack.sandbox.requests('coralogix').map((r: RecordedRequest) => ({
    method: r.method,
    path: r.path,
    query: r.query,
    body: r.body,
  }));
const call = (route: CoralogixRoute, query: Record<string, string[]> = {}, body?: unknown) => ({
  method: route.method,
  path: route.path,
  query,
  body,
});
const seeded = () => stack.sandbox.seed.incidents;

describe('every Coralogix call, as the v5 API documents it', () => {
  it('lists with POST /mgmt/openapi/5/incidents/incidents/v1 and no query string', async () => {
    const response = await stack.graphql('{ incidents(first: 2) { totalCount } }');
    expect(response.errors).toBeUndefined();
    expect(coralogixCalls()).toEqual([
      call(CX.list, {}, expect.objectContaining({ pagination: { pageSize: 2 } })),
    ]);
  });

  it('reads incidents by id with GET …/incidents/v1?ids=<id> and no body', async () => {
    const id = seeded()[0]!.id;
    const response = await stack.graphql('query ($id: ID!) { incident(id: $id) { id } }', { id });
    expect(response.data).toEqual({ incident: { id } });
    expect(coralogixCalls()).toEqual([call(CX.batchGet, { ids: [id] })]);
  });

  it('matches an id given in capitals to the incident Coralogix returns', async () => {
    const id = seeded()[0]!.id;
    const response = await stack.graphql('query ($id: ID!) { incident(id: $id) { id } }', {
      id: id.toUpperCase(),
    });
    expect(response.data).toEqual({ incident: { id } });
  });

  const ids = () =>
    seeded()
      .slice(0, 2)
      .map((i) => i.id);
  const mutation = (field: string, extra = '') =>
    `mutation ($ids: [ID!]!) { ${field}(input: { incidentIds: $ids${extra} }) { incidents { id } } }`;

  it('assigns with POST …/all/by-user {incidentIds, assignedTo}', async () => {
    const user = stack.sandbox.seed.users[3]!.id;
    await stack.graphql(mutation('assignIncidents', `, userId: "${user}"`), { ids: ids() });
    expect(coralogixCalls()).toEqual([
      call(CX.assign, {}, { incidentIds: ids(), assignedTo: { userId: user } }),
    ]);
  });

  it('unassigns with DELETE …/all/by-user?incident_ids=…&incident_ids=… and no body', async () => {
    await stack.graphql(mutation('unassignIncidents'), { ids: ids() });
    expect(coralogixCalls()).toEqual([call(CX.unassign, { incident_ids: ids() })]);
  });

  it.each([
    ['acknowledgeIncidents', CX.acknowledge],
    ['resolveIncidents', CX.resolve],
    ['closeIncidents', CX.close],
  ] as const)('%s posts {incidentIds} to %j', async (field, route) => {
    const response = await stack.graphql(mutation(field), { ids: ids() });
    expect(response.errors).toBeUndefined();
    expect(coralogixCalls()).toEqual([call(route, {}, { incidentIds: ids() })]);
  });
});

describe('Coralogix ids are UUIDs, checked before any call', () => {
  it.each([
    ['incident(id)', '{ incident(id: "not-a-uuid") { id } }'],
    [
      'assignIncidents',
      'mutation { assignIncidents(input: { incidentIds: ["INC-42"], userId: "u" }) { incidents { id } } }',
    ],
    [
      'unassignIncidents',
      'mutation { unassignIncidents(input: { incidentIds: ["42"] }) { incidents { id } } }',
    ],
    [
      'closeIncidents',
      'mutation { closeIncidents(input: { incidentIds: ["00000000-0000-4000-8000-00000000000"] }) { incidents { id } } }',
    ],
  ])('%s with a non-UUID id is BAD_USER_INPUT and reaches no upstream', async (_name, query) => {
    const response = await stack.graphql(query);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sandbox.requests()).toEqual([]);
  });
});

describe('SLA statuses as OneUptime sends them', () => {
  /** OneUptime's status column is free text: write one no enum has, straight to the emulator. */
  async function setStatus(slaId: string, status: string) {
    const response = await fetch(`${stack.sandbox.oneuptime.url}/api/incident-sla/${slaId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', apikey: stack.sandbox.oneuptime.apiKey },
      body: JSON.stringify({ data: { status } }),
    });
    expect(response.status).toBe(200);
  }

  it('shows a status outside the five as UNKNOWN and keeps the text', async () => {
    const sla = stack.sandbox.seed.slas[0]!;
    await setStatus(sla._id, 'Paused');
    const response = await stack.graphql(
      'query ($id: ID!) { incidentSla(id: $id) { status statusText } }',
      { id: sla._id },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ incidentSla: { status: 'UNKNOWN', statusText: 'Paused' } });
  });

  it('filters by UNKNOWN as "none of the five", and refuses UNKNOWN mixed with others', async () => {
    const sla = stack.sandbox.seed.slas[1]!;
    await setStatus(sla._id, 'Waiting on customer');
    const unknown = await stack.graphql<{
      incidentSlas: { totalCount: number; edges: Array<{ node: { id: string } }> };
    }>('{ incidentSlas(filter: { statuses: [UNKNOWN] }) { totalCount edges { node { id } } } }');
    expect(unknown.data?.incidentSlas.totalCount).toBe(1);
    expect(unknown.data?.incidentSlas.edges.map((e) => e.node.id)).toEqual([sla._id]);

    stack.sandbox.clearRequests();
    const mixed = await stack.graphql(
      '{ incidentSlas(filter: { statuses: [UNKNOWN, MET] }) { totalCount } }',
    );
    expect(mixed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sandbox.requests()).toEqual([]);
  });
});
