/**
 * What a client's oversized input costs over real HTTP against the sandbox:
 * no error message echoes more than the start of a bad value, so a 1 MB value
 * used by 15 fields does not come back 15 times.
 */
import { describe, expect, it } from 'vitest';
import { QUOTED_CHARS } from '../../src/errors.js';
import { useStack } from '../support/stack.js';

const stack = useStack({ resetEach: true });

/** A megabyte of text: under MAX_BODY_BYTES once in a request. */
const MEGABYTE = 'x'.repeat(1_000_000);

describe('bad values in error messages', () => {
  it('quotes only the start of a 1 MB id used by 15 root fields', async () => {
    const fields = Array.from({ length: 15 }, (_, i) => `i${i}: incident(id: $id) { id }`);
    const response = await stack.graphql(`query($id: ID!) { ${fields.join(' ')} }`, {
      id: MEGABYTE,
    });
    expect(response.errors).toHaveLength(15);
    for (const error of response.errors ?? []) {
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toBe(
        `"id" must be a UUID (got "${'x'.repeat(QUOTED_CHARS)}"… (1000000 characters)).`,
      );
    }
    expect(response.text.length).toBeLessThan(15 * 300);
    expect(stack.sandbox.requests()).toEqual([]);
  });

  it('quotes only the start of a bad variable value graphql-js refuses', async () => {
    const response = await stack.graphql('query($n: Int) { incidents(first: $n) { totalCount } }', {
      n: MEGABYTE,
    });
    expect(response.status).toBe(400);
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors ?? [];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toContain('… (1000000 characters)');
    expect(response.text.length).toBeLessThan(1_000);
  });

  it('quotes only the start of a bad enum value and of a bad DateTime', async () => {
    const enumResponse = await stack.graphql(
      'query($f: IncidentFilter) { incidents(filter: $f) { totalCount } }',
      { f: { severities: [MEGABYTE] } },
    );
    expect(enumResponse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(enumResponse.text.length).toBeLessThan(1_000);
    const dateResponse = await stack.graphql(
      'query($f: IncidentFilter) { incidents(filter: $f) { totalCount } }',
      { f: { createdAfter: MEGABYTE } },
    );
    expect(dateResponse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(dateResponse.errors?.[0]?.message).toContain('… (1000000 characters)');
    expect(dateResponse.text.length).toBeLessThan(1_000);
    expect(stack.sandbox.requests()).toEqual([]);
  });
});
