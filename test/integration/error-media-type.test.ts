/**
 * The gateway's own GraphQL-shaped error answers (405, invalid JSON, 413,
 * OVERLOADED) come in the media type Apollo answers in: Apollo Client 4 sends
 * `Accept: application/graphql-response+json,application/json;q=0.9` and
 * reads the errors of an answer of status 300 or more only in
 * `application/graphql-response+json`; an `application/json` one is a plain
 * ServerError to it, so its error link would never see OVERLOADED.
 */
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const APOLLO_CLIENT_4 = { accept: 'application/graphql-response+json,application/json;q=0.9' };
const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
const LIST = `{ incidents(first: 1) { totalCount } }`;

describe('error answers of the gateway itself', () => {
  const stack = useStack({
    admission: { waitMs: 50, utilization: () => 0 },
    env: { MAX_IN_FLIGHT: '1', MAX_IN_FLIGHT_PER_CLIENT: '1', MAX_BODY_BYTES: '1000' },
  });

  const codeOf = (json: unknown) =>
    (json as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code;

  it('answer a method other than GET and POST in the media type the client asked for', async () => {
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'PUT',
      headers: APOLLO_CLIENT_4,
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('content-type')).toBe(GRAPHQL_RESPONSE);
    expect(codeOf(await response.json())).toBe('BAD_REQUEST');
  });

  it('answer a body that is not JSON in it', async () => {
    const response = await stack.post('{not json', APOLLO_CLIENT_4);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe(GRAPHQL_RESPONSE);
    expect(codeOf(response.json)).toBe('BAD_REQUEST');
  });

  it('answer a body over MAX_BODY_BYTES in it', async () => {
    const response = await stack.post(
      JSON.stringify({ query: 'x'.repeat(2_000) }),
      APOLLO_CLIENT_4,
    );
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toBe(GRAPHQL_RESPONSE);
    expect(codeOf(response.json)).toBe('BAD_REQUEST');
  });

  it('stay application/json for a client that does not accept the GraphQL media type', async () => {
    const response = await stack.post('{not json');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('answer OVERLOADED in it, with its retryAfter', async () => {
    stack.sandbox.setFault({ upstream: 'coralogix', method: 'POST', latencyMs: 1_500, times: 1 });
    stack.sandbox.clearRequests();
    const running = stack.graphql(LIST);
    await waitFor('the first operation upstream', () => stack.sandbox.requests().length === 1);
    const refused = await stack.graphql(LIST, {}, APOLLO_CLIENT_4);
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toBe(GRAPHQL_RESPONSE);
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'OVERLOADED', retryAfter: 1 });
    expect((await running).status).toBe(200);
  });
});
