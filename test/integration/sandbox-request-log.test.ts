/**
 * The sandbox's request log stays bounded however long it serves (issue 11:
 * RSS grew from 199 to 817 MB in a 3-minute soak of `npm start` in sandbox mode).
 */
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_LOG_LIMIT, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

/** `count` authenticated role lookups numbered 0… in their body, `parallel` at a time. */
async function callOneUptime(box: Sandbox, count: number, parallel = 8): Promise<void> {
  const pool = new Pool(box.oneuptime.url, { connections: parallel });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const response = await pool.request({
        method: 'POST',
        path: '/api/incident-role/get-list?limit=1',
        headers: { 'content-type': 'application/json', apikey: box.oneuptime.apiKey },
        body: JSON.stringify({ select: { name: true }, query: {}, n }),
      });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  await pool.close();
}

describe('the sandbox request log', () => {
  it('keeps only the most recent requests by default', async () => {
    sandbox = await startSandbox();
    await callOneUptime(sandbox, DEFAULT_REQUEST_LOG_LIMIT + 50);
    const kept = sandbox.requests();
    expect(kept).toHaveLength(DEFAULT_REQUEST_LOG_LIMIT);
    expect(sandbox.droppedRequests()).toBe(50);
    // The newest request is among those kept, the first ones are gone.
    const numbers = kept.map((r) => (r.body as { n: number }).n);
    expect(Math.max(...numbers)).toBe(DEFAULT_REQUEST_LOG_LIMIT + 49);
    expect(Math.min(...numbers)).toBeGreaterThanOrEqual(8);
  });

  it('keeps as many as a test asks for with requestLogLimit', async () => {
    sandbox = await startSandbox({ requestLogLimit: 5 });
    await callOneUptime(sandbox, 12, 1);
    expect(sandbox.requests().map((r) => (r.body as { n: number }).n)).toEqual([7, 8, 9, 10, 11]);
    expect(sandbox.requests('coralogix')).toEqual([]);
    sandbox.clearRequests();
    expect(sandbox.requests()).toEqual([]);
    expect(sandbox.droppedRequests()).toBe(0);
  });
});
