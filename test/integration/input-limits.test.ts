/**
 * What a client's oversized input costs over real HTTP against the sandbox:
 * every free-text write input is refused past its vendor's limit with
 * BAD_USER_INPUT before any upstream call (the sandbox's request log stays
 * empty), and no error message echoes more than the start of a bad value, so
 * a 1 MB value used by 15 fields does not come back 15 times.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { QUOTED_CHARS } from '../../src/errors.js';
import type { SeedData } from '../../src/sandbox/seed.js';
import { TEXT_LIMITS } from '../../src/resolvers/validate.js';
import { useStack } from '../support/stack.js';

const stack = useStack({ resetEach: true });
let seed: SeedData;
beforeAll(() => {
  seed = stack.sandbox.seed;
});

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
/** A megabyte of text: under MAX_BODY_BYTES once in a request. */
const MEGABYTE = 'x'.repeat(1_000_000);

describe('free-text write inputs', () => {
  const cases: Array<{
    name: string;
    max: number;
    argument: string;
    write: (text: string) => string;
  }> = [
    {
      name: 'assignIncidents userId',
      max: TEXT_LIMITS.coralogixUserId,
      argument: 'input.userId',
      write: (text) =>
        `assignIncidents(input: { incidentIds: ["${UUID}"], userId: "${text}" }) { incidents { id } }`,
    },
    {
      name: 'createStateTimeline rootCause',
      max: TEXT_LIMITS.oneUptimeMarkdown,
      argument: 'input.rootCause',
      write: (text) =>
        `createStateTimeline(input: { incidentId: "${UUID}", incidentStateId: "${UUID}", rootCause: "${text}" }) { id }`,
    },
    {
      name: 'createIncidentRole name',
      max: TEXT_LIMITS.oneUptimeShortText,
      argument: 'input.name',
      write: (text) => `createIncidentRole(input: { name: "${text}", color: "#112233" }) { id }`,
    },
    {
      name: 'createIncidentRole description',
      max: TEXT_LIMITS.oneUptimeLongText,
      argument: 'input.description',
      write: (text) =>
        `createIncidentRole(input: { name: "Scribe", color: "#112233", description: "${text}" }) { id }`,
    },
    {
      name: 'createIncidentRole roleIcon',
      max: TEXT_LIMITS.oneUptimeShortText,
      argument: 'input.roleIcon',
      write: (text) =>
        `createIncidentRole(input: { name: "Scribe", color: "#112233", roleIcon: "${text}" }) { id }`,
    },
    {
      name: 'updateIncidentRole name',
      max: TEXT_LIMITS.oneUptimeShortText,
      argument: 'input.name',
      write: (text) => `updateIncidentRole(id: "${UUID}", input: { name: "${text}" }) { id }`,
    },
    {
      name: 'updateIncidentRole description',
      max: TEXT_LIMITS.oneUptimeLongText,
      argument: 'input.description',
      write: (text) =>
        `updateIncidentRole(id: "${UUID}", input: { description: "${text}" }) { id }`,
    },
    {
      name: 'updateIncidentRole roleIcon',
      max: TEXT_LIMITS.oneUptimeShortText,
      argument: 'input.roleIcon',
      write: (text) => `updateIncidentRole(id: "${UUID}", input: { roleIcon: "${text}" }) { id }`,
    },
    {
      name: 'addIncidentResponder notes',
      max: TEXT_LIMITS.oneUptimeLongText,
      argument: 'input.notes',
      write: (text) =>
        `addIncidentResponder(input: { incidentId: "${UUID}", userId: "${UUID}", roleId: "${UUID}", notes: "${text}" }) { id }`,
    },
  ];

  it.each(cases)('refuses $name past $max characters before any upstream call', async (c) => {
    const response = await stack.graphql(`mutation { ${c.write('é'.repeat(c.max + 1))} }`);
    expect(response.data?.[Object.keys(response.data ?? {})[0] ?? ''] ?? null).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: `"${c.argument}" must be at most ${c.max} characters (got ${c.max + 1}).`,
        extensions: { code: 'BAD_USER_INPUT', argumentName: c.argument, maxLength: c.max },
      }),
    ]);
    expect(stack.sandbox.requests()).toEqual([]);
  });

  it.each(cases)('refuses $name of a megabyte with a short message', async (c) => {
    const response = await stack.graphql(`mutation { ${c.write(MEGABYTE)} }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.text.length).toBeLessThan(2_000);
    expect(stack.sandbox.requests()).toEqual([]);
  });

  it('counts characters, not UTF-16 units: 100 emoji are a role name of 100', async () => {
    const name = '🔥'.repeat(TEXT_LIMITS.oneUptimeShortText);
    const response = await stack.graphql<{ createIncidentRole: { name: string } }>(
      'mutation($name: String!) { createIncidentRole(input: { name: $name, color: "#112233" }) { name } }',
      { name },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.createIncidentRole.name).toBe(name);
    expect(seed.roles.length).toBeGreaterThan(0);
  });
});

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
