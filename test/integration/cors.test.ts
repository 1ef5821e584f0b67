/**
 * CORS_ORIGINS over real HTTP: a browser app on another origin may call
 * /graphql (GET, POST, SSE, preflight) and open its WebSocket; other origins
 * get no CORS header and no WebSocket; CSRF prevention still applies to
 * listed origins. (`*` refused in production: test/unit/config.test.ts.)
 */
import { request } from 'undici';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { wsUrl } from '../support/live.js';
import { useStack } from '../support/stack.js';

const APP = 'http://localhost:5173';
const CONSOLE = 'https://console.example.com';
const OTHER = 'https://evil.example.net';
const QUERY = '{ incidents(first: 1) { totalCount } }';

type Headers = Record<string, string>;

async function send(
  url: string,
  method: 'GET' | 'POST' | 'OPTIONS',
  headers: Headers,
  body?: string,
) {
  const response = await request(url, { method, headers, ...(body ? { body } : {}) });
  const text = await response.body.text();
  const flat = Object.fromEntries(
    Object.entries(response.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : String(value),
    ]),
  );
  return { status: response.statusCode, headers: flat, text };
}

const corsHeaders = (headers: Headers) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

const preflight = (origin: string, headers = 'content-type, authorization') => ({
  origin,
  'access-control-request-method': 'POST',
  'access-control-request-headers': headers,
});

const post = (origin: string) => ({
  origin,
  'content-type': 'application/json',
});

/** Opens a WebSocket to the gateway as a browser on `origin` would; the answer to the upgrade. */
function upgrade(gatewayUrl: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(gatewayUrl), 'graphql-transport-ws', {
      ...(origin ? { origin } : {}),
    });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('CORS_ORIGINS with two origins', () => {
  const stack = useStack({ env: { CORS_ORIGINS: `${APP}, ${CONSOLE}/` } });
  const graphql = () => `${stack.gateway.url}/graphql`;

  it('answers a preflight from a listed origin with that origin, the methods and the headers', async () => {
    const response = await send(
      graphql(),
      'OPTIONS',
      preflight(
        APP,
        'content-type, authorization, apollo-require-preflight, x-apollo-operation-name',
      ),
    );
    expect(response.status).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    const allowed = response.headers['access-control-allow-headers']!.split(', ');
    expect(allowed).toEqual(
      expect.arrayContaining([
        'content-type',
        'authorization',
        'apollo-require-preflight',
        'x-apollo-operation-name',
      ]),
    );
    // Authentication is a header, never a cookie: credentials are never allowed.
    expect(response.headers).not.toHaveProperty('access-control-allow-credentials');
    // The configured origin was written with a trailing slash; the browser sends none.
    const second = await send(graphql(), 'OPTIONS', preflight(CONSOLE));
    expect(second.headers['access-control-allow-origin']).toBe(CONSOLE);
  });

  it('gives a listed origin its own origin back on POST and GET, and lets it read the request id', async () => {
    const posted = await send(graphql(), 'POST', post(APP), JSON.stringify({ query: QUERY }));
    expect(posted.status).toBe(200);
    expect(JSON.parse(posted.text)).toEqual({ data: { incidents: { totalCount: 300 } } });
    expect(posted.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'x-request-id, retry-after',
      vary: 'Origin',
    });
    const got = await send(`${graphql()}?query=${encodeURIComponent(QUERY)}`, 'GET', {
      origin: CONSOLE,
      'apollo-require-preflight': 'true',
    });
    expect(got.status).toBe(200);
    expect(got.headers['access-control-allow-origin']).toBe(CONSOLE);
  });

  it('gives another origin no CORS header, on the preflight or the request', async () => {
    const answer = await send(graphql(), 'OPTIONS', preflight(OTHER));
    expect(answer.status).toBe(204);
    expect(corsHeaders(answer.headers)).toEqual([]);
    expect(answer.headers.vary).toBe('Origin');
    // A different port is a different origin.
    const port = await send(graphql(), 'OPTIONS', preflight('http://localhost:5174'));
    expect(corsHeaders(port.headers)).toEqual([]);
    const posted = await send(graphql(), 'POST', post(OTHER), JSON.stringify({ query: QUERY }));
    expect(corsHeaders(posted.headers)).toEqual([]);
  });

  it('keeps CSRF prevention for listed origins: a GET without a preflight-forcing header is refused', async () => {
    const response = await send(`${graphql()}?query=${encodeURIComponent(QUERY)}`, 'GET', {
      origin: APP,
    });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/Cross-Site Request Forgery.*apollo-require-preflight/s);
    // A form post from a listed origin too (text/plain needs no preflight).
    const form = await send(
      graphql(),
      'POST',
      { origin: APP, 'content-type': 'text/plain' },
      JSON.stringify({ query: QUERY }),
    );
    expect(form.status).toBe(400);
    expect(form.text).toMatch(/Cross-Site Request Forgery/);
  });

  it('streams SSE to a listed origin with its origin, and answers the SSE preflight', async () => {
    const pre = await send(graphql(), 'OPTIONS', {
      origin: APP,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(pre.headers['access-control-allow-origin']).toBe(APP);
    const controller = new AbortController();
    const response = await fetch(graphql(), {
      method: 'POST',
      headers: { ...post(APP), accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { incidentChanged { kind } }' }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    controller.abort();
    const other = await send(
      graphql(),
      'POST',
      { ...post(OTHER), accept: 'text/event-stream' },
      JSON.stringify({ query: '{ __typename }' }),
    );
    expect(corsHeaders(other.headers)).toEqual([]);
  });

  it('opens the WebSocket for a listed origin, the gateway itself and programs, and refuses other origins', async () => {
    const url = stack.gateway.url;
    expect(await upgrade(url, APP)).toBe(101);
    // GraphiQL: a page of the gateway's own origin.
    expect(await upgrade(url, url)).toBe(101);
    // No Origin: not a browser (a server-side client, a test).
    expect(await upgrade(url, undefined)).toBe(101);
    expect(await upgrade(url, OTHER)).toBe(403);
    expect(
      stack.logs
        .entries()
        .some((e) => e.origin === OTHER && /refused a WebSocket/.test(String(e.msg))),
    ).toBe(true);
  });
});

describe('without CORS_ORIGINS (same origin only)', () => {
  const stack = useStack();

  it('answers OPTIONS with what /graphql allows and no CORS header, where it used to answer 405', async () => {
    const response = await send(`${stack.gateway.url}/graphql`, 'OPTIONS', preflight(APP));
    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, POST, OPTIONS');
    expect(corsHeaders(response.headers)).toEqual([]);
    expect(response.headers).not.toHaveProperty('vary');
  });

  it('refuses a WebSocket from a page of another origin, and takes GraphiQL’s', async () => {
    expect(await upgrade(stack.gateway.url, APP)).toBe(403);
    expect(await upgrade(stack.gateway.url, stack.gateway.url)).toBe(101);
  });
});

describe('CORS_ORIGINS=* outside production', () => {
  const stack = useStack({ env: { CORS_ORIGINS: '*' } });

  it('answers any origin with *, never with credentials', async () => {
    const answer = await send(`${stack.gateway.url}/graphql`, 'OPTIONS', preflight(OTHER));
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers).not.toHaveProperty('access-control-allow-credentials');
    expect(answer.headers).not.toHaveProperty('vary');
    const posted = await send(
      `${stack.gateway.url}/graphql`,
      'POST',
      post(OTHER),
      JSON.stringify({ query: QUERY }),
    );
    expect(posted.headers['access-control-allow-origin']).toBe('*');
    expect(await upgrade(stack.gateway.url, OTHER)).toBe(101);
  });
});
