/**
 * A port someone else holds: the real processes (`npm start`'s gateway, with
 * its in-process sandbox, and `npm run sandbox`'s emulators) print one line
 * naming the address and the variable to change, and exit 1 without a stack trace.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { builtGateway, freePort } from './support.js';

const EXIT_TIMEOUT_MS = 30_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with only `env` (plus PATH) until it exits; kills it if it is still up after the timeout. */
function run(script: string, env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [script], {
    cwd: packageRoot(),
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Holds a port on 127.0.0.1 the way another process would. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { port: (server.address() as { port: number }).port, server };
}

function expectOneLineWithoutStack(result: Run): string {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, 'stderr').toHaveLength(1);
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe('a port already in use', () => {
  let gatewayMain: string;
  let sandboxMain: string;
  let held: { port: number; server: Server };

  beforeAll(async () => {
    gatewayMain = builtGateway();
    sandboxMain = join(dirname(gatewayMain), 'sandbox', 'main.js');
    held = await holdPort();
  });
  afterAll(
    () => new Promise<void>((resolve) => (held ? held.server.close(() => resolve()) : resolve())),
  );

  it('makes the gateway in sandbox mode (npm start) say which address is taken and to change PORT, then exit 1', async () => {
    const result = await run(gatewayMain, { PORT: String(held.port) });
    const line = expectOneLineWithoutStack(result);
    expect(line).toBe(
      `Cannot listen on 127.0.0.1:${held.port}: the port is already in use (another copy running?). Stop that process or set PORT to a free port.`,
    );
    expect(result.stdout).toContain('sandbox mode');
    expect(result.stdout).not.toContain('gateway ready');
  });

  it.each([
    { busy: 'SANDBOX_CORALOGIX_PORT', other: 'SANDBOX_ONEUPTIME_PORT' },
    { busy: 'SANDBOX_ONEUPTIME_PORT', other: 'SANDBOX_CORALOGIX_PORT' },
  ])(
    'makes npm run sandbox name the address and $busy when that port is taken, then exit 1',
    async ({ busy, other }) => {
      const result = await run(sandboxMain, {
        [busy]: String(held.port),
        [other]: String(await freePort()),
      });
      const line = expectOneLineWithoutStack(result);
      expect(line).toBe(
        `Cannot listen on 127.0.0.1:${held.port}: the port is already in use (another copy running?). Stop that process or set ${busy} to a free port.`,
      );
      expect(result.stdout).not.toContain('Sandbox emulators running');
    },
  );

  it('starts npm run sandbox as usual when both of its ports are free', async () => {
    const child = spawn(process.execPath, [sandboxMain], {
      cwd: packageRoot(),
      env: {
        PATH: process.env.PATH,
        SANDBOX_CORALOGIX_PORT: String(await freePort()),
        SANDBOX_ONEUPTIME_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await expect.poll(() => stdout, { timeout: 20_000 }).toContain('Sandbox emulators running');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
