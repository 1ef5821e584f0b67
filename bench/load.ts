/**
 * One load cell: autocannon at a fixed concurrency against one target and one
 * query, with the target's CPU time and RSS and the sandbox's CPU read around
 * it. Latency percentiles come from every response's own timing (autocannon's
 * histogram rounds to whole milliseconds, too coarse next to a 20 ms floor).
 */
import autocannon from 'autocannon';
import { machineBusyMs, sampleProcess } from './procs.js';

export interface LoadTarget {
  /** The full URL requests are POSTed to. */
  url: string;
  /** The process whose CPU and RSS are read. */
  pid: number;
  headers?: Record<string, string>;
  /** POST unless given (the direct floor replays GETs too). */
  method?: string;
}

export interface CellResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** Non-2xx responses, socket errors and timeouts. */
  failures: number;
  /** Smallest and largest response size: a constant answer should not vary (errors would). */
  bytesMin: number;
  bytesMax: number;
  /** The target's CPU time per request, milliseconds. */
  cpuMsPerRequest: number;
  /** The target's CPU use over the cell, in cores. */
  cpuCores: number;
  /** The target's RSS at the end of the cell, MiB. */
  rssMiB: number;
  /** The sandbox's and the load generator's CPU use, in cores (what else competed for 2 cores). */
  sandboxCores: number;
  loadgenCores: number;
  /** CPU used by every other process on the machine during the cell, in cores (should be ~0). */
  otherCores: number;
  /** CPU of `CellOptions.companionPids` over the cell, in cores (left out of `otherCores`). */
  companionCores?: number;
}

export interface CellOptions {
  target: LoadTarget;
  /** One body, several cycled through by each connection (the soak's mix), or none. */
  bodies: string[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
  sandboxPid: number;
  /** Bench processes loaded at the same time (the other target of a pair): not "other" load. */
  companionPids?: number[];
  /** Called every second during the measured part (the soak samples RSS with it). */
  onSecond?: (elapsedSeconds: number) => void;
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

function fire(
  options: CellOptions,
  seconds: number,
  onResponse?: (ms: number, bytes: number) => void,
) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...options.target.headers,
  };
  const { bodies } = options;
  const method = options.target.method ?? 'POST';
  const instance = autocannon({
    url: options.target.url,
    connections: options.connections,
    duration: seconds,
    timeout: 30,
    method,
    headers,
    ...(bodies.length > 1
      ? { requests: bodies.map((body) => ({ method, headers, body })) }
      : bodies.length === 1
        ? { body: bodies[0] }
        : {}),
  });
  if (onResponse) {
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) onResponse(responseTime, resBytes);
    });
  }
  return instance;
}

/**
 * Load that is not measured: `seconds` of `options.bodies` at `options.connections`,
 * so a target's JIT has compiled the query's path before a cell times it.
 */
export async function warmUp(options: Omit<CellOptions, 'warmupSeconds'>): Promise<void> {
  await fire({ ...options, warmupSeconds: 0 }, options.seconds);
}

export async function runCell(options: CellOptions): Promise<CellResult> {
  if (options.warmupSeconds > 0) await fire(options, options.warmupSeconds);

  let latencies = new Float64Array(1 << 14);
  let count = 0;
  let bytesMin = Number.POSITIVE_INFINITY;
  let bytesMax = 0;
  const record = (ms: number, bytes: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
    if (bytes < bytesMin) bytesMin = bytes;
    if (bytes > bytesMax) bytesMax = bytes;
  };

  const before = sampleProcess(options.target.pid);
  const sandboxBefore = sampleProcess(options.sandboxPid);
  const companions = options.companionPids ?? [];
  const companionsMs = () => companions.reduce((ms, pid) => ms + sampleProcess(pid).cpuMs, 0);
  const companionsBefore = companionsMs();
  const loadgenBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const started = performance.now();
  let ticker: NodeJS.Timeout | undefined;
  if (options.onSecond) {
    const onSecond = options.onSecond;
    ticker = setInterval(() => onSecond((performance.now() - started) / 1000), 1000);
  }
  const result = await fire(options, options.seconds, record);
  if (ticker) clearInterval(ticker);
  const seconds = (performance.now() - started) / 1000;
  const after = sampleProcess(options.target.pid);
  const sandboxAfter = sampleProcess(options.sandboxPid);
  const companionCores = (companionsMs() - companionsBefore) / 1000 / seconds;
  const loadgen = process.cpuUsage(loadgenBefore);
  const machineCores = (machineBusyMs() - machineBefore) / 1000 / seconds;

  const sorted = latencies.subarray(0, count).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const cpuMs = after.cpuMs - before.cpuMs;
  const cpuCores = cpuMs / 1000 / seconds;
  const sandboxCores = (sandboxAfter.cpuMs - sandboxBefore.cpuMs) / 1000 / seconds;
  const loadgenCores = (loadgen.user + loadgen.system) / 1e6 / seconds;
  return {
    requests: count,
    seconds,
    rps: count / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: count > 0 ? sum / count : Number.NaN,
    failures: result.non2xx + result.errors + result.timeouts,
    bytesMin: count > 0 ? bytesMin : 0,
    bytesMax,
    cpuMsPerRequest: count > 0 ? cpuMs / count : Number.NaN,
    cpuCores,
    rssMiB: after.rssMiB,
    sandboxCores,
    loadgenCores,
    otherCores: Math.max(0, machineCores - cpuCores - sandboxCores - loadgenCores - companionCores),
    ...(companions.length > 0 ? { companionCores } : {}),
  };
}
