/**
 * A bulk case write whose answer leaves some of the cases it named out is not
 * a success: the mutation's error names the ids left out
 * (`extensions.leftOutCaseIds`) and the ones answered as applied
 * (`extensions.applied.caseIds`). The spec's bulk answers are only `{cases}`
 * and whether Coralogix ever leaves a case out is unconfirmed (the emulator
 * applies all or none), so a real node:http server in front of the Cases
 * emulator drops the last case of each bulk answer.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { byStatus, liveCase } from '../support/cases.js';
import { startUpstream, type FakeUpstream } from '../support/fakeUpstream.js';
import { startStack, type Stack } from '../support/stack.js';

const USER = '0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10';
/** The bulk writes' paths (no id after `v1`), whose answers lose their last case. */
const BULK = /\/cases\/(assigned|acknowledged|resolved|closed|priority-override)\/v1(\?|$)/;

let sandbox: Sandbox;
let front: FakeUpstream;
let stack: Stack;

/** Forwards to the emulator as it is, except that a bulk answer drops its last case. */
async function forward(req: IncomingMessage, body: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  const base = new URL(sandbox.coralogix.url).origin;
  const answer = await fetch(`${base}${req.url ?? ''}`, {
    method: req.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
  });
  let text = await answer.text();
  if (answer.ok && BULK.test(req.url ?? '')) {
    const parsed = JSON.parse(text) as { cases: unknown[] };
    text = JSON.stringify({ ...parsed, cases: parsed.cases.slice(0, -1) });
  }
  return { status: answer.status, text };
}

beforeAll(async () => {
  sandbox = await startSandbox();
  front = await startUpstream((req, res, index) => {
    void forward(req, front.received[index]!.body).then(({ status, text }) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  const path = new URL(sandbox.coralogix.url).pathname;
  stack = await startStack({ over: sandbox, env: { CORALOGIX_API_URL: `${front.url}${path}` } });
});

afterAll(async () => {
  await stack?.stop();
  await front?.close();
  await sandbox?.stop();
});

describe('a bulk case write answered without some of its cases', () => {
  it('is an error naming the ids left out, and the answered ones as applied', async () => {
    const ids = byStatus(sandbox, 'ACTIVE')
      .slice(0, 3)
      .map((r) => r.case.id);
    const answer = await stack.graphql(
      'mutation ($input: AssignCasesInput!) { assignCases(input: $input) { cases { id } } }',
      { input: { caseIds: ids, userId: USER } },
    );
    expect(answer.data, answer.text).toEqual({ assignCases: null });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]).toMatchObject({
      path: ['assignCases'],
      extensions: {
        code: 'UPSTREAM_BAD_RESPONSE',
        upstream: 'coralogix',
        leftOutCaseIds: [ids[2]],
        applied: { caseIds: [ids[0], ids[1]] },
      },
    });
    expect(answer.errors?.[0]?.message).toContain(`without case "${ids[2]}"`);
    // One bulk call, never retried or split.
    expect(front.received.filter((r) => BULK.test(r.url))).toHaveLength(1);
    // What the answer named was written.
    for (const id of ids.slice(0, 2)) {
      expect((await liveCase(sandbox, id)).assignee?.userId).toBe(USER);
    }
  });

  it('names readable ids as the client gave them', async () => {
    const ids = byStatus(sandbox, 'ACTIVE')
      .slice(3, 5)
      .map((r) => r.case.readableId!);
    const answer = await stack.graphql(
      'mutation ($ids: [ID!]!) { closeCases(input: { caseIds: $ids }) { cases { id } } }',
      { ids },
    );
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      leftOutCaseIds: [ids[1]],
      applied: { caseIds: [ids[0]] },
    });
  });

  it('one case takes the single-case call and answers as before', async () => {
    const [id] = byStatus(sandbox, 'ACTIVE')
      .slice(5, 6)
      .map((r) => r.case.id);
    const answer = await stack.graphql(
      'mutation ($ids: [ID!]!) { closeCases(input: { caseIds: $ids }) { cases { id status } } }',
      { ids: [id] },
    );
    expect(answer.errors, answer.text).toBeUndefined();
    expect(answer.data).toEqual({ closeCases: { cases: [{ id, status: 'CLOSED' }] } });
  });
});
