/**
 * A circuit opened by failures says after what: every client error while it
 * is open names the last failure (connection refused, a timeout, a 5xx) and
 * what to check, as /readyz and the log do; the errors before it name the
 * kind of connection error. Real sockets: a closed port, a server that 503s.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { connectionFailureCause } from '../../src/upstreams/failureCause.js';
import { HttpUpstream, type JsonRequest } from '../../src/upstreams/http.js';
import { json, startUpstream } from '../support/fakeUpstream.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const READ: JsonRequest = { method: 'GET', path: '/v1/incidents', headers: {}, idempotent: true };

function upstream(baseUrl: string, timeoutMs = 2_000): HttpUpstream {
  const http = new HttpUpstream({ upstream: 'coralogix', baseUrl, timeoutMs, retries: 0 });
  cleanups.push(() => http.close());
  return http;
}

async function failure(http: HttpUpstream): Promise<UpstreamError> {
  try {
    await http.request(READ);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected the request to fail');
}

/** Five failures open the breaker (its default threshold); the sixth call is refused. */
async function openCircuit(http: HttpUpstream): Promise<{ before: string; open: UpstreamError }> {
  let before = '';
  for (let i = 0; i < 5; i++) before = (await failure(http)).message;
  expect(http.breaker.current).toBe('open');
  return { before, open: await failure(http) };
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('circuit open: the cause', () => {
  it('names a refused connection and the variable to check', async () => {
    const http = upstream(await closedPort());
    const { before, open } = await openCircuit(http);
    expect(before).toBe('Coralogix could not be reached (connection refused).');
    expect(open.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(open.message).toMatch(
      /^Coralogix requests are paused for \d+ s \(circuit open\) after: connection refused — check CORALOGIX_API_URL and the network\.$/,
    );
    expect(open.retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('names the status of an upstream that answers 5xx, without sending anyone to the URL', async () => {
    const fake = await startUpstream((_req, res) => json(res, 503, { message: 'down' }));
    cleanups.push(() => fake.close());
    const { open } = await openCircuit(upstream(fake.url));
    expect(open.message).toMatch(
      /\(circuit open\) after: HTTP 503 — Coralogix itself is failing\.$/,
    );
    expect(fake.received).toHaveLength(5);
  });

  it('names a timeout', async () => {
    const fake = await startUpstream(() => undefined); // never answers
    cleanups.push(() => fake.close());
    const { open } = await openCircuit(upstream(fake.url, 100));
    expect(open.message).toMatch(/\(circuit open\) after: no answer within 100 ms — check/);
  });

  it('reads the kind from the error or the errors it wraps, never an address', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:443'), {
      code: 'ECONNREFUSED',
    });
    expect(connectionFailureCause(refused)).toBe('connection refused');
    expect(connectionFailureCause(new Error('fetch failed', { cause: refused }))).toBe(
      'connection refused',
    );
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND api.example'), {
      code: 'ENOTFOUND',
    });
    expect(connectionFailureCause(new AggregateError([dns]))).toBe('host name not found (DNS)');
    expect(connectionFailureCause(new Error('odd'))).toBeUndefined();
  });
});
