import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import type {
  CallOptions,
  CoralogixClient,
  IncidentAction,
} from '../../src/upstreams/coralogix/incidents/client.js';
import { createCoralogixLoaders } from '../../src/upstreams/coralogix/incidents/loaders.js';
import type {
  AssignIncidentsRequest,
  BatchGetIncidentsResponse,
  Incident,
  ListIncidentsRequest,
  ListIncidentsResponse,
} from '../../src/upstreams/coralogix/incidents/types.js';
import type { ListOptions, OneUptimeClient } from '../../src/upstreams/oneuptime/client.js';
import { createOneUptimeLoaders } from '../../src/upstreams/oneuptime/loaders.js';
import { RESOURCES, selectOf } from '../../src/upstreams/oneuptime/resources.js';
import type {
  IncidentRoleRecord,
  IncidentSlaRecord,
  OneUptimeResource,
  Query,
  Select,
  StateTimelineRecord,
} from '../../src/upstreams/oneuptime/types.js';

const CALL: CallOptions = { apiKey: 'request-key' };

/** A tiny recording spy: every call to the fake client, in order. */
function recorder() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  return {
    calls,
    record: (method: string, ...args: unknown[]) => void calls.push({ method, args }),
    of: (method: string) => calls.filter((c) => c.method === method).map((c) => c.args),
  };
}

const unavailable = (upstream: 'coralogix' | 'oneuptime') =>
  new UpstreamError('UPSTREAM_UNAVAILABLE', upstream, 'down');

// ---------------------------------------------------------------- Coralogix

const incident = (id: string, name = `incident ${id}`): Incident => ({
  id,
  name,
  state: 'INCIDENT_STATE_TRIGGERED',
  status: 'INCIDENT_STATUS_TRIGGERED',
  severity: 'INCIDENT_SEVERITY_ERROR',
  assignments: [],
  contextualLabels: {},
  displayLabels: {},
  events: [],
  createdAt: '2026-10-01T00:00:00.000Z',
  lastStateUpdateTime: '2026-10-01T00:00:00.000Z',
  lastStateUpdateKey: 'k',
  duration: '60s',
});

function fakeCoralogix(ids: string[]) {
  const spy = recorder();
  const store = new Map(ids.map((id) => [id, incident(id)]));
  const failures: Error[] = [];
  const fake = {
    async batchGet(keys: readonly string[], call: CallOptions): Promise<BatchGetIncidentsResponse> {
      spy.record('batchGet', [...keys], call);
      const failure = failures.shift();
      if (failure) throw failure;
      // A map keyed by id, in an order unrelated to the request, like the real API.
      const incidents: Record<string, Incident> = {};
      for (const key of [...keys].reverse()) {
        const found = store.get(key);
        if (found) incidents[key] = found;
      }
      return { incidents, notFoundIds: keys.filter((key) => !store.has(key)) };
    },
    async list(request: ListIncidentsRequest, call: CallOptions): Promise<ListIncidentsResponse> {
      spy.record('list', request, call);
      const incidents = [...store.values()].map((item) => ({ ...item, name: 'from list' }));
      return { incidents, pagination: { totalSize: incidents.length } };
    },
    async assign(request: AssignIncidentsRequest, call: CallOptions): Promise<Incident[]> {
      spy.record('assign', request, call);
      return request.incidentIds.map((id) => ({
        ...incident(id, 'assigned'),
        assignments: [{ assignedTo: request.assignedTo }],
      }));
    },
    async act(
      action: IncidentAction,
      incidentIds: string[],
      call: CallOptions,
    ): Promise<Incident[]> {
      spy.record('act', action, incidentIds, call);
      return incidentIds.map((id) => ({
        ...incident(id, action),
        status: 'INCIDENT_STATUS_RESOLVED',
      }));
    },
  };
  return { client: fake as unknown as CoralogixClient, spy, failures };
}

describe('createCoralogixLoaders', () => {
  it('makes one batchGet for many loads in one tick, with the request key', async () => {
    const { client, spy } = fakeCoralogix(['a', 'b', 'c']);
    const loaders = createCoralogixLoaders(client, CALL);
    await Promise.all(['a', 'b', 'c'].map((id) => loaders.incident.load(id)));
    expect(spy.calls).toEqual([{ method: 'batchGet', args: [['a', 'b', 'c'], CALL] }]);
  });

  it('returns results in key order, whatever order the map comes back in', async () => {
    const { client } = fakeCoralogix(['a', 'b', 'c']);
    const loaders = createCoralogixLoaders(client, CALL);
    const results = await loaders.incident.loadMany(['c', 'a', 'b']);
    expect(results.map((r) => (r as Incident).id)).toEqual(['c', 'a', 'b']);
  });

  it('answers null for ids named like Object.prototype members', async () => {
    const { client } = fakeCoralogix(['a']);
    const loaders = createCoralogixLoaders(client, CALL);
    const results = await loaders.incident.loadMany(['constructor', 'toString', '__proto__']);
    expect(results).toEqual([null, null, null]);
  });

  it('answers null for an id Coralogix does not know', async () => {
    const { client } = fakeCoralogix(['a']);
    const loaders = createCoralogixLoaders(client, CALL);
    const [found, missing] = await Promise.all([
      loaders.incident.load('a'),
      loaders.incident.load('zzz'),
    ]);
    expect(found?.id).toBe('a');
    expect(missing).toBeNull();
  });

  it('asks for a repeated key once', async () => {
    const { client, spy } = fakeCoralogix(['a', 'b']);
    const loaders = createCoralogixLoaders(client, CALL);
    const [first, second, other] = await Promise.all([
      loaders.incident.load('a'),
      loaders.incident.load('a'),
      loaders.incident.load('b'),
    ]);
    expect(spy.of('batchGet')).toEqual([[['a', 'b'], CALL]]);
    expect(first).toBe(second);
    expect(other?.id).toBe('b');
  });

  it('asks a later tick only for the keys it has not seen', async () => {
    const { client, spy } = fakeCoralogix(['a', 'b', 'c']);
    const loaders = createCoralogixLoaders(client, CALL);
    await loaders.incident.loadMany(['a', 'b']);
    await loaders.incident.loadMany(['b', 'c']);
    expect(spy.of('batchGet').map(([ids]) => ids)).toEqual([['a', 'b'], ['c']]);
  });

  it('rejects every key of a failed batch and does not cache the failure', async () => {
    const { client, spy, failures } = fakeCoralogix(['a', 'b']);
    const failure = unavailable('coralogix');
    failures.push(failure);
    const loaders = createCoralogixLoaders(client, CALL);
    const settled = await Promise.allSettled([
      loaders.incident.load('a'),
      loaders.incident.load('b'),
    ]);
    expect(settled).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
    expect((await loaders.incident.load('a'))?.id).toBe('a');
    expect(spy.of('batchGet')).toHaveLength(2);
  });

  it('makes one call per key, and caches nothing, with batch: false', async () => {
    const { client, spy } = fakeCoralogix(['a', 'b']);
    const loaders = createCoralogixLoaders(client, CALL, { batch: false });
    await Promise.all([
      loaders.incident.load('a'),
      loaders.incident.load('b'),
      loaders.incident.load('a'),
    ]);
    expect(spy.of('batchGet').map(([ids]) => ids)).toEqual([['a'], ['b'], ['a']]);
  });

  it('primes the cache from a list page', async () => {
    const { client, spy } = fakeCoralogix(['a', 'b']);
    const loaders = createCoralogixLoaders(client, CALL);
    const request: ListIncidentsRequest = { pagination: { pageSize: 2 } };
    const page = await loaders.list(request);
    expect(spy.of('list')).toEqual([[request, CALL]]);
    expect(await loaders.incident.load('b')).toBe(page.incidents[1]);
    expect(spy.of('batchGet')).toEqual([]);
  });

  it('replaces a cached incident with the one an assign returns', async () => {
    const { client, spy } = fakeCoralogix(['a']);
    const loaders = createCoralogixLoaders(client, CALL);
    expect((await loaders.incident.load('a'))?.name).toBe('incident a');
    const [assigned] = await loaders.assign(['a'], 'user-7');
    expect(spy.of('assign')).toEqual([
      [{ incidentIds: ['a'], assignedTo: { userId: 'user-7' } }, CALL],
    ]);
    expect(await loaders.incident.load('a')).toBe(assigned);
    expect(spy.of('batchGet')).toHaveLength(1);
  });

  it('primes the cache with what an action returns', async () => {
    const { client, spy } = fakeCoralogix(['a', 'b']);
    const loaders = createCoralogixLoaders(client, CALL);
    const resolved = await loaders.act('resolve', ['a', 'b']);
    expect(spy.of('act')).toEqual([['resolve', ['a', 'b'], CALL]]);
    expect(await loaders.incident.loadMany(['a', 'b'])).toEqual(resolved);
    expect(spy.of('batchGet')).toEqual([]);
  });

  it('does not prime anything with batch: false', async () => {
    const { client, spy } = fakeCoralogix(['a']);
    const loaders = createCoralogixLoaders(client, CALL, { batch: false });
    await loaders.act('close', ['a']);
    await loaders.incident.load('a');
    expect(spy.of('batchGet')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------- OneUptime

const INC = {
  one: '11111111-1111-4111-8111-111111111111',
  two: '22222222-2222-4222-8222-222222222222',
  three: '33333333-3333-4333-8333-333333333333',
  other: '99999999-9999-4999-8999-999999999999',
};

type AnyRecord = StateTimelineRecord | IncidentRoleRecord | IncidentSlaRecord;

function fakeOneUptime(tables: Partial<Record<OneUptimeResource, AnyRecord[]>>) {
  const spy = recorder();
  const failures: Error[] = [];
  const rows = (resource: OneUptimeResource) => tables[resource] ?? [];
  const fake = {
    async listByIds(
      resource: OneUptimeResource,
      column: string,
      ids: readonly string[],
      options: Omit<ListOptions, 'query' | 'skip' | 'limit'>,
      call: CallOptions,
    ): Promise<AnyRecord[]> {
      spy.record('listByIds', resource, column, [...ids], options, call);
      const failure = failures.shift();
      if (failure) throw failure;
      // Like an upstream that ignores the IN query: every row comes back.
      if (column === 'incidentId') return rows(resource);
      return rows(resource).filter((row) =>
        ids.includes(String((row as unknown as Record<string, unknown>)[column])),
      );
    },
    async list(resource: OneUptimeResource, options: ListOptions, call: CallOptions) {
      spy.record('list', resource, options, call);
      const data = rows(resource);
      return { data, count: data.length, skip: options.skip ?? 0, limit: options.limit ?? 100 };
    },
    async count(resource: OneUptimeResource, query: Query, call: CallOptions) {
      spy.record('count', resource, query, call);
      return 42;
    },
    async create(resource: OneUptimeResource, data: Record<string, unknown>, call: CallOptions) {
      spy.record('create', resource, data, call);
      return { _id: INC.other, ...data };
    },
    async update(
      resource: OneUptimeResource,
      id: string,
      data: Record<string, unknown>,
      call: CallOptions,
    ) {
      spy.record('update', resource, id, data, call);
    },
    async getItem(resource: OneUptimeResource, id: string, select: Select, call: CallOptions) {
      spy.record('getItem', resource, id, select, call);
      return { _id: id, name: 'read back' };
    },
    async delete(resource: OneUptimeResource, id: string, call: CallOptions) {
      spy.record('delete', resource, id, call);
    },
  };
  return { client: fake as unknown as OneUptimeClient, spy, failures };
}

const timeline = (id: string, incidentId: string, startsAt: string): StateTimelineRecord => ({
  _id: id,
  incidentId,
  startsAt,
});
const role = (id: string, name: string): IncidentRoleRecord => ({ _id: id, name });

const TIMELINES = [
  timeline('t1', INC.one, '2026-10-01T00:00:00.000Z'),
  timeline('t2', INC.two, '2026-10-01T00:01:00.000Z'),
  timeline('t3', INC.one, '2026-10-01T00:02:00.000Z'),
  timeline('t4', INC.other, '2026-10-01T00:03:00.000Z'),
];
const ROLES = [role('r1', 'Scribe'), role('r2', 'Incident Commander'), role('r3', 'Liaison')];

describe('createOneUptimeLoaders', () => {
  it('joins many incidents with one get-list per resource in one tick', async () => {
    const { client, spy } = fakeOneUptime({
      'incident-state-timeline': TIMELINES,
      'incident-sla': [],
    });
    const loaders = createOneUptimeLoaders(client, CALL);
    await Promise.all([
      loaders.timelinesByIncident.load(INC.one),
      loaders.timelinesByIncident.load(INC.two),
      loaders.timelinesByIncident.load(INC.three),
      loaders.slasByIncident.load(INC.one),
      loaders.slasByIncident.load(INC.two),
    ]);
    expect(spy.of('listByIds')).toEqual([
      [
        'incident-state-timeline',
        'incidentId',
        [INC.one, INC.two, INC.three],
        { select: selectOf('incident-state-timeline'), sort: { startsAt: 'ASC' } },
        CALL,
      ],
      [
        'incident-sla',
        'incidentId',
        [INC.one, INC.two],
        { select: selectOf('incident-sla'), sort: RESOURCES['incident-sla'].sort },
        CALL,
      ],
    ]);
  });

  it('groups joined rows by incident in key order, keeping the list order, with [] for none', async () => {
    const { client } = fakeOneUptime({ 'incident-state-timeline': TIMELINES });
    const loaders = createOneUptimeLoaders(client, CALL);
    const groups = await loaders.timelinesByIncident.loadMany([INC.three, INC.one, INC.two]);
    expect(groups.map((g) => (g as StateTimelineRecord[]).map((row) => row._id))).toEqual([
      [],
      ['t1', 't3'],
      ['t2'],
    ]);
  });

  it('drops joined rows of incidents that were not asked for', async () => {
    const { client } = fakeOneUptime({ 'incident-state-timeline': TIMELINES });
    const loaders = createOneUptimeLoaders(client, CALL);
    const groups = await loaders.timelinesByIncident.loadMany([INC.one, INC.two]);
    expect(groups.flat().map((row) => (row as StateTimelineRecord)._id)).not.toContain('t4');
  });

  it('looks records up by id in one call, in key order, with null for a missing id', async () => {
    const { client, spy } = fakeOneUptime({ 'incident-role': ROLES });
    const loaders = createOneUptimeLoaders(client, CALL);
    const results = await Promise.all([
      loaders.roleById.load('r3'),
      loaders.roleById.load('missing'),
      loaders.roleById.load('r1'),
    ]);
    expect(results.map((r) => r?._id ?? null)).toEqual(['r3', null, 'r1']);
    expect(spy.of('listByIds')).toEqual([
      [
        'incident-role',
        '_id',
        ['r3', 'missing', 'r1'],
        { select: selectOf('incident-role') },
        CALL,
      ],
    ]);
  });

  it('asks for a repeated key once', async () => {
    const { client, spy } = fakeOneUptime({ 'incident-role': ROLES });
    const loaders = createOneUptimeLoaders(client, CALL);
    const [a, b] = await Promise.all([loaders.roleById.load('r1'), loaders.roleById.load('r1')]);
    expect(a).toBe(b);
    expect(spy.of('listByIds').map((args) => args[2])).toEqual([['r1']]);
  });

  it('rejects every key of a failed batch and does not cache the failure', async () => {
    const { client, spy, failures } = fakeOneUptime({ 'incident-state-timeline': TIMELINES });
    const failure = unavailable('oneuptime');
    failures.push(failure);
    const loaders = createOneUptimeLoaders(client, CALL);
    const settled = await Promise.allSettled([
      loaders.timelinesByIncident.load(INC.one),
      loaders.timelinesByIncident.load(INC.two),
    ]);
    expect(settled.map((s) => (s.status === 'rejected' ? s.reason : s.value))).toEqual([
      failure,
      failure,
    ]);
    expect((await loaders.timelinesByIncident.load(INC.one)).map((row) => row._id)).toEqual([
      't1',
      't3',
    ]);
    expect(spy.of('listByIds')).toHaveLength(2);
  });

  it('makes one call per key, and caches nothing, with batch: false', async () => {
    const { client, spy } = fakeOneUptime({ 'incident-role': ROLES });
    const loaders = createOneUptimeLoaders(client, CALL, { batch: false });
    await Promise.all([
      loaders.roleById.load('r1'),
      loaders.roleById.load('r2'),
      loaders.roleById.load('r1'),
    ]);
    expect(spy.of('listByIds').map((args) => args[2])).toEqual([['r1'], ['r2'], ['r1']]);
  });

  it('lists one page with the resource select and sort, priming the by-id loader', async () => {
    const { client, spy } = fakeOneUptime({ 'incident-role': ROLES });
    const loaders = createOneUptimeLoaders(client, CALL);
    const page = await loaders.list('incident-role', { query: {}, skip: 20, limit: 10 });
    expect(spy.of('list')).toEqual([
      [
        'incident-role',
        {
          select: selectOf('incident-role'),
          sort: { createdAt: 'DESC' },
          query: {},
          skip: 20,
          limit: 10,
        },
        CALL,
      ],
    ]);
    expect(await loaders.roleById.load('r2')).toBe(page.data[1]);
    expect(spy.of('listByIds')).toEqual([]);
  });

  it('primes the matching by-id loader for each resource it lists', async () => {
    const sla: IncidentSlaRecord = { _id: 's1', incidentId: INC.one, status: 'Met' };
    const { client, spy } = fakeOneUptime({
      'incident-sla': [sla],
      'incident-state-timeline': TIMELINES,
    });
    const loaders = createOneUptimeLoaders(client, CALL);
    await loaders.list('incident-sla', {});
    await loaders.list('incident-state-timeline', {});
    expect(await loaders.slaById.load('s1')).toBe(sla);
    expect(await loaders.timelineById.load('t2')).toBe(TIMELINES[1]);
    expect(spy.of('listByIds')).toEqual([]);
  });

  it('does not prime anything with batch: false', async () => {
    const { client, spy } = fakeOneUptime({ 'incident-role': ROLES });
    const loaders = createOneUptimeLoaders(client, CALL, { batch: false });
    await loaders.list('incident-role', {});
    await loaders.roleById.load('r1');
    expect(spy.of('listByIds')).toHaveLength(1);
  });

  it('primes the cache with a created timeline entry', async () => {
    const { client, spy } = fakeOneUptime({});
    const loaders = createOneUptimeLoaders(client, CALL);
    const data = { incidentId: INC.one, incidentStateId: INC.two };
    const created = await loaders.createTimeline(data);
    expect(spy.of('create')).toEqual([['incident-state-timeline', data, CALL]]);
    expect(await loaders.timelineById.load(created._id)).toBe(created);
    expect(spy.of('listByIds')).toEqual([]);
  });

  it('primes the cache with a created role', async () => {
    const { client, spy } = fakeOneUptime({});
    const loaders = createOneUptimeLoaders(client, CALL);
    const created = await loaders.createRole({ name: 'Scribe', color: '#9B59B6' });
    expect(await loaders.roleById.load(created._id)).toBe(created);
    expect(spy.of('listByIds')).toEqual([]);
  });

  it('reads an updated role back fresh and forgets the stale cached one', async () => {
    const { client, spy } = fakeOneUptime({ 'incident-role': ROLES });
    const loaders = createOneUptimeLoaders(client, CALL);
    await loaders.roleById.load('r1');
    const updated = await loaders.updateRole('r1', { name: 'Note taker' });
    expect(spy.of('update')).toEqual([['incident-role', 'r1', { name: 'Note taker' }, CALL]]);
    expect(spy.of('getItem')).toEqual([['incident-role', 'r1', selectOf('incident-role'), CALL]]);
    expect(updated).toEqual({ _id: 'r1', name: 'read back' });
    await loaders.roleById.load('r1');
    expect(spy.of('listByIds')).toHaveLength(2);
  });

  it('forgets a deleted role', async () => {
    const { client, spy } = fakeOneUptime({ 'incident-role': ROLES });
    const loaders = createOneUptimeLoaders(client, CALL);
    await loaders.roleById.load('r2');
    await loaders.deleteRole('r2');
    expect(spy.of('delete')).toEqual([['incident-role', 'r2', CALL]]);
    await loaders.roleById.load('r2');
    expect(spy.of('listByIds')).toHaveLength(2);
  });

  it('counts through the client with the request key', async () => {
    const { client, spy } = fakeOneUptime({});
    const loaders = createOneUptimeLoaders(client, CALL);
    expect(await loaders.count('incident-sla', { status: ['Met'] })).toBe(42);
    expect(spy.of('count')).toEqual([['incident-sla', { status: ['Met'] }, CALL]]);
  });
});
