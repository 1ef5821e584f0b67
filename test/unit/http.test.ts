import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { json, startUpstream, type Handler } from '../support/fakeUpstream.js';
import {
  HttpUpstream,
  parseRetryAfter,
  routeOf,
  type HttpUpstreamOptions,
  type JsonRequest,
} from '../../src/upstreams/http.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  handler: Handler,
  options: Partial<Omit<HttpUpstreamOptions, 'baseUrl'>> = {},
  basePath = '',
) {
  const upstream = await startUpstream(handler);
  cleanups.push(() => upstream.close());
  const http = new HttpUpstream({
    upstream: 'coralogix',
    baseUrl: `${upstream.url}${basePath}`,
    timeoutMs: 2_000,
    retries: 2,
    maxRetryDelayMs: 2_000,
    ...options,
  });
  cleanups.push(() => http.close());
  return { upstream, http };
}

const read = (extra: Partial<JsonRequest> = {}): JsonRequest => ({
  method: 'POST',
  path: '/v1/incidents',
  headers: {},
  idempotent: true,
  ...extra,
});
const write = (extra: Partial<JsonRequest> = {}): JsonRequest =>
  read({ idempotent: false, ...extra });

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected the request to fail');
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('routeOf', () => {
  it('labels every id segment :id, UUIDs and readable case ids alike, and nothing else', () => {
    expect(routeOf('/cases/cases/v1/CASE-60')).toBe('/cases/cases/v1/:id');
    expect(routeOf('/cases/events/v1/0b6f9a4e-5d1c-4c1e-9a57-2F1F7F3A9E10/comments')).toBe(
      '/cases/events/v1/:id/comments',
    );
    expect(routeOf('/api/incident/0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10/get-item')).toBe(
      '/api/incident/:id/get-item',
    );
    // Literal segments stay, even with digits or dashes in them.
    expect(routeOf('/incidents/events/v1/all/count')).toBe('/incidents/events/v1/all/count');
    expect(routeOf('/api/incident-state-timeline/get-list')).toBe(
      '/api/incident-state-timeline/get-list',
    );
  });

  it('gives as many routes as paths of one shape, however many ids are asked for', () => {
    const routes = new Set(
      Array.from({ length: 500 }, (_, i) => routeOf(`/cases/cases/v1/CASE-${i + 1}`)),
    );
    expect([...routes]).toEqual(['/cases/cases/v1/:id']);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter(' 12 ')).toBe(12);
  });

  it('rounds fractional seconds up', () => {
    expect(parseRetryAfter('1.2')).toBe(2);
  });

  it('reads an HTTP date as seconds from now', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const seconds = parseRetryAfter(inTenSeconds);
    expect(seconds).toBeGreaterThanOrEqual(9);
    expect(seconds).toBeLessThanOrEqual(10);
  });

  it('reads a past HTTP date as zero', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['4', '9'])).toBe(4);
  });

  it('is undefined when absent, blank or unreadable', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('  ')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter([])).toBeUndefined();
  });
});

describe('HttpUpstream', () => {
  it('labels a call with the route it names, or its path with ids as :id', async () => {
    const routes: string[] = [];
    const { http } = await setup((_req, res) => json(res, 200, {}), {
      onCall: (call) => routes.push(call.route),
    });
    await http.request(read({ path: '/incidents/events/v1/key:of~any/shape' }));
    await http.request(read({ path: '/incidents/events/v1/key:of~any/shape', route: '/e/:id' }));
    await http.request(read({ path: '/cases/cases/v1/CASE-7' }));
    expect(routes).toEqual([
      '/incidents/events/v1/key:of~any/shape',
      '/e/:id',
      '/cases/cases/v1/:id',
    ]);
  });

  it('sends JSON under the base path with the query and headers, and parses the answer', async () => {
    const { upstream, http } = await setup(
      (_req, res) => json(res, 200, { ok: true }),
      {},
      '/mgmt/openapi/',
    );
    const response = await http.request(
      read({
        path: '/v1/incidents:batchGet',
        query: [
          ['ids', 'a b'],
          ['ids', 'c&d'],
        ],
        headers: { authorization: 'Bearer k' },
        body: { pagination: { pageSize: 5 } },
      }),
    );
    expect(response).toEqual({ status: 200, body: { ok: true } });
    expect(upstream.received).toHaveLength(1);
    const [sent] = upstream.received;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/mgmt/openapi/v1/incidents:batchGet?ids=a+b&ids=c%26d');
    expect(sent?.headers).toMatchObject({
      authorization: 'Bearer k',
      accept: 'application/json',
      'content-type': 'application/json',
    });
    expect(JSON.parse(sent?.body ?? '')).toEqual({ pagination: { pageSize: 5 } });
  });

  it('sends no body and no content type when there is no body', async () => {
    const { upstream, http } = await setup((_req, res) => json(res, 200, {}));
    await http.request(read({ method: 'DELETE', path: '/api/incident-role/1' }));
    expect(upstream.received[0]?.body).toBe('');
    expect(upstream.received[0]?.headers['content-type']).toBeUndefined();
  });

  it('answers an empty 2xx body with an undefined body', async () => {
    const { http } = await setup((_req, res) => res.writeHead(204).end());
    expect(await http.request(read())).toEqual({ status: 204, body: undefined });
  });

  it('times out a request that gets no answer, as UPSTREAM_TIMEOUT, without retrying it', async () => {
    const { upstream, http } = await setup(() => undefined, { timeoutMs: 150, retries: 2 });
    const started = performance.now();
    const error = await rejection(http.request(read()));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: 'coralogix' });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(upstream.received).toHaveLength(1);
  });

  it('times out a body that stalls half-way', async () => {
    const { http } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"incidents": [');
      },
      { timeoutMs: 150, retries: 0 },
    );
    expect((await rejection(http.request(read()))).code).toBe('UPSTREAM_TIMEOUT');
  });

  it('retries an idempotent read after a 503 and returns the later answer', async () => {
    const { upstream, http } = await setup((_req, res, n) =>
      n === 0 ? json(res, 503, { code: 14, message: 'unavailable' }) : json(res, 200, { n }),
    );
    expect(await http.request(read())).toEqual({ status: 200, body: { n: 1 } });
    expect(upstream.received).toHaveLength(2);
  });

  it.each([429, 502, 504])('retries an idempotent read after a %i', async (status) => {
    const { upstream, http } = await setup((_req, res, n) =>
      n === 0 ? json(res, status, {}) : json(res, 200, { n }),
    );
    expect((await http.request(read())).body).toEqual({ n: 1 });
    expect(upstream.received).toHaveLength(2);
  });

  it('never retries a write after a 503', async () => {
    const { upstream, http } = await setup((_req, res, n) =>
      n === 0 ? json(res, 503, {}) : json(res, 200, {}),
    );
    const error = await rejection(http.request(write({ path: '/v1/incidents:assign' })));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(upstream.received).toHaveLength(1);
  });

  it('gives up after the configured number of extra tries', async () => {
    const { upstream, http } = await setup((_req, res) => json(res, 503, {}), { retries: 2 });
    const error = await rejection(http.request(read()));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(upstream.received).toHaveLength(3);
  });

  it('does not retry a 500', async () => {
    const { upstream, http } = await setup((_req, res) => json(res, 500, { code: 13 }));
    expect((await rejection(http.request(read()))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(upstream.received).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    const { upstream, http } = await setup((_req, res) =>
      json(res, 400, { code: 3, message: 'page size must be at most 100' }),
    );
    const error = await rejection(http.request(read()));
    expect(error.code).toBe('UPSTREAM_BAD_REQUEST');
    expect(error.message).toContain('page size must be at most 100');
    expect(upstream.received).toHaveLength(1);
  });

  it('waits as long as Retry-After asks before trying again', async () => {
    const { upstream, http } = await setup(
      (_req, res, n) => (n === 0 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, {})),
      { retries: 1, maxRetryDelayMs: 5_000 },
    );
    await http.request(read());
    const [first, second] = upstream.received;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('caps the Retry-After wait at maxRetryDelayMs', async () => {
    const { upstream, http } = await setup(
      (_req, res, n) =>
        n === 0 ? json(res, 503, {}, { 'retry-after': '60' }) : json(res, 200, {}),
      { retries: 1, maxRetryDelayMs: 120 },
    );
    await http.request(read());
    const [first, second] = upstream.received;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(100);
    expect(second!.at - first!.at).toBeLessThan(10_000);
  });

  it('reports a lasting 429 as UPSTREAM_RATE_LIMITED with retryAfter', async () => {
    const { upstream, http } = await setup(
      (_req, res) => json(res, 429, {}, { 'retry-after': '0' }),
      { retries: 1 },
    );
    const error = await rejection(http.request(read()));
    expect(error.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(error.extensions).toMatchObject({ retryAfter: 0, upstream: 'coralogix' });
    expect(upstream.received).toHaveLength(2);
  });

  it('refuses a 200 whose body is not JSON as UPSTREAM_BAD_RESPONSE, without retrying', async () => {
    const { upstream, http } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    const error = await rejection(http.request(read()));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).not.toContain('<html>');
    expect(upstream.received).toHaveLength(1);
  });

  it('cuts off an answer larger than maxBodyBytes as UPSTREAM_BAD_RESPONSE, never retried', async () => {
    const { upstream, http } = await setup(
      (_req, res) => json(res, 200, { rows: 'x'.repeat(5000) }),
      {
        maxBodyBytes: 4096,
        retries: 2,
      },
    );
    const error = await rejection(http.request(read()));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('more than 4096 bytes');
    expect(upstream.received).toHaveLength(1);
    // The upstream answered: its circuit does not count a body this gateway would not read.
    expect(http.breaker.current).toBe('closed');
    // Within the bound, the same call is read.
    const small = await setup((_req, res) => json(res, 200, { rows: 'x' }), { maxBodyBytes: 4096 });
    expect((await small.http.request(read())).body).toEqual({ rows: 'x' });
  });

  it('fails a connection that does not come up as the upstream’s, before the call’s timeout', async () => {
    // A TLS upstream whose handshake never completes (a hung load balancer): TCP accepts,
    // nothing answers. undici's own connect timeout (10 s) would outlive the call.
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const http = new HttpUpstream({
      upstream: 'coralogix',
      baseUrl: `https://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      // undici's connect clock ticks in ~0.5 s steps: half of 4 s ends the connect a second
      // or more before the call's own clock.
      timeoutMs: 4_000,
      retries: 0,
      breaker: { failureThreshold: 1, cooldownMs: 60_000 },
    });
    cleanups.push(() => http.close());
    const error = await rejection(http.request(read()));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain('connect timed out');
    // Counted against the upstream (not as this gateway's congestion): the circuit opened.
    expect(http.breaker.current).toBe('open');
  });

  it('ends a call still queued for a busy connection when the operation’s deadline passes', async () => {
    let release: (() => void) | undefined;
    const { upstream, http } = await setup(
      (_req, res, n) => {
        if (n === 0) release = () => json(res, 200, { n });
        else json(res, 200, { n });
      },
      { connections: 1, retries: 0, timeoutMs: 5_000 },
    );
    let firstSettled = false;
    const first = http.request(read({ idempotent: false })).finally(() => (firstSettled = true));
    await vi.waitFor(() => expect(upstream.received).toHaveLength(1));
    // The one connection is busy: the second call waits in the pool's queue until its
    // operation's deadline passes (undici alone would hold it until the connection frees).
    const error = await rejection(http.request(read({ signal: AbortSignal.timeout(100) })));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.message).toContain('deadline');
    expect(firstSettled).toBe(false);
    expect(http.breaker.current).toBe('closed');
    release?.();
    expect((await first).body).toEqual({ n: 0 });
    // The abandoned call never reached the upstream.
    expect(upstream.received).toHaveLength(1);
  });

  it('says a write the upstream accepted was applied when its answer cannot be read', async () => {
    const { upstream, http } = await setup((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"data": {"_id": "12');
    });
    const error = await rejection(http.request(write({ method: 'POST', path: '/api/incident' })));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('accepted the write (HTTP 201), so it was applied');
    expect(error.extensions.applied).toEqual({
      method: 'POST',
      route: '/api/incident',
      status: 201,
    });
    expect(upstream.received).toHaveLength(1);
    // A read's unreadable answer applied nothing; a refused write's neither.
    const readError = await rejection(http.request(read()));
    expect(readError.extensions.applied).toBeUndefined();
    const refused = await setup((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.end('<html>');
    });
    expect((await rejection(refused.http.request(write()))).extensions.applied).toBeUndefined();
  });

  it('reads the message of a text error body', async () => {
    const { http } = await setup(
      (_req, res) => {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('Invalid API Key');
      },
      { upstream: 'oneuptime' },
    );
    const error = await rejection(http.request(read()));
    expect(error.code).toBe('UPSTREAM_UNAUTHENTICATED');
    expect(error.upstream).toBe('oneuptime');
  });

  it.each([
    [422, { error: 'You do not have permissions to read IncidentSla' }, 'UPSTREAM_FORBIDDEN'],
    [400, { message: 'Invalid API Key' }, 'UPSTREAM_UNAUTHENTICATED'],
  ])('reads the message of a OneUptime %i body %j', async (status, body, code) => {
    const { http } = await setup((_req, res) => json(res, status, body), { upstream: 'oneuptime' });
    expect((await rejection(http.request(read()))).code).toBe(code);
  });

  it('treats a 404 on a write as NOT_FOUND', async () => {
    const { http } = await setup((_req, res) => json(res, 404, { code: 5, message: 'not found' }));
    expect((await rejection(http.request(write()))).code).toBe('NOT_FOUND');
  });

  it('reports a refused connection as UPSTREAM_UNAVAILABLE', async () => {
    const http = new HttpUpstream({
      upstream: 'oneuptime',
      baseUrl: await closedPortUrl(),
      timeoutMs: 1_000,
      retries: 1,
    });
    cleanups.push(() => http.close());
    const readError = await rejection(http.request(read()));
    expect(readError.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(readError.extensions).toMatchObject({ upstream: 'oneuptime' });
    expect((await rejection(http.request(write()))).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('retries an idempotent read after a reset connection', async () => {
    const { upstream, http } = await setup((req, res, n) =>
      n === 0 ? req.socket.destroy() : json(res, 200, { n }),
    );
    expect((await http.request(read())).body).toEqual({ n: 1 });
    expect(upstream.received).toHaveLength(2);
  });

  it('never retries a write after a reset connection', async () => {
    const { upstream, http } = await setup((req, res, n) =>
      n === 0 ? req.socket.destroy() : json(res, 200, {}),
    );
    expect((await rejection(http.request(write()))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(upstream.received).toHaveLength(1);
  });

  it('stops when the caller aborts, without retrying', async () => {
    const controller = new AbortController();
    // The caller gives up once the upstream has the request (which it never answers).
    const { upstream, http } = await setup(() => controller.abort(), { retries: 2 });
    const pending = http.request(read({ signal: controller.signal }));
    const error = await rejection(pending);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain('cancelled');
    expect(upstream.received).toHaveLength(1);
  });

  it('consumes every body, so one keep-alive connection serves request after request', async () => {
    const big = 'x'.repeat(256 * 1024);
    const { upstream, http } = await setup(
      (_req, res, n) => json(res, n % 2 === 0 ? 400 : 200, { message: 'no', big }),
      { connections: 1, retries: 0 },
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(
        await http.request(read()).then(
          (r) => String(r.status),
          (e: UpstreamError) => e.code,
        ),
      );
    }
    expect(outcomes).toEqual([
      'UPSTREAM_BAD_REQUEST',
      '200',
      'UPSTREAM_BAD_REQUEST',
      '200',
      'UPSTREAM_BAD_REQUEST',
      '200',
    ]);
    expect(new Set(upstream.received.map((r) => r.socket)).size).toBe(1);
  });
});
