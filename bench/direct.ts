/**
 * The measured floor (issue 17, item 2): the upstream requests this gateway
 * made for one query, replayed straight at the emulators by the load
 * generator (same method, path, query string and body, same injected
 * latency), so a query's floor is what this machine can do, not the nominal
 * latency. The requests of one query fall into levels (a level waits for the
 * keys of the one above); the floor is the sum over levels of the slowest
 * request's direct p50 in that level.
 */
import { runCell } from './load.js';

/** One upstream request as the sandbox recorded it. */
export interface CapturedRequest {
  upstream: 'coralogix' | 'oneuptime';
  method: string;
  path: string;
  query: Record<string, string[]>;
  body: unknown;
  /** Arrival time at the emulator, ms since the epoch. */
  at: number;
}

export interface DirectProbe {
  key: string;
  /** A short description: method, path, and the size of the body. */
  name: string;
  p50: number;
  p99: number;
  requests: number;
}

/** Identifies a request by what it asks for (two equal requests are measured once). */
export function requestKey(request: CapturedRequest): string {
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(request.query)) {
    for (const value of values) query.append(name, value);
  }
  const search = query.toString();
  const body = request.body === undefined ? '' : ` ${JSON.stringify(request.body)}`;
  return `${request.upstream} ${request.method} ${request.path}${search ? `?${search}` : ''}${body}`;
}

/**
 * Groups requests into sequential levels by arrival time: a request that
 * arrives at least `gapMs` after the first one of the current level starts the
 * next level (with a 20 ms injected latency, the next level can only start
 * 20 ms later; requests of one level arrive within a millisecond or two).
 */
export function levelsOf(requests: readonly CapturedRequest[], gapMs: number): CapturedRequest[][] {
  const sorted = [...requests].sort((a, b) => a.at - b.at);
  const levels: CapturedRequest[][] = [];
  let levelStart = Number.NEGATIVE_INFINITY;
  for (const request of sorted) {
    if (request.at - levelStart >= gapMs || levels.length === 0) {
      levels.push([]);
      levelStart = request.at;
    }
    levels.at(-1)!.push(request);
  }
  return levels;
}

/** Σ over levels of the slowest request's direct p50; NaN when one was not measured. */
export function measuredFloor(
  levels: readonly CapturedRequest[][],
  p50: ReadonlyMap<string, number>,
): number {
  let total = 0;
  for (const level of levels) {
    total += Math.max(...level.map((r) => p50.get(requestKey(r)) ?? Number.NaN));
  }
  return total;
}

export interface DirectUpstreams {
  coralogix: { url: string; apiKey: string };
  oneuptime: { url: string; apiKey: string };
  pid: number;
}

/** Times each distinct request at concurrency 1 straight against its emulator. */
export async function measureDirect(
  requests: readonly CapturedRequest[],
  upstreams: DirectUpstreams,
  timing: { seconds: number; warmupSeconds: number; connections?: number },
  log: (message: string) => void,
): Promise<DirectProbe[]> {
  const distinct = new Map<string, CapturedRequest>();
  for (const request of requests) distinct.set(requestKey(request), request);
  const probes: DirectProbe[] = [];
  for (const [key, request] of distinct) {
    const upstream = upstreams[request.upstream];
    const origin = new URL(upstream.url).origin;
    const search = new URLSearchParams();
    for (const [name, values] of Object.entries(request.query)) {
      for (const value of values) search.append(name, value);
    }
    const url = `${origin}${request.path}${search.size > 0 ? `?${search}` : ''}`;
    const headers: Record<string, string> =
      request.upstream === 'coralogix'
        ? { authorization: `Bearer ${upstream.apiKey}` }
        : { apikey: upstream.apiKey };
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const result = await runCell({
      target: { url, pid: upstreams.pid, headers, method: request.method },
      bodies: body === undefined ? [] : [body],
      connections: timing.connections ?? 1,
      seconds: timing.seconds,
      warmupSeconds: timing.warmupSeconds,
      sandboxPid: upstreams.pid,
    });
    const name = `${request.upstream} ${request.method} ${request.path.replace(/^\/mgmt\/openapi\/5/, '')}${body ? ` (${body.length} B body)` : search.size > 0 ? ` (${search.size} query values)` : ''}`;
    probes.push({ key, name, p50: result.p50, p99: result.p99, requests: result.requests });
    log(`direct: ${name}: p50 ${result.p50.toFixed(2)} ms`);
  }
  return probes;
}
