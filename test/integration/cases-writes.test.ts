/**
 * Case writes through the gateway (DESIGN 5c), over real HTTP against the
 * Cases emulator: the exact upstream call of every write, the single-case
 * path for one id and the bulk path for several, the refusals made before any
 * call (malformed ids, bulk acknowledge without a user, lifecycle moves the
 * request already knows are impossible), the upstream's own refusals, and
 * answers that prime the case loader. What persisted is read from the
 * emulator itself.
 */
import { describe, expect, it } from 'vitest';
import { byStatus, caseRequests, liveCase, UNKNOWN_CASE } from '../support/cases.js';
import { useStack, type RawResponse } from '../support/stack.js';

const stack = useStack({ resetEach: true });

const USER = '0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10';
const active = (n: number) =>
  byStatus(stack.sandbox, 'ACTIVE')
    .slice(0, n)
    .map((r) => r.case.id);

/** Runs a mutation (the request log cleared first); answers the response and the Cases calls. */
async function run(query: string, variables: Record<string, unknown> = {}) {
  stack.sandbox.clearRequests();
  const answer = await stack.graphql<Record<string, unknown>>(query, variables);
  const calls = caseRequests(stack.sandbox).map((r) => ({
    method: r.method,
    path: r.path,
    ...(r.body === undefined ? {} : { body: r.body }),
    ...(Object.keys(r.query).length > 0 ? { query: r.query } : {}),
  }));
  return { answer, calls };
}

const ok = (answer: RawResponse<Record<string, unknown>>) => {
  expect(answer.errors, answer.text).toBeUndefined();
  return answer.data as Record<
    string,
    { cases?: Array<Record<string, unknown>>; case?: Record<string, unknown> }
  >;
};
const codeOf = (answer: RawResponse) => answer.errors?.[0]?.extensions?.code;

const PAYLOAD =
  'cases { id status assignee { id } priority priorityOverride resolution { reason } }';

describe('single-case path for one id, bulk path for several', () => {
  const cases: Array<{
    name: string;
    mutation: string;
    input: (ids: string[]) => Record<string, unknown>;
    single: (id: string) => object;
    bulk: (ids: string[]) => object;
  }> = [
    {
      name: 'assignCases',
      mutation: 'assignCases(input: $input)',
      input: (ids) => ({ caseIds: ids, userId: USER }),
      single: (id) => ({
        method: 'POST',
        path: `/cases/assigned/v1/${id}`,
        body: { assignee: { userId: USER } },
      }),
      bulk: (ids) => ({
        method: 'PUT',
        path: '/cases/assigned/v1',
        body: { ids, assignee: { userId: USER } },
      }),
    },
    {
      name: 'unassignCases',
      mutation: 'unassignCases(input: $input)',
      input: (ids) => ({ caseIds: ids }),
      single: (id) => ({ method: 'DELETE', path: `/cases/assigned/v1/${id}` }),
      bulk: (ids) => ({ method: 'DELETE', path: '/cases/assigned/v1', query: { ids } }),
    },
    {
      name: 'acknowledgeCases',
      mutation: 'acknowledgeCases(input: $input)',
      input: (ids) => ({ caseIds: ids, userId: USER }),
      single: (id) => ({ method: 'PUT', path: `/cases/acknowledged/v1/${id}` }),
      bulk: (ids) => ({
        method: 'POST',
        path: '/cases/acknowledged/v1',
        body: { ids, actor: { userId: USER } },
      }),
    },
    {
      name: 'resolveCases',
      mutation: 'resolveCases(input: $input)',
      input: (ids) => ({ caseIds: ids, reason: '  fixed the consumer  ' }),
      single: (id) => ({
        method: 'PUT',
        path: `/cases/resolved/v1/${id}`,
        body: { reason: 'fixed the consumer' },
      }),
      bulk: (ids) => ({
        method: 'POST',
        path: '/cases/resolved/v1',
        body: { ids, reason: 'fixed the consumer' },
      }),
    },
    {
      name: 'closeCases',
      mutation: 'closeCases(input: $input)',
      input: (ids) => ({ caseIds: ids }),
      single: (id) => ({ method: 'POST', path: `/cases/closed/v1/${id}` }),
      bulk: (ids) => ({ method: 'POST', path: '/cases/closed/v1', body: { ids } }),
    },
    {
      name: 'setCasePriority',
      mutation: 'setCasePriority(input: $input)',
      input: (ids) => ({ caseIds: ids, priority: 'P1' }),
      single: (id) => ({
        method: 'PUT',
        path: `/cases/priority-override/v1/${id}`,
        body: { priority: 'CASE_PRIORITY_P1' },
      }),
      bulk: (ids) => ({
        method: 'POST',
        path: '/cases/priority-override/v1',
        body: { ids, priority: 'CASE_PRIORITY_P1' },
      }),
    },
    {
      name: 'clearCasePriority',
      mutation: 'clearCasePriority(input: $input)',
      input: (ids) => ({ caseIds: ids }),
      single: (id) => ({ method: 'DELETE', path: `/cases/priority-override/v1/${id}` }),
      bulk: (ids) => ({ method: 'DELETE', path: '/cases/priority-override/v1', query: { ids } }),
    },
  ];

  const inputType: Record<string, string> = {
    assignCases: 'AssignCasesInput',
    unassignCases: 'CaseIdsInput',
    acknowledgeCases: 'AcknowledgeCasesInput',
    resolveCases: 'ResolveCasesInput',
    closeCases: 'CaseIdsInput',
    setCasePriority: 'SetCasePriorityInput',
    clearCasePriority: 'CaseIdsInput',
  };

  for (const write of cases) {
    it(`${write.name}: one call, answered with the cases as Coralogix has them, no GET after`, async () => {
      const query = `mutation ($input: ${inputType[write.name]}!) { ${write.mutation} { ${PAYLOAD} } }`;
      const [one, ...several] = active(4);
      const single = await run(query, { input: write.input([one!]) });
      expect(single.calls).toEqual([write.single(one!)]);
      const bulk = await run(query, { input: write.input(several) });
      expect(bulk.calls).toEqual([write.bulk(several)]);
      const answered = ok(bulk.answer)[write.name]!.cases!;
      expect(answered.map((c) => c.id)).toEqual(several);
      for (const item of answered) {
        const live = await liveCase(stack.sandbox, item.id as string);
        expect(item.status).toBe(live.status.replace('CASE_STATUS_', ''));
        expect(item.assignee).toEqual(live.assignee ? { id: live.assignee.userId } : null);
      }
    });
  }

  it('takes readable ids in the path and the bulk ids as given', async () => {
    const [a, b] = byStatus(stack.sandbox, 'ACTIVE')
      .slice(0, 2)
      .map((r) => r.case.readableId!);
    const { calls, answer } = await run(
      `mutation ($a: [ID!]!, $b: [ID!]!) {
        one: closeCases(input: { caseIds: $a }) { cases { readableId status } }
        two: setCasePriority(input: { caseIds: $b, priority: P2 }) { cases { readableId priority } } }`,
      { a: [a], b: [a, b] },
    );
    expect(ok(answer)).toEqual({
      one: { cases: [{ readableId: a, status: 'CLOSED' }] },
      two: {
        cases: [
          { readableId: a, priority: 'P2' },
          { readableId: b, priority: 'P2' },
        ],
      },
    });
    expect(calls).toEqual([
      { method: 'POST', path: `/cases/closed/v1/${a}` },
      {
        method: 'POST',
        path: '/cases/priority-override/v1',
        body: { ids: [a, b], priority: 'CASE_PRIORITY_P2' },
      },
    ]);
  });

  it("primes the case loader: the answer's cases need no GET, only their events", async () => {
    const { calls, answer } = await run(
      `mutation ($id: ID!) { unacknowledgeCase(input: { caseId: $id }) { case { id status events { kind } } } }`,
      { id: byStatus(stack.sandbox, 'ACKNOWLEDGED')[0]!.case.id },
    );
    const result = ok(answer).unacknowledgeCase!.case!;
    expect(result.status).toBe('ACTIVE');
    expect((result.events as Array<{ kind: string }>).at(-1)?.kind).toBe('STATUS_CHANGED');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `DELETE /cases/acknowledged/v1/${result.id}`,
      `GET /cases/cases/v1/${result.id}/events`,
    ]);
  });
});

describe('refused before any call', () => {
  const refusals: Array<[string, string, Record<string, unknown>]> = [
    [
      'a malformed id',
      'closeCases(input: { caseIds: $ids }) { cases { id } }',
      { ids: ['case-1'] },
    ],
    ['no id', 'closeCases(input: { caseIds: $ids }) { cases { id } }', { ids: [] }],
    [
      'a repeated id',
      'closeCases(input: { caseIds: $ids }) { cases { id } }',
      { ids: ['CASE-1', 'CASE-1'] },
    ],
    [
      'more than 1000 ids',
      'closeCases(input: { caseIds: $ids }) { cases { id } }',
      { ids: Array.from({ length: 1001 }, (_, i) => `CASE-${i + 1}`) },
    ],
    [
      'a bulk acknowledge without userId',
      'acknowledgeCases(input: { caseIds: $ids }) { cases { id } }',
      { ids: ['CASE-1', 'CASE-2'] },
    ],
    [
      'an UNSPECIFIED priority',
      'setCasePriority(input: { caseIds: $ids, priority: UNSPECIFIED }) { cases { id } }',
      { ids: ['CASE-1'] },
    ],
    [
      'a reason over 500 characters for one case',
      `resolveCases(input: { caseIds: $ids, reason: "${'x'.repeat(501)}" }) { cases { id } }`,
      { ids: ['CASE-1'] },
    ],
    [
      'a blank comment',
      'addCaseComment(input: { caseId: "CASE-1", text: "   " }) { id } x: closeCases(input: { caseIds: $ids }) { cases { id } }',
      { ids: ['bad id'] },
    ],
  ];

  it.each(refusals)('%s is BAD_USER_INPUT', async (_, field, variables) => {
    const { answer, calls } = await run(`mutation ($ids: [ID!]!) { ${field} }`, variables);
    expect(codeOf(answer), answer.text).toBe('BAD_USER_INPUT');
    expect(calls).toEqual([]);
  });

  it('updateCase with nothing to change, or a title over 512 characters, is BAD_USER_INPUT', async () => {
    for (const input of [{ caseId: 'CASE-1' }, { caseId: 'CASE-1', title: 'y'.repeat(513) }]) {
      const { answer, calls } = await run(
        'mutation ($input: UpdateCaseInput!) { updateCase(input: $input) { case { id } } }',
        { input },
      );
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      expect(calls).toEqual([]);
    }
  });

  it('a lifecycle move the request has seen to be impossible: refused before its call', async () => {
    const [id] = active(1);
    const { answer, calls } = await run(
      `mutation ($ids: [ID!]!) {
        a: resolveCases(input: { caseIds: $ids }) { cases { status } }
        b: acknowledgeCases(input: { caseIds: $ids }) { cases { status } }
        c: closeCases(input: { caseIds: $ids }) { cases { status } }
        d: resolveCases(input: { caseIds: $ids }) { cases { status } }
      }`,
      { ids: [id] },
    );
    expect(answer.data).toEqual({
      a: { cases: [{ status: 'RESOLVED' }] },
      b: null,
      c: { cases: [{ status: 'CLOSED' }] },
      d: null,
    });
    expect(answer.errors?.map((e) => [e.path?.[0], e.extensions?.code])).toEqual([
      ['b', 'BAD_USER_INPUT'],
      ['d', 'BAD_USER_INPUT'],
    ]);
    expect(answer.errors?.[0]?.message).toMatch(/resolved case can only be closed/);
    expect(answer.errors?.[1]?.message).toMatch(/closed case is final/);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `PUT /cases/resolved/v1/${id}`,
      `POST /cases/closed/v1/${id}`,
    ]);
  });
});

describe('refused by Coralogix', () => {
  it('a lifecycle move the gateway could not see: one call, UPSTREAM_BAD_REQUEST saying why, nothing changed', async () => {
    const resolved = byStatus(stack.sandbox, 'RESOLVED')[0]!.case;
    const { answer, calls } = await run(
      'mutation ($ids: [ID!]!) { acknowledgeCases(input: { caseIds: $ids }) { cases { id } } }',
      { ids: [resolved.id] },
    );
    expect(calls).toHaveLength(1);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_BAD_REQUEST',
      upstream: 'coralogix',
      lifecycle: true,
    });
    expect(answer.errors?.[0]?.message).toMatch(/refused to acknowledge/);
    expect(answer.errors?.[0]?.message).toMatch(/can only be closed/);
    expect((await liveCase(stack.sandbox, resolved.id)).status).toBe('CASE_STATUS_RESOLVED');
  });

  it('a bulk write naming an unknown case: NOT_FOUND, nothing applied to the others', async () => {
    const [id] = active(1);
    const { answer, calls } = await run(
      'mutation ($ids: [ID!]!) { closeCases(input: { caseIds: $ids }) { cases { id } } }',
      { ids: [id, UNKNOWN_CASE] },
    );
    expect(calls).toHaveLength(1);
    expect(codeOf(answer)).toBe('NOT_FOUND');
    expect((await liveCase(stack.sandbox, id!)).status).toBe('CASE_STATUS_ACTIVE');
  });

  it('a key without case:Assign: UPSTREAM_FORBIDDEN naming it; the other mutation field still answers', async () => {
    stack.sandbox.setFault({
      upstream: 'coralogix',
      path: '/cases/assigned/',
      status: 403,
      body: { code: 403, message: 'Forbidden' },
    });
    const [a, b] = active(2);
    const { answer } = await run(
      `mutation ($a: [ID!]!, $b: [ID!]!, $user: ID!) {
        x: assignCases(input: { caseIds: $a, userId: $user }) { cases { id } }
        y: closeCases(input: { caseIds: $b }) { cases { id status } } }`,
      { a: [a], b: [b], user: USER },
    );
    expect(answer.data).toEqual({ x: null, y: { cases: [{ id: b, status: 'CLOSED' }] } });
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_FORBIDDEN',
      permission: 'case:Assign',
    });
    expect(answer.errors?.[0]?.message).toContain('case:Assign');
  });
});

describe('updateCase and comments', () => {
  it('updateCase: PUT /cases/cases/v1/{id} with the trimmed values', async () => {
    const resolved = byStatus(stack.sandbox, 'RESOLVED')[0]!.case;
    const { answer, calls } = await run(
      'mutation ($input: UpdateCaseInput!) { updateCase(input: $input) { case { title resolution { reason } } } }',
      {
        input: {
          caseId: resolved.id,
          title: ' New title ',
          resolutionReason: ' Root cause found ',
        },
      },
    );
    expect(ok(answer).updateCase!.case).toEqual({
      title: 'New title',
      resolution: { reason: 'Root cause found' },
    });
    expect(calls).toEqual([
      {
        method: 'PUT',
        path: `/cases/cases/v1/${resolved.id}`,
        body: { title: 'New title', resolutionReason: 'Root cause found' },
      },
    ]);
  });

  it('adds, edits and deletes a comment, each with its one call; the events show it', async () => {
    const [id] = active(1);
    const added = await run(
      'mutation ($id: ID!) { addCaseComment(input: { caseId: $id, text: " on it " }) { id kind text actor { kind user { id } } } }',
      { id },
    );
    const event = ok(added.answer).addCaseComment as unknown as {
      id: string;
      kind: string;
      text: string;
    };
    expect(event).toMatchObject({ kind: 'COMMENT', text: 'on it', actor: { kind: 'USER' } });
    expect(added.calls).toEqual([
      { method: 'POST', path: `/cases/cases/v1/${id}/comments`, body: { text: 'on it' } },
    ]);

    const edited = await run(
      'mutation ($e: ID!) { updateCaseComment(input: { eventId: $e, text: "done" }) { id text editedAt } }',
      { e: event.id },
    );
    expect(ok(edited.answer).updateCaseComment).toMatchObject({ id: event.id, text: 'done' });
    expect(edited.calls).toEqual([
      { method: 'PUT', path: `/cases/events/v1/${event.id}/comments`, body: { text: 'done' } },
    ]);

    const listed = await run('query ($id: ID!) { case(id: $id) { events { id text } } }', { id });
    expect((ok(listed.answer).case as unknown as { events: unknown[] }).events).toContainEqual({
      id: event.id,
      text: 'done',
    });

    const deleted = await run(
      'mutation ($e: ID!) { deleteCaseComment(input: { eventId: $e }) { id } }',
      {
        e: event.id,
      },
    );
    expect(ok(deleted.answer).deleteCaseComment).toEqual({ id: event.id });
    expect(deleted.calls).toEqual([
      { method: 'DELETE', path: `/cases/events/v1/${event.id}/comments` },
    ]);
    const again = await run(
      'mutation ($e: ID!) { deleteCaseComment(input: { eventId: $e }) { id } }',
      {
        e: event.id,
      },
    );
    expect(codeOf(again.answer)).toBe('NOT_FOUND');
  });
});
