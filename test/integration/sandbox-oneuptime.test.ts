/**
 * Contract tests of the OneUptime emulator over real HTTP: routes, auth,
 * paging, select/query/sort semantics, value encodings and write rules, as
 * shared/upstreams/oneuptime.md describes the real server. Expected rows are
 * computed from the seed, independently of the emulator's code.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { SeedData } from '../../src/sandbox/seed.js';
import { plain } from '../support/oneuptime.js';

type Json = Record<string, unknown>;
interface Reply<T = Json> {
  status: number;
  body: T;
}
interface ListReply {
  data: Json[];
  count: number;
  skip: number;
  limit: number;
}
interface CallOptions {
  method?: string;
  body?: unknown;
  raw?: string;
  /** `null` sends no ApiKey header. */
  apiKey?: string | null;
  target?: Sandbox;
}

let sandbox: Sandbox;
let plainSandbox: Sandbox;
let seed: SeedData;
let seedSnapshot: SeedData;

beforeAll(async () => {
  sandbox = await startSandbox();
  // The same data, so relative to the same instant.
  plainSandbox = await startSandbox({ valueEncoding: 'plain', now: sandbox.now });
  seed = sandbox.seed;
  seedSnapshot = structuredClone(seed);
});

afterAll(async () => {
  await Promise.all([sandbox.stop(), plainSandbox.stop()]);
});

beforeEach(() => {
  sandbox.reset();
});

async function call<T = Json>(path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const target = options.target ?? sandbox;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const apiKey = options.apiKey === undefined ? target.oneuptime.apiKey : options.apiKey;
  if (apiKey !== null) headers.ApiKey = apiKey;
  const body =
    options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await fetch(`${target.oneuptime.url}${path}`, {
    method: options.method ?? 'POST',
    headers,
    body,
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** fetch refuses a GET with a body, which OneUptime's GET routes read; node:http does not. */
function getWithBody(path: string, body: unknown): Promise<Reply> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, sandbox.oneuptime.url),
      {
        method: 'GET',
        headers: {
          apikey: sandbox.oneuptime.apiKey,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const list = (resource: string, body: Json = {}, search = '', target?: Sandbox) =>
  call<ListReply>(`/api/${resource}/get-list${search}`, { body, target });

/** Ids of every row matching `query`, sorted. */
async function idsMatching(resource: string, query: Json): Promise<string[]> {
  const reply = await list(resource, { query }, '?limit=10000');
  expect(reply.status).toBe(200);
  expect(reply.body.count).toBe(reply.body.data.length);
  return reply.body.data.map((row) => String(row._id)).sort();
}

const idsOf = (records: Array<{ _id: string }>) => records.map((r) => r._id).sort();

const at = <T>(items: readonly T[], index: number): T => {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
};

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byCreatedDescThenId = (a: { _id: string; createdAt?: string }, b: typeof a) =>
  compareText(b.createdAt ?? '', a.createdAt ?? '') || compareText(a._id, b._id);

describe('OneUptime emulator: routes and auth', () => {
  it('answers 401 naming the model and the operation when the ApiKey header is missing', async () => {
    const noKey = await call('/api/incident-state-timeline/get-list', { apiKey: null });
    expect(noKey).toEqual({
      status: 401,
      body: {
        error:
          'Authenticated user or a valid API key is needed to read record of Incident State Timeline.',
      },
    });
    const create = await call('/api/incident-role', { apiKey: null, body: { data: {} } });
    expect(create.status).toBe(401);
    expect(create.body.error).toMatch(/to create record of Incident Role\.$/);
  });

  it('answers 400 Invalid API Key for a wrong or empty key', async () => {
    for (const apiKey of ['wrong-key', '']) {
      const reply = await call('/api/incident-sla/count', { apiKey });
      expect(reply).toEqual({ status: 400, body: { error: 'Invalid API Key' } });
    }
  });

  it('accepts the ApiKey header name in any case', async () => {
    const res = await fetch(`${sandbox.oneuptime.url}/api/incident-role/count`, {
      method: 'POST',
      headers: { APIKEY: sandbox.oneuptime.apiKey },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: seed.roles.length });
  });

  it('answers 404 with a message body for unknown routes, before checking the key', async () => {
    const cases: Array<[string, string]> = [
      ['POST', '/api/incident-note/get-list'],
      ['GET', '/api/incident-role/count'],
      ['POST', '/api/incident-role/a/b/c'],
      ['PATCH', `/api/incident-role/${randomUUID()}`],
      ['POST', '/v1/incident-role/get-list'],
    ];
    for (const [method, path] of cases) {
      const reply = await call(path, { method, apiKey: null });
      expect(reply).toEqual({ status: 404, body: { message: `Page not found - ${path}` } });
    }
  });

  it('answers 400 with an error body to malformed JSON or a non-object body', async () => {
    for (const raw of ['{"query": ', '[1, 2]']) {
      const reply = await call('/api/incident-sla/get-list', { raw });
      expect(reply.status).toBe(400);
      expect(typeof reply.body.error).toBe('string');
    }
  });

  it('serves every route variant of every resource', async () => {
    const sla = at(seed.slas, 0);
    const item = `/api/incident-sla/${sla._id}`;
    expect((await call(`${item}/get-item`)).body).toEqual({ _id: sla._id });
    expect((await getWithBody(`${item}/get-item`, {})).body).toEqual({ _id: sla._id });
    expect((await getWithBody('/api/incident-role/get-list', {})).status).toBe(200);
    expect(
      (await call(`${item}`, { method: 'PUT', body: { data: { status: 'Met' } } })).body,
    ).toEqual({});
    expect(
      (await call(`${item}/update-item`, { body: { data: { status: 'At Risk' } } })).body,
    ).toEqual({});
    expect((await getWithBody(`${item}/update-item`, { data: { status: 'Met' } })).body).toEqual(
      {},
    );
    expect((await call(`${item}/delete-item`)).body).toEqual({});
    expect((await getWithBody(`${item}/delete-item`, {})).body).toEqual({});
    expect((await call(item, { method: 'DELETE' })).body).toEqual({});
    for (const resource of [
      'incident',
      'incident-state',
      'incident-severity',
      'incident-state-timeline',
      'incident-role',
      'incident-sla',
      'incident-member',
    ]) {
      expect((await call(`/api/${resource}/count`)).status).toBe(200);
      expect((await call(`/api/${resource}/get-list/`)).status).toBe(200);
    }
  });
});

describe('OneUptime emulator: get-list paging', () => {
  const allSlaIds = () => [...seed.slas].sort(byCreatedDescThenId).map((s) => s._id);

  it('defaults to skip 0 and limit 10 and counts every matching row', async () => {
    const reply = await list('incident-sla');
    expect(reply.status).toBe(200);
    expect(reply.body.skip).toBe(0);
    expect(reply.body.limit).toBe(10);
    expect(reply.body.count).toBe(seed.slas.length);
    expect(reply.body.data.map((row) => row._id)).toEqual(allSlaIds().slice(0, 10));
  });

  it('treats limit 0 and a non-numeric limit as 10', async () => {
    for (const search of ['?limit=0', '?limit=abc']) {
      const reply = await list('incident-sla', {}, search);
      expect(reply.body.limit).toBe(10);
      expect(reply.body.data).toHaveLength(10);
    }
  });

  it('rejects a limit above 10000 and accepts exactly 10000', async () => {
    expect(await list('incident-sla', {}, '?limit=10001')).toEqual({
      status: 400,
      body: { error: 'Limit should be less than 10000' },
    });
    const max = await list('incident-sla', {}, '?limit=10000');
    expect(max.status).toBe(200);
    expect(max.body.data).toHaveLength(seed.slas.length);
  });

  it('rejects a negative skip or limit', async () => {
    expect((await list('incident-sla', {}, '?skip=-1')).status).toBe(400);
    expect((await list('incident-sla', {}, '?limit=-5')).status).toBe(400);
  });

  it('honours skip and limit in the body but echoes only the query string', async () => {
    const reply = await list('incident-sla', { skip: 5, limit: 3 });
    expect(reply.body.data.map((row) => row._id)).toEqual(allSlaIds().slice(5, 8));
    expect(reply.body).toMatchObject({ skip: 0, limit: 10 });
    const both = await list('incident-sla', { limit: 5 }, '?skip=1&limit=2');
    expect(both.body.data.map((row) => row._id)).toEqual(allSlaIds().slice(1, 3));
    expect(both.body).toMatchObject({ skip: 1, limit: 2 });
  });

  it('walks every SLA with limit 7 without gaps or duplicates', async () => {
    const seen: string[] = [];
    let total = -1;
    for (let skip = 0; total < 0 || skip < total; skip += 7) {
      const page = await list(
        'incident-sla',
        { select: { status: true } },
        `?skip=${skip}&limit=7`,
      );
      expect(page.body).toMatchObject({ skip, limit: 7 });
      total = page.body.count;
      seen.push(...page.body.data.map((row) => String(row._id)));
    }
    expect(total).toBe(seed.slas.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(allSlaIds());
  });
});

describe('OneUptime emulator: select', () => {
  it('returns only _id when there is no select', async () => {
    const reply = await list('incident-role', {}, '?limit=100');
    for (const row of reply.body.data) expect(Object.keys(row)).toEqual(['_id']);
  });

  it('returns the selected columns plus _id and nothing else', async () => {
    const reply = await list('incident-sla', {
      select: { status: true, incidentId: true, resolvedAt: false },
    });
    for (const row of reply.body.data) {
      expect(Object.keys(row).sort()).toEqual(['_id', 'incidentId', 'status']);
    }
  });

  it('rejects an unknown select column with 400', async () => {
    const reply = await list('incident-role', { select: { nope: true } });
    expect(reply).toEqual({
      status: 400,
      body: { error: 'Invalid select clause. The specified column does not exist.' },
    });
  });

  it('renders the incidentState relation of a timeline from a nested select', async () => {
    const entry = at(seed.stateTimelines, 0);
    const state = seed.incidentStates.find((s) => s.id === entry.incidentStateId);
    const incident = seed.oneUptimeIncidents.find((i) => i._id === entry.incidentId);
    const reply = await call(`/api/incident-state-timeline/${entry._id}/get-item`, {
      body: { select: { incidentState: { name: true, order: true }, incident: { title: true } } },
    });
    expect(reply.body).toEqual({
      _id: entry._id,
      incidentState: { _id: state?.id, name: state?.name, order: state?.order },
      incident: { _id: entry.incidentId, title: incident?.title },
    });
  });
});

describe('OneUptime emulator: query operators', () => {
  const slas = () => seed.slas;
  const pivot = () =>
    [...slas()].map((s) => s.slaStartedAt ?? '').sort()[Math.floor(slas().length / 2)] ?? '';

  it('matches a plain value, an ObjectID envelope and EqualTo as equality', async () => {
    const sla = at(slas(), 3);
    const expected = idsOf(slas().filter((s) => s.incidentId === sla.incidentId));
    expect(await idsMatching('incident-sla', { incidentId: sla.incidentId })).toEqual(expected);
    expect(
      await idsMatching('incident-sla', {
        incidentId: { _type: 'ObjectID', value: sla.incidentId },
      }),
    ).toEqual(expected);
    expect(
      await idsMatching('incident-sla', { status: { _type: 'EqualTo', value: 'At Risk' } }),
    ).toEqual(idsOf(slas().filter((s) => s.status === 'At Risk')));
    const quiet = seed.stateTimelines.filter(
      (t) => t.shouldStatusPageSubscribersBeNotified === false,
    );
    expect(
      await idsMatching('incident-state-timeline', {
        shouldStatusPageSubscribersBeNotified: false,
      }),
    ).toEqual(idsOf(quiet));
  });

  it('treats null as IS NULL and IsNull/NotNull as their names say', async () => {
    const unanswered = idsOf(slas().filter((s) => s.respondedAt === null));
    expect(await idsMatching('incident-sla', { respondedAt: null })).toEqual(unanswered);
    expect(await idsMatching('incident-sla', { respondedAt: { _type: 'IsNull' } })).toEqual(
      unanswered,
    );
    expect(await idsMatching('incident-sla', { respondedAt: { _type: 'NotNull' } })).toEqual(
      idsOf(slas().filter((s) => s.respondedAt !== null)),
    );
  });

  it('treats a bare array and Includes as IN, and an empty list as matching nothing', async () => {
    const incidentIds = [at(slas(), 0).incidentId, at(slas(), 10).incidentId, randomUUID()];
    const expected = idsOf(slas().filter((s) => incidentIds.includes(s.incidentId)));
    expect(await idsMatching('incident-sla', { incidentId: incidentIds })).toEqual(expected);
    const mixed = incidentIds.map((id, i) => (i === 0 ? { _type: 'ObjectID', value: id } : id));
    expect(
      await idsMatching('incident-sla', { incidentId: { _type: 'Includes', value: mixed } }),
    ).toEqual(expected);
    expect(await idsMatching('incident-sla', { incidentId: [] })).toEqual([]);
    const some = [at(slas(), 1)._id, at(slas(), 2)._id];
    expect(await idsMatching('incident-sla', { _id: some })).toEqual([...some].sort());
  });

  it('supports NotEqual, IncludesNone and Search', async () => {
    expect(
      await idsMatching('incident-sla', { status: { _type: 'NotEqual', value: 'Met' } }),
    ).toEqual(idsOf(slas().filter((s) => s.status !== 'Met')));
    const excluded = ['Met', 'At Risk'];
    expect(
      await idsMatching('incident-sla', { status: { _type: 'IncludesNone', value: excluded } }),
    ).toEqual(idsOf(slas().filter((s) => !excluded.includes(s.status ?? ''))));
    expect(
      await idsMatching('incident-role', { name: { _type: 'Search', value: 'LEAD' } }),
    ).toEqual(idsOf(seed.roles.filter((r) => r.name?.toLowerCase().includes('lead'))));
  });

  it('compares dates as instants with the ordering operators and InBetween', async () => {
    const mid = pivot();
    const ms = Date.parse(mid);
    const at2 = new Date(ms).toISOString().replace('.000Z', '+00:00');
    const started = (s: (typeof seed.slas)[number]) => Date.parse(s.slaStartedAt ?? '');
    const cases: Array<[string, (t: number) => boolean]> = [
      ['GreaterThan', (t) => t > ms],
      ['GreaterThanOrEqual', (t) => t >= ms],
      ['LessThan', (t) => t < ms],
      ['LessThanOrEqual', (t) => t <= ms],
    ];
    for (const [operator, keep] of cases) {
      const got = await idsMatching('incident-sla', {
        slaStartedAt: { _type: operator, value: at2 },
      });
      expect(got, operator).toEqual(idsOf(slas().filter((s) => keep(started(s)))));
    }
    const end = ms + 6 * 3600_000;
    const between = await idsMatching('incident-sla', {
      slaStartedAt: { _type: 'InBetween', startValue: mid, endValue: new Date(end).toISOString() },
    });
    expect(between).toEqual(idsOf(slas().filter((s) => started(s) >= ms && started(s) <= end)));
    expect(between.length).toBeGreaterThan(0);
  });

  it('counts what get-list matches', async () => {
    const query = { status: ['Met', 'On Track'] };
    const reply = await call('/api/incident-sla/count', { body: { query } });
    expect(reply.body).toEqual({ count: (await idsMatching('incident-sla', query)).length });
  });

  it('rejects an unknown column and an unknown operator with 400', async () => {
    expect(await list('incident-sla', { query: { nope: 1 } })).toEqual({
      status: 400,
      body: { error: 'Invalid column on Incident SLA - nope. Column does not exist.' },
    });
    expect(
      (await list('incident-sla', { query: { status: { _type: 'Bogus', value: 1 } } })).status,
    ).toBe(400);
  });

  it('answers 500 Server Error to a non-UUID value for an id column, as Postgres makes upstream', async () => {
    for (const query of [{ incidentId: 'not-a-uuid' }, { _id: ['nope'] }]) {
      expect(await list('incident-sla', { query })).toEqual({
        status: 500,
        body: { error: 'Server Error' },
      });
    }
  });
});

describe('OneUptime emulator: sort', () => {
  const roleIds = async (sort: unknown) =>
    (await list('incident-role', { sort }, '?limit=100')).body.data.map((row) => row._id);
  const byName = () => [...seed.roles].sort((a, b) => compareText(a.name ?? '', b.name ?? ''));

  it('sorts by createdAt descending by default', async () => {
    expect(await roleIds(undefined)).toEqual(
      [...seed.roles].sort(byCreatedDescThenId).map((r) => r._id),
    );
  });

  it('sorts descending only for DESC, desc and -1, like TypeORM', async () => {
    const ascending = byName().map((r) => r._id);
    const descending = [...ascending].reverse();
    for (const order of ['DESC', 'desc', -1])
      expect(await roleIds({ name: order })).toEqual(descending);
    for (const order of ['ASC', 1, 'Descending'])
      expect(await roleIds({ name: order })).toEqual(ascending);
  });

  it('puts nulls last when ascending and breaks ties by _id', async () => {
    const reply = await list(
      'incident-sla',
      { sort: { respondedAt: 'ASC' }, select: { respondedAt: true } },
      '?limit=10000',
    );
    const values = reply.body.data.map((row) => plain(row.respondedAt));
    const firstNull = values.indexOf(null);
    expect(firstNull).toBeGreaterThan(0);
    expect(values.slice(firstNull).every((v) => v === null)).toBe(true);
    const nullIds = reply.body.data.slice(firstNull).map((row) => String(row._id));
    expect(nullIds).toEqual([...nullIds].sort());
  });

  it('rejects an unknown sort column with 400', async () => {
    expect((await list('incident-role', { sort: { nope: 'ASC' } })).status).toBe(400);
  });
});

describe('OneUptime emulator: value encoding', () => {
  const role = () => at(seed.roles, 0);
  const select = {
    projectId: true,
    createdAt: true,
    color: true,
    name: true,
    isPrimaryRole: true,
    roleIcon: true,
    createdByUserId: true,
  };

  it('wraps ObjectID, DateTime and Color columns in envelopes like the real server', async () => {
    const reply = await call(`/api/incident-role/${role()._id}/get-item`, { body: { select } });
    expect(reply.body).toEqual({
      _id: role()._id,
      projectId: { _type: 'ObjectID', value: seed.projectId },
      createdAt: { _type: 'DateTime', value: role().createdAt },
      color: { _type: 'Color', value: role().color },
      name: role().name,
      isPrimaryRole: role().isPrimaryRole,
      roleIcon: role().roleIcon,
      createdByUserId: { _type: 'ObjectID', value: role().createdByUserId },
    });
    const latest = seed.stateTimelines.find((t) => t.endsAt === null);
    const entry = await call(`/api/incident-state-timeline/${latest?._id}/get-item`, {
      body: { select: { endsAt: true, stateChangeLog: true } },
    });
    expect(entry.body).toEqual({
      _id: latest?._id,
      endsAt: null,
      stateChangeLog: latest?.stateChangeLog,
    });
  });

  it('sends every value plain with the docs encoding', async () => {
    const reply = await call(`/api/incident-role/${role()._id}/get-item`, {
      body: { select },
      target: plainSandbox,
    });
    expect(reply.body).toEqual({
      _id: role()._id,
      projectId: seed.projectId,
      createdAt: role().createdAt,
      color: role().color,
      name: role().name,
      isPrimaryRole: role().isPrimaryRole,
      roleIcon: role().roleIcon,
      createdByUserId: role().createdByUserId,
    });
  });

  it('accepts envelopes as input values', async () => {
    const incidentId = at(seed.oneUptimeIncidents, 0)._id;
    const reply = await call('/api/incident-sla', {
      body: {
        data: {
          incidentId: { _type: 'ObjectID', value: incidentId },
          incidentSlaRuleId: at(seed.slaRuleIds, 0),
          slaStartedAt: { _type: 'DateTime', value: '2026-10-01T10:00:00Z' },
        },
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.slaStartedAt).toEqual({
      _type: 'DateTime',
      value: '2026-10-01T10:00:00.000Z',
    });
    expect(
      await idsMatching('incident-sla', { incidentId: { _type: 'ObjectID', value: incidentId } }),
    ).toContain(reply.body._id);
  });
});

describe('OneUptime emulator: get-item', () => {
  it('returns the selected columns of an existing item', async () => {
    const sla = at(seed.slas, 5);
    const reply = await call(`/api/incident-sla/${sla._id}/get-item`, {
      body: { select: { status: true, incidentSlaRuleId: true } },
    });
    expect(reply.body).toEqual({
      _id: sla._id,
      status: sla.status,
      incidentSlaRuleId: { _type: 'ObjectID', value: sla.incidentSlaRuleId },
    });
  });

  it('answers 200 {} for an id that does not exist', async () => {
    expect(await call(`/api/incident-role/${randomUUID()}/get-item`)).toEqual({
      status: 200,
      body: {},
    });
  });

  it('answers 400 Invalid ID format for a non-UUID id', async () => {
    const reply = await call('/api/incident-role/not-an-id/get-item');
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatch(/^Invalid ID format/);
  });
});

describe('OneUptime emulator: create', () => {
  const ROLE_COLUMNS = [
    '_id',
    'projectId',
    'createdAt',
    'updatedAt',
    'deletedAt',
    'createdByUserId',
    'name',
    'slug',
    'description',
    'color',
    'roleIcon',
    'isPrimaryRole',
    'isDeleteable',
    'canAssignMultipleUsers',
  ];

  it('saves a role with server-set fields and answers 200 with every column', async () => {
    const before = Date.now();
    const reply = await call('/api/incident-role', {
      body: {
        data: {
          name: 'Status Page Owner',
          color: '#32a852',
          description: 'Owns the public status page.',
          slug: 'ignored',
          isPrimaryRole: true,
          isDeleteable: false,
          projectId: randomUUID(),
        },
      },
    });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual([...ROLE_COLUMNS].sort());
    expect(reply.body).toMatchObject({
      name: 'Status Page Owner',
      slug: expect.stringMatching(/^status-page-owner-[1-9]{10}$/),
      color: { _type: 'Color', value: '#32a852' },
      projectId: { _type: 'ObjectID', value: seed.projectId },
      isPrimaryRole: false,
      isDeleteable: true,
      canAssignMultipleUsers: false,
      roleIcon: null,
    });
    const createdAt = Date.parse(String(plain(reply.body.createdAt)));
    expect(createdAt).toBeGreaterThanOrEqual(before - 1);
    expect(plain(reply.body.updatedAt)).toBe(plain(reply.body.createdAt));

    const id = String(reply.body._id);
    const read = await call(`/api/incident-role/${id}/get-item`, {
      body: { select: { name: true } },
    });
    expect(read.body).toEqual({ _id: id, name: 'Status Page Owner' });
    expect((await call('/api/incident-role/count')).body).toEqual({ count: seed.roles.length + 1 });
  });

  it('rejects a missing required field, a bad color and an unknown column with 400', async () => {
    const create = (data: Json) => call('/api/incident-role', { body: { data } });
    expect(await create({ color: '#123456' })).toEqual({
      status: 400,
      body: { error: 'name is required' },
    });
    expect((await create({ name: 'X', color: 'blue' })).status).toBe(400);
    expect((await create({ name: 'X', color: '#12345' })).status).toBe(400);
    const unknown = await create({ name: 'X', color: '#123456', nope: 1 });
    expect(unknown.status).toBe(400);
    expect((await call('/api/incident-role', { body: {} })).status).toBe(400);
    const sla = await call('/api/incident-sla', { body: { data: { incidentId: randomUUID() } } });
    expect(sla.status).toBe(400);
    expect(sla.body.error).toMatch(/is required$/);
  });

  it('defaults an SLA status to On Track', async () => {
    const reply = await call('/api/incident-sla', {
      body: {
        data: {
          incidentId: at(seed.oneUptimeIncidents, 1)._id,
          incidentSlaRuleId: at(seed.slaRuleIds, 1),
          slaStartedAt: '2026-10-02T00:00:00.000Z',
        },
      },
    });
    expect(reply.body).toMatchObject({ status: 'On Track', respondedAt: null });
  });
});

describe('OneUptime emulator: update', () => {
  it('updates a role, visible to later reads, with a new updatedAt', async () => {
    const role = at(seed.roles, 1);
    const reply = await call(`/api/incident-role/${role._id}`, {
      method: 'PUT',
      body: {
        data: { name: 'Comms Lead', color: { _type: 'Color', value: '#000000' }, roleIcon: null },
      },
    });
    expect(reply).toEqual({ status: 200, body: {} });
    const read = await call(`/api/incident-role/${role._id}/get-item`, {
      body: { select: { name: true, color: true, roleIcon: true, slug: true, updatedAt: true } },
    });
    expect(read.body).toMatchObject({
      name: 'Comms Lead',
      color: { _type: 'Color', value: '#000000' },
      roleIcon: null,
      slug: role.slug,
    });
    expect(String(plain(read.body.updatedAt)) > (role.updatedAt ?? '')).toBe(true);
  });

  it('answers 422 for an id that does not exist', async () => {
    const reply = await call(`/api/incident-sla/${randomUUID()}`, {
      method: 'PUT',
      body: { data: { status: 'Met' } },
    });
    expect(reply).toEqual({
      status: 422,
      body: {
        error:
          'Unable to update this incident sla. It either does not exist, has been deleted, or you do not have permission to update it.',
      },
    });
  });

  it('rejects missing or empty data and columns that cannot be updated with 400', async () => {
    const sla = at(seed.slas, 0);
    const role = at(seed.roles, 2);
    const entry = at(seed.stateTimelines, 0);
    const put = (path: string, body: Json) => call(path, { method: 'PUT', body });
    expect((await put(`/api/incident-sla/${sla._id}`, {})).status).toBe(400);
    expect((await put(`/api/incident-sla/${sla._id}`, { data: {} })).status).toBe(400);
    for (const data of [
      { incidentId: randomUUID() },
      { incidentSlaRuleId: randomUUID() },
      { slaStartedAt: '2026-01-01T00:00:00Z' },
      { status: null },
    ]) {
      expect((await put(`/api/incident-sla/${sla._id}`, { data })).status).toBe(400);
    }
    for (const data of [
      { slug: 'x' },
      { isPrimaryRole: true },
      { isDeleteable: false },
      { color: 'red' },
      { nope: 1 },
    ]) {
      expect((await put(`/api/incident-role/${role._id}`, { data })).status).toBe(400);
    }
    expect(
      (
        await put(`/api/incident-state-timeline/${entry._id}`, {
          data: { incidentId: randomUUID() },
        })
      ).status,
    ).toBe(400);
    expect((await put('/api/incident-role/not-an-id', { data: { name: 'x' } })).status).toBe(400);
  });
});

describe('OneUptime emulator: delete', () => {
  it('removes an SLA so later reads and counts no longer see it', async () => {
    const sla = at(seed.slas, 0);
    expect(await call(`/api/incident-sla/${sla._id}`, { method: 'DELETE' })).toEqual({
      status: 200,
      body: {},
    });
    expect((await call(`/api/incident-sla/${sla._id}/get-item`)).body).toEqual({});
    expect((await call('/api/incident-sla/count')).body).toEqual({ count: seed.slas.length - 1 });
  });

  it('answers 200 {} for an id that does not exist and 400 for a non-UUID id', async () => {
    expect(await call(`/api/incident-sla/${randomUUID()}`, { method: 'DELETE' })).toEqual({
      status: 200,
      body: {},
    });
    expect((await call('/api/incident-sla/abc', { method: 'DELETE' })).status).toBe(400);
  });

  it('refuses to delete a role that is not deleteable', async () => {
    const commander = seed.roles.find((r) => r.isDeleteable === false);
    const reply = await call(`/api/incident-role/${commander?._id}/delete-item`);
    expect(reply).toEqual({ status: 400, body: { error: 'This role cannot be deleted' } });
  });
});

describe('OneUptime emulator: reset', () => {
  it('restores the seeded data after writes without ever mutating the seed', async () => {
    await call('/api/incident-role', { body: { data: { name: 'Temp', color: '#111111' } } });
    await call(`/api/incident-sla/${at(seed.slas, 0)._id}`, {
      method: 'PUT',
      body: { data: { status: 'Met' } },
    });
    await call(`/api/incident-sla/${at(seed.slas, 1)._id}`, { method: 'DELETE' });
    sandbox.reset();
    expect((await call('/api/incident-role/count')).body).toEqual({ count: seed.roles.length });
    expect((await call('/api/incident-sla/count')).body).toEqual({ count: seed.slas.length });
    const sla = await call(`/api/incident-sla/${at(seed.slas, 0)._id}/get-item`, {
      body: { select: { status: true } },
    });
    expect(sla.body.status).toBe(at(seed.slas, 0).status);
    expect(seed).toEqual(seedSnapshot);
  });
});
