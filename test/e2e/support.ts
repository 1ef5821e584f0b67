/**
 * Helpers shared by the end-to-end tests: finding a local Chromium (never
 * downloaded), launching it headless, picking a free port, and building the
 * gateway to run as a real process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';

/** Where Debian's `chromium` package (and older `chromium-browser` ones) put the browser. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const CHROMIUM_HINT = 'install Chromium (apt-get install chromium) or set CHROMIUM_PATH';

/** Flags for a headless, offline-quiet Chromium in a container (no sandbox, no GPU, no phoning home). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ChromiumLookup = { found: true; path: string } | { found: false; reason: string };

/**
 * `CHROMIUM_PATH` if set (it must exist: an explicit setting that points nowhere
 * is a mistake, not a reason to skip), else the first of the usual paths that exists.
 */
export function lookupChromium(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): ChromiumLookup {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    return exists(configured)
      ? { found: true, path: configured }
      : { found: false, reason: `CHROMIUM_PATH=${configured} does not exist` };
  }
  const path = CHROMIUM_CANDIDATES.find((candidate) => exists(candidate));
  return path
    ? { found: true, path }
    : { found: false, reason: `no Chromium at ${CHROMIUM_CANDIDATES.join(' or ')}` };
}

/** The Chromium executable to use, or `undefined` when there is none. */
export function findChromium(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const lookup = lookupChromium(env, exists);
  return lookup.found ? lookup.path : undefined;
}

/**
 * What to do with browser tests: run them, fail them (on CI, where a missing
 * browser means a broken CI image, not an optional extra), or skip them.
 */
export function browserTestMode(
  lookup: ChromiumLookup,
  env: Record<string, string | undefined> = process.env,
): { mode: 'run'; path: string } | { mode: 'fail' | 'skip'; message: string } {
  if (lookup.found) return { mode: 'run', path: lookup.path };
  return env.CI === 'true'
    ? {
        mode: 'fail',
        message: `Chromium is required on CI (CI=true) but ${lookup.reason}: ${CHROMIUM_HINT}.`,
      }
    : { mode: 'skip', message: `${lookup.reason}; ${CHROMIUM_HINT}` };
}

/**
 * `describe` for tests that need Chromium. `body` gets the executable path.
 * Without Chromium: on CI (`CI=true`) one failing test says how to install it;
 * elsewhere the block is skipped with that hint in its name and a warning.
 */
export function describeBrowser(name: string, body: (chromiumPath: string) => void): void {
  const decision = browserTestMode(lookupChromium());
  if (decision.mode === 'run') {
    describe(name, () => body(decision.path));
    return;
  }
  if (decision.mode === 'fail') {
    describe(name, () => {
      it('has a Chromium to run in', () => {
        throw new Error(decision.message);
      });
    });
    return;
  }
  console.warn(`[e2e] skipping "${name}": ${decision.message}`);
  describe.skip(`${name} (skipped: ${decision.message})`, () => body(''));
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
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

/**
 * Compiles the gateway into a private directory under node_modules/.cache, so
 * e2e files that run the real process never race each other (or a developer)
 * on `dist/`. Returns the path of the compiled `main.js`.
 */
export function buildGateway(name: string): string {
  const root = packageRoot();
  const outDir = join(root, 'node_modules', '.cache', name);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.build.json',
      '--outDir',
      outDir,
      '--tsBuildInfoFile',
      join(outDir, '.tsbuildinfo'),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  return join(outDir, 'src', 'main.js');
}
