/**
 * OneUptime query operators where `QueryHelper.ts` (OneUptime ab6f409) lets
 * NULL rows through or trims the text: `NotContains` is `NOT ILIKE … OR IS
 * NULL`, the ILIKE helpers trim their text, and `IncludesNone` of an empty
 * list is `TRUE = TRUE`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { type Json, oneUptime } from '../support/oneuptime.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

const count = async (resource: string, query: Json) => {
  const reply = await oneUptime<{ count: number }>(sandbox, `/api/${resource}/count`, 'POST', {
    query,
  });
  expect(reply.status).toBe(200);
  return reply.body.count;
};
const TIMELINE = 'incident-state-timeline';

describe('OneUptime emulator: NULL-aware and trimmed query operators', () => {
  it('lets rows with a NULL column through NotContains', async () => {
    const all = await count(TIMELINE, {});
    expect(await count(TIMELINE, { rootCause: null })).toBeGreaterThan(0);
    expect(await count(TIMELINE, { rootCause: { _type: 'NotContains', value: 'zz-none' } })).toBe(
      all,
    );
  });

  it('trims the text of Search', async () => {
    const title = sandbox.seed.oneUptimeIncidents[0]!.title!;
    const exact = await count('incident', { title: { _type: 'Search', value: title } });
    expect(exact).toBeGreaterThan(0);
    expect(await count('incident', { title: { _type: 'Search', value: `  ${title}  ` } })).toBe(
      exact,
    );
  });

  it('matches every row, NULL ones included, with IncludesNone of an empty list', async () => {
    const all = await count(TIMELINE, {});
    expect(await count(TIMELINE, { rootCause: { _type: 'IncludesNone', value: [] } })).toBe(all);
  });
});
