/**
 * The example operations in `examples/` are what GraphiQL opens (all of them
 * in one document, with one merged variables object) and what the README
 * points to: each must be a valid, named operation against the real schema,
 * with variables that are JSON and coerce to its variable types once the
 * sandbox's ids fill the placeholders; variable names differ across examples
 * so that merging them loses nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import {
  Kind,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  examplesDocument,
  loadExamples,
  parseExample,
  renderGraphiQLPage,
  restoreTabsScript,
} from '../../src/http/graphiql.js';
import { packageRoot } from '../../src/config.js';
import { examplePlaceholders } from '../../src/sandbox/examplePlaceholders.js';
import { generateSeed } from '../../src/sandbox/seed.js';
import { createSchema } from '../../src/schema.js';

const schema = createSchema();
const examplesDir = join(packageRoot(), 'examples');
const files = readdirSync(examplesDir)
  .filter((file) => file.endsWith('.graphql'))
  .sort();

/** The placeholders the sandbox fills in, with seeded ids. */
const seed = generateSeed();
const placeholders = examplePlaceholders(seed);

const VARIABLES_COMMENT = /^#\s*variables:\s*(.+)$/;

function variablesComment(source: string): string | undefined {
  const lines = source.split('\n').map((line) => line.trim());
  const matches = lines.map((line) => VARIABLES_COMMENT.exec(line)?.[1]).filter(Boolean);
  expect(matches.length, 'at most one "# variables:" line').toBeLessThanOrEqual(1);
  return matches[0];
}

function fill(text: string): string {
  let result = text;
  for (const [placeholder, value] of Object.entries(placeholders)) {
    result = result.split(placeholder).join(value);
  }
  return result;
}

function operationsOf(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
}

function read(file: string): string {
  return readFileSync(join(examplesDir, file), 'utf8');
}

describe('examples/*.graphql', () => {
  it('has the eleven example operations', () => {
    expect(files).toHaveLength(11);
  });

  it.each(files)('%s parses, validates against the schema and has one named operation', (file) => {
    const document = parse(read(file));
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    const operations = operationsOf(document);
    expect(operations).toHaveLength(1);
    expect(
      operations[0]!.name?.value,
      'operation name (GraphiQL lists it in the run menu)',
    ).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  });

  it('define no named fragments: GraphiQL sends them all with any one operation, unused', () => {
    for (const file of files) {
      const kinds = parse(read(file)).definitions.map((d) => d.kind);
      expect(kinds, file).not.toContain(Kind.FRAGMENT_DEFINITION);
    }
  });

  it('uses a different operation name in every file', () => {
    const names = files.map((file) => operationsOf(parse(read(file)))[0]!.name?.value);
    expect(new Set(names).size).toBe(files.length);
  });

  it.each(files)('%s: the variables comment is JSON that fits the operation', (file) => {
    const source = read(file);
    const operation = operationsOf(parse(source))[0]!;
    const definitions = operation.variableDefinitions ?? [];
    const comment = variablesComment(source);
    if (comment === undefined) {
      // Without a comment GraphiQL sends no variables: the operation must not need any.
      const required = definitions.filter(
        (d) => d.type.kind === Kind.NON_NULL_TYPE && d.defaultValue === undefined,
      );
      expect(required.map((d) => d.variable.name.value)).toEqual([]);
      return;
    }
    const filled = fill(comment);
    expect(filled, 'only placeholders the sandbox knows how to fill').not.toMatch(/<[^>]*>/);
    let variables: unknown;
    expect(() => (variables = JSON.parse(filled))).not.toThrow();
    expect(variables).toBeTypeOf('object');
    expect(Array.isArray(variables)).toBe(false);
    const declared = definitions.map((d) => d.variable.name.value).sort();
    expect(Object.keys(variables as object).sort()).toEqual(declared);
    const coerced = getVariableValues(schema, definitions, variables as Record<string, unknown>);
    expect(coerced.errors?.map((e) => e.message)).toBeUndefined();
  });
});

describe('loadExamples / parseExample', () => {
  const examples = loadExamples();

  it('loads all eleven examples in file order, named after their files', () => {
    expect(examples.map((e) => e.name)).toEqual(files.map((f) => f.replace(/\.graphql$/, '')));
  });

  it.each(files)('%s: the query without the variables line, the variables as written', (file) => {
    const source = read(file);
    const example = examples.find((e) => `${e.name}.graphql` === file)!;
    expect(example.query).not.toMatch(/^#\s*variables:/m);
    // Same operation as the file (comments aside).
    expect(operationsOf(parse(example.query))[0]!.name?.value).toBe(
      operationsOf(parse(source))[0]!.name?.value,
    );
    const comment = variablesComment(source);
    if (comment === undefined) expect(example).not.toHaveProperty('variables');
    else expect(example.variables).toBe(comment);
  });

  it('gives the operations that need them their variables', () => {
    const withVariables = examples.filter((e) => e.variables !== undefined).map((e) => e.name);
    expect(withVariables).toEqual([
      '02-incident-with-events',
      '03-assign-incident',
      '04-unassign-incident',
      '06-incident-changes',
      '07-linked-incident',
      '08-ensure-oneuptime-incident',
      '09-incident-page',
      '11-case-page',
    ]);
  });

  it('parses a source with and without a variables line', () => {
    expect(parseExample('a', '# A comment.\nquery A { __typename }\n')).toEqual({
      name: 'a',
      query: '# A comment.\nquery A { __typename }',
    });
    expect(
      parseExample('b', '# About B.\n#   variables:   { "x": 1 }\nquery B($x: Int) { __typename }'),
    ).toEqual({
      name: 'b',
      query: '# About B.\nquery B($x: Int) { __typename }',
      variables: '{ "x": 1 }',
    });
  });
});

describe('examplesDocument', () => {
  const examples = loadExamples();
  const document = examplesDocument(examples, placeholders);

  it('holds every example operation, in file order, after a header naming them', () => {
    let from = 0;
    for (const example of examples) {
      const at = document.query.indexOf(example.query, from);
      expect(at, `${example.name} in the document`).toBeGreaterThanOrEqual(from);
      from = at + example.query.length;
    }
    const names = examples.map((e) => operationsOf(parse(e.query))[0]!.name!.value);
    const header = document.query.slice(0, document.query.indexOf(examples[0]!.query));
    for (const line of header.trim().split('\n')) expect(line).toMatch(/^#/);
    for (const name of names) expect(header).toMatch(new RegExp(`^#\\s+${name}$`, 'm'));
  });

  it('is one document that validates against the schema, with every operation by name', () => {
    const parsed = parse(document.query);
    expect(validate(schema, parsed).map((e) => e.message)).toEqual([]);
    expect(operationsOf(parsed).map((o) => o.name?.value)).toEqual(
      examples.map((e) => operationsOf(parse(e.query))[0]!.name!.value),
    );
  });

  it('merges every example variables into one object, placeholders filled', () => {
    const merged = JSON.parse(document.variables) as Record<string, unknown>;
    const expected = Object.assign(
      {},
      ...examples.flatMap((e) => (e.variables ? [JSON.parse(fill(e.variables)) as object] : [])),
    ) as Record<string, unknown>;
    expect(merged).toEqual(expected);
    expect(Object.keys(merged).sort()).toEqual([
      'assign',
      'case',
      'ensure',
      'id',
      'linked',
      'live',
      'page',
      'unassign',
    ]);
    expect(document.variables).not.toMatch(/<[^>]*>/);
    expect(merged).toEqual({
      id: placeholders['<incident id>'],
      assign: { incidentIds: [placeholders['<incident id>']], userId: placeholders['<user id>'] },
      unassign: { incidentIds: [placeholders['<incident id>']] },
      live: { severities: ['CRITICAL', 'ERROR'] },
      linked: placeholders['<linked incident id>'],
      ensure: { incidentId: placeholders['<unlinked incident id>'] },
      page: placeholders['<linked incident id>'],
      case: placeholders['<linked case id>'],
    });
  });

  it('each operation runs with the merged variables', () => {
    const merged = JSON.parse(document.variables) as Record<string, unknown>;
    for (const operation of operationsOf(parse(document.query))) {
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], merged);
      expect(
        coerced.errors?.map((e) => e.message),
        operation.name?.value,
      ).toBeUndefined();
    }
  });

  it('leaves the placeholders as written without ids', () => {
    const plain = examplesDocument(examples);
    expect(plain.query).toBe(document.query);
    expect(JSON.parse(plain.variables)).toEqual(
      Object.assign(
        {},
        ...examples.flatMap((e) => (e.variables ? [JSON.parse(e.variables) as object] : [])),
      ),
    );
    expect(JSON.parse(plain.variables)).toEqual({
      id: '<incident id>',
      assign: { incidentIds: ['<incident id>'], userId: '<user id>' },
      unassign: { incidentIds: ['<incident id>'] },
      live: { severities: ['CRITICAL', 'ERROR'] },
      linked: '<linked incident id>',
      ensure: { incidentId: '<unlinked incident id>' },
      page: '<linked incident id>',
      case: '<linked case id>',
    });
  });

  it('gets distinct variable names from the examples (no merge overwrites another)', () => {
    const declared = files.flatMap((file) =>
      (operationsOf(parse(read(file)))[0]!.variableDefinitions ?? []).map(
        (d) => d.variable.name.value,
      ),
    );
    expect(new Set(declared).size, `declared: ${declared.join(', ')}`).toBe(declared.length);
    const keys = examples.flatMap((e) =>
      e.variables ? Object.keys(JSON.parse(e.variables) as object) : [],
    );
    expect(new Set(keys).size, `variables keys: ${keys.join(', ')}`).toBe(keys.length);
  });
});

describe('renderGraphiQLPage', () => {
  /** The options object the page hands to GraphiQL (the last argument of `renderYogaGraphiQL`). */
  function pageOptions(html: string): {
    title?: string;
    query?: string;
    defaultQuery?: string;
    variables?: string;
    headers?: string;
    defaultTabs?: unknown;
    endpoint?: string;
    subscriptionsProtocol?: string;
  } {
    const call = html.lastIndexOf('YogaGraphiQL.renderYogaGraphiQL(');
    expect(call).toBeGreaterThan(0);
    const start = html.indexOf('{', html.indexOf("querySelector('#root')", call));
    const end = html.lastIndexOf('}'); // nothing but `, );` and closing tags follow the options
    return JSON.parse(html.slice(start, end + 1)) as ReturnType<typeof pageOptions>;
  }

  it('opens one tab holding the examples document, its variables coming through storage', async () => {
    const examples = loadExamples();
    const html = await renderGraphiQLPage({ examples, placeholders, tokensRequired: false });
    const { query, variables } = examplesDocument(examples, placeholders);
    // JSON-escaped in the page's inline script.
    expect(html).toContain(JSON.stringify(query));
    const options = pageOptions(html);
    expect(options.title).toBe('Incident GraphQL gateway');
    // The document as the default, so a `?query=` from the address bar wins on reload.
    expect(options.defaultQuery).toBe(query);
    expect(options).not.toHaveProperty('query');
    // Not the initial variables of every load: a tab with edited variables would never match.
    expect(options).not.toHaveProperty('variables');
    expect(options).not.toHaveProperty('defaultTabs');
    expect(options).not.toHaveProperty('headers');
    // The storage script runs before GraphiQL starts.
    const script = html.indexOf(restoreTabsScript(variables));
    expect(script).toBeGreaterThan(html.indexOf('<div id="root"></div>'));
    expect(script).toBeLessThan(html.lastIndexOf('YogaGraphiQL.renderYogaGraphiQL('));
  });

  it('keeps the placeholders when there are no ids, and adds a token header when tokens are on', async () => {
    const examples = loadExamples();
    const html = await renderGraphiQLPage({ examples, tokensRequired: true });
    const options = pageOptions(html);
    const { variables } = examplesDocument(examples);
    expect(variables).toContain('<incident id>');
    expect(html).toContain(restoreTabsScript(variables));
    expect(JSON.parse(options.headers!)).toEqual({
      Authorization: 'Bearer <your gateway token>',
    });
    expect(html).toContain(
      JSON.stringify(JSON.stringify({ Authorization: 'Bearer <your gateway token>' }, null, 2)),
    );
  });

  it('runs subscriptions over the WebSocket, or over SSE when the editor’s token must be sent', async () => {
    const examples = loadExamples();
    const open = pageOptions(await renderGraphiQLPage({ examples, tokensRequired: false }));
    const guarded = pageOptions(await renderGraphiQLPage({ examples, tokensRequired: true }));
    expect(open).toMatchObject({ endpoint: '/graphql', subscriptionsProtocol: 'WS' });
    expect(guarded).toMatchObject({ endpoint: '/graphql', subscriptionsProtocol: 'GRAPHQL_SSE' });
  });
});

describe('restoreTabsScript', () => {
  /** Runs the script against an in-memory localStorage holding `stored`; returns what it holds after. */
  function run(
    stored: Record<string, string>,
    { variables = '{"id": "x"}', search = '' } = {},
  ): Record<string, string> {
    const items = new Map(Object.entries(stored));
    const localStorage = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, String(value)),
      removeItem: (key: string) => void items.delete(key),
    };
    const html = restoreTabsScript(variables);
    const source = html.slice('<script>'.length, html.lastIndexOf('</script>'));
    runInNewContext(source, { window: { localStorage, location: { search } }, URLSearchParams });
    return Object.fromEntries(items);
  }

  const tab = (query: string | null, variables: string | null) => ({
    id: 'id',
    title: 't',
    query,
    variables,
    headers: null,
    operationName: null,
    response: null,
  });

  it('stores the examples variables on a first visit, so the first tab gets them', () => {
    expect(run({})).toEqual({ 'graphiql:variables': '{"id": "x"}' });
  });

  it("sets GraphiQL's initial query and variables from the active tab", () => {
    const tabState = JSON.stringify({
      tabs: [tab('{ a }', '{"a": 1}'), tab('{ b }', null)],
      activeTabIndex: 0,
    });
    // Unset after a visit without edits; the previous tab's after a link opened a new one.
    const previous: Array<Record<string, string>> = [
      {},
      { 'graphiql:query': '{ b }', 'graphiql:variables': '{}' },
    ];
    for (const stored of previous) {
      const after = run({ 'graphiql:tabState': tabState, ...stored });
      expect(after).toMatchObject({ 'graphiql:query': '{ a }', 'graphiql:variables': '{"a": 1}' });
      expect(JSON.parse(after['graphiql:tabState']!)).toEqual(JSON.parse(tabState));
    }
    const untitled = JSON.stringify({
      tabs: [tab('{ a }', '{}'), tab(null, null)],
      activeTabIndex: 1,
    });
    expect(run({ 'graphiql:tabState': untitled, 'graphiql:query': '{ a }' })).toEqual({
      'graphiql:tabState': untitled,
    });
  });

  it('gives the active tab the last edit when the address bar holds its query (a quick reload)', () => {
    const tabState = JSON.stringify({
      tabs: [tab('{ a }', '{}'), tab('{ b }', '{"b": 1}')],
      activeTabIndex: 1,
    });
    const stored = {
      'graphiql:tabState': tabState,
      'graphiql:query': '{ b edited }',
      'graphiql:variables': '{"b": 2}',
    };
    const after = run(stored, { search: `?query=${encodeURIComponent('{ b edited }')}` });
    expect(after['graphiql:query']).toBe('{ b edited }');
    expect(after['graphiql:variables']).toBe('{"b": 2}');
    expect(JSON.parse(after['graphiql:tabState']!)).toEqual({
      tabs: [tab('{ a }', '{}'), tab('{ b edited }', '{"b": 2}')],
      activeTabIndex: 1,
    });
    // A link's own query is not an edit of the active tab.
    const link = run(stored, { search: `?query=${encodeURIComponent('{ shared }')}` });
    expect(JSON.parse(link['graphiql:tabState']!)).toEqual(JSON.parse(tabState));
    expect(link['graphiql:query']).toBe('{ b }');
  });

  it('leaves storage it cannot read alone', () => {
    expect(run({ 'graphiql:tabState': 'not json' })).toEqual({ 'graphiql:tabState': 'not json' });
  });

  it('cannot be closed early by a value', () => {
    const html = restoreTabsScript('{"x": "</script><script>alert(1)</script>"}');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(run({}, { variables: '{"x": "</script>"}' })).toEqual({
      'graphiql:variables': '{"x": "</script>"}',
    });
  });
});

describe('GraphQL in the documentation', () => {
  /** Every fenced `graphql` block, and every `"query": "…"` of a curl example, per document. */
  const documents = [
    'README.md',
    ...readdirSync(join(packageRoot(), 'docs')).map((f) => `docs/${f}`),
  ]
    .filter((file) => file.endsWith('.md'))
    .flatMap((file) => {
      const text = readFileSync(join(packageRoot(), file), 'utf8');
      const blocks = [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
      const curls = [...text.matchAll(/"query"\s*:\s*"((?:[^"\\]|\\.)*)"/g)].map(
        (m) => JSON.parse(`"${m[1]!}"`) as string,
      );
      return [...blocks, ...curls].map(
        (source, index) => [`${file} #${index + 1}`, source] as const,
      );
    });

  it('finds the README examples', () => {
    expect(
      documents.filter(([name]) => name.startsWith('README.md')).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it.each(documents)('%s validates against the schema', (_name, source) => {
    expect(validate(schema, parse(source)).map((e) => e.message)).toEqual([]);
  });
});

describe('TypeScript in docs/frontend.md', () => {
  /** Lines without their indentation (prettier re-indents a snippet in Markdown). */
  const flat = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .join('\n')
      .trim();
  const root = packageRoot();
  const client = join(root, 'examples', 'client');
  const sources = [
    join(root, 'codegen.client.ts'),
    ...readdirSync(client)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(client, file)),
  ].map((path) => flat(readFileSync(path, 'utf8')));
  const blocks = [
    ...readFileSync(join(root, 'docs', 'frontend.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g),
  ].map((m) => m[1]!);

  it('finds the recipe’s code', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  // The frontend test compiles these files (tsc) and runs them in Chromium.
  it.each(blocks.map((block, index) => [index + 1, block] as const))(
    'block %i is an excerpt of the example client or its codegen config, as written',
    (_, block) => {
      expect(sources.some((source) => source.includes(flat(block)))).toBe(true);
    },
  );
});
