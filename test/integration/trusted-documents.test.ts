/**
 * TRUSTED_DOCUMENTS over real HTTP, SSE and WebSocket: a manifest in the
 * format graphql-codegen's client preset writes (`{ "sha256:<hex>": "<document>" }`),
 * documents run by hash or by their exact text, anything else is
 * PERSISTED_QUERY_NOT_IN_LIST before any upstream call, and a bad manifest
 * stops the start.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { subscribeWs, waitForSubscribers, wsClient, type Received } from '../support/live.js';
import { startStack, useStack, type RawResponse } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const COUNT = 'query Count { incidents(first: 1) { totalCount } }';
const ASSIGN = `mutation Assign($input: AssignIncidentsInput!) {
  assignIncidents(input: $input) { incidents { id assignments { assignedTo { id } } } }
}`;
const CHANGES = 'subscription Changes { incidentChanged { kind incident { id } } }';
const UNLISTED = '{ incidents(first: 1) { totalCount pageInfo { hasNextPage } } }';

const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

const dir = mkdtempSync(join(tmpdir(), 'igw-trusted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a manifest file (JSON of `content`, or `content` as it is) and returns its path. */
function manifestFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const MANIFEST = manifestFile('persisted-documents.json', {
  [`sha256:${hex(COUNT)}`]: COUNT,
  [`sha256:${hex(ASSIGN)}`]: ASSIGN,
  // An older preset, or a custom hashAlgorithm: no prefix.
  [hex(CHANGES)]: CHANGES,
});

const codes = (response: RawResponse) => response.errors?.map((e) => e.extensions?.code);

describe('TRUSTED_DOCUMENTS', () => {
  const stack = useStack({
    env: { TRUSTED_DOCUMENTS: MANIFEST, LIVE_POLL_INTERVAL_MS: '3600000' },
  });
  const count = { incidents: { totalCount: 300 } };

  it('runs a listed document by its hash alone, with or without the sha256: prefix', async () => {
    for (const hash of [`sha256:${hex(COUNT)}`, hex(COUNT), hex(COUNT).toUpperCase()]) {
      const response = await stack.post(JSON.stringify({ extensions: persisted(hash) }));
      expect(response.status, hash).toBe(200);
      expect(response.data).toEqual(count);
    }
    const byId = await stack.post(JSON.stringify({ documentId: `sha256:${hex(COUNT)}` }));
    expect(byId.data).toEqual(count);
    const get = await fetch(
      `${stack.gateway.url}/graphql?extensions=${encodeURIComponent(JSON.stringify(persisted(hex(COUNT))))}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(await get.json()).toEqual({ data: count });
  });

  it('runs a listed mutation by hash with its variables', async () => {
    const incident = stack.sandbox.seed.incidents[3]!;
    const userId = stack.sandbox.seed.users[0]!.id;
    const response = await stack.post(
      JSON.stringify({
        extensions: persisted(`sha256:${hex(ASSIGN)}`),
        variables: { input: { incidentIds: [incident.id], userId } },
      }),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ assignIncidents: { incidents: [{ id: incident.id }] } });
  });

  it('runs a listed document sent as its exact text', async () => {
    const response = await stack.graphql(COUNT);
    expect(response.data).toEqual(count);
  });

  it('refuses other documents before any upstream call, whitespace and APQ registrations included', async () => {
    stack.sandbox.clearRequests();
    const refused: RawResponse[] = [
      await stack.graphql(UNLISTED),
      // The same operation with other whitespace is another text.
      await stack.graphql(COUNT.replace('{ ', '{\n  ')),
      await stack.post(JSON.stringify({ extensions: persisted(hex(UNLISTED)) })),
      // An automatic persisted query registration: its hash and text, neither listed.
      await stack.post(JSON.stringify({ query: UNLISTED, extensions: persisted(hex(UNLISTED)) })),
    ];
    for (const response of refused) {
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    }
    expect(refused[0]!.errors?.[0]?.message).toMatch(/not one of the trusted documents/);
    expect(refused[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(refused[2]!.errors?.[0]?.message).toMatch(/No trusted document .* has the hash/);
    // In the media type a GraphQL-over-HTTP client (Apollo Client 4) reads 4xx errors in.
    const typed = await stack.post(JSON.stringify({ query: UNLISTED }), {
      accept: 'application/graphql-response+json, application/json;q=0.9',
    });
    expect(typed.status).toBe(400);
    expect(typed.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    expect(codes(typed)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    // The registration was not stored: its hash alone is still refused.
    const retry = await stack.post(JSON.stringify({ extensions: persisted(hex(UNLISTED)) }));
    expect(codes(retry)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(stack.sandbox.requests()).toEqual([]);
    expect(
      stack.logs.entries().filter((e) => /refused a document/.test(String(e.msg))).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('runs a listed hash sent with other text, and listed text sent with an unknown hash', async () => {
    const hashWins = await stack.post(
      JSON.stringify({ query: UNLISTED, extensions: persisted(hex(COUNT)) }),
    );
    expect(hashWins.data).toEqual(count);
    const textListed = await stack.post(
      JSON.stringify({ query: COUNT, extensions: persisted('ab'.repeat(32)) }),
    );
    expect(textListed.data).toEqual(count);
  });

  it('lets introspection through where introspection is on (GraphiQL), and nothing else unlisted', async () => {
    const response = await stack.graphql('{ __schema { queryType { name } } }');
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const mixed = await stack.graphql('{ __typename incidents(first: 1) { totalCount } }');
    expect(codes(mixed)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });

  it('applies to WebSocket subscriptions: by hash and by text they run, others are refused', async () => {
    const client = wsClient(stack.gateway.url);
    const received: Array<Received> = [];
    try {
      const byHash: Received = { events: [], error: undefined, completed: false, stop: () => {} };
      byHash.stop = client.subscribe(
        { query: '', extensions: persisted(`sha256:${hex(CHANGES)}`) },
        {
          next: (value) => byHash.events.push(value as Received['events'][number]),
          error: (error) => (byHash.error = error),
          complete: () => (byHash.completed = true),
        },
      );
      received.push(byHash, subscribeWs(client, CHANGES));
      const refused = subscribeWs(client, 'subscription { incidentChanged { kind } }');
      received.push(refused);
      await waitFor('the refusal', () => refused.error !== undefined);
      expect(refused.error).toEqual([
        expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }),
      ]);
      await waitForSubscribers(stack.gateway.url, 'ws', 2);
      const incident = stack.sandbox.seed.incidents[9]!;
      const assigned = await stack.post(
        JSON.stringify({
          extensions: persisted(hex(ASSIGN)),
          variables: { input: { incidentIds: [incident.id], userId: 'user-trusted' } },
        }),
      );
      expect(assigned.errors).toBeUndefined();
      for (const subscription of [byHash, received[1]!]) {
        await waitFor('the change', () => subscription.events.length > 0);
        expect(subscription.events[0]?.data).toMatchObject({
          incidentChanged: { kind: 'UPDATED', incident: { id: incident.id } },
        });
        expect(subscription.error).toBeUndefined();
      }
    } finally {
      for (const subscription of received) subscription.stop();
      await client.dispose();
    }
  });

  it('applies to SSE subscriptions: an unlisted one is refused with 400 before a stream opens', async () => {
    const refused = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { incidentChanged { kind } }' }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } })],
    });
    const client = createSseClient({ url: `${stack.gateway.url}/graphql`, retryAttempts: 0 });
    let error: unknown;
    const stop = client.subscribe(
      { query: '', extensions: persisted(hex(CHANGES)) },
      { next: () => undefined, error: (e) => (error = e), complete: () => undefined },
    );
    try {
      await waitForSubscribers(stack.gateway.url, 'sse', 1);
      expect(error).toBeUndefined();
    } finally {
      stop();
      client.dispose();
    }
  });
});

describe('TRUSTED_DOCUMENTS in production', () => {
  const stack = useStack({ env: { TRUSTED_DOCUMENTS: MANIFEST, NODE_ENV: 'production' } });

  it('refuses introspection too (it is off), and runs the listed documents', async () => {
    const response = await stack.graphql('{ __schema { queryType { name } } }');
    expect(codes(response)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect((await stack.graphql(COUNT)).data).toEqual({ incidents: { totalCount: 300 } });
  });
});

describe('a bad TRUSTED_DOCUMENTS manifest', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.stop());

  const cases: Array<[string, string, RegExp]> = [
    ['a missing file', join(dir, 'missing.json'), /cannot be read \(ENOENT/],
    ['a file that is not JSON', manifestFile('bad.json', '{ "a": '), /not JSON/],
    [
      'an array',
      manifestFile('array.json', [COUNT]),
      /must be a JSON object \{ "<hash>": "<document>" \}/,
    ],
    ['an empty object', manifestFile('empty.json', {}), /lists no documents/],
    [
      'a value that is not a string',
      manifestFile('number.json', { abc: 1 }),
      /value of "abc" is not a document/,
    ],
    [
      'a hash that is not its document’s',
      manifestFile('hash.json', { [`sha256:${hex(UNLISTED)}`]: COUNT }),
      /is not the SHA-256 of its document/,
    ],
    [
      'a document that does not parse',
      manifestFile('parse.json', { a: '{ incidents(' }),
      /document "a" does not parse/,
    ],
    [
      'a document that does not validate',
      manifestFile('validate.json', { b: '{ incidentz { totalCount } }' }),
      /document "b" does not validate against the schema: Cannot query field "incidentz"/,
    ],
  ];

  it.each(cases)(
    'stops the start on %s, naming the file and the problem',
    async (_, path, problem) => {
      const error = await startStack({ over: sandbox, env: { TRUSTED_DOCUMENTS: path } }).then(
        (stack) => stack.stop().then(() => undefined),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(`TRUSTED_DOCUMENTS (${path}): `);
      expect((error as ConfigError).message).toMatch(problem);
    },
  );
});
