/**
 * Contract tests of JSON-column queries on OneUptime incidents' `customFields`
 * over real HTTP, as `Common/Server/Types/Database/JSONColumnQuery.ts` at
 * ab6f409 defines them, and of a PUT replacing the whole JSON value.
 * Every query is restricted to incidents these tests create (`_id: [...]`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { LINK_FIELD } from '../../src/sandbox/seed.js';
import { type Json, oneUptime } from '../support/oneuptime.js';

let sandbox: Sandbox;
/** Fixture incidents by label, each with the customFields shown. */
const FIXTURES: Record<string, Json | null> = {
  scalar: { team: 'payments' },
  array: { team: ['payments', 'billing'] },
  upper: { team: 'Payments' },
  blank: { team: '' },
  emptyArray: { team: [] },
  jsonNull: { team: null },
  emptyObject: {},
  columnNull: null,
  other: { region: 'eu-west-1' },
  search: { team: ['search'] },
  number: { score: 42 },
  numericText: { score: ['42'] },
  ten: { score: '10' },
};
const ids = new Map<string, string>();
const labelOf = new Map<string, string>();

const call = <T = Json>(path: string, method = 'POST', body?: unknown) =>
  oneUptime<T>(sandbox, path, method, body);

async function createIncident(customFields: Json | null): Promise<string> {
  const reply = await call('/api/incident', 'POST', {
    data: {
      title: 'JSON fixture',
      incidentSeverityId: sandbox.seed.incidentSeverities[0]!._id,
      customFields,
    },
  });
  return String(reply.body._id);
}

beforeAll(async () => {
  sandbox = await startSandbox();
  for (const [label, fields] of Object.entries(FIXTURES)) {
    const id = await createIncident(fields);
    ids.set(label, id);
    labelOf.set(id, label);
  }
});
afterAll(() => sandbox.stop());

/** The labels of the fixtures matching `customFields: condition`, sorted. */
async function matching(condition: unknown): Promise<string[]> {
  const reply = await call<{ data: Json[] }>('/api/incident/get-list?limit=100', 'POST', {
    query: { _id: [...ids.values()], customFields: condition },
  });
  expect(reply.status).toBe(200);
  return reply.body.data.map((row) => labelOf.get(String(row._id)) ?? '?').sort();
}
const sorted = (...labels: string[]) => [...labels].sort();

describe('OneUptime emulator: customFields queries per key', () => {
  it('matches a key equal to a scalar or holding it in an array, case-sensitively', async () => {
    expect(await matching({ team: 'payments' })).toEqual(sorted('scalar', 'array'));
    expect(await matching({ team: { _type: 'EqualTo', value: 'payments' } })).toEqual(
      sorted('scalar', 'array'),
    );
  });

  it('compares as text at the key but keeps the JSON type inside arrays', async () => {
    expect(await matching({ score: 42 })).toEqual(['number']);
    expect(await matching({ score: '42' })).toEqual(sorted('number', 'numericText'));
  });

  it('reads Includes and a bare array as any of the values, and an empty list as no constraint', async () => {
    expect(await matching({ team: { _type: 'Includes', value: ['billing', 'search'] } })).toEqual(
      sorted('array', 'search'),
    );
    expect(await matching({ team: ['payments', 'search'] })).toEqual(
      sorted('scalar', 'array', 'search'),
    );
    expect(await matching({ team: { _type: 'Includes', value: [] } })).toEqual(
      sorted(...ids.keys()),
    );
  });

  it('reads IsNull as a missing key, JSON null, "" or [], and NotNull as anything else', async () => {
    const noTeam = ['emptyObject', 'columnNull', 'other', 'number', 'numericText', 'ten'];
    expect(await matching({ team: { _type: 'IsNull' } })).toEqual(
      sorted('blank', 'emptyArray', 'jsonNull', ...noTeam),
    );
    expect(await matching({ team: { _type: 'NotNull' } })).toEqual(
      sorted('scalar', 'array', 'upper', 'search'),
    );
    expect(await matching({ team: null })).toEqual(await matching({ team: { _type: 'IsNull' } }));
  });

  it('lets negative filters match incidents without the key, and Search ignore case', async () => {
    const notPayments = await matching({ team: { _type: 'NotEqual', value: 'payments' } });
    expect(notPayments).not.toContain('scalar');
    expect(notPayments).toContain('columnNull');
    expect(notPayments).toContain('upper');
    expect(await matching({ team: { _type: 'Search', value: 'PAY' } })).toEqual(
      sorted('scalar', 'array', 'upper'),
    );
  });

  it('compares numeric text numerically with the ordering operators', async () => {
    expect(await matching({ score: { _type: 'GreaterThan', value: 9 } })).toEqual(
      sorted('number', 'ten'),
    );
  });

  it('reads {} and a whole-column IsNull as customFields being null or empty, and ANDs several keys', async () => {
    expect(await matching({})).toEqual(sorted('emptyObject', 'columnNull'));
    expect(await matching({ _type: 'IsNull' })).toEqual(sorted('emptyObject', 'columnNull'));
    expect(await matching({ team: 'payments', region: { _type: 'IsNull' } })).toEqual(
      sorted('scalar', 'array'),
    );
  });

  it('answers 400 to more than 200 values for one key, and to more than 50 keys', async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    const tooMany = {
      status: 400,
      body: { error: 'A JSON column filter cannot match against more than 200 values at once.' },
    };
    const query = (customFields: unknown) =>
      call('/api/incident/get-list', 'POST', { query: { customFields } });
    expect(await query({ team: { _type: 'Includes', value: values(201) } })).toEqual(tooMany);
    expect(await query({ team: values(201) })).toEqual(tooMany);
    expect((await query({ team: { _type: 'Includes', value: values(200) } })).status).toBe(200);
    const keys = (n: number) => Object.fromEntries(values(n).map((k) => [k, 'x']));
    expect(await query(keys(51))).toEqual({
      status: 400,
      body: { error: 'A JSON column filter cannot carry more than 50 keys.' },
    });
    expect((await query(keys(50))).status).toBe(200);
  });

  it('refuses an operator on the whole column with 400 (an assumption: the server builds a query that means nothing)', async () => {
    const reply = await call('/api/incident/get-list', 'POST', {
      query: { customFields: { _type: 'Includes', value: ['payments'] } },
    });
    expect(reply.status).toBe(400);
  });
});

describe('OneUptime emulator: the link key', () => {
  it("finds the incidents claiming Coralogix ids with the gateway's Includes query", async () => {
    const { seed } = sandbox;
    const wanted = seed.incidents.slice(0, 40).map((i) => i.id);
    const expected = seed.oneUptimeIncidents
      .filter((i) => wanted.includes(String(i.customFields?.[LINK_FIELD])))
      .map((i) => i._id)
      .sort();
    const reply = await call<{ data: Json[]; count: number }>(
      '/api/incident/get-list?skip=0&limit=1000',
      'POST',
      {
        query: { customFields: { [LINK_FIELD]: { _type: 'Includes', value: wanted } } },
        select: { _id: true, customFields: true, createdAt: true },
      },
    );
    expect(reply.body.data.map((row) => row._id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(40);
  });
});

describe('OneUptime emulator: writing customFields', () => {
  it('replaces the whole customFields value on PUT, dropping keys it does not name', async () => {
    const id = await createIncident({ team: 'payments', jiraTicket: 'OPS-1' });
    const put = await call(`/api/incident/${id}`, 'PUT', {
      data: { customFields: { [LINK_FIELD]: '6f9d2c2e-8d0f-4a55-9a43-5d6a3c1b2e10' } },
    });
    expect(put).toEqual({ status: 200, body: {} });
    const read = await call(`/api/incident/${id}/get-item`, 'POST', {
      select: { customFields: true },
    });
    expect(read.body.customFields).toEqual({
      [LINK_FIELD]: '6f9d2c2e-8d0f-4a55-9a43-5d6a3c1b2e10',
    });
    const byTeam = await call<{ count: number }>('/api/incident/count', 'POST', {
      query: { _id: [id], customFields: { team: 'payments' } },
    });
    expect(byTeam.body.count).toBe(0);
  });
});
