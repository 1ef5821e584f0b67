/**
 * The measured floor (issue 17, item 2): the upstream requests this gateway
 * made for one query, replayed straight at the emulators by the load
 * generator (same method, path, query string and body, same injected
 * latency), so a query's floor is what this machine can do, not the nominal
 * latency. The requests of one query fall into levels (a level waits for the
 * keys of the one above); the floor is the sum over levels of the slowest
 * request's direct p50 in that level, plus, for a level of several requests,
 * what sending them together costs over the slowest alone (one emulator
 * process answers them one after the other: `measureLevels`). Beside it, what
 * the gateway's own HTTP client (undici) adds to each request at concurrency 1
 * over a thin one (`measureClients`): explained in the report, not subtracted.
 */
import { connect, type Socket } from 'node:net';
import { Pool } from 'undici';
import { percentile, runCell } from './load.js';

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

/** Identifies a level by its requests, whatever order they arrived in. */
export function levelKey(level: readonly CapturedRequest[]): string {
  return level.map(requestKey).sort().join('\n');
}

/**
 * Σ over levels of the slowest request's direct p50, plus each level's
 * `together` cost when it has several requests (0 when not measured: reports
 * of runs before it); NaN when a request was not measured.
 */
export function measuredFloor(
  levels: readonly CapturedRequest[][],
  p50: ReadonlyMap<string, number>,
  together: ReadonlyMap<string, number> = new Map(),
): number {
  let total = 0;
  for (const level of levels) {
    total += Math.max(...level.map((r) => p50.get(requestKey(r)) ?? Number.NaN));
    if (level.length > 1) total += together.get(levelKey(level)) ?? 0;
  }
  return total;
}

export interface DirectUpstreams {
  coralogix: { url: string; apiKey: string };
  oneuptime: { url: string; apiKey: string };
  pid: number;
}

/** The items by key, the last of equal keys kept: each distinct request or level measured once. */
function distinct<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [keyOf(item), item]));
}

/** Times each distinct request at concurrency 1 straight against its emulator. */
export async function measureDirect(
  requests: readonly CapturedRequest[],
  upstreams: DirectUpstreams,
  timing: { seconds: number; warmupSeconds: number; connections?: number },
  log: (message: string) => void,
): Promise<DirectProbe[]> {
  const probes: DirectProbe[] = [];
  for (const [key, request] of distinct(requests, requestKey)) {
    const { url, headers, body } = wireOf(request, upstreams);
    const result = await runCell({
      target: { url: url.href, pid: upstreams.pid, headers, method: request.method },
      bodies: body === undefined ? [] : [body],
      connections: timing.connections ?? 1,
      seconds: timing.seconds,
      warmupSeconds: timing.warmupSeconds,
      sandboxPid: upstreams.pid,
    });
    const name = probeName(request);
    probes.push({ key, name, p50: result.p50, p99: result.p99, requests: result.requests });
    log(`direct: ${name}: p50 ${result.p50.toFixed(2)} ms`);
  }
  return probes;
}

/** The URL, auth header and body of a captured request, as its emulator gets it again. */
function wireOf(
  request: CapturedRequest,
  upstreams: DirectUpstreams,
): { url: URL; headers: Record<string, string>; body?: string } {
  const upstream = upstreams[request.upstream];
  const url = new URL(request.path, upstream.url);
  for (const [name, values] of Object.entries(request.query)) {
    for (const value of values) url.searchParams.append(name, value);
  }
  const headers: Record<string, string> =
    request.upstream === 'coralogix'
      ? { authorization: `Bearer ${upstream.apiKey}` }
      : { apikey: upstream.apiKey };
  return request.body === undefined
    ? { url, headers }
    : { url, headers, body: JSON.stringify(request.body) };
}

/** A short description of a captured request: method, path, and the size of its body or query. */
export function probeName(request: CapturedRequest): string {
  const values = Object.values(request.query).reduce((n, list) => n + list.length, 0);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const size = body ? ` (${body.length} B body)` : values > 0 ? ` (${values} query values)` : '';
  return `${request.upstream} ${request.method} ${request.path.replace(/^\/mgmt\/openapi\/5/, '')}${size}`;
}

/** A level of several requests sent together, against the same requests one at a time. */
export interface LevelProbe {
  key: string;
  /** The requests' names (`DirectProbe.name`), in arrival order. */
  names: string[];
  /** p50 of the level's requests sent at once, until the last one is answered, ms. */
  togetherP50: number;
  /** The slowest request's p50 alone, with the same client and connections, ms. */
  aloneP50: number;
  /** What sending them together adds to the slowest alone (≥ 0), ms: added to the floor. */
  extraMs: number;
  /** Times the level was sent together (and each request alone). */
  rounds: number;
}

/**
 * One keep-alive HTTP/1.1 connection that sends a prepared request and waits
 * for the whole answer (Content-Length framing, as the emulators answer): a
 * client as thin as the load generator's, so two of them can be fired in the
 * same tick, as the gateway fires the calls of one level.
 */
class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private expected = -1;
  private waiting?: { resolve: () => void; reject: (error: Error) => void };

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static open(origin: string): Promise<RawConnection> {
    const url = new URL(origin);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port) || 80, url.hostname, () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  send(request: Buffer): Promise<void> {
    if (this.waiting) return Promise.reject(new Error('one request at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    if (this.expected < 0) {
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffered.subarray(0, end).toString('latin1');
      const status = Number(head.slice(9, 12));
      const length = /^content-length:\s*(\d+)/im.exec(head)?.[1];
      if (status < 200 || status >= 300 || length === undefined) {
        this.fail(
          new Error(
            `thin client: HTTP ${status}${length === undefined ? ' without Content-Length' : ''}`,
          ),
        );
        return;
      }
      this.expected = end + 4 + Number(length);
    }
    if (this.buffered.length < this.expected) return;
    this.buffered = this.buffered.subarray(this.expected);
    this.expected = -1;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve();
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}

/** The request as bytes on the wire: what the load generator sends for it. */
function rawRequest(
  method: string,
  { url, headers, body }: ReturnType<typeof wireOf>,
): { origin: string; bytes: Buffer } {
  const lines = [
    `${method} ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    'accept: application/json',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ...(body === undefined
      ? []
      : ['content-type: application/json', `content-length: ${Buffer.byteLength(body)}`]),
  ];
  return { origin: url.origin, bytes: Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`) };
}

const p50Of = (values: number[]) => percentile(Float64Array.from(values).sort(), 50);

/**
 * For each distinct level of several requests: round after round, each
 * request alone, then all of them in the same tick (one connection each),
 * for `seconds`. A single-threaded emulator answers concurrent requests one
 * after the other, so a level's floor is more than its slowest request alone;
 * measured with one client both ways, the difference is that cost alone.
 */
export async function measureLevels(
  levels: readonly CapturedRequest[][],
  upstreams: DirectUpstreams,
  timing: { seconds: number },
  log: (message: string) => void,
): Promise<LevelProbe[]> {
  const probes: LevelProbe[] = [];
  const several = levels.filter((level) => level.length > 1);
  for (const [key, level] of distinct(several, levelKey)) {
    const wire = level.map((request) => rawRequest(request.method, wireOf(request, upstreams)));
    const connections = await Promise.all(wire.map((w) => RawConnection.open(w.origin)));
    try {
      // One unmeasured round: connections open, the emulator's paths warm.
      for (const [i, connection] of connections.entries()) await connection.send(wire[i]!.bytes);
      const alone: number[][] = level.map(() => []);
      const together: number[] = [];
      const until = performance.now() + timing.seconds * 1000;
      while (performance.now() < until || together.length < 5) {
        for (const [i, connection] of connections.entries()) {
          const started = performance.now();
          await connection.send(wire[i]!.bytes);
          alone[i]!.push(performance.now() - started);
        }
        const started = performance.now();
        await Promise.all(connections.map((connection, i) => connection.send(wire[i]!.bytes)));
        together.push(performance.now() - started);
      }
      const togetherP50 = p50Of(together);
      const aloneP50 = Math.max(...alone.map(p50Of));
      const probe: LevelProbe = {
        key,
        names: level.map(probeName),
        togetherP50,
        aloneP50,
        extraMs: Math.max(0, togetherP50 - aloneP50),
        rounds: together.length,
      };
      probes.push(probe);
      log(
        `level of ${level.length}: together p50 ${togetherP50.toFixed(2)} ms, slowest alone ${aloneP50.toFixed(2)} ms (+${probe.extraMs.toFixed(2)} ms)`,
      );
    } finally {
      for (const connection of connections) connection.close();
    }
  }
  return probes;
}

/** One request timed at concurrency 1 by a thin client and by undici, alternately. */
export interface ClientProbe {
  key: string;
  /** The thin keep-alive client of `measureLevels`: bytes out, whole answer in, ms. */
  thinP50: number;
  /** undici `Pool.request`, the body read as text and parsed, as the gateway's client does, ms. */
  undiciP50: number;
  rounds: number;
}

/**
 * For each distinct request, for `seconds`: round after round, once with the
 * thin client, once with an undici Pool (one connection, kept alive), so the
 * difference is what the HTTP client itself costs per call on this machine.
 */
export async function measureClients(
  requests: readonly CapturedRequest[],
  upstreams: DirectUpstreams,
  timing: { seconds: number },
  log: (message: string) => void,
): Promise<ClientProbe[]> {
  const probes: ClientProbe[] = [];
  for (const [key, request] of distinct(requests, requestKey)) {
    const wired = wireOf(request, upstreams);
    const wire = rawRequest(request.method, wired);
    const { url, headers, body } = wired;
    const thin = await RawConnection.open(wire.origin);
    const pool = new Pool(url.origin, { connections: 1 });
    const viaUndici = async () => {
      const response = await pool.request({
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers: {
          accept: 'application/json',
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw new Error(`client probe: HTTP ${response.statusCode}`);
      }
      JSON.parse(text);
    };
    try {
      await thin.send(wire.bytes);
      await viaUndici();
      const thinTimes: number[] = [];
      const undiciTimes: number[] = [];
      const until = performance.now() + timing.seconds * 1000;
      while (performance.now() < until || thinTimes.length < 5) {
        let started = performance.now();
        await thin.send(wire.bytes);
        thinTimes.push(performance.now() - started);
        started = performance.now();
        await viaUndici();
        undiciTimes.push(performance.now() - started);
      }
      const probe = {
        key,
        thinP50: p50Of(thinTimes),
        undiciP50: p50Of(undiciTimes),
        rounds: thinTimes.length,
      };
      probes.push(probe);
      log(
        `client: ${probeName(request)}: thin p50 ${probe.thinP50.toFixed(2)} ms, undici ${probe.undiciP50.toFixed(2)} ms`,
      );
    } finally {
      thin.close();
      await pool.close();
    }
  }
  return probes;
}
