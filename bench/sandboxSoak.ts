/**
 * The sandbox-mode soak (issue 11): the gateway started the way `npm start`
 * starts it with no upstream configured (`node <npm start's flags>
 * dist/src/main.js`, emulators in the same process), under load for a few
 * minutes, its RSS read every 15 s.
 * Growth is from the median of the first three samples after the warm-up to
 * the median of the last three (single readings move ±5 % with GC); the
 * target is ≤ 10 % (it was +310 % when the emulators kept every request).
 */
import { join } from 'node:path';
import { runCell, type CellResult } from './load.js';
import {
  freePort,
  sampleProcess,
  spawnNode,
  startFlags,
  waitForGraphQL,
  type Child,
} from './procs.js';

export interface SandboxSoakSettings {
  seconds: number;
  /** RSS is sampled every this many seconds. */
  everySeconds: number;
  /** Growth is measured from the first sample at or after this second. */
  warmupSeconds: number;
  connections: number;
}

export interface SandboxSoak extends SampledSoak {
  /** RSS once the process answered its first request, before any load. */
  idleRssMiB: number;
  /** The Node.js flags the process ran with (npm start's). */
  nodeFlags: string[];
}

export const SANDBOX_SOAK_TARGET = 0.1;
/** Samples per median at each end of the measured stretch. */
const WINDOW = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Soak settings: quick runs sample every 5 s after 5 s; full ones every 15 s after 60 s. */
export function sandboxSoakSettings(quick: boolean, seconds: number): SandboxSoakSettings {
  return quick
    ? { seconds, everySeconds: 5, warmupSeconds: 5, connections: 32 }
    : // V8 grows its heap for about a minute under this load (longer on a busy machine).
      { seconds, everySeconds: 15, warmupSeconds: 60, connections: 32 };
}

export async function runSandboxSoak(options: {
  root: string;
  env: (extra: Record<string, string>) => NodeJS.ProcessEnv;
  latencyMs: number;
  bodies: string[];
  settings: SandboxSoakSettings;
  log: (message: string) => void;
  register: (child: Child) => void;
}): Promise<SandboxSoak> {
  const { settings } = options;
  const nodeFlags = startFlags(options.root);
  const port = await freePort();
  // No CORALOGIX_* / ONEUPTIME_* variables (env() strips them); env() sets NODE_ENV=production,
  // where the sandbox starts only when SANDBOX=true asks for it.
  const child = spawnNode(
    'sandbox-mode gateway',
    join(options.root, 'dist', 'src', 'main.js'),
    [],
    options.env({
      SANDBOX: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SANDBOX_LATENCY_MS: String(options.latencyMs),
    }),
    nodeFlags,
  );
  options.register(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForGraphQL(url, child);
  const idleRssMiB = sampleProcess(child.pid).rssMiB;

  options.log(
    `sandbox-mode soak: npm start-style process, concurrency ${settings.connections}, ${settings.seconds} s, RSS every ${settings.everySeconds} s`,
  );
  // The emulators run inside the gateway's process: there is no sandbox process of its own.
  const soak = await sampledSoak({
    url,
    pid: child.pid,
    sandboxPid: child.pid,
    bodies: options.bodies,
    settings,
    log: options.log,
  });
  await child.stop();
  return { ...soak, idleRssMiB, nodeFlags };
}

export interface SampledSoak extends CellResult {
  settings: SandboxSoakSettings;
  samples: Array<{ second: number; rssMiB: number }>;
  /** RSS just after the warm-up and at the end (medians of three samples), and the growth. */
  warmRssMiB: number;
  endRssMiB: number;
  growth: number;
}

/** Growth from the first WINDOW samples at or after the warm-up to the last WINDOW. */
export function growthAfterWarmup(
  samples: ReadonlyArray<{ second: number; rssMiB: number }>,
  warmupSeconds: number,
): { warmRssMiB: number; endRssMiB: number; growth: number } {
  const afterWarmup = samples.filter((s) => s.second >= warmupSeconds);
  const warmRssMiB = median(afterWarmup.slice(0, WINDOW).map((s) => s.rssMiB));
  const endRssMiB = median(afterWarmup.slice(-WINDOW).map((s) => s.rssMiB));
  return { warmRssMiB, endRssMiB, growth: (endRssMiB - warmRssMiB) / warmRssMiB };
}

/** One long cell at `settings.connections`, the process's RSS read every `everySeconds`. */
export async function sampledSoak(options: {
  url: string;
  pid: number;
  sandboxPid: number;
  bodies: string[];
  settings: SandboxSoakSettings;
  log: (message: string) => void;
}): Promise<SampledSoak> {
  const { settings } = options;
  const samples: SampledSoak['samples'] = [];
  let next = settings.everySeconds;
  const result = await runCell({
    target: { url: options.url, pid: options.pid },
    bodies: options.bodies,
    connections: settings.connections,
    seconds: settings.seconds,
    warmupSeconds: 0,
    sandboxPid: options.sandboxPid,
    onSecond: (elapsed) => {
      if (elapsed + 0.5 < next) return;
      const rssMiB = sampleProcess(options.pid).rssMiB;
      samples.push({ second: next, rssMiB });
      options.log(`  ${String(next).padStart(4)} s  RSS ${rssMiB.toFixed(1)} MiB`);
      next += settings.everySeconds;
    },
  });
  const lastRssMiB = sampleProcess(options.pid).rssMiB;
  if (samples.at(-1)?.second !== settings.seconds) {
    samples.push({ second: settings.seconds, rssMiB: lastRssMiB });
  }
  return { ...result, settings, samples, ...growthAfterWarmup(samples, settings.warmupSeconds) };
}

/** The report's section for the sandbox-mode soak. */
export function sandboxSoakSection(soak: SandboxSoak | undefined): string[] {
  if (!soak) return [];
  const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
  const growth = `${soak.growth >= 0 ? '+' : ''}${f(soak.growth * 100, 1)} %`;
  const met = soak.growth <= SANDBOX_SOAK_TARGET;
  const trace = soak.samples.map((s) => `${s.second} s: ${f(s.rssMiB)}`).join(', ');
  return [
    '## Soak in sandbox mode',
    '',
    `The gateway as \`npm start\` runs it with no upstream configured (\`node ${[...soak.nodeFlags, 'dist/src/main.js'].join(' ')}\`, both emulators in its process, ${f(soak.settings.connections, 0)} connections, the four queries mixed) for ${soak.settings.seconds} s: ${f(soak.rps, 0)} req/s, p50 ${f(soak.p50)} ms, p99 ${f(soak.p99)} ms, ${soak.failures} failures. RSS ${f(soak.idleRssMiB)} MiB idle; sampled every ${soak.settings.everySeconds} s (MiB): ${trace}.`,
    '',
    '| Target | Goal | Measured | Met |',
    '| --- | --- | --- | --- |',
    `| RSS growth after the ${soak.settings.warmupSeconds} s warm-up | ≤ 10 % | ${growth} (${f(soak.warmRssMiB)} → ${f(soak.endRssMiB)} MiB, medians of the first / last ${WINDOW} samples) | ${met ? 'yes' : '**no**'} |`,
    '',
  ];
}
