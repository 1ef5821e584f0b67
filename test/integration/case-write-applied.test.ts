/**
 * A case write that persisted is never answered as if it had not: when
 * reading its answer fails afterwards (a case's events, one GET per case, is
 * a non-null field, so the whole payload is nulled), the error says which
 * case ids the write applied (`extensions.applied.caseIds`), for every case
 * write, on the single-case and the bulk path, whether the read failed
 * upstream or the MAX_UPSTREAM_CALLS counter stopped it. Over real HTTP
 * against the Cases emulator; what persisted is read from the emulator.
 */
import { describe, expect, it } from 'vitest';
import { byStatus } from '../support/cases.js';
import { useStack, type RawResponse, type Stack } from '../support/stack.js';

const USER = '0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10';
/** Every ListEvents of a case (`GET /cases/cases/v1/{id}/events`). */
const EVENTS = /\/cases\/cases\/v1\/[^/]+\/events$/;

interface Write {
  name: string;
  input: string;
  status: 'ACTIVE' | 'ACKNOWLEDGED';
  /** Its input for these case ids. */
  of: (ids: string[]) => Record<string, unknown>;
  /** Several ids (the bulk path), or one only. */
  bulk: boolean;
  payload: string;
}

const CASES = 'cases { id events { id } }';
const CASE = 'case { id events { id } }';
const WRITES: Write[] = [
  {
    name: 'assignCases',
    input: 'AssignCasesInput',
    status: 'ACTIVE',
    of: (ids) => ({ caseIds: ids, userId: USER }),
    bulk: true,
    payload: CASES,
  },
  {
    name: 'unassignCases',
    input: 'CaseIdsInput',
    status: 'ACTIVE',
    of: (ids) => ({ caseIds: ids }),
    bulk: true,
    payload: CASES,
  },
  {
    name: 'acknowledgeCases',
    input: 'AcknowledgeCasesInput',
    status: 'ACTIVE',
    of: (ids) => ({ caseIds: ids, userId: USER }),
    bulk: true,
    payload: CASES,
  },
  {
    name: 'resolveCases',
    input: 'ResolveCasesInput',
    status: 'ACTIVE',
    of: (ids) => ({ caseIds: ids }),
    bulk: true,
    payload: CASES,
  },
  {
    name: 'closeCases',
    input: 'CaseIdsInput',
    status: 'ACTIVE',
    of: (ids) => ({ caseIds: ids }),
    bulk: true,
    payload: CASES,
  },
  {
    name: 'setCasePriority',
    input: 'SetCasePriorityInput',
    status: 'ACTIVE',
    of: (ids) => ({ caseIds: ids, priority: 'P1' }),
    bulk: true,
    payload: CASES,
  },
  {
    name: 'clearCasePriority',
    input: 'CaseIdsInput',
    status: 'ACTIVE',
    of: (ids) => ({ caseIds: ids }),
    bulk: true,
    payload: CASES,
  },
  {
    name: 'unacknowledgeCase',
    input: 'CaseIdInput',
    status: 'ACKNOWLEDGED',
    of: ([id]) => ({ caseId: id }),
    bulk: false,
    payload: CASE,
  },
  {
    name: 'updateCase',
    input: 'UpdateCaseInput',
    status: 'ACTIVE',
    of: ([id]) => ({ caseId: id, title: 'Consumer lag on orders' }),
    bulk: false,
    payload: CASE,
  },
];

const casesOf = (target: Stack, status: Write['status'], n: number) =>
  byStatus(target.sandbox, status)
    .slice(0, n)
    .map((r) => r.case.id);

function run(target: Stack, write: Write, ids: string[]) {
  target.sandbox.clearRequests();
  return target.graphql(
    `mutation ($input: ${write.input}!) { ${write.name}(input: $input) { ${write.payload} } }`,
    { input: write.of(ids) },
  );
}

/** The mutation field is null, and every error under it names what was applied. */
function expectApplied(answer: RawResponse, write: Write, ids: string[], code: string) {
  expect(answer.data, answer.text).toEqual({ [write.name]: null });
  expect(answer.errors?.length, answer.text).toBeGreaterThan(0);
  for (const error of answer.errors ?? []) {
    expect(error.path?.[0]).toBe(write.name);
    expect(error.path?.at(-1)).toBe('events');
    expect(error.extensions).toMatchObject({ code, applied: { caseIds: ids } });
    expect(error.message).toContain(`${write.name} was applied to`);
  }
}

describe('a read after a case write fails upstream', () => {
  // No retries: each test fails at most two reads in a row, below the circuit breaker's threshold.
  const stack = useStack({ resetEach: true, env: { UPSTREAM_RETRIES: '0' } });

  for (const write of WRITES) {
    for (const count of write.bulk ? [1, 2] : [1]) {
      it(`${write.name} on ${count} case(s): the error names the applied case ids`, async () => {
        const ids = casesOf(stack, write.status, count);
        stack.sandbox.setFault({ upstream: 'coralogix', method: 'GET', path: EVENTS, status: 503 });
        const answer = await run(stack, write, ids);
        expectApplied(answer, write, ids, 'UPSTREAM_UNAVAILABLE');
        // The write was sent once and answered 200; then one events GET per case, which failed.
        const calls = stack.sandbox.requests('coralogix');
        expect(calls.filter((r) => r.status === 200).length).toBe(1);
        expect(calls.filter((r) => EVENTS.test(r.path)).length).toBe(ids.length);
      });
    }
  }

  it('the answer itself is whole when the reads succeed (no error, nothing restated)', async () => {
    const ids = casesOf(stack, 'ACTIVE', 2);
    const answer = await run(stack, WRITES[0]!, ids);
    expect(answer.errors, answer.text).toBeUndefined();
    expect((answer.data as { assignCases: { cases: unknown[] } }).assignCases.cases).toHaveLength(
      2,
    );
  });

  it('a write that fails itself names nothing applied', async () => {
    const ids = casesOf(stack, 'ACTIVE', 2);
    stack.sandbox.setFault({ upstream: 'coralogix', path: '/cases/assigned/v1', status: 503 });
    const answer = await run(stack, WRITES[0]!, ids);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(answer.errors?.[0]?.extensions?.applied).toBeUndefined();
  });
});
