import { beforeEach, describe, expect, it } from 'vitest';
import { useStack, type Stack } from '../support/stack.js';

/** The `select` bodies OneUptime received for one resource, as sorted column lists. */
function selects(stack: Stack, resource: string): string[][] {
  return stack.sandbox
    .requests('oneuptime')
    .filter((r) => r.path.startsWith(`/api/${resource}/`))
    .map((r) => Object.keys((r.body as { select?: Record<string, boolean> }).select ?? {}).sort());
}

describe('OneUptime select pushdown', () => {
  const stack = useStack();
  beforeEach(() => stack.sandbox.clearRequests());

  it('asks only for the selected columns plus _id and the join key', async () => {
    const response = await stack.graphql(
      '{ incidents(first: 5) { edges { node { slas { status } } } } }',
    );
    expect(response.errors).toBeUndefined();
    expect(selects(stack, 'incident-sla')).toEqual([['_id', 'incidentId', 'status']]);
  });

  it('follows aliases, named fragments and inline fragments', async () => {
    const response = await stack.graphql(`
      query { incidents(first: 5) { edges { node {
        timeline: stateTimeline { ...Times ... on StateTimeline { by: createdByUser { id } } }
      } } } }
      fragment Times on StateTimeline { startsAt endsAt }`);
    expect(response.errors).toBeUndefined();
    expect(selects(stack, 'incident-state-timeline')).toEqual([
      ['_id', 'createdByUserId', 'endsAt', 'incidentId', 'startsAt'],
    ]);
  });

  it('makes one call with the union when selections differ within one level', async () => {
    const response = await stack.graphql(`{ incidents(first: 5) { edges { node {
      a: slas { status } b: slas { responseDeadline }
    } } } }`);
    expect(response.errors).toBeUndefined();
    expect(selects(stack, 'incident-sla')).toEqual([
      ['_id', 'incidentId', 'responseDeadline', 'status'],
    ]);
  });

  it('maps GraphQL fields onto their columns on root lists (statusText → status, ruleId, incident → incidentId)', async () => {
    const response = await stack.graphql(
      '{ incidentSlas(first: 3) { totalCount edges { node { statusText ruleId incident { id } } } } }',
    );
    expect(response.errors).toBeUndefined();
    expect(selects(stack, 'incident-sla')).toEqual([
      ['_id', 'incidentId', 'incidentSlaRuleId', 'status'],
    ]);
  });

  it('asks for _id only when only ids are selected', async () => {
    const response = await stack.graphql('{ incidentRoles(first: 2) { edges { node { id } } } }');
    expect(response.errors).toBeUndefined();
    expect(selects(stack, 'incident-role')).toEqual([['_id']]);
  });

  it('loads one record for two selections in one call with both columns', async () => {
    const sla = stack.sandbox.seed.slas[0]!;
    const response = await stack.graphql<{
      a: { status: string } | null;
      b: { respondedAt: string | null } | null;
    }>(
      `query($id: ID!) { a: incidentSla(id: $id) { status } b: incidentSla(id: $id) { respondedAt } }`,
      { id: sla._id },
    );
    expect(response.errors).toBeUndefined();
    // One tick, one call with both columns.
    expect(selects(stack, 'incident-sla')).toEqual([['_id', 'respondedAt', 'status']]);
    expect(response.data?.a?.status).toBeDefined();
  });
});

describe('select pushdown with batching off (the naive baseline)', () => {
  const naive = useStack({ batch: false });

  it('asks every per-parent call for the selected columns, not just the first', async () => {
    const response = await naive.graphql(
      '{ incidents(first: 3) { edges { node { stateTimeline { incidentStateId } } } } }',
    );
    expect(response.errors).toBeUndefined();
    expect(selects(naive, 'incident-state-timeline')).toEqual([
      ['_id', 'incidentId', 'incidentStateId'],
      ['_id', 'incidentId', 'incidentStateId'],
      ['_id', 'incidentId', 'incidentStateId'],
    ]);
  });
});
