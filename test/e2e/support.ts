/**
 * Helpers shared by the end-to-end tests: finding a local Chromium (never
 * downloaded), launching it headless, picking a free port, and building the
 * gateway to run as a real process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { packageRoot } from '../../src/config.js';
import {
  describeWithTool,
  toolTestMode,
  type ToolDecision,
  type ToolLookup,
} from '../support/tools.js';

export { freePort } from '../support/tools.js';

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

export type ChromiumLookup = ToolLookup;

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

/** Run, fail (on CI) or skip the browser tests: see test/support/tools.ts. */
export function browserTestMode(
  lookup: ChromiumLookup,
  env: Record<string, string | undefined> = process.env,
): ToolDecision {
  return toolTestMode('Chromium', lookup, CHROMIUM_HINT, env);
}

/** `describe` for tests that need Chromium; `body` gets the executable path. */
export function describeBrowser(name: string, body: (chromiumPath: string) => void): void {
  describeWithTool('Chromium', browserTestMode(lookupChromium()), name, body);
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** Where the e2e project's global setup compiles the gateway (one build per run). */
const E2E_BUILD = 'igw-e2e';

function buildDir(): string {
  return join(packageRoot(), 'node_modules', '.cache', E2E_BUILD);
}

/**
 * Compiles the gateway into a private directory under node_modules/.cache, so
 * the e2e files that run the real process never race a developer on `dist/`.
 * Called once per run by globalSetup.ts; the files read the build through
 * `builtGateway`. Returns the path of the compiled `main.js`.
 */
export function buildGateway(): string {
  const root = packageRoot();
  const outDir = buildDir();
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

/** The compiled gateway's `main.js`, built by the e2e project's global setup. */
export function builtGateway(): string {
  const main = join(buildDir(), 'src', 'main.js');
  if (!existsSync(main)) {
    throw new Error(
      `no e2e build at ${main}: run the e2e tests through vitest (its globalSetup builds it)`,
    );
  }
  return main;
}
