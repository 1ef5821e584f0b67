/**
 * GraphiQL as a user meets it: the gateway in sandbox mode, in-process, and a
 * real headless Chromium driving the page (the examples document, docs
 * explorer, running example operations from the run menu and with Ctrl+Enter). Also the production switch: GraphiQL and introspection
 * off with NODE_ENV=production unless GRAPHIQL=true.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kind, getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import type { Browser, BrowserContext, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplesDocument, loadExamples, type Example } from '../../src/http/graphiql.js';
import { packageRoot } from '../../src/config.js';
import { examplePlaceholders } from '../../src/sandbox/examplePlaceholders.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { createSchema } from '../../src/schema.js';
import { startStack, type Stack } from '../support/stack.js';
import { ASSIGN, UNASSIGN } from '../support/selections.js';
import {
  CHROMIUM_CANDIDATES,
  browserTestMode,
  describeBrowser,
  findChromium,
  launchChromium,
  lookupChromium,
} from './support.js';

// `UPDATE_SCREENSHOT=1 npm run test:e2e` refreshes the README's picture; other runs keep the
// tree clean and write to the temp dir.
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? join(packageRoot(), 'docs', 'graphiql.png')
  : join(tmpdir(), 'incident-gateway-graphiql.png');
const VIEWPORT = { width: 1400, height: 900 };

const examples = loadExamples();
function operationName(example: Example): string {
  const operation = parse(example.query).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operation!.name!.value;
}
const exampleNamed = (name: string) => examples.find((e) => operationName(e) === name)!;

/** Monaco renders spaces as no-break spaces. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/\u00a0/g, ' ');

describeBrowser('GraphiQL in Chromium (sandbox mode)', (chromiumPath) => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  const editor = (kind: 'operation' | 'variables' | 'response') =>
    page.locator(
      `.monaco-editor[data-uri$="-${kind}.${kind === 'operation' ? 'graphql' : 'json'}"]`,
    );
  /** The lines Monaco renders (only those in view). */
  const editorText = (kind: 'operation' | 'variables' | 'response') =>
    text(editor(kind).locator('.view-lines'));
  const runButton = () => page.getByRole('button', { name: /^Execute query/ });
  /** The tab titles, and the title of the active tab. */
  const tabs = async () => ({
    titles: (await page.locator('.graphiql-tab-button').allInnerTexts()).map((t) => t.trim()),
    active: (await page.locator('.graphiql-tab-active').innerText()).trim(),
  });

  /** The whole text of an editor, copied to the clipboard (Monaco renders only the lines in view). */
  async function copyEditor(kind: 'operation' | 'variables'): Promise<string> {
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await editor(kind).locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+C');
    await page.keyboard.press('ControlOrMeta+Home'); // drop the selection again
    let copied = '';
    await expect
      .poll(async () => (copied = await page.evaluate(() => navigator.clipboard.readText())))
      .not.toBe('');
    return copied;
  }

  /** The next POST of `operation` to the gateway, and its JSON answer. */
  function nextOperation(operation: string) {
    return page
      .waitForResponse(
        (response) =>
          response.url() === `${stack.gateway.url}/graphql` &&
          response.request().method() === 'POST' &&
          (response.request().postDataJSON() as { operationName?: string } | null)
            ?.operationName === operation,
        { timeout: 30_000 },
      )
      .then(async (response) => ({
        status: response.status(),
        request: response.request().postDataJSON() as { query?: string; variables?: unknown },
        body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> },
      }));
  }

  /** The seeded ids the examples' variables get, as `npm start` in sandbox mode fills them in. */
  let placeholders: Record<string, string>;

  beforeAll(async () => {
    const sandbox = await startSandbox();
    placeholders = examplePlaceholders(sandbox.seed);
    stack = await startStack({ over: sandbox, examplePlaceholders: placeholders });
    browser = await launchChromium(chromiumPath);
    context = await browser.newContext({ viewport: VIEWPORT });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: stack.gateway.url,
    });
    // Context level: covers the page and its (blob:) workers.
    context.on('request', (request: Request) => requests.push(request.url()));
    context.on('weberror', (error) => pageErrors.push(String(error.error())));
    page = await context.newPage();
    page.on('websocket', (socket) => requests.push(socket.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    // Started here (`over`): the stack leaves it running.
    await stack?.sandbox.stop();
  });

  it('renders GraphiQL with one tab holding every example operation', async () => {
    const response = await page.goto(`${stack.gateway.url}/graphql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    await runButton().waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Incident GraphQL gateway');
    // One tab (GraphiQL titles it after the selected operation, the first one).
    expect(await page.locator('.graphiql-tab-button').count()).toBe(1);
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).waitFor();
    // The header comment at the top of the document names every operation.
    const names = examples.map(operationName);
    await expect
      .poll(async () => {
        const shown = await editorText('operation');
        return names.filter((name) => !shown.includes(`#   ${name}`));
      })
      .toEqual([]);
    // The whole document: every example operation, and the merged variables with
    // the sandbox's ids in place of the placeholders.
    const document = examplesDocument(examples, placeholders);
    expect((await copyEditor('operation')).trim()).toBe(document.query.trim());
    expect(JSON.parse(await copyEditor('variables'))).toEqual(JSON.parse(document.variables));
  });

  it('comes back after a reload on the same single tab, examples and variables shown, no empty <untitled> tab', async () => {
    const response = await page.reload();
    expect(response?.status()).toBe(200);
    await runButton().waitFor({ timeout: 30_000 });
    await expect
      .poll(() => editorText('operation'), { timeout: 10_000 })
      .toContain('#   CriticalOpenIncidents');
    expect(await tabs()).toEqual({
      titles: ['CriticalOpenIncidents'],
      active: 'CriticalOpenIncidents',
    });
    const document = examplesDocument(examples, placeholders);
    expect((await copyEditor('operation')).trim()).toBe(document.query.trim());
    expect(JSON.parse(await copyEditor('variables'))).toEqual(JSON.parse(document.variables));
  });

  it('has schema docs: the docs explorer lists every Query field', async () => {
    const docsButton = page.getByRole('button', { name: 'Show Documentation Explorer' });
    await docsButton.click();
    const docs = page.locator('.graphiql-plugin');
    // Loaded by introspection: the root types appear once the schema has arrived.
    await docs.getByText('Query', { exact: true }).first().click({ timeout: 30_000 });
    const queryFields = Object.keys(createSchema().getQueryType()!.getFields());
    expect(queryFields.length).toBeGreaterThan(5);
    await expect
      .poll(
        async () => {
          const shown = await text(docs);
          // `field(` when it takes arguments, `field:` when it takes none.
          return queryFields.filter((field) => !new RegExp(`\\b${field}[(:]`).test(shown));
        },
        { timeout: 10_000 },
      )
      .toEqual([]);
    expect(await text(docs)).toContain('One Coralogix incident by id');
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
    await docsButton.waitFor();
    await expect.poll(() => text(docs)).toBe('');
  });

  it('runs CriticalOpenIncidents from the run menu and shows incident data (screenshot: docs/graphiql.png)', async () => {
    const example = exampleNamed('CriticalOpenIncidents');
    // Several operations in the document: the run button opens a menu of them.
    await runButton().click();
    const item = page.getByRole('menuitem', { name: 'CriticalOpenIncidents', exact: true });
    await item.waitFor({ timeout: 10_000 });
    const menu = await page.getByRole('menuitem').allInnerTexts();
    expect(menu.map((t) => t.trim())).toEqual(examples.map(operationName));
    const answered = nextOperation('CriticalOpenIncidents');
    await item.click();
    const { status, body } = await answered;
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    // The page got what any client gets for this operation.
    const direct = await stack.graphql(example.query);
    expect(body.data).toEqual(direct.data);
    const incidents = (
      body.data as {
        incidents: { totalCount: number; edges: Array<{ node: { name: string } }> };
      }
    ).incidents;
    expect(incidents.totalCount).toBeGreaterThan(0);
    await expect
      .poll(() => editorText('response'), { timeout: 10_000 })
      .toContain(`"totalCount": ${incidents.totalCount}`);
    // The response editor wraps long lines: compare without whitespace.
    const flat = (value: string) => value.replace(/\s+/g, '');
    expect(flat(await editorText('response'))).toContain(
      flat(JSON.stringify(incidents.edges[0]!.node.name)),
    );
    await expect.poll(() => page.getByRole('menuitem').count()).toBe(0);

    // Mouse to the empty sidebar: no tooltip or hover scrollbars in the picture.
    await page.mouse.move(30, VIEWPORT.height / 2);
    await page.waitForTimeout(1_500);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('runs CasePage from the run menu: a Coralogix case with its merged timeline', async () => {
    const example = exampleNamed('CasePage');
    // A real case under `case` (this stack leaves the placeholders as written), pasted.
    const variables = {
      ...(JSON.parse(examplesDocument(examples).variables) as Record<string, unknown>),
      case: stack.sandbox.caseIds.linked,
    };
    await page.evaluate(
      (value) => navigator.clipboard.writeText(value),
      JSON.stringify(variables, null, 2),
    );
    await editor('variables').locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+V');
    await expect
      .poll(async () => {
        try {
          return JSON.parse(await copyEditor('variables')) as unknown;
        } catch {
          return undefined;
        }
      })
      .toEqual(variables);
    await runButton().click();
    const item = page.getByRole('menuitem', { name: 'CasePage', exact: true });
    await item.waitFor({ timeout: 10_000 });
    const answered = nextOperation('CasePage');
    await item.click();
    const { status, request, body } = await answered;
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(request.variables).toEqual(variables);
    const direct = await stack.graphql(example.query, { case: variables.case });
    expect(body.data).toEqual(direct.data);
    const shown = (
      body.data as {
        case: { id: string; linkStatus: string; timeline: { totalCount: number } };
      }
    ).case;
    expect(shown.id).toBe(stack.sandbox.caseIds.linked);
    expect(shown.linkStatus).toBe('LINKED');
    expect(shown.timeline.totalCount).toBeGreaterThan(0);
    // Monaco renders only the lines in view: the top of the answer.
    await expect
      .poll(() => editorText('response'), { timeout: 10_000 })
      .toContain(`"id": "${shown.id}"`);
    await expect.poll(() => page.getByRole('menuitem').count()).toBe(0);
  });

  it('runs AssignIncident with real ids (Ctrl+Enter inside it) and shows the new assignee', async () => {
    const incident = stack.sandbox.seed.incidents.find(
      (i) => i.state === 'INCIDENT_STATE_TRIGGERED',
    )!;
    const user = stack.sandbox.seed.users.find(
      (u) => !incident.assignments.some((a) => a.assignedTo?.userId === u.id),
    )!;
    expect(incident).toBeDefined();
    expect(user).toBeDefined();

    // Real ids under `assign`; the other examples' variables stay as they are.
    const variables = {
      ...(JSON.parse(examplesDocument(examples, placeholders).variables) as Record<
        string,
        unknown
      >),
      assign: { incidentIds: [incident.id], userId: user.id },
    };
    // Pasted, as a user would (typing would have the editor auto-close brackets and quotes).
    await page.evaluate(
      (value) => navigator.clipboard.writeText(value),
      JSON.stringify(variables, null, 2),
    );
    await editor('variables').locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+V');
    await expect
      .poll(async () => {
        try {
          return JSON.parse(await copyEditor('variables')) as unknown;
        } catch {
          return undefined;
        }
      })
      .toEqual(variables);

    // Cursor into the mutation (the editor's find moves it there), then Ctrl+Enter
    // runs the operation under the cursor.
    await editor('operation').locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+F');
    await page.keyboard.type('mutation AssignIncident');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect
      .poll(() => editorText('operation'), { timeout: 5_000 })
      .toContain('mutation AssignIncident($assign: AssignIncidentsInput!)');

    const answered = nextOperation('AssignIncident');
    await page.keyboard.press('ControlOrMeta+Enter');
    const { status, request, body } = await answered;
    expect(request.variables).toEqual(variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const assigned = (
      body.data as {
        assignIncidents: {
          incidents: Array<{ id: string; assignments: Array<{ assignedTo: { id: string } }> }>;
        };
      }
    ).assignIncidents.incidents;
    expect(assigned.map((i) => i.id)).toEqual([incident.id]);
    expect(assigned[0]!.assignments.map((a) => a.assignedTo.id)).toContain(user.id);
    await expect.poll(() => editorText('response'), { timeout: 10_000 }).toContain(user.id);
    expect(await editorText('response')).toContain(incident.id);

    const after = await stack.graphql<{
      incident: { assignments: Array<{ assignedTo: { id: string } | null }> };
    }>('query($id: ID!) { incident(id: $id) { assignments { assignedTo { id } } } }', {
      id: incident.id,
    });
    expect(after.errors).toBeUndefined();
    expect(after.data?.incident.assignments.map((a) => a.assignedTo?.id)).toContain(user.id);
  });

  it('still shows GraphiQL after a reload, with the edited document (kept in the URL)', async () => {
    // GraphiQL writes `?query=…` into the address bar on every edit of the document.
    await editor('operation').locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n# edited before the reload');
    await expect
      .poll(() => new URL(page.url()).searchParams.get('query') ?? '', { timeout: 5_000 })
      .toContain('# edited before the reload');
    const url = new URL(page.url());
    expect(`${url.origin}${url.pathname}`).toBe(`${stack.gateway.url}/graphql`);
    expect(url.searchParams.get('query')).toContain('mutation AssignIncident');
    const response = await page.reload();
    const contentType = response?.headers()['content-type'];
    const got = contentType?.startsWith('text/html') ? '' : await response?.text();
    expect(contentType, `reload of ${url.search.slice(0, 40)}… answered: ${got}`).toMatch(
      /^text\/html/,
    );
    await runButton().waitFor({ timeout: 30_000 });
    await expect
      .poll(() => editorText('operation'), { timeout: 10_000 })
      .toContain('#   CriticalOpenIncidents');
    expect(await copyEditor('operation')).toContain('# edited before the reload');
    // Still one tab, with the variables as the user left them (real ids under `assign`).
    // Its title is GraphiQL's: the first operation, or the one last run if that was stored.
    const { titles, active } = await tabs();
    expect(titles).toHaveLength(1);
    expect(active).toBe(titles[0]);
    const variables = JSON.parse(await copyEditor('variables')) as { assign: { userId: string } };
    expect(variables.assign.userId).not.toBe('<user id>');
    expect(variables.assign.userId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("opens a shared ?query= link in a tab of its own next to the user's, and keeps both on reload", async () => {
    const shared = 'query SharedRoles { incidentRoles(first: 3) { totalCount } }';
    await page.goto(`${stack.gateway.url}/graphql?query=${encodeURIComponent(shared)}`);
    await runButton().waitFor({ timeout: 30_000 });
    await expect.poll(() => editorText('operation'), { timeout: 10_000 }).toBe(shared);
    const opened = await tabs();
    expect(opened.titles).toHaveLength(2);
    expect(opened.titles[1]).toBe('SharedRoles');
    expect(opened.active).toBe('SharedRoles');
    await page.reload();
    await runButton().waitFor({ timeout: 30_000 });
    await expect.poll(() => editorText('operation'), { timeout: 10_000 }).toBe(shared);
    expect(await tabs()).toEqual(opened);
  });

  it('shows every comment line of the examples whole in a 1280×800 window', async () => {
    const small = await context.browser()!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const fresh = await small.newPage();
      await fresh.goto(`${stack.gateway.url}/graphql`);
      await fresh.getByRole('button', { name: /^Execute query/ }).waitFor({ timeout: 30_000 });
      const operation = fresh.locator('.monaco-editor[data-uri$="-operation.graphql"]');
      await expect
        .poll(() => text(operation.locator('.view-lines')), { timeout: 10_000 })
        .toContain('#   CriticalOpenIncidents');
      // What the editor shows (its text area, left of the run button) and how wide a character is.
      const measured = await operation.evaluate((editor) => {
        const area = editor.querySelector('.monaco-scrollable-element')!.getBoundingClientRect();
        const lines = [...editor.querySelectorAll('.view-line')].map((line) => {
          const box = line.firstElementChild!.getBoundingClientRect();
          return { top: box.top, right: box.right, width: box.width, text: line.textContent ?? '' };
        });
        lines.sort((a, b) => a.top - b.top);
        return { right: area.right, width: area.width, lines };
      });
      const first = measured.lines[0]!;
      expect(first.text.replace(/\u00a0/g, ' ')).toBe('# Example operations. Press ▶');
      expect(first.right).toBeLessThanOrEqual(measured.right);
      const ascii = measured.lines.find((line) => /^[\x20-\x7e\u00a0]{20,}$/.test(line.text))!;
      const columns = Math.floor(measured.width / (ascii.width / ascii.text.length));
      const comments = examplesDocument(examples)
        .query.split('\n')
        .filter((line) => line.startsWith('#'));
      expect(comments.filter((line) => line.length > columns)).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('runs the IncidentChanges subscription over WebSocket and shows a change as it happens', async () => {
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    // The examples are in the first tab (the shared link of the test before opened a second).
    await page.locator('.graphiql-tab-button').first().click();
    // The run button offers a menu of the tab's operations only once its document is in the
    // editor (a click before then would run the other tab's one operation; in one CI run the
    // menu never came): wait for the examples first.
    await expect
      .poll(() => editorText('operation'), { timeout: 10_000 })
      .toContain('# Example operations');
    await runButton().click();
    await page.getByRole('menuitem', { name: 'IncidentChanges', exact: true }).click();
    await expect
      .poll(() => sockets, { timeout: 10_000 })
      .toContain(`${stack.gateway.url.replace(/^http/, 'ws')}/graphql`);
    // The example's filter: critical and error incidents.
    const incident = stack.sandbox.seed.incidents.find(
      (i) =>
        ['INCIDENT_SEVERITY_CRITICAL', 'INCIDENT_SEVERITY_ERROR'].includes(i.severity) &&
        i.assignments.length > 0,
    )!;
    // The subscription may still be starting: change the incident until the page shows it.
    await expect
      .poll(
        async () => {
          await stack.graphql(UNASSIGN, { input: { incidentIds: [incident.id] } });
          await stack.graphql(ASSIGN, {
            input: { incidentIds: [incident.id], userId: stack.sandbox.seed.users[0]!.id },
          });
          return editorText('response');
        },
        { timeout: 20_000, interval: 500 },
      )
      .toContain(incident.id);
    expect(await editorText('response')).toContain('"kind": "UPDATED"');
    // Stop it (the run button turns into a stop button while it runs).
    await page.getByRole('button', { name: /^Stop/ }).click();
  });

  it('loaded everything from the gateway itself and raised no page errors', () => {
    const origin = new URL(stack.gateway.url).origin;
    expect(new URL(stack.gateway.url).host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter(
      (url) =>
        !url.startsWith(`${origin}/`) &&
        !url.startsWith(`${origin.replace(/^http/, 'ws')}/`) &&
        !url.startsWith(`blob:${origin}/`) &&
        !url.startsWith('data:'),
    );
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describeBrowser('GraphiQL in Chromium with gateway tokens on', (chromiumPath) => {
  it('runs IncidentChanges over SSE with the token typed in the headers editor', async () => {
    const stack = await startStack({ env: { GATEWAY_TOKENS: 'graphiql-token-1' } });
    const browser = await launchChromium(chromiumPath);
    const auth = { authorization: 'Bearer graphiql-token-1' };
    try {
      const context = await browser.newContext({ viewport: VIEWPORT });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: stack.gateway.url,
      });
      const page = await context.newPage();
      const streams: string[] = [];
      page.on('response', (response) => {
        if (response.headers()['content-type']?.startsWith('text/event-stream'))
          streams.push(response.request().headers().authorization ?? '');
      });
      await page.goto(`${stack.gateway.url}/graphql`);
      await page.getByRole('button', { name: /^Execute query/ }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Headers' }).click();
      await page.evaluate(
        (value) => navigator.clipboard.writeText(value),
        JSON.stringify({ Authorization: auth.authorization }),
      );
      await page.locator('.monaco-editor[data-uri$="-headers.json"] .view-lines').click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('ControlOrMeta+V');
      await page.getByRole('button', { name: /^Execute query/ }).click();
      await page.getByRole('menuitem', { name: 'IncidentChanges', exact: true }).click();

      const incident = stack.sandbox.seed.incidents.find((i) =>
        ['INCIDENT_SEVERITY_CRITICAL', 'INCIDENT_SEVERITY_ERROR'].includes(i.severity),
      )!;
      const response = page.locator('.monaco-editor[data-uri$="-response.json"] .view-lines');
      // The stream may still be opening: change the incident until the page shows it.
      await expect
        .poll(
          async () => {
            await stack.graphql(UNASSIGN, { input: { incidentIds: [incident.id] } }, auth);
            await stack.graphql(
              ASSIGN,
              { input: { incidentIds: [incident.id], userId: stack.sandbox.seed.users[0]!.id } },
              auth,
            );
            return text(response);
          },
          { timeout: 20_000, interval: 500 },
        )
        .toContain(incident.id);
      expect(streams).toContain(auth.authorization);
    } finally {
      await browser.close();
      await stack.stop();
    }
  });
});

describe('GraphiQL and introspection switch (NODE_ENV / GRAPHIQL)', () => {
  const cases = [
    { env: {}, graphiql: true },
    { env: { NODE_ENV: 'production' }, graphiql: false },
    { env: { NODE_ENV: 'production', GRAPHIQL: 'true' }, graphiql: true },
  ];

  it.each(cases)('$env: GraphiQL and introspection on = $graphiql', async ({ env, graphiql }) => {
    const stack = await startStack({ env });
    try {
      for (const path of ['/graphiql', '/graphql']) {
        const page = await fetch(`${stack.gateway.url}${path}`, {
          headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' },
        });
        const body = await page.text();
        if (graphiql) {
          expect(page.status, path).toBe(200);
          expect(page.headers.get('content-type')).toMatch(/^text\/html/);
          expect(body).toContain('<title>Incident GraphQL gateway</title>');
        } else {
          expect(page.status, path).toBe(404);
          expect(body).not.toContain('<html');
        }
      }

      const introspection = await stack.graphql<{ __schema: { queryType: { name: string } } }>(
        getIntrospectionQuery(),
      );
      if (graphiql) {
        expect(introspection.errors).toBeUndefined();
        expect(introspection.data?.__schema.queryType.name).toBe('Query');
      } else {
        expect(introspection.status).toBe(400);
        expect(introspection.data ?? undefined).toBeUndefined();
        expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
        const typeProbe = await stack.graphql('{ __type(name: "Incident") { name } }');
        expect(typeProbe.data ?? undefined).toBeUndefined();
        expect(typeProbe.errors?.[0]?.message).toMatch(/introspection/i);
      }

      // Ordinary operations work either way.
      const query = await stack.graphql('{ incidents(first: 1) { totalCount } }');
      expect(query.errors).toBeUndefined();
      expect(query.data).toEqual({ incidents: { totalCount: 300 } });
    } finally {
      await stack.stop();
    }
  });
});

describe('finding Chromium', () => {
  const existing =
    (...paths: string[]) =>
    (path: string) =>
      paths.includes(path);

  it('prefers CHROMIUM_PATH, then the usual paths', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/c/chrome' }, existing('/opt/c/chrome'))).toBe(
      '/opt/c/chrome',
    );
    expect(findChromium({}, existing(...CHROMIUM_CANDIDATES))).toBe('/usr/bin/chromium');
    expect(findChromium({}, existing('/usr/bin/chromium-browser'))).toBe(
      '/usr/bin/chromium-browser',
    );
    expect(findChromium({}, existing())).toBeUndefined();
    expect(findChromium({ CHROMIUM_PATH: '/nope' }, existing('/usr/bin/chromium'))).toBeUndefined();
  });

  it('fails on CI without Chromium and skips elsewhere, saying how to install it', () => {
    const missing = lookupChromium({}, existing());
    const onCi = browserTestMode(missing, { CI: 'true' });
    expect(onCi.mode).toBe('fail');
    expect(onCi).toHaveProperty('message', expect.stringMatching(/apt-get install chromium/));
    const local = browserTestMode(missing, {});
    expect(local.mode).toBe('skip');
    expect(local).toHaveProperty(
      'message',
      expect.stringContaining('install Chromium (apt-get install chromium) or set CHROMIUM_PATH'),
    );
    expect(
      browserTestMode(lookupChromium({}, existing('/usr/bin/chromium')), { CI: 'true' }),
    ).toEqual({ mode: 'run', path: '/usr/bin/chromium' });
  });
});
