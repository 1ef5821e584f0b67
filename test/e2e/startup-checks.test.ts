/**
 * Outside the sandbox the real process looks at each upstream once at start:
 * a rejected key or a wrong base URL is a warning line with the sentence a
 * query would get, and the "gateway ready" line says what each upstream answered.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { builtGateway, freePort } from './support.js';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

let sandbox: Sandbox;
let main: string;

beforeAll(async () => {
  main = builtGateway();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

/** Starts the gateway with these upstream variables and returns its log lines up to "ready". */
async function startupLog(env: Record<string, string>): Promise<LogLine[]> {
  const child = spawn(process.execPath, [main], {
    cwd: packageRoot(),
    env: {
      PATH: process.env.PATH,
      PORT: String(await freePort()),
      CURSOR_SECRET: 'startup-checks-cursor-secret',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      void exited.then((code) =>
        reject(new Error(`exited with ${code}: ${JSON.stringify(lines)}`)),
      );
      const input = createInterface({ input: child.stdout! });
      input.on('line', (text) => {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        if (line.msg.startsWith('gateway ready')) {
          input.close();
          resolve();
        }
      });
    });
  } finally {
    // Not left running behind the test: it exits once its shutdown is done.
    child.kill('SIGTERM');
    await exited;
  }
  return lines;
}

const WARN = 40;

describe('start-up checks of the upstreams', () => {
  it('warns with the query sentence when a key is rejected, and says so in the ready line', async () => {
    const lines = await startupLog({
      CORALOGIX_API_URL: sandbox.coralogix.url,
      CORALOGIX_API_KEY: 'wrong-key',
      ONEUPTIME_API_URL: sandbox.oneuptime.url,
      ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
    });
    const warnings = lines.filter((l) => l.level === WARN).map((l) => l.msg);
    expect(warnings).toContain(
      'Coralogix rejected the API key (HTTP 401) — check CORALOGIX_API_KEY',
    );
    const ready = lines.at(-1)!;
    expect(ready.upstreams).toEqual({ coralogix: 'UPSTREAM_UNAUTHENTICATED', oneuptime: 'ok' });
    expect(JSON.stringify(lines)).not.toContain('wrong-key');
  });

  it('warns about a Coralogix URL outside the v5 family and finds its endpoints missing', async () => {
    const lines = await startupLog({
      CORALOGIX_API_URL: sandbox.coralogix.url.replace(/\/5$/, ''),
      CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
      ONEUPTIME_API_URL: sandbox.oneuptime.url,
      ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
    });
    const warnings = lines.filter((l) => l.level === WARN).map((l) => l.msg);
    expect(warnings).toEqual([
      expect.stringMatching(/does not end in \/mgmt\/openapi\/5/),
      expect.stringMatching(/^GATEWAY_TOKENS is not set/),
      'coralogix: endpoint not found — check CORALOGIX_API_URL',
    ]);
    expect(lines.at(-1)!.upstreams).toEqual({
      coralogix: 'UPSTREAM_BAD_REQUEST',
      oneuptime: 'ok',
    });
  });

  it('says both upstreams answered when all is well', async () => {
    const lines = await startupLog({
      CORALOGIX_API_URL: sandbox.coralogix.url,
      CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
      ONEUPTIME_API_URL: sandbox.oneuptime.url,
      ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
    });
    expect(lines.filter((l) => l.level === WARN).map((l) => l.msg)).toEqual([
      expect.stringMatching(/^GATEWAY_TOKENS is not set/),
    ]);
    expect(lines.at(-1)!.upstreams).toEqual({ coralogix: 'ok', oneuptime: 'ok' });
    expect(lines.at(-1)!.coralogixFamilies).toEqual({ incidents: 'ok', cases: 'ok' });
  });

  it('says which Coralogix families the key reads: without case permissions, incidents alone', async () => {
    sandbox.setFault({
      upstream: 'coralogix',
      path: '/cases/',
      status: 403,
      body: { code: 403, message: 'Forbidden' },
    });
    try {
      const lines = await startupLog({
        CORALOGIX_API_URL: sandbox.coralogix.url,
        CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
        ONEUPTIME_API_URL: sandbox.oneuptime.url,
        ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
      });
      const warnings = lines.filter((l) => l.level === WARN);
      expect(warnings.map((l) => l.msg)).toContain(
        'Coralogix says the API key may not read cases (case:Read): the case fields fail; grant it, or ignore this on an account that uses Incidents',
      );
      expect(lines.at(-1)!.upstreams).toEqual({ coralogix: 'ok', oneuptime: 'ok' });
      expect(lines.at(-1)!.coralogixFamilies).toEqual({
        incidents: 'ok',
        cases: 'UPSTREAM_FORBIDDEN',
      });
    } finally {
      sandbox.clearFaults();
    }
  });
});
