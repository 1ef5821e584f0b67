/**
 * A write whose checks run in parallel answers with one error whichever check
 * answers first: the one of the first failing argument in order. Each case
 * runs twice, with one read slowed, then the other (sandbox latency faults,
 * which only reorder the answers).
 */
import { describe, expect, it } from 'vitest';
import { seedLinks } from '../support/links.js';
import { useStack } from '../support/stack.js';

const MISSING_UUID = '00000000-0000-4000-8000-000000000000';
const UNKNOWN_UUID = '00000000-0000-4000-8000-00000000abcd';
/** Enough for the other read to answer first. */
const SLOW_MS = 300;

const CREATE_TIMELINE = `mutation ($input: CreateStateTimelineInput!) {
  createStateTimeline(input: $input) { id }
}`;
const ADD_RESPONDER = `mutation ($input: AddIncidentResponderInput!) {
  addIncidentResponder(input: $input) { id }
}`;

describe('parallel write checks report the first bad argument in order', () => {
  const stack = useStack({ env: { UPSTREAM_RETRIES: '0' }, resetEach: true });
  const slow = (path: string) =>
    stack.sandbox.setFault({ upstream: 'oneuptime', method: 'POST', path, latencyMs: SLOW_MS });
  const writes = () =>
    stack.sandbox
      .requests('oneuptime')
      .filter((r) => r.method !== 'POST' || !/get-list|get-item|count/.test(r.path));

  for (const slowed of ['/api/incident/get-list', '/api/incident-state/get-list']) {
    it(`createStateTimeline: a missing OneUptime incident and an unknown state is NOT_FOUND (${slowed} slow)`, async () => {
      slow(slowed);
      const answer = await stack.graphql(CREATE_TIMELINE, {
        input: { oneUptimeIncidentId: MISSING_UUID, incidentStateId: UNKNOWN_UUID },
      });
      expect(
        answer.errors?.map((e) => e.extensions?.code),
        answer.text,
      ).toEqual(['NOT_FOUND']);
      expect(answer.errors?.[0]?.extensions?.argumentName).toBe('input.oneUptimeIncidentId');
      expect(writes()).toEqual([]);
    });
  }

  // An unknown role is no rejection (its read answers null, checked after both): the race was
  // between NOT_LINKED and a failing role read.
  for (const slowRole of [false, true]) {
    it(`addIncidentResponder: an unlinked incident and a failing role read is NOT_LINKED (${slowRole ? 'role' : 'link'} read slow)`, async () => {
      const unlinked = seedLinks(stack.sandbox.seed).unlinked[0]!;
      if (!slowRole) slow('/api/incident/get-list');
      stack.sandbox.setFault({
        upstream: 'oneuptime',
        method: 'POST',
        path: '/api/incident-role/get-list',
        status: 503,
        body: { error: 'Service Unavailable' },
        ...(slowRole ? { latencyMs: SLOW_MS } : {}),
      });
      const answer = await stack.graphql(ADD_RESPONDER, {
        input: {
          incidentId: unlinked.id,
          userId: stack.sandbox.seed.users[0]!.id,
          roleId: UNKNOWN_UUID,
        },
      });
      expect(
        answer.errors?.map((e) => e.extensions?.code),
        answer.text,
      ).toEqual(['NOT_LINKED']);
      expect(answer.errors?.[0]?.extensions?.incidentId).toBe(unlinked.id);
      expect(writes()).toEqual([]);
    });
  }
});
