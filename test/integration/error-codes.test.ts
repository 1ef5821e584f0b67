/**
 * Apollo's standard request error codes, which Apollo Client error links,
 * Apollo's own clients and monitoring tools match on: a document that does
 * not parse, one that does not validate, and one without the operation the
 * request names, each refused with HTTP 400 before any upstream call, with
 * and without the Redis response cache (which used to turn the last one into
 * a 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRedis, startRedis, type RedisServer } from '../support/redis.js';
import { startStack, useStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const codes = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  response.errors?.map((error) => error.extensions?.code);

/** The cases every gateway must answer the same way. */
function requestErrorCases(gateway: () => Stack) {
  it('answers a document that does not parse with GRAPHQL_PARSE_FAILED, HTTP 400', async () => {
    const response = await gateway().graphql('{ incidents(first: 1) { totalCount }');
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(response.errors?.[0]?.message).toMatch(/^Syntax Error: Expected Name, found <EOF>/);
    const get = await fetch(
      `${gateway().gateway.url}/graphql?query=${encodeURIComponent('{ incidents(')}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(get.status).toBe(400);
    expect(codes((await get.json()) as { errors?: [] })).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('answers a document that does not validate with GRAPHQL_VALIDATION_FAILED, HTTP 400', async () => {
    const response = await gateway().graphql('{ incidents(first: 1) { totalCount nope } }');
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors?.[0]?.message).toBe(
      'Cannot query field "nope" on type "IncidentConnection".',
    );
  });

  it.each([
    [
      'an operation name the document does not have',
      { operationName: 'Missing' },
      'Unknown operation named "Missing".',
    ],
    [
      'no operation name for a document of two',
      {},
      'Must provide operation name if query contains multiple operations.',
    ],
  ])(
    'answers %s with OPERATION_RESOLUTION_FAILURE, HTTP 400, and no upstream call',
    async (_, extra, message) => {
      gateway().sandbox.clearRequests();
      const response = await gateway().post(
        JSON.stringify({
          query: 'query A { incidents(first: 1) { totalCount } } query B { __typename }',
          ...extra,
        }),
      );
      expect(response.status).toBe(400);
      expect(response.errors).toEqual([
        { message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
      ]);
      expect(gateway().sandbox.requests()).toEqual([]);
      expect(
        gateway()
          .logs.entries()
          .filter((entry) => Number(entry.level) >= 50),
      ).toEqual([]);
    },
  );
}

describe('request error codes', () => {
  const stack = useStack();
  requestErrorCases(() => stack);

  it('answers introspection in production with GRAPHQL_VALIDATION_FAILED', async () => {
    const production = await startStack({ over: stack.sandbox, env: { NODE_ENV: 'production' } });
    try {
      const response = await production.graphql('{ __schema { queryType { name } } }');
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    } finally {
      await production.stop();
    }
  });
});

describeRedis('request error codes with the Redis response cache', (redisServerPath) => {
  let redis: RedisServer;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis(redisServerPath);
    stack = await startStack({ env: { REDIS_URL: redis.url, RESPONSE_CACHE_TTL_MS: '60000' } });
    await waitFor('the gateway to connect to Redis', () =>
      stack.logs.entries().some((entry) => entry.msg === 'shared cache connected to Redis'),
    );
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });
  requestErrorCases(() => stack);
});
