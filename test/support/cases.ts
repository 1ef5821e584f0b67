/**
 * Talking to the sandbox's Coralogix Cases emulator directly, as its contract
 * tests do (requests through `cx`, test/support/coralogix.ts): the facade's
 * error body checked, seeded cases by kind, and the Cases calls recorded.
 */
import { expect } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { CaseRecord } from '../../src/sandbox/coralogix/cases/store.js';
import type { CoralogixErrorBody } from '../../src/upstreams/coralogix/cases/types.js';
import { CORALOGIX_BASE, cx, type Reply } from './coralogix.js';

/** The facade's error body: `{code: <the HTTP status>, message}` (S1 `Error`). */
export function expectCxError(reply: Reply<unknown>, status: number, message?: RegExp): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  const body = reply.body as CoralogixErrorBody;
  expect(body.code).toBe(status);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  if (message) expect(body.message).toMatch(message);
}

/** The seeded case records matching `test`, at least one. */
export function seededCases(target: Sandbox, test: (record: CaseRecord) => boolean): CaseRecord[] {
  const found = target.seed.cases.filter(test);
  if (found.length === 0) throw new Error('the seed has no case of the wanted kind');
  return found;
}

export const byStatus = (target: Sandbox, status: string) =>
  seededCases(target, (r) => r.case.status === `CASE_STATUS_${status}`);

export const UNKNOWN_CASE = '00000000-0000-4000-8000-000000000000';

/** The Cases API calls the emulator received, as `METHOD /cases/…` lines (after the base). */
export const caseCalls = (target: Sandbox): string[] =>
  target
    .requests('coralogix')
    .filter((r) => r.path.startsWith(`${CORALOGIX_BASE}/cases/`))
    .map((r) => `${r.method} ${r.path.slice(CORALOGIX_BASE.length)}`);

/** The recorded Cases API requests (path after the base), with their bodies and queries. */
export const caseRequests = (target: Sandbox) =>
  target
    .requests('coralogix')
    .filter((r) => r.path.startsWith(`${CORALOGIX_BASE}/cases/`))
    .map((r) => ({ ...r, path: r.path.slice(CORALOGIX_BASE.length) }));

/** A case as the emulator has it now (read straight from it, never through the gateway). */
export async function liveCase(target: Sandbox, id: string) {
  const reply = await cx<{ case: CaseRecord['case'] & { duration?: string } }>(
    target,
    'GET',
    `/cases/cases/v1/${id}`,
  );
  expect(reply.status).toBe(200);
  return reply.body.case;
}
