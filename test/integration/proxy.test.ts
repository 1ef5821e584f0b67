/**
 * HTTPS_PROXY / HTTP_PROXY over real HTTP: a node:http proxy that serves
 * CONNECT tunnels (what undici's ProxyAgent opens, for http and https
 * upstreams alike) and asks for Basic credentials. The upstream host names
 * (`*.proxied.test`) resolve nowhere: the proxy maps them to the emulators, so
 * an answer proves the call went through it.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startGateway, type GatewayHarness } from '../support/logs.js';

const PASSWORD = 'pr0xy-s3cret-pass';
const QUERY = '{ incidents(first: 3) { edges { node { id name slas { id } } } } }';

interface Tunnel {
  target: string;
  authorization: string | undefined;
}

let sandbox: Sandbox;
let proxy: Server;
let proxyUrl: (credentials: string) => string;
const tunnels: Tunnel[] = [];
let harness: GatewayHarness | undefined;

beforeAll(async () => {
  sandbox = await startSandbox();
  proxy = createServer((_req, res) => {
    res.statusCode = 405;
    res.end('CONNECT only');
  });
  proxy.on('connect', (req, socket, head) => {
    const target = req.url ?? '';
    tunnels.push({ target, authorization: req.headers['proxy-authorization'] });
    const expected = `Basic ${Buffer.from(`gateway:${PASSWORD}`).toString('base64')}`;
    if (req.headers['proxy-authorization'] !== expected) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = target.split(':');
    if (!host?.endsWith('.proxied.test')) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  proxyUrl = (credentials) => `http://${credentials}@127.0.0.1:${port}`;
});

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  tunnels.length = 0;
  sandbox.reset();
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await sandbox?.stop();
});

function viaProxyHost(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.hostname = `${name}.proxied.test`;
  return parsed.toString().replace(/\/$/, '');
}

async function gatewayBehind(credentials: string, oneuptimeDirect = false) {
  harness = await startGateway({
    env: {
      CORALOGIX_API_URL: viaProxyHost(sandbox.coralogix.url, 'coralogix'),
      CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
      ONEUPTIME_API_URL: oneuptimeDirect
        ? sandbox.oneuptime.url
        : viaProxyHost(sandbox.oneuptime.url, 'oneuptime'),
      ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
      HTTP_PROXY: proxyUrl(credentials),
      UPSTREAM_RETRIES: '0',
    },
  });
  return harness;
}

describe('upstream calls through HTTP_PROXY', () => {
  it('tunnels both upstreams through the proxy with its credentials, the join included', async () => {
    const gateway = await gatewayBehind(`gateway:${PASSWORD}`);
    const response = await gateway.graphql<{
      incidents: { edges: Array<{ node: { id: string; slas: unknown[] | null } }> };
    }>(QUERY);
    expect(response.errors).toBeUndefined();
    expect(response.data!.incidents.edges).toHaveLength(3);
    expect(response.data!.incidents.edges.every((edge) => Array.isArray(edge.node.slas))).toBe(
      true,
    );
    const targets = new Set(tunnels.map((tunnel) => tunnel.target.split(':')[0]));
    expect(targets).toEqual(new Set(['coralogix.proxied.test', 'oneuptime.proxied.test']));
    // The emulators saw the calls, with their paths, after the tunnel.
    expect(sandbox.requests('coralogix').length).toBeGreaterThan(0);
    expect(sandbox.requests('oneuptime').length).toBeGreaterThan(0);
  });

  it('reaches a loopback upstream directly, whatever the proxy', async () => {
    const gateway = await gatewayBehind(`gateway:${PASSWORD}`, true);
    const response = await gateway.graphql(QUERY);
    expect(response.errors).toBeUndefined();
    expect(tunnels.map((tunnel) => tunnel.target.split(':')[0])).not.toContain(
      'oneuptime.proxied.test',
    );
    expect(sandbox.requests('oneuptime').length).toBeGreaterThan(0);
  });

  it('says the proxy refused the tunnel (407), never showing its password', async () => {
    const gateway = await gatewayBehind('gateway:wrong-password');
    const response = await gateway.graphql(QUERY);
    expect(response.data).toEqual({ incidents: null });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'coralogix',
    });
    expect(response.errors?.[0]?.message).toContain(
      'through the proxy (HTTP_PROXY): it answered 407',
    );
    expect(sandbox.requests('coralogix')).toHaveLength(0);
    expect(response.text).not.toContain('wrong-password');
    expect(gateway.logs.lines.join('\n')).not.toContain('wrong-password');
  });
});
