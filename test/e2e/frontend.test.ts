/**
 * The frontend contract as a frontend team meets it (docs/frontend.md):
 * graphql-codegen's client preset over examples/*.graphql (`npm run
 * codegen:client`) writes typed documents and the trusted-documents
 * manifest; the example client (examples/client/) compiles against them with
 * tsc as an app would; and its page, bundled by Vite and served from another
 * origin, runs in real Chromium against a gateway with CORS_ORIGINS,
 * TRUSTED_DOCUMENTS and a gateway token: Apollo Client runs a query (GET, by
 * hash) and a mutation (POST, by hash), and graphql-ws delivers the
 * subscription event the mutation causes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { loadExamples } from '../../src/http/graphiql.js';
import { METRICS_TOKEN, waitForSubscribers } from '../support/live.js';
import { startStack, type Stack } from '../support/stack.js';
import { describeBrowser, launchChromium } from './support.js';

const ROOT = packageRoot();
const CLIENT = join(ROOT, 'examples', 'client');
const MANIFEST = join(CLIENT, 'gql', 'persisted-documents.json');
// `UPDATE_SCREENSHOT=1` refreshes the picture in docs/frontend.md.
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? join(ROOT, 'docs', 'frontend.png')
  : join(tmpdir(), 'incident-gateway-frontend.png');
const TOKEN = 'frontend-test-token-0123456789';

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  expect(result.status, `${command} ${args.join(' ')}\n${output}`).toBe(0);
  return output;
}

/** The example page bundled as the developer's `vite build examples/client` would: file → content. */
async function bundlePage(): Promise<Map<string, string | Uint8Array>> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root: CLIENT,
    build: { write: false, outDir: join(tmpdir(), 'igw-frontend-page') },
  });
  const files = new Map<string, string | Uint8Array>();
  for (const result of Array.isArray(output) ? output : [output]) {
    if (!('output' in result)) throw new Error('vite build returned a watcher');
    for (const file of result.output) {
      files.set(`/${file.fileName}`, file.type === 'chunk' ? file.code : file.source);
    }
  }
  return files;
}

/** Serves the bundled page on 127.0.0.1 (addressed as `localhost`: another origin than the gateway's). */
async function servePage(files: Map<string, string | Uint8Array>): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page.invalid').pathname;
    const body = files.get(path === '/' ? '/index.html' : path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8';
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const pageOrigin = (server: Server) => `http://localhost:${(server.address() as AddressInfo).port}`;

describe('the typed client recipe', () => {
  beforeAll(() => {
    run('npm', ['run', '--silent', 'codegen:client']);
  }, 60_000);

  it('writes a manifest of every example operation, by the SHA-256 of its document', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    const names = (text: string) => /^(?:query|mutation|subscription) (\w+)/.exec(text)?.[1];
    expect(Object.values(manifest).map(names).sort()).toEqual(
      loadExamples()
        .map((example) => names(example.query.replace(/^#.*\n/gm, '')))
        .sort(),
    );
    for (const [hash, text] of Object.entries(manifest)) {
      expect(hash).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
    }
  });

  it('compiles the example client against the generated documents with tsc, as an app would', () => {
    run(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(CLIENT, 'tsconfig.json'),
    ]);
  }, 120_000);

  describeBrowser('the example dashboard in Chromium, from another origin', (chromiumPath) => {
    let stack: Stack;
    let page: Server;
    let elsewhere: Server;
    let browser: Browser;

    beforeAll(async () => {
      const files = await bundlePage();
      [page, elsewhere] = await Promise.all([servePage(files), servePage(files)]);
      stack = await startStack({
        env: {
          CORS_ORIGINS: pageOrigin(page),
          TRUSTED_DOCUMENTS: MANIFEST,
          GATEWAY_TOKENS: TOKEN,
          METRICS_TOKENS: METRICS_TOKEN,
          // Only the mutation can deliver a change: nothing arrives by chance from a poll.
          LIVE_POLL_INTERVAL_MS: '3600000',
        },
      });
      browser = await launchChromium(chromiumPath);
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
      await Promise.all(
        [page, elsewhere].map((s) => s && new Promise((resolve) => s.close(resolve))),
      );
    });

    /** Opens the page from `origin`; `watch` sees it before it loads. */
    const open = async (origin: string, userId: string, watch: (tab: Page) => void = () => {}) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const tab = await context.newPage();
      watch(tab);
      const url = new URL(origin);
      url.search = new URLSearchParams({
        gateway: stack.gateway.url,
        token: TOKEN,
        user: userId,
      }).toString();
      await tab.goto(url.toString());
      return tab;
    };

    it('runs a query and a mutation over HTTP and gets the subscription event over graphql-ws, by hash', async () => {
      const userId = stack.sandbox.seed.users[0]!.id;
      const errors: string[] = [];
      const sent: Array<{ method: string; url: string; body: string | null }> = [];
      const frames: string[] = [];
      const tab = await open(pageOrigin(page), userId, (tab) => {
        tab.on('pageerror', (error) => errors.push(error.message));
        tab.on('request', (request) => {
          if (request.url().startsWith(stack.gateway.url)) {
            sent.push({ method: request.method(), url: request.url(), body: request.postData() });
          }
        });
        tab.on('websocket', (socket) =>
          socket.on('framesent', (frame) => frames.push(String(frame.payload))),
        );
      });

      await tab.locator('body[data-state="loaded"]').waitFor({ timeout: 30_000 });
      const rows = tab.locator('#incidents tbody tr');
      expect(await rows.count()).toBeGreaterThan(0);
      expect(await tab.locator('#status').innerText()).toMatch(/^\d+ critical open incidents/);
      const first = rows.first();
      const incidentId = (await first.getAttribute('data-id'))!;
      const name = (await first.locator('td').first().innerText()).trim();
      await waitForSubscribers(stack.gateway.url, 'ws', 1);

      await first.getByRole('button').click();
      await tab.locator('body[data-state="assigned"]').waitFor({ timeout: 30_000 });
      expect(await first.locator('.assignees').innerText()).toContain(userId);
      const change = tab.locator(`#changes li[data-id="${incidentId}"]`).first();
      await change.waitFor({ timeout: 30_000 });
      expect(await change.getAttribute('data-kind')).toBe('UPDATED');
      expect(await change.innerText()).toContain(name);
      expect(await change.innerText()).toContain(userId);

      // Hashes only: the query as a GET, the mutation as a POST, the subscription in its message.
      const query = sent.find((r) => r.method === 'GET')!;
      expect(new URL(query.url).searchParams.get('query')).toBeNull();
      expect(new URL(query.url).searchParams.get('extensions')).toMatch(/"sha256Hash":"sha256:/);
      const mutation = sent.find((r) => r.method === 'POST')!;
      expect(JSON.parse(mutation.body!)).toMatchObject({
        operationName: 'AssignIncident',
        extensions: {
          persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^sha256:/) },
        },
      });
      expect(JSON.parse(mutation.body!)).not.toHaveProperty('query');
      const subscribe = frames.map((f) => JSON.parse(f) as { type: string; payload?: unknown });
      expect(subscribe.find((f) => f.type === 'subscribe')?.payload).toMatchObject({
        operationName: 'IncidentChanges',
        extensions: { persistedQuery: { sha256Hash: expect.stringMatching(/^sha256:/) } },
      });
      expect(errors).toEqual([]);
      expect(
        stack.logs.entries().filter((e) => /refused/.test(String(e.msg))),
        'no refusal in the gateway log',
      ).toEqual([]);

      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await tab.screenshot({ path: SCREENSHOT });
      await tab.context().close();
    });

    it('is refused from an origin CORS_ORIGINS does not list: no answer reaches the page, no WebSocket opens', async () => {
      const tab = await open(pageOrigin(elsewhere), 'nobody');
      await tab.locator('body[data-state="error"]').waitFor({ timeout: 30_000 });
      expect(await tab.locator('#status').innerText()).toMatch(
        /Could not load incidents|Live updates/,
      );
      expect(await tab.locator('#incidents tbody tr').count()).toBe(0);
      await expect
        .poll(() =>
          stack.logs
            .entries()
            .filter(
              (e) =>
                e.origin === pageOrigin(elsewhere) && /refused a WebSocket/.test(String(e.msg)),
            ),
        )
        .not.toEqual([]);
      await tab.context().close();
    });
  });
});
