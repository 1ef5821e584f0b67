/**
 * OneUptimeClient.listAll over more than one page, against a node:http server
 * that pages like OneUptime over Postgres: ORDER BY the sort's keys in order,
 * ties in whatever order the database happens to give (here: a different one
 * on every request), then OFFSET/LIMIT from the query string.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OneUptimeClient } from '../../src/upstreams/oneuptime/client.js';
import { json, startUpstream } from '../support/fakeUpstream.js';

const CALL = { apiKey: 'k' };
const INCIDENT = '00000000-0000-4000-8000-000000000001';
/** Ids in no sorted order, so insertion order and `_id` order differ. */
const idOf = (n: number) =>
  `00000000-0000-4000-8000-${String((n * 7919) % 1_000_003).padStart(12, '0')}`;

interface Row {
  _id: string;
  createdAt: string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `rows` live in the server; `afterRequest` runs once each request has been answered. */
async function oneuptime(rows: Row[], afterRequest: (index: number) => void = () => {}) {
  const sorts: Array<Record<string, string>> = [];
  const upstream = await startUpstream((req, res, index) => {
    const url = new URL(req.url ?? '', 'http://x');
    const skip = Number(url.searchParams.get('skip'));
    const limit = Number(url.searchParams.get('limit'));
    const body = JSON.parse(upstream.received[index]?.body ?? '{}') as {
      sort?: Record<string, string>;
    };
    const sort = body.sort ?? { createdAt: 'DESC' };
    sorts.push(sort);
    // Ties keep insertion order on even requests and the reverse on odd ones.
    const tieOrder = index % 2 === 0 ? [...rows] : [...rows].reverse();
    const ordered = tieOrder.sort((a, b) => {
      for (const [column, order] of Object.entries(sort)) {
        const x = String(a[column as keyof Row]);
        const y = String(b[column as keyof Row]);
        if (x !== y) return (x < y ? -1 : 1) * (order === 'DESC' ? -1 : 1);
      }
      return 0;
    });
    const data = ordered
      .slice(skip, skip + limit)
      .map((row) => ({ _id: row._id, incidentId: { _type: 'ObjectID', value: INCIDENT } }));
    json(res, 200, { data, count: rows.length, skip, limit });
    afterRequest(index);
  });
  const client = new OneUptimeClient({ baseUrl: upstream.url, timeoutMs: 2_000, retries: 0 });
  cleanups.push(
    () => upstream.close(),
    () => client.close(),
  );
  const listAll = () =>
    client.listAll(
      'incident-sla',
      {
        select: { incidentId: true },
        query: { incidentId: INCIDENT },
        sort: { createdAt: 'DESC' },
      },
      CALL,
    );
  return { listAll, sorts, upstream };
}

const ids = (rows: Array<{ _id: string }>) => rows.map((row) => row._id);

describe('OneUptime paging reads every row once', () => {
  it('sends _id as the last sort key, so rows tying on createdAt keep one order across pages', async () => {
    const sameTime = '2026-01-01T00:00:00.000Z';
    const rows = Array.from({ length: 1500 }, (_, n) => ({ _id: idOf(n), createdAt: sameTime }));
    const { listAll, sorts, upstream } = await oneuptime(rows);

    const read = ids(await listAll());

    expect(upstream.received).toHaveLength(2);
    expect(sorts.map((sort) => Object.entries(sort))).toEqual([
      [
        ['createdAt', 'DESC'],
        ['_id', 'ASC'],
      ],
      [
        ['createdAt', 'DESC'],
        ['_id', 'ASC'],
      ],
    ]);
    expect(new Set(read).size).toBe(1500);
    expect([...read].sort()).toEqual(ids(rows).sort());
  });

  it('drops the row a concurrent insert pushes from page 1 onto page 2, and loses none', async () => {
    const rows = Array.from({ length: 1500 }, (_, n) => ({
      _id: idOf(n),
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    }));
    const original = ids(rows).sort();
    // A newer SLA row arrives once page 1 has been answered, before page 2 is read.
    const { listAll, upstream } = await oneuptime(rows, (index) => {
      if (index === 0) rows.push({ _id: idOf(5000), createdAt: '2027-01-01T00:00:00.000Z' });
    });

    const read = ids(await listAll());

    expect(upstream.received).toHaveLength(2);
    expect(read).toHaveLength(new Set(read).size);
    expect(read).toHaveLength(1500);
    expect([...read].sort()).toEqual(original);
  });
});
