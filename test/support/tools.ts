/**
 * System tools some tests need (Chromium, redis-server): one rule for all of
 * them. Found: the tests run. Missing on CI (CI=true): one failing test says how
 * to install it, because .ci/run installs them and a missing one is a broken CI.
 * Missing elsewhere: the block is skipped with that hint and a warning.
 */
import { createServer } from 'node:net';
import { describe, it } from 'vitest';

export type ToolLookup = { found: true; path: string } | { found: false; reason: string };

export type ToolDecision =
  { mode: 'run'; path: string } | { mode: 'fail' | 'skip'; message: string };

export function toolTestMode(
  tool: string,
  lookup: ToolLookup,
  hint: string,
  env: Record<string, string | undefined> = process.env,
): ToolDecision {
  if (lookup.found) return { mode: 'run', path: lookup.path };
  return env.CI === 'true'
    ? {
        mode: 'fail',
        message: `${tool} is required on CI (CI=true) but ${lookup.reason}: ${hint}.`,
      }
    : { mode: 'skip', message: `${lookup.reason}; ${hint}` };
}

/** `describe` for tests that need a tool; `body` gets its path. */
export function describeWithTool(
  tool: string,
  decision: ToolDecision,
  name: string,
  body: (path: string) => void,
): void {
  if (decision.mode === 'run') {
    describe(name, () => body(decision.path));
    return;
  }
  if (decision.mode === 'fail') {
    describe(name, () => {
      it(`has ${tool} to run with`, () => {
        throw new Error(decision.message);
      });
    });
    return;
  }
  console.warn(`[tests] skipping "${name}": ${decision.message}`);
  describe.skip(`${name} (skipped: ${decision.message})`, () => body(''));
}

/**
 * Polls `condition` every 25 ms until it holds; fails after `ms` naming `what`.
 * For waiting on something a test can observe, instead of sleeping a fixed time.
 */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}
