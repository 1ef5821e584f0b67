/**
 * Link writes that race (DESIGN 5a, issue #22 items 4, 5 and 9), over real
 * HTTP against the emulators: concurrent `linkIncident` / `ensureOneUptimeIncident`
 * calls leave exactly one link and every success answer describes it; a create
 * whose answer is lost is found instead of repeated; an unlink that stops half
 * way says what it applied and the link cache follows; a custom-field edit made
 * elsewhere while a link write runs is kept.
 *
 * What persisted is read from the emulator itself, never through the gateway.
 * Every test runs for both link families (incidents and cases: one link
 * machine, one lock), described in test/support/linkFamilies.ts.
 */
import { describe, expect, it } from 'vitest';
import { liveClaimants, liveRow } from '../support/links.js';
import {
  LINK_FAMILIES,
  type LinkAnswer,
  type LinkFamilyUnderTest,
} from '../support/linkFamilies.js';
import { oneUptime } from '../support/oneuptime.js';
import { useStack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const codeOf = (answer: LinkAnswer) => answer.errors?.[0]?.extensions?.code;

/**
 * Every answer is a success that describes the persisted link (Coralogix
 * `coralogixId` ↔ OneUptime `oneUptimeId`) or CONFLICT with nothing in `data`.
 */
function expectEveryAnswerTrue(
  family: LinkFamilyUnderTest,
  answers: LinkAnswer[],
  coralogixId: string,
  oneUptimeId: string,
) {
  let successes = 0;
  for (const answer of answers) {
    const payload = family.payloadOf(answer);
    if (answer.errors) {
      expect(codeOf(answer), answer.text).toBe('CONFLICT');
      expect(payload).toBeNull();
      continue;
    }
    successes += 1;
    expect(payload?.record.id, answer.text).toBe(coralogixId);
    expect(payload?.oneUptimeIncident?.id, answer.text).toBe(oneUptimeId);
    expect(payload?.oneUptimeIncident?.customFields?.[family.field]).toBe(coralogixId);
  }
  expect(successes).toBeGreaterThan(0);
}

describe.each(LINK_FAMILIES)('concurrent $name link writes through one gateway', (family) => {
  const stack = useStack({ env: { LINK_CACHE_TTL_MS: '60000' }, resetEach: true });
  const links = () => family.links(stack.sandbox.seed);
  /** OneUptime incidents that name no Coralogix record of either family. */
  const freeOneUptime = () =>
    stack.sandbox.seed.oneUptimeIncidents.filter(
      (row) => !LINK_FAMILIES.some((f) => f.links(stack.sandbox.seed).namedBy(row._id)),
    );
  const claimantsOf = (id: string) => liveClaimants(stack.sandbox, id, family.field);

  it('20 link(C, O_k) over 5 OneUptime incidents: one link persists, the rest CONFLICT', async () => {
    const record = links().unlinked[0]!;
    const targets = freeOneUptime().slice(0, 5);
    expect(targets).toHaveLength(5);
    // Slow answers: without a lock every call reads "not linked" before any writes.
    stack.sandbox.setLatency(20);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, k) => family.link(stack, record.id, targets[k % 5]!._id)),
    );
    stack.sandbox.setLatency(0);
    const claimants = await claimantsOf(record.id);
    expect(claimants).toHaveLength(1);
    expectEveryAnswerTrue(family, answers, record.id, claimants[0]!._id);
    expect((await stack.graphql(family.linkStatus, { id: record.id })).data).toEqual({
      record: { linkStatus: 'LINKED', oneUptimeIncident: { id: claimants[0]!._id } },
    });
  });

  it('20 link(C_k, O) over 10 Coralogix records and one OneUptime incident: one link persists', async () => {
    const records = links().unlinked.slice(0, 10);
    const target = freeOneUptime()[0]!;
    stack.sandbox.setLatency(20);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, k) => family.link(stack, records[k % 10]!.id, target._id)),
    );
    stack.sandbox.setLatency(0);
    const winner = (await liveRow(stack.sandbox, target._id)).customFields?.[family.field];
    expect(records.map((r) => r.id)).toContain(winner);
    for (const record of records) {
      const claimants = await claimantsOf(record.id);
      expect(claimants.map((row) => row._id)).toEqual(record.id === winner ? [target._id] : []);
    }
    const success = answers.filter((answer) => !answer.errors);
    expect(success.every((answer) => family.payloadOf(answer)?.record.id === winner)).toBe(true);
    expectEveryAnswerTrue(family, answers, String(winner), target._id);
  });

  it('ensure racing link on one id: one link persists and both answers agree', async () => {
    const record = links().unlinked[1]!;
    const target = freeOneUptime()[1]!;
    stack.sandbox.setLatency(30);
    const answers = await Promise.all([
      family.ensure(stack, record.id),
      family.link(stack, record.id, target._id),
    ]);
    stack.sandbox.setLatency(0);
    const claimants = await claimantsOf(record.id);
    expect(claimants).toHaveLength(1);
    expectEveryAnswerTrue(family, answers, record.id, claimants[0]!._id);
    const [ensured, linked] = answers;
    // Either the create came first (the link is CONFLICT) or the link did (nothing created).
    if (family.payloadOf(ensured!)?.created) expect(codeOf(linked!)).toBe('CONFLICT');
    else expect(claimants[0]!._id).toBe(target._id);
  });

  it('keeps a custom field written elsewhere while the link write was checking', async () => {
    const record = links().unlinked[2]!;
    const target = freeOneUptime().find((row) => row.customFields?.team)!;
    expect(target, 'a free OneUptime incident with other custom fields').toBeDefined();
    // The Coralogix read is slow: the write's checks take that long.
    // Long enough for the edit below to land inside it even on a loaded CI machine.
    stack.sandbox.setFault({ upstream: 'coralogix', latencyMs: 1_500, times: 1 });
    stack.sandbox.clearRequests();
    const pending = family.link(stack, record.id, target._id);
    await waitFor('the checks to be under way', () => {
      const oneuptime = stack.sandbox.requests('oneuptime');
      return (
        stack.sandbox.requests('coralogix').length > 0 &&
        oneuptime.length > 0 &&
        oneuptime.every((r) => r.status !== undefined)
      );
    });
    // Meanwhile someone edits the incident's custom fields in OneUptime.
    const edit = await oneUptime(stack.sandbox, `/api/incident/${target._id}`, 'PUT', {
      data: { customFields: { ...target.customFields, owner: 'payments' } },
    });
    expect(edit.status).toBe(200);
    const answer = await pending;
    expect(answer.errors, answer.text).toBeUndefined();
    const expected = { ...target.customFields, owner: 'payments', [family.field]: record.id };
    expect((await liveRow(stack.sandbox, target._id)).customFields).toEqual(expected);
    expect(family.payloadOf(answer)?.oneUptimeIncident?.customFields).toEqual(expected);
  });

  it('an unlink whose second PUT fails says what it applied, and the cache follows', async () => {
    const conflicted = links().conflicted[0]!;
    const [first, second] = links().claimants(conflicted.id);
    expect(second, 'a Coralogix record claimed twice').toBeDefined();
    // The cache holds the conflict before the write.
    expect((await stack.graphql(family.linkStatus, { id: conflicted.id })).data).toMatchObject({
      record: { linkStatus: 'CONFLICT' },
    });
    stack.sandbox.setFault({
      upstream: 'oneuptime',
      method: 'PUT',
      path: `/api/incident/${second}`,
      status: 503,
      body: { error: 'Service Unavailable' },
    });
    const answer = await family.unlink(stack, conflicted.id);
    expect(codeOf(answer), answer.text).toBe('UPSTREAM_UNAVAILABLE');
    const error = answer.errors![0]!;
    expect(error.extensions).toMatchObject({
      upstream: 'oneuptime',
      oneUptimeIncidentId: second,
      applied: { unlinkedOneUptimeIncidentIds: [first] },
    });
    expect(error.message).toContain(first);
    expect(error.message).toContain(second);
    expect((await claimantsOf(conflicted.id)).map((row) => row._id)).toEqual([second]);
    // The cache no longer serves the conflict: the remaining claimant is the link.
    expect((await stack.graphql(family.linkStatus, { id: conflicted.id })).data).toEqual({
      record: { linkStatus: 'LINKED', oneUptimeIncident: { id: second } },
    });
  });

  it('an unlink of several claimants lists every one it unlinked', async () => {
    const conflicted = links().conflicted[0]!;
    const claimants = links().claimants(conflicted.id);
    const answer = await family.unlink(stack, conflicted.id);
    expect(answer.errors, answer.text).toBeUndefined();
    expect(family.payloadOf(answer)?.unlinked?.map((row) => row.id)).toEqual(claimants);
    expect(await claimantsOf(conflicted.id)).toEqual([]);
  });
});

describe.each(LINK_FAMILIES)(
  'ensure for a $name whose create outlives UPSTREAM_TIMEOUT_MS',
  (family) => {
    const TIMEOUT_MS = 1_000;
    const stack = useStack({ env: { UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) }, resetEach: true });

    it('finds the incident the lost create made, and a second ensure creates none', async () => {
      const record = family.links(stack.sandbox.seed).unlinked[3]!;
      // The create lands, but only after the gateway stopped waiting for its answer.
      stack.sandbox.setFault({
        upstream: 'oneuptime',
        method: 'POST',
        path: /^\/api\/incident$/,
        latencyMs: TIMEOUT_MS * 2,
        times: 1,
      });
      stack.sandbox.clearRequests();
      const creates = () =>
        stack.sandbox
          .requests('oneuptime')
          .filter((r) => r.method === 'POST' && r.path === '/api/incident');
      const first = family.ensure(stack, record.id);
      await waitFor('the first create to be sent', () => creates().length === 1);
      const second = family.ensure(stack, record.id);
      const answers = await Promise.all([first, second]);
      await waitFor('every create to be answered', () =>
        creates().every((r) => r.status !== undefined),
      );

      const claimants = await liveClaimants(stack.sandbox, record.id, family.field);
      expect(claimants).toHaveLength(1);
      expect(creates()).toHaveLength(1);
      for (const answer of answers) {
        expect(answer.errors, answer.text).toBeUndefined();
        expect(family.payloadOf(answer)?.oneUptimeIncident?.id).toBe(claimants[0]!._id);
      }
      expect(answers.map((a) => family.payloadOf(a)?.created)).toEqual([true, false]);
    });
  },
);

describe.each(LINK_FAMILIES)('ensure for a $name whose create answer cannot be read', (family) => {
  const stack = useStack({ resetEach: true });

  it('reports the incident the accepted create made, and sends no second create', async () => {
    const record = family.links(stack.sandbox.seed).unlinked[4]!;
    // OneUptime applies the create and answers 200, but with a body cut in half.
    stack.sandbox.setFault({
      upstream: 'oneuptime',
      method: 'POST',
      path: /^\/api\/incident$/,
      malformed: true,
      times: 1,
    });
    stack.sandbox.clearRequests();
    const answer = await family.ensure(stack, record.id);
    const claimants = await liveClaimants(stack.sandbox, record.id, family.field);
    expect(claimants).toHaveLength(1);
    expect(answer.errors, answer.text).toBeUndefined();
    expect(family.payloadOf(answer)?.oneUptimeIncident?.id).toBe(claimants[0]!._id);
    expect(family.payloadOf(answer)?.created).toBe(true);
    const creates = stack.sandbox
      .requests('oneuptime')
      .filter((r) => r.method === 'POST' && r.path === '/api/incident');
    expect(creates).toHaveLength(1);
  });
});
