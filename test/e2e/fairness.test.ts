/**
 * One client floods a real gateway process, pipelined on one socket and over
 * many connections; another client, with its own token, keeps working: its
 * p50 stays within 3× of its p50 alone and it gets no error, the flood gets
 * OVERLOADED (never UPSTREAM_TIMEOUT), and the circuits stay closed.
 *
 * Four processes, so none measures another's work: the emulators (100 ms per
 * upstream answer, about what the vendors take), the gateway, the flood
 * (autocannon) and this one (the normal client, one request at a time).
 * Alone and flooded alternate three times, so a change in what else the
 * machine runs meets both the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import {
  DEFAULT_SANDBOX_CORALOGIX_API_KEY,
  DEFAULT_SANDBOX_ONEUPTIME_API_KEY,
} from '../../src/sandbox/index.js';
import { CORALOGIX_BASE_PATH } from '../../src/upstreams/coralogix/regions.js';
import { pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/tools.js';
import { builtGateway, freePort } from './support.js';

const ROOT = packageRoot();
const FLOOD_TOKEN = 'e2e-flood-token-0123456789';
const NORMAL_TOKEN = 'e2e-normal-token-0123456789';
const QUERY = JSON.stringify({
  query: '{ incidents(first: 20) { edges { node { id name severity status } } } }',
});
const ROUNDS = 3;
const PHASE_MS = 3_000;

/** The flood, as a process of its own: 64 connections in a closed loop plus 100 pipelined on one. */
const FLOOD = `
import autocannon from 'autocannon';
const [url, token, seconds, body] = process.argv.slice(1);
const byStatus = {};
const fire = (connections, pipelining) => {
  const instance = autocannon({
    url: url + '/graphql', connections, pipelining, duration: Number(seconds), timeout: 30,
    method: 'POST', body,
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
  });
  instance.on('response', (_client, status) => { byStatus[status] = (byStatus[status] ?? 0) + 1; });
  return instance;
};
const results = await Promise.all([fire(64, 1), fire(1, 100)]);
byStatus.socketErrors = results.reduce((n, r) => n + r.errors + r.timeouts, 0);
console.log(JSON.stringify(byStatus));
`;

function start(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
  return child;
}

function flood(url: string, seconds: number): Promise<Record<string, number>> {
  const child = start(
    'flood',
    ['--input-type=module', '-e', FLOOD, url, FLOOD_TOKEN, String(seconds), QUERY],
    {},
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output) as Record<string, number>)
        : reject(new Error(`flood exited ${code}`)),
    ),
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a flooding client beside a normal one (real processes)', () => {
  const children: ChildProcess[] = [];
  let url = '';
  let gatewayLog = '';

  beforeAll(async () => {
    const main = builtGateway();
    const [coralogixPort, oneuptimePort, port] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    children.push(
      start('sandbox', [join(dirname(main), 'sandbox', 'main.js')], {
        SANDBOX_CORALOGIX_PORT: String(coralogixPort),
        SANDBOX_ONEUPTIME_PORT: String(oneuptimePort),
        SANDBOX_LATENCY_MS: '100',
      }),
    );
    const gateway = start('gateway', [main], {
      NODE_ENV: 'production',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      CORALOGIX_API_URL: `http://127.0.0.1:${coralogixPort}${CORALOGIX_BASE_PATH}`,
      CORALOGIX_API_KEY: DEFAULT_SANDBOX_CORALOGIX_API_KEY,
      ONEUPTIME_API_URL: `http://127.0.0.1:${oneuptimePort}`,
      ONEUPTIME_API_KEY: DEFAULT_SANDBOX_ONEUPTIME_API_KEY,
      GATEWAY_TOKENS: `${FLOOD_TOKEN},${NORMAL_TOKEN}`,
    });
    gateway.stdout?.on('data', (chunk: Buffer) => (gatewayLog += chunk.toString()));
    children.push(gateway);
    url = `http://127.0.0.1:${port}`;
    await waitFor(
      'the gateway to be ready',
      async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
      30_000,
    );
  });
  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  });

  it('keeps the other client’s p50 within 3× and error-free; the flood gets OVERLOADED, circuits stay closed', async () => {
    const pool = new Pool(url, { connections: 1 });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${NORMAL_TOKEN}` };
    const problems: string[] = [];
    /** The normal client: one list after another for `ms`; each latency. */
    const normal = async (ms: number) => {
      const latencies: number[] = [];
      for (const until = Date.now() + ms; Date.now() < until;) {
        const started = performance.now();
        const response = await pool.request({
          path: '/graphql',
          method: 'POST',
          headers,
          body: QUERY,
        });
        const body = (await response.body.json()) as { data?: unknown; errors?: unknown };
        latencies.push(performance.now() - started);
        if (response.statusCode !== 200 || body.errors || !body.data) {
          problems.push(`${response.statusCode} ${JSON.stringify(body.errors)}`);
        }
      }
      return latencies;
    };

    await normal(1_500); // warm-up, unmeasured
    const alone: number[] = [];
    const flooded: number[] = [];
    const floodAnswers: Record<string, number> = {};
    let pipelined: Awaited<ReturnType<typeof pipeline>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      alone.push(...(await normal(PHASE_MS)));
      const flooding = flood(url, (PHASE_MS + 1_500) / 1000);
      await sleep(500);
      flooded.push(...(await normal(PHASE_MS)));
      if (round === ROUNDS - 1) {
        // The flood's own view of one pipelined burst, read answer by answer.
        pipelined = await pipeline(
          url,
          Array.from({ length: 200 }, () => QUERY),
          {
            headers: { authorization: `Bearer ${FLOOD_TOKEN}` },
          },
        );
      }
      for (const [status, count] of Object.entries(await flooding)) {
        floodAnswers[status] = (floodAnswers[status] ?? 0) + count;
      }
    }
    await pool.close();

    expect(problems).toEqual([]);
    const ratio = median(flooded) / median(alone);
    expect(
      ratio,
      `p50 ${median(alone).toFixed(1)} ms alone (${alone.length} requests), ${median(flooded).toFixed(1)} ms flooded (${flooded.length}); flood ${JSON.stringify(floodAnswers)}`,
    ).toBeLessThanOrEqual(3);

    expect(floodAnswers['503'] ?? 0).toBeGreaterThan(0);
    expect(floodAnswers['504'] ?? 0).toBe(0);
    expect(pipelined).toHaveLength(200);
    const codes = pipelined.map((answer) => {
      const body = JSON.parse(answer.body) as {
        errors?: Array<{ extensions?: { code?: string } }>;
      };
      return answer.status === 200 && !body.errors
        ? 'ok'
        : (body.errors?.[0]?.extensions?.code ?? String(answer.status));
    });
    expect(codes).toContain('OVERLOADED');
    expect(codes.filter((code) => code !== 'ok' && code !== 'OVERLOADED')).toEqual([]);
    for (const answer of pipelined.filter((a) => a.status === 503)) {
      expect(answer.headers['retry-after']).toBe('1');
    }

    const metrics = await (
      await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${NORMAL_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/^gateway_upstream_circuit_state\{upstream="coralogix"\} 0$/m);
    expect(metrics).toMatch(/^gateway_upstream_circuit_state\{upstream="oneuptime"\} 0$/m);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(gatewayLog).not.toMatch(/circuit breaker \w+ -> open/);
  });
});
