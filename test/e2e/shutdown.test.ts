/**
 * Graceful shutdown of the real process: SIGTERM while an operation is in
 * flight lets that operation finish, refuses new connections, and exits 0.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { buildGateway, freePort } from './support.js';

const ROOT = packageRoot();

describe('SIGTERM', () => {
  let sandbox: Sandbox;
  let main: string;

  beforeAll(async () => {
    main = buildGateway('igw-shutdown-e2e');
    // Every upstream answer takes 1.5 s, so an operation is surely in flight at SIGTERM.
    sandbox = await startSandbox({ latencyMs: 1_500 });
  });
  afterAll(() => sandbox?.stop());

  it('finishes the operation in flight, refuses new connections, closes and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        CORALOGIX_API_URL: sandbox.coralogix.url,
        CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
        ONEUPTIME_API_URL: sandbox.oneuptime.url,
        ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const messages: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        messages.push(String((JSON.parse(line) as { msg?: unknown }).msg));
      } catch {
        messages.push(line);
      }
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    for (let i = 0; i < 100 && !messages.some((m) => m.startsWith('gateway ready')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(messages.some((m) => m.startsWith('gateway ready'))).toBe(true);

    const url = `http://127.0.0.1:${port}/graphql`;
    const inFlight = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ incidents(first: 2) { totalCount } }' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { incidents: { totalCount: 300 } } });
    expect(await exited).toBe(0);
    expect(messages).toContain('stopped');
  });
});
