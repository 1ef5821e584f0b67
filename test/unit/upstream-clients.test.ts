/**
 * The two upstream clients against a local node:http server: the exact method,
 * path and query string of every Coralogix v5 call, id chunking, OneUptime
 * paging, and the tolerances for answers as real servers send them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import {
  CoralogixClient,
  MAX_QUERY_CHARS,
  chunkByLength,
} from '../../src/upstreams/coralogix/incidents/client.js';
import { OneUptimeClient } from '../../src/upstreams/oneuptime/client.js';
import { json, startUpstream, type Handler } from '../support/fakeUpstream.js';

const CALL = { apiKey: 'k' };
const BASE = '/mgmt/openapi/5';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const incident = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  state: 'INCIDENT_STATE_TRIGGERED',
  status: 'INCIDENT_STATUS_TRIGGERED',
  severity: 'INCIDENT_SEVERITY_ERROR',
  ...extra,
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function coralogix(handler: Handler) {
  const upstream = await startUpstream(handler);
  const warnings: Array<{ message: string; details: Record<string, unknown> }> = [];
  const client = new CoralogixClient({
    baseUrl: `${upstream.url}${BASE}`,
    timeoutMs: 2_000,
    retries: 0,
    onWarning: (message, details) => warnings.push({ message, details }),
  });
  cleanups.push(
    () => upstream.close(),
    () => client.close(),
  );
  const sent = () => upstream.received.map((r) => ({ method: r.method, url: r.url, body: r.body }));
  return { client, sent, warnings, upstream };
}

describe('CoralogixClient speaks the v5 path family', () => {
  const ids = [uuid(1), uuid(2)];
  const incidents = (n = 0) => ({ incidents: ids.slice(0, n).map((id) => incident(id)) });

  it('lists with POST /incidents/incidents/v1 and the request as the body', async () => {
    const { client, sent } = await coralogix((_q, res) =>
      json(res, 200, { incidents: [], pagination: { totalSize: 0 } }),
    );
    await client.list({ pagination: { pageSize: 5 } }, CALL);
    expect(sent()).toEqual([
      {
        method: 'POST',
        url: `${BASE}/incidents/incidents/v1`,
        body: JSON.stringify({ pagination: { pageSize: 5 } }),
      },
    ]);
  });

  it('batch-gets with GET /incidents/incidents/v1?ids=a&ids=b and no body', async () => {
    const { client, sent } = await coralogix((_q, res) =>
      json(res, 200, { incidents: Object.fromEntries(ids.map((id) => [id, incident(id)])) }),
    );
    await client.batchGet(ids, CALL);
    expect(sent()).toEqual([
      {
        method: 'GET',
        url: `${BASE}/incidents/incidents/v1?ids=${ids[0]}&ids=${ids[1]}`,
        body: '',
      },
    ]);
  });

  it('assigns with POST …/all/by-user {incidentIds, assignedTo}', async () => {
    const { client, sent } = await coralogix((_q, res) => json(res, 200, incidents(2)));
    await client.assign({ incidentIds: ids, assignedTo: { userId: 'u' } }, CALL);
    expect(sent()).toEqual([
      {
        method: 'POST',
        url: `${BASE}/incidents/incidents/v1/all/by-user`,
        body: JSON.stringify({ incidentIds: ids, assignedTo: { userId: 'u' } }),
      },
    ]);
  });

  it('unassigns with DELETE …/all/by-user?incident_ids=a&incident_ids=b and no body', async () => {
    const { client, sent, upstream } = await coralogix((_q, res) => json(res, 200, incidents(2)));
    await client.act('unassign', ids, CALL);
    expect(sent()).toEqual([
      {
        method: 'DELETE',
        url: `${BASE}/incidents/incidents/v1/all/by-user?incident_ids=${ids[0]}&incident_ids=${ids[1]}`,
        body: '',
      },
    ]);
    expect(upstream.received[0]?.headers['content-type']).toBeUndefined();
  });

  it.each([
    ['acknowledge', 'all/acknowledge'],
    ['resolve', 'all/resolve'],
    ['close', 'all/closed'],
  ] as const)('%ss with POST …/%s {incidentIds}', async (action, path) => {
    const { client, sent } = await coralogix((_q, res) => json(res, 200, incidents(2)));
    await client.act(action, ids, CALL);
    expect(sent()).toEqual([
      {
        method: 'POST',
        url: `${BASE}/incidents/incidents/v1/${path}`,
        body: JSON.stringify({ incidentIds: ids }),
      },
    ]);
  });

  it('splits a batch get so no query string grows past the safe length', async () => {
    const many = Array.from({ length: 250 }, (_, n) => uuid(n));
    const { client, upstream } = await coralogix((_q, res) =>
      json(res, 200, { incidents: {}, notFoundIds: [] }),
    );
    await client.batchGet(many, CALL);
    const queries = upstream.received.map((r) => new URL(r.url, 'http://x').search.slice(1));
    expect(queries.length).toBeGreaterThan(1);
    for (const query of queries) expect(query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(queries.flatMap((q) => new URLSearchParams(q).getAll('ids'))).toEqual(many);
    expect(chunkByLength(['a'], 'ids')).toEqual([['a']]);
  });
});

describe('CoralogixClient reads answers the way real servers send them', () => {
  it('takes totalSize as a number or as a numeric string', async () => {
    let totalSize: unknown = '123';
    const { client } = await coralogix((_q, res) =>
      json(res, 200, { incidents: [], pagination: { totalSize } }),
    );
    expect((await client.list({}, CALL)).pagination.totalSize).toBe(123);
    totalSize = 7;
    expect((await client.list({}, CALL)).pagination.totalSize).toBe(7);
    totalSize = 'many';
    await expect(client.list({}, CALL)).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('shows an enum value it does not know as UNSPECIFIED and logs the raw value', async () => {
    const { client, warnings } = await coralogix((_q, res) =>
      json(res, 200, {
        incidents: [
          incident(uuid(1), {
            severity: 'INCIDENT_SEVERITY_CATASTROPHIC',
            events: [{ id: 'e', incidentEventType: 'INCIDENT_EVENT_TYPE_ESCALATE' }],
          }),
        ],
        pagination: { totalSize: 1 },
      }),
    );
    const [listed] = (await client.list({}, CALL)).incidents;
    expect(listed?.severity).toBe('INCIDENT_SEVERITY_UNSPECIFIED');
    expect(listed?.status).toBe('INCIDENT_STATUS_TRIGGERED');
    expect(listed?.events[0]?.incidentEventType).toBe('INCIDENT_EVENT_TYPE_UNSPECIFIED');
    expect(warnings.map((w) => w.details.value)).toEqual([
      'INCIDENT_SEVERITY_CATASTROPHIC',
      'INCIDENT_EVENT_TYPE_ESCALATE',
    ]);
  });

  it('reads an id named in neither incidents nor notFoundIds as not found, with a warning', async () => {
    const [found, unanswered] = [uuid(1), uuid(2)];
    const { client, warnings } = await coralogix((_q, res) =>
      json(res, 200, { incidents: { [found]: incident(found) } }),
    );
    const answer = await client.batchGet([found, unanswered], CALL);
    expect(Object.keys(answer.incidents)).toEqual([found]);
    expect(answer.notFoundIds).toEqual([unanswered]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.details).toMatchObject({ ids: [unanswered], count: 1 });
  });

  it('matches returned ids to asked ids whatever their letter case', async () => {
    const id = 'ABCDEF00-0000-4000-8000-000000000001';
    const { client, warnings } = await coralogix((_q, res) =>
      json(res, 200, { incidents: { [id]: incident(id) } }),
    );
    const answer = await client.batchGet([id.toLowerCase()], CALL);
    expect(answer.incidents[id.toLowerCase()]?.id).toBe(id);
    expect(warnings).toEqual([]);
  });

  it('reads a plain-text error body (Not Found: …) as well as JSON', async () => {
    const { client } = await coralogix((_q, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found: Not Found');
    });
    const error = await client.list({}, CALL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', hint: 'base-url' });
    expect((error as Error).message).toMatch(/base URL looks wrong \(check CORALOGIX_API_URL\)/);
  });
});

describe('OneUptimeClient', () => {
  async function oneuptime(handler: Handler) {
    const upstream = await startUpstream(handler);
    const client = new OneUptimeClient({ baseUrl: upstream.url, timeoutMs: 2_000, retries: 0 });
    cleanups.push(
      () => upstream.close(),
      () => client.close(),
    );
    return { client, upstream };
  }

  it('follows skip pages of 1000 rows until a batch has all its rows, ids at most 100 per call', async () => {
    const total = 2_500;
    const { client, upstream } = await oneuptime((req, res) => {
      const url = new URL(req.url ?? '', 'http://x');
      const skip = Number(url.searchParams.get('skip'));
      const limit = Number(url.searchParams.get('limit'));
      const data = Array.from({ length: Math.max(0, Math.min(limit, total - skip)) }, (_, i) => ({
        _id: uuid(skip + i),
        incidentId: { _type: 'ObjectID', value: uuid(1) },
      }));
      json(res, 200, { data, count: String(total), skip, limit });
    });
    const ids = Array.from({ length: 150 }, (_, n) => uuid(n));
    const rows = await client.listByIds(
      'incident-sla',
      'incidentId',
      ids,
      { select: { incidentId: true } },
      CALL,
    );
    // 2 id chunks (100 + 50), each read in 3 pages: skip 0, 1000, 2000.
    expect(rows).toHaveLength(2 * total);
    const calls = upstream.received.map((r) => {
      const url = new URL(r.url, 'http://x');
      const body = JSON.parse(r.body) as { query: { incidentId: string[] } };
      return `${url.searchParams.get('skip')}/${url.searchParams.get('limit')}/${body.query.incidentId.length}`;
    });
    expect(calls.sort()).toEqual(
      [
        '0/1000/100',
        '1000/1000/100',
        '2000/1000/100',
        '0/1000/50',
        '1000/1000/50',
        '2000/1000/50',
      ].sort(),
    );
  });

  it('takes a count as a number or as a numeric string', async () => {
    let count: unknown = '42';
    const { client } = await oneuptime((_q, res) => json(res, 200, { count }));
    expect(await client.count('incident-role', {}, CALL)).toBe(42);
    count = 5;
    expect(await client.count('incident-role', {}, CALL)).toBe(5);
    count = '-1';
    await expect(client.count('incident-role', {}, CALL)).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('reads "Page not found" as a wrong base URL, not as a missing record', async () => {
    const { client } = await oneuptime((req, res) =>
      json(res, 404, { message: `Page not found - ${req.url}` }),
    );
    const error = await client.delete('incident-role', uuid(1), CALL).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', hint: 'base-url' });
    expect((error as Error).message).toMatch(/check ONEUPTIME_API_URL/);
  });
});
