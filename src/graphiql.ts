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
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { packageRoot } from './paths.js';

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

/** Pretty-printed variables with placeholders filled in where a value is known. */
function fillVariables(variables: string, placeholders: Record<string, string>): string {
  let text = variables;
  for (const [placeholder, value] of Object.entries(placeholders)) {
    text = text.split(placeholder).join(value);
  }
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function renderGraphiQLPage(options: GraphiQLPageOptions): string {
  const placeholders = options.placeholders ?? {};
  const headers = options.tokensRequired
    ? JSON.stringify({ Authorization: 'Bearer <your gateway token>' }, null, 2)
    : undefined;
  const tabs = options.examples.map((example) => ({
    query: example.query,
    ...(example.variables ? { variables: fillVariables(example.variables, placeholders) } : {}),
    ...(headers ? { headers } : {}),
  }));
  return renderGraphiQL({
    title: 'Incident GraphQL gateway',
    endpoint: '/graphql',
    defaultQuery: tabs[0]?.query ?? '',
    defaultTabs: tabs,
    ...(headers ? { headers } : {}),
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  });
}

/** A browser navigating to /graphql asks for HTML; API clients ask for JSON. */
export function wantsHtml(req: IncomingMessage, url: URL): boolean {
  return (req.headers.accept ?? '').includes('text/html') && !url.searchParams.has('query');
}

/** The page is large (the bundled GraphiQL), so it is rendered and gzipped once, on first use. */
export function createGraphiQLHandler(options: GraphiQLPageOptions) {
  let cached: { plain: Buffer; gzip: Buffer } | undefined;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!cached) {
      const plain = Buffer.from(renderGraphiQLPage(options));
      cached = { plain, gzip: gzipSync(plain) };
    }
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
