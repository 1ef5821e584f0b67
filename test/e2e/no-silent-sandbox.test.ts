/**
 * The real process never serves the sandbox's seeded data in place of a
 * real account by accident: under NODE_ENV=production, or with a mistyped
 * vendor variable (`CORALOGIX_URL=…`), it refuses to start with one message
 * naming what is wrong, instead of passing its probes on fake data. Asked
 * for explicitly (SANDBOX=true) in production it runs, saying so, and the
 * "no client tokens" warning is printed there too.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { builtGateway, freePort } from './support.js';

interface Run {
  code: number | null;
  stderr: string;
  /** The JSON log lines (at "gateway ready" the process is stopped). */
  lines: Array<{ level: number; msg: string }>;
}

/** Runs the built gateway with exactly `env` (plus PATH and a port) until it is ready or exits. */
async function run(env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [builtGateway()], {
    cwd: packageRoot(),
    env: { PATH: process.env.PATH, PORT: String(await freePort()), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: Run = { code: null, stderr: '', lines: [] };
  child.stderr!.on('data', (chunk: Buffer) => (result.stderr += chunk.toString('utf8')));
  await new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      result.code = code;
      resolve();
    });
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as Run['lines'][number];
      result.lines.push(line);
      if (line.msg.startsWith('gateway ready')) child.kill('SIGTERM');
    });
  });
  return result;
}

const WARN = 40;
const KEYS = { CORALOGIX_API_KEY: 'cx-secret-key', ONEUPTIME_API_KEY: 'ou-secret-key' };

describe('no silent sandbox', () => {
  it('refuses to start in production with a mistyped URL variable, naming the right one', async () => {
    const started = await run({
      ...KEYS,
      NODE_ENV: 'production',
      CORALOGIX_URL: 'https://api.eu2.coralogix.com/mgmt/openapi/5',
      ONEUPTIME_API_URL: 'https://oneuptime.com',
    });
    expect(started.code).toBe(1);
    expect(started.lines).toEqual([]);
    expect(started.stderr).toContain(
      'CORALOGIX_URL is not a variable this gateway reads: did you mean CORALOGIX_API_URL?',
    );
    expect(started.stderr).not.toContain('secret-key');
  });

  it('refuses to start in production with no upstream at all', async () => {
    const started = await run({ NODE_ENV: 'production' });
    expect(started.code).toBe(1);
    expect(started.stderr).toContain(
      'the sandbox does not start by itself because NODE_ENV=production (set SANDBOX=true',
    );
  });

  it('runs the sandbox in production only when asked, warning about it and about open access', async () => {
    const started = await run({ NODE_ENV: 'production', SANDBOX: 'true' });
    expect(started.lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/^gateway ready/));
    const warnings = started.lines.filter((l) => l.level === WARN).map((l) => l.msg);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sandbox mode under NODE_ENV=production \(SANDBOX=true\)/),
        expect.stringMatching(/^GATEWAY_TOKENS is not set/),
      ]),
    );
  });

  it('still starts the sandbox with nothing configured, as the Quick start does', async () => {
    const started = await run({});
    expect(started.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sandbox mode: no upstream configured/),
        expect.stringMatching(/^gateway ready/),
      ]),
    );
  });
});
