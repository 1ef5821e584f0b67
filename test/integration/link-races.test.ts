/**
 * Link writes that race (DESIGN 5a, issue #22 items 4, 5 and 9), over real
 * HTTP against the emulators: concurrent `linkIncident` / `ensureOneUptimeIncident`
 * calls leave exactly one link and every success answer describes it; a create
 * whose answer is lost is found instead of repeated; an unlink that stops half
 * way says what it applied and the link cache follows; a custom-field edit made
 * elsewhere while a link write runs is kept.
 *
 * What persisted is read from the emulator itself, never through the gateway.
 */
import { describe, expect, it } from 'vitest';
import { LINK_FIELD } from '../../src/sandbox/seed.js';
import { liveClaimants, liveRow, seedLinks } from '../support/links.js';
import { oneUptime } from '../support/oneuptime.js';
import { useStack, type RawResponse, type Stack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

interface LinkPayload {
  incident: { id: string };
  oneUptimeIncident: { id: string; customFields: Record<string, unknown> | null } | null;
  created: boolean;
}
type Answer = RawResponse<Record<string, LinkPayload | null>>;

const PAYLOAD = 'incident { id } oneUptimeIncident { id customFields } created';
const LINK = `mutation ($i: LinkIncidentInput!) { linkIncident(input: $i) { ${PAYLOAD} } }`;
const UNLINK = `mutation ($i: UnlinkIncidentInput!) { unlinkIncident(input: $i) {
  ${PAYLOAD} unlinked { id } } }`;
const ENSURE = `mutation ($i: EnsureOneUptimeIncidentInput!) {
  ensureOneUptimeIncident(input: $i) { ${PAYLOAD} } }`;
const LINK_STATUS =
  'query ($id: ID!) { incident(id: $id) { linkStatus oneUptimeIncident { id } } }';

const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code;

const link = (stack: Stack, coralogixId: string, oneUptimeId: string) =>
  stack.graphql(LINK, {
    i: { incidentId: coralogixId, oneUptimeIncidentId: oneUptimeId },
  }) as Promise<Answer>;
const ensure = (stack: Stack, coralogixId: string) =>
  stack.graphql(ENSURE, { i: { incidentId: coralogixId } }) as Promise<Answer>;

/**
 * Every answer is a success that describes the persisted link (Coralogix
 * `coralogixId` ↔ OneUptime `oneUptimeId`) or CONFLICT with nothing in `data`.
 */
function expectEveryAnswerTrue(answers: Answer[], coralogixId: string, oneUptimeId: string) {
  let successes = 0;
  for (const answer of answers) {
    const payload = Object.values(answer.data ?? {})[0] ?? null;
    if (answer.errors) {
      expect(codeOf(answer), answer.text).toBe('CONFLICT');
      expect(payload).toBeNull();
      continue;
    }
    successes += 1;
    expect(payload?.incident.id, answer.text).toBe(coralogixId);
    expect(payload?.oneUptimeIncident?.id, answer.text).toBe(oneUptimeId);
    expect(payload?.oneUptimeIncident?.customFields?.[LINK_FIELD]).toBe(coralogixId);
  }
  expect(successes).toBeGreaterThan(0);
}

describe('concurrent link writes through one gateway', () => {
  const stack = useStack({ env: { LINK_CACHE_TTL_MS: '60000' }, resetEach: true });
  const links = () => seedLinks(stack.sandbox.seed);
  /** OneUptime incidents that name no Coralogix incident. */
  const freeOneUptime = () =>
    stack.sandbox.seed.oneUptimeIncidents.filter((row) => !links().namedBy(row._id));

  it('20 linkIncident(C, O_k) over 5 OneUptime incidents: one link persists, the rest CONFLICT', async () => {
    const incident = links().unlinked[0]!;
    const targets = freeOneUptime().slice(0, 5);
    expect(targets).toHaveLength(5);
    // Slow answers: without a lock every call reads "not linked" before any writes.
    stack.sandbox.setLatency(20);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, k) => link(stack, incident.id, targets[k % 5]!._id)),
    );
    stack.sandbox.setLatency(0);
    const claimants = await liveClaimants(stack.sandbox, incident.id);
    expect(claimants).toHaveLength(1);
    expectEveryAnswerTrue(answers, incident.id, claimants[0]!._id);
    expect((await stack.graphql(LINK_STATUS, { id: incident.id })).data).toEqual({
      incident: { linkStatus: 'LINKED', oneUptimeIncident: { id: claimants[0]!._id } },
    });
  });

  it('20 linkIncident(C_k, O) over 10 Coralogix incidents and one OneUptime incident: one link persists', async () => {
    const incidents = links().unlinked.slice(0, 10);
    const target = freeOneUptime()[0]!;
    stack.sandbox.setLatency(20);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, k) => link(stack, incidents[k % 10]!.id, target._id)),
    );
    stack.sandbox.setLatency(0);
    const winner = (await liveRow(stack.sandbox, target._id)).customFields?.[LINK_FIELD];
    expect(incidents.map((i) => i.id)).toContain(winner);
    for (const incident of incidents) {
      const claimants = await liveClaimants(stack.sandbox, incident.id);
      expect(claimants.map((row) => row._id)).toEqual(incident.id === winner ? [target._id] : []);
    }
    const success = answers.filter((answer) => !answer.errors);
    expect(success.every((answer) => answer.data?.linkIncident?.incident.id === winner)).toBe(true);
    expectEveryAnswerTrue(answers, String(winner), target._id);
  });

  it('ensureOneUptimeIncident racing linkIncident on one id: one link persists and both answers agree', async () => {
    const incident = links().unlinked[1]!;
    const target = freeOneUptime()[1]!;
    stack.sandbox.setLatency(30);
    const answers = await Promise.all([
      ensure(stack, incident.id),
      link(stack, incident.id, target._id),
    ]);
    stack.sandbox.setLatency(0);
    const claimants = await liveClaimants(stack.sandbox, incident.id);
    expect(claimants).toHaveLength(1);
    expectEveryAnswerTrue(answers, incident.id, claimants[0]!._id);
    const [ensured, linked] = answers;
    // Either the create came first (the link is CONFLICT) or the link did (nothing created).
    if (ensured!.data?.ensureOneUptimeIncident?.created) expect(codeOf(linked!)).toBe('CONFLICT');
    else expect(claimants[0]!._id).toBe(target._id);
  });

  it('keeps a custom field written elsewhere while the link write was checking', async () => {
    const incident = links().unlinked[2]!;
    const target = freeOneUptime().find((row) => row.customFields?.team)!;
    expect(target, 'a free OneUptime incident with other custom fields').toBeDefined();
    // The Coralogix read is slow: the write's checks take that long.
    stack.sandbox.setFault({ upstream: 'coralogix', latencyMs: 400, times: 1 });
    stack.sandbox.clearRequests();
    const pending = link(stack, incident.id, target._id);
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
    const expected = { ...target.customFields, owner: 'payments', [LINK_FIELD]: incident.id };
    expect((await liveRow(stack.sandbox, target._id)).customFields).toEqual(expected);
    expect(answer.data?.linkIncident?.oneUptimeIncident?.customFields).toEqual(expected);
  });

  it('an unlink whose second PUT fails says what it applied, and the cache follows', async () => {
    const conflicted = links().conflicted[0]!;
    const [first, second] = links().claimants(conflicted.id);
    expect(second, 'a Coralogix incident claimed twice').toBeDefined();
    // The cache holds the conflict before the write.
    expect((await stack.graphql(LINK_STATUS, { id: conflicted.id })).data).toMatchObject({
      incident: { linkStatus: 'CONFLICT' },
    });
    stack.sandbox.setFault({
      upstream: 'oneuptime',
      method: 'PUT',
      path: `/api/incident/${second}`,
      status: 503,
      body: { error: 'Service Unavailable' },
    });
    const answer = (await stack.graphql(UNLINK, { i: { incidentId: conflicted.id } })) as Answer;
    expect(codeOf(answer), answer.text).toBe('UPSTREAM_UNAVAILABLE');
    const error = answer.errors![0]!;
    expect(error.extensions).toMatchObject({
      upstream: 'oneuptime',
      oneUptimeIncidentId: second,
      applied: { unlinkedOneUptimeIncidentIds: [first] },
    });
    expect(error.message).toContain(first);
    expect(error.message).toContain(second);
    expect((await liveClaimants(stack.sandbox, conflicted.id)).map((row) => row._id)).toEqual([
      second,
    ]);
    // The cache no longer serves the conflict: the remaining claimant is the link.
    expect((await stack.graphql(LINK_STATUS, { id: conflicted.id })).data).toEqual({
      incident: { linkStatus: 'LINKED', oneUptimeIncident: { id: second } },
    });
  });

  it('an unlink of several claimants lists every one it unlinked', async () => {
    const conflicted = links().conflicted[0]!;
    const claimants = links().claimants(conflicted.id);
    const answer = (await stack.graphql(UNLINK, { i: { incidentId: conflicted.id } })) as Answer;
    expect(answer.errors, answer.text).toBeUndefined();
    const payload = answer.data?.unlinkIncident as unknown as { unlinked: Array<{ id: string }> };
    expect(payload.unlinked.map((row) => row.id)).toEqual(claimants);
    expect(await liveClaimants(stack.sandbox, conflicted.id)).toEqual([]);
  });
});

describe('ensureOneUptimeIncident whose create outlives UPSTREAM_TIMEOUT_MS', () => {
  const TIMEOUT_MS = 1_000;
  const stack = useStack({ env: { UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) }, resetEach: true });

  it('finds the incident the lost create made, and a second ensure creates none', async () => {
    const incident = seedLinks(stack.sandbox.seed).unlinked[3]!;
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
    const first = ensure(stack, incident.id);
    await waitFor('the first create to be sent', () => creates().length === 1);
    const second = ensure(stack, incident.id);
    const answers = await Promise.all([first, second]);
    await waitFor('every create to be answered', () =>
      creates().every((r) => r.status !== undefined),
    );

    const claimants = await liveClaimants(stack.sandbox, incident.id);
    expect(claimants).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.errors, answer.text).toBeUndefined();
      expect(answer.data?.ensureOneUptimeIncident?.oneUptimeIncident?.id).toBe(claimants[0]!._id);
    }
    expect(answers.map((a) => a.data?.ensureOneUptimeIncident?.created)).toEqual([true, false]);
  });
});
