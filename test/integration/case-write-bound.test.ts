/**
 * MAX_UPSTREAM_CALLS and case writes, over real HTTP against the Cases
 * emulator: the payload of a write is measured by the ids its input names, so
 * a write whose answer could not be read within the bound is refused before
 * it is sent (nothing changes); and when the run-time counter stops a read of
 * the answer after the write anyway (a retry the model does not count), the
 * error says which case ids were applied.
 */
import { describe, expect, it } from 'vitest';
import { byStatus, caseCalls, liveCase } from '../support/cases.js';
import { useStack, type Stack } from '../support/stack.js';

const USER = '0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10';
/** Every ListEvents of a case (`GET /cases/cases/v1/{id}/events`). */
const EVENTS = /\/cases\/cases\/v1\/[^/]+\/events$/;
const ASSIGN = `mutation ($input: AssignCasesInput!) { assignCases(input: $input) { cases { id events { id } } } }`;

const assignable = (target: Stack, n: number) =>
  byStatus(target.sandbox, 'ACTIVE')
    .concat(byStatus(target.sandbox, 'ACKNOWLEDGED'))
    .slice(0, n)
    .map((r) => r.case.id);

describe('a case write whose answer would pass MAX_UPSTREAM_CALLS', () => {
  const stack = useStack({ resetEach: true, env: { MAX_UPSTREAM_CALLS: '20' } });

  it('is refused before the write: 25 cases with their events are 26 calls', async () => {
    const ids = assignable(stack, 25);
    expect(ids).toHaveLength(25);
    stack.sandbox.clearRequests();
    const answer = await stack.graphql(ASSIGN, { input: { caseIds: ids, userId: USER } });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      upstreamCalls: 26,
    });
    expect(caseCalls(stack.sandbox)).toEqual([]);
    for (const id of ids)
      expect((await liveCase(stack.sandbox, id)).assignee?.userId).not.toBe(USER);
  });

  it('runs when the answer fits: 19 cases with their events are 20 calls', async () => {
    const ids = assignable(stack, 19);
    stack.sandbox.clearRequests();
    const answer = await stack.graphql(ASSIGN, { input: { caseIds: ids, userId: USER } });
    expect(answer.errors, answer.text).toBeUndefined();
    expect(caseCalls(stack.sandbox)).toHaveLength(20);
  });
});

describe('the MAX_UPSTREAM_CALLS counter stops a read after a case write', () => {
  // The write and one events GET fit the bound; the events GET's retry does not.
  const stack = useStack({ resetEach: true, env: { MAX_UPSTREAM_CALLS: '2' } });

  it('answers QUERY_TOO_COMPLEX naming the applied case ids', async () => {
    const ids = assignable(stack, 1);
    stack.sandbox.setFault({
      upstream: 'coralogix',
      method: 'GET',
      path: EVENTS,
      status: 503,
      times: 1,
    });
    const answer = await stack.graphql(ASSIGN, { input: { caseIds: ids, userId: USER } });
    expect(answer.data, answer.text).toEqual({ assignCases: null });
    expect(answer.errors?.[0]).toMatchObject({
      path: ['assignCases', 'cases', 0, 'events'],
      extensions: { code: 'QUERY_TOO_COMPLEX', applied: { caseIds: ids } },
    });
    expect((await liveCase(stack.sandbox, ids[0]!)).assignee?.userId).toBe(USER);
  });
});
