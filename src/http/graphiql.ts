/**
 * GraphiQL served by the gateway itself: the page inlines every script, style
 * and worker (`@graphql-yoga/render-graphiql` ships them bundled), so it works
 * offline and nothing leaves the host. The example operations in `examples/`
 * open as tabs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageRoot } from '../config.js';

export interface Example {
  /** File name without extension, e.g. `03-assign-incident`. */
  name: string;
  /** The operation, without the leading comment lines. */
  query: string;
  /** The `# variables: {…}` comment line, if any, as a JSON string. */
  variables?: string;
}

const VARIABLES_LINE = /^#\s*variables:\s*(.+)$/;

export function parseExample(name: string, source: string): Example {
  let variables: string | undefined;
  const lines = source.split('\n');
  for (const line of lines) {
    const match = VARIABLES_LINE.exec(line.trim());
    if (match?.[1]) variables = match[1];
  }
  const query = lines
    .filter((line) => !VARIABLES_LINE.test(line.trim()))
    .join('\n')
    .trim();
  return variables === undefined ? { name, query } : { name, query, variables };
}

export function loadExamples(dir = join(packageRoot(), 'examples')): Example[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) =>
      parseExample(file.replace(/\.graphql$/, ''), readFileSync(join(dir, file), 'utf8')),
    );
}

export interface GraphiQLPageOptions {
  examples: Example[];
  /** Values for `<incident id>` / `<user id>` placeholders in example variables (the sandbox's seed). */
  placeholders?: Record<string, string>;
  /** Show an `Authorization: Bearer …` header template (gateway tokens are on). */
  tokensRequired: boolean;
}

function fill(text: string, placeholders: Record<string, string>): string {
  let filled = text;
  for (const [placeholder, value] of Object.entries(placeholders)) {
    filled = filled.split(placeholder).join(value);
  }
  return filled;
}

/**
 * The examples as one document (GraphiQL asks which operation to run) with
 * one variables object holding every example's variables; their names are
 * distinct (test/unit/examples.test.ts checks it). One document instead of one
 * preloaded tab per example: the GraphiQL bundled with render-graphiql 5.24
 * shows the previous tab's text on the first click on a preloaded tab.
 */
export function examplesDocument(
  examples: Example[],
  placeholders: Record<string, string> = {},
): { query: string; variables: string } {
  const names = examples.map(
    (e) => /(?:query|mutation|subscription)\s+(\w+)/.exec(e.query)?.[1] ?? e.name,
  );
  // Short lines: the editor takes under half the window and does not wrap, so a
  // longer line is cut off at its edge (49 characters fit a 1280-pixel window,
  // 35 a 1024-pixel one; test/e2e/graphiql.test.ts measures it).
  const header = [
    '# Example operations. Press ▶',
    '# (top right) and pick one:',
    ...names.map((name) => `#   ${name}`),
    '# More in examples/*.graphql;',
    '# the Docs button (book icon,',
    '# top left) documents each field.',
  ].join('\n');
  const variables: Record<string, unknown> = {};
  for (const example of examples) {
    if (example.variables)
      Object.assign(variables, JSON.parse(fill(example.variables, placeholders)));
  }
  return {
    query: [header, ...examples.map((e) => e.query)].join('\n\n') + '\n',
    variables: JSON.stringify(variables, null, 2),
  };
}

/**
 * Runs before GraphiQL starts, so a reload shows the tabs as the user left them.
 *
 * The bundled GraphiQL (5.x; `getDefaultTabState` in graphql/graphiql
 * `packages/graphiql-react/src/utility/tabs.ts`, read at 0cebb37) restores the
 * tabs kept in localStorage (`graphiql:tabState`), then looks for the tab whose
 * query + variables equal its initial ones: `initialQuery` (YogaGraphiQL passes
 * the address bar's `?query=`) or else the stored `graphiql:query`, and
 * `initialVariables` or else the stored `graphiql:variables`. No tab matching,
 * it adds and focuses a new one. Those two keys are written 100 ms after an
 * editor changes (together with the address bar), the tabs 500 ms later, and
 * not at all when a tab opens, so:
 * - after a visit without edits the keys were unset, the initial query null,
 *   and every reload added an empty `<untitled>` tab;
 * - after opening a link's `?query=` in a new tab, they still held the
 *   previous tab's contents.
 * So they are set from the active tab, except when the address bar's query is
 * the stored one: then both were written by the last edit, and a reload within
 * 500 ms of it would find the active tab one edit behind, so the tab takes them.
 * On a first visit (no tabs stored) the examples' variables are stored, so the
 * first tab gets them (passed as `variables` they would be the initial
 * variables of every load, and a tab whose variables the user edited would
 * never match again). A `?query=` naming no tab still opens a tab of its own.
 */
export function restoreTabsScript(exampleVariables: string): string {
  // `<` escaped so no value can close the script element.
  const variables = JSON.stringify(exampleVariables).replace(/</g, '\\u003c');
  return `<script>
(function (exampleVariables) {
  try {
    var store = window.localStorage;
    var saved = JSON.parse(store.getItem('graphiql:tabState') || 'null');
    var active = saved && Array.isArray(saved.tabs) ? saved.tabs[saved.activeTabIndex] : null;
    if (!active) {
      store.setItem('graphiql:variables', exampleVariables);
      return;
    }
    var fromAddressBar = new URLSearchParams(window.location.search).get('query');
    var lastEdit = fromAddressBar !== null && fromAddressBar === store.getItem('graphiql:query');
    ['query', 'variables'].forEach(function (key) {
      var latest = store.getItem('graphiql:' + key);
      if (lastEdit && latest !== null) active[key] = latest;
      else if (typeof active[key] === 'string') store.setItem('graphiql:' + key, active[key]);
      else store.removeItem('graphiql:' + key);
    });
    store.setItem('graphiql:tabState', JSON.stringify(saved));
  } catch (error) {
    // No storage (private mode, blocked) or none GraphiQL wrote: it starts as it would.
  }
})(${variables});
</script>`;
}

/**
 * The page. The bundled GraphiQL is a 9 MB module (about 47 MiB of memory once
 * loaded), so it is imported on the first page request, never in production
 * unless GRAPHIQL=true.
 */
export async function renderGraphiQLPage(options: GraphiQLPageOptions): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const { query, variables } = examplesDocument(options.examples, options.placeholders);
  const headers = options.tokensRequired
    ? JSON.stringify({ Authorization: 'Bearer <your gateway token>' }, null, 2)
    : undefined;
  // The document goes in `defaultQuery`, so a `?query=` that GraphiQL wrote into
  // the address bar wins on reload and edits survive; the variables reach the
  // first tab through storage (restoreTabsScript).
  const page = renderGraphiQL({
    title: 'Incident GraphQL gateway',
    endpoint: '/graphql',
    defaultQuery: query,
    ...(headers ? { headers } : {}),
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
    // Subscriptions: GraphiQL's WebSocket client (graphql-ws) gets ws(s)://<host>/graphql,
    // derived from `endpoint`. It sends only static connection params, not the headers typed
    // in the editor, so with gateway tokens on it uses graphql-sse at /graphql instead, which
    // sends them (src/live/sse.ts).
    subscriptionsProtocol: options.tokensRequired ? 'GRAPHQL_SSE' : 'WS',
  });
  const root = '<div id="root"></div>';
  if (!page.includes(root)) throw new Error('render-graphiql page without <div id="root">');
  return page.replace(root, `${root}\n${restoreTabsScript(variables)}`);
}

/**
 * A browser navigating to /graphql asks for HTML; API clients ask for JSON.
 * GraphiQL writes `?query=…` into the address bar, so a page load (reload, shared
 * link) still gets the page; any other GET with `query` is a GraphQL request.
 */
export function wantsHtml(req: IncomingMessage, url: URL): boolean {
  if (!(req.headers.accept ?? '').includes('text/html')) return false;
  const navigation =
    req.headers['sec-fetch-mode'] === 'navigate' || req.headers['sec-fetch-dest'] === 'document';
  return navigation || !url.searchParams.has('query');
}

/** The page is large (the bundled GraphiQL), so it is rendered and gzipped once, on first use. */
export function createGraphiQLHandler(options: GraphiQLPageOptions) {
  let page: Promise<{ plain: Buffer; gzip: Buffer }> | undefined;
  return async (req: IncomingMessage, res: ServerResponse) => {
    page ??= renderGraphiQLPage(options).then((html) => {
      const plain = Buffer.from(html);
      return { plain, gzip: gzipSync(plain) };
    });
    const cached = await page;
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? cached.gzip : cached.plain;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
  };
}
