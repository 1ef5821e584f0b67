/**
 * The case link writes over real HTTP (DESIGN 5c, as 5a for incidents): what
 * `linkCase`, `unlinkCase` and `ensureOneUptimeIncidentForCase` send to
 * OneUptime (the case UUID in `coralogixCaseId`, every other custom field
 * kept, the incident link included), what they refuse, readable ids resolved
 * to the UUID first, the severity a priority maps to, and the cached links
 * following at once. Races are in link-races.test.ts (both families).
 */
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { CASE_LINK_FIELD, LINK_FIELD } from '../../src/sandbox/seed.js';
import { UNKNOWN_CASE } from '../support/cases.js';
import { liveClaimants, liveRow, seedLinks } from '../support/links.js';
import { useStack } from '../support/stack.js';

const stack = useStack({ env: { LINK_CACHE_TTL_MS: '60000' }, resetEach: true });
const links = () => seedLinks(stack.sandbox.seed, 'case');
const caseOf = (id: string) => stack.sandbox.seed.cases.find((r) => r.case.id === id)!.case;
const writes = () =>
  stack.sandbox
    .requests('oneuptime')
    .filter((r: RecordedRequest) => r.method !== 'GET' && !/get-list|count|get-item/.test(r.path));
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  response.errors?.[0]?.extensions?.code;

const STATUS = 'query ($id: ID!) { case(id: $id) { linkStatus oneUptimeIncident { id } } }';
const PAYLOAD = `case { id readableId linkStatus }
  oneUptimeIncident { id title severity { name } customFields } created unlinked { id }`;
const LINK = `mutation ($i: LinkCaseInput!) { linkCase(input: $i) { ${PAYLOAD} } }`;
const UNLINK = `mutation ($i: UnlinkCaseInput!) { unlinkCase(input: $i) { ${PAYLOAD} } }`;
const ENSURE = `mutation ($i: EnsureOneUptimeIncidentForCaseInput!) {
  ensureOneUptimeIncidentForCase(input: $i) { ${PAYLOAD} } }`;

/** A OneUptime incident linked to a Coralogix incident (and no case), with other custom fields. */
const incidentLinkedRow = () =>
  stack.sandbox.seed.oneUptimeIncidents.find(
    (row) =>
      typeof row.customFields?.[LINK_FIELD] === 'string' &&
      row.customFields?.[CASE_LINK_FIELD] === undefined,
  )!;

describe('linkCase', () => {
  it('writes the case UUID (a readable id is read first) next to the other custom fields, and shows at once', async () => {
    const item = caseOf(stack.sandbox.caseIds.unlinked);
    expect(item.readableId).toBeDefined();
    const target = incidentLinkedRow();
    // Cached before the write: the write must drop it.
    expect((await stack.graphql(STATUS, { id: item.id })).data).toEqual({
      case: { linkStatus: 'NOT_LINKED', oneUptimeIncident: null },
    });
    stack.sandbox.clearRequests();
    const answer = await stack.graphql<{ linkCase: Record<string, unknown> }>(LINK, {
      i: { caseId: item.readableId, oneUptimeIncidentId: target._id },
    });
    expect(answer.errors, answer.text).toBeUndefined();
    const expected = { ...target.customFields, [CASE_LINK_FIELD]: item.id };
    expect(answer.data?.linkCase).toMatchObject({
      case: { id: item.id, readableId: item.readableId, linkStatus: 'LINKED' },
      oneUptimeIncident: { id: target._id, customFields: expected },
      created: false,
      unlinked: [],
    });
    expect((await liveRow(stack.sandbox, target._id)).customFields).toEqual(expected);
    expect(writes().map((w) => [w.method, w.path, w.body])).toEqual([
      ['PUT', `/api/incident/${target._id}`, { data: { customFields: expected } }],
    ]);
    // The Coralogix side: the readable id once, nothing more.
    expect(
      stack.sandbox
        .requests('coralogix')
        .map((r) => `${r.method} ${r.path.replace('/mgmt/openapi/5', '')}`),
    ).toEqual([`GET /cases/cases/v1/${item.readableId}`]);
    // The incident this OneUptime incident tracks is still linked to it.
    const incidentId = String(target.customFields?.[LINK_FIELD]);
    const incident = await stack.graphql(
      'query ($id: ID!) { incident(id: $id) { oneUptimeIncident { id case { id } } } }',
      { id: incidentId },
    );
    expect(incident.data).toEqual({
      incident: { oneUptimeIncident: { id: target._id, case: { id: item.id } } },
    });
  });

  it('is CONFLICT, with nothing written, when another OneUptime incident claims the case or the incident names another case', async () => {
    const linked = links().linked[0]!;
    const free = incidentLinkedRow();
    const claimed = await stack.graphql(LINK, {
      i: { caseId: linked.id, oneUptimeIncidentId: free._id },
    });
    expect(codeOf(claimed), claimed.text).toBe('CONFLICT');
    expect(claimed.errors?.[0]?.message).toMatch(/Coralogix case/);
    const other = await stack.graphql(LINK, {
      i: {
        caseId: stack.sandbox.caseIds.unlinked,
        oneUptimeIncidentId: links().oneUptimeOf(linked.id),
      },
    });
    expect(codeOf(other), other.text).toBe('CONFLICT');
    expect(other.errors?.[0]?.extensions).toMatchObject({ caseId: linked.id });
    expect(writes()).toEqual([]);
  });

  it('is NOT_FOUND for a case Coralogix does not have, by UUID or readable id, with nothing written', async () => {
    const target = incidentLinkedRow();
    for (const caseId of [UNKNOWN_CASE, 'CASE-99999']) {
      const answer = await stack.graphql(LINK, { i: { caseId, oneUptimeIncidentId: target._id } });
      expect(codeOf(answer), answer.text).toBe('NOT_FOUND');
    }
    expect(writes()).toEqual([]);
  });
});

describe('unlinkCase', () => {
  it('removes the case key from every claimant, keeping the other keys', async () => {
    const id = stack.sandbox.caseIds.doubleClaimed;
    const claimants = links().claimants(id);
    expect(claimants).toHaveLength(2);
    const answer = await stack.graphql<{ unlinkCase: { unlinked: Array<{ id: string }> } }>(
      UNLINK,
      {
        i: { caseId: id },
      },
    );
    expect(answer.errors, answer.text).toBeUndefined();
    expect(answer.data?.unlinkCase.unlinked.map((row) => row.id)).toEqual(claimants);
    expect(await liveClaimants(stack.sandbox, id, CASE_LINK_FIELD)).toEqual([]);
    for (const claimant of claimants) {
      const rest = { ...links().row(claimant)!.customFields };
      delete rest[CASE_LINK_FIELD];
      expect((await liveRow(stack.sandbox, claimant)).customFields).toEqual(rest);
    }
    expect((await stack.graphql(STATUS, { id })).data).toEqual({
      case: { linkStatus: 'NOT_LINKED', oneUptimeIncident: null },
    });
  });
});

describe('ensureOneUptimeIncidentForCase', () => {
  /** The project's severities by `order`, most severe (lowest order) first. */
  const bySeverityOrder = () =>
    [...stack.sandbox.seed.incidentSeverities].sort((a, b) => a.order - b.order);
  const RANK: Record<string, number> = {
    CASE_PRIORITY_P1: 0,
    CASE_PRIORITY_P2: 1,
    CASE_PRIORITY_P3: 2,
    CASE_PRIORITY_P4: 3,
    CASE_PRIORITY_P5: 4,
  };

  it('creates one incident titled after the case, its severity by priority order, then returns it', async () => {
    const item = caseOf(stack.sandbox.caseIds.unlinked);
    const severities = bySeverityOrder();
    const expected = severities[Math.min(RANK[item.priority] ?? 5, severities.length - 1)]!;
    const first = await stack.graphql<{ ensureOneUptimeIncidentForCase: Record<string, unknown> }>(
      ENSURE,
      { i: { caseId: item.readableId } },
    );
    expect(first.errors, first.text).toBeUndefined();
    const created = first.data!.ensureOneUptimeIncidentForCase as {
      oneUptimeIncident: {
        id: string;
        title: string;
        severity: { name: string };
        customFields: unknown;
      };
      created: boolean;
    };
    expect(created).toMatchObject({
      created: true,
      oneUptimeIncident: {
        title: item.title,
        severity: { name: expected.name },
        customFields: { [CASE_LINK_FIELD]: item.id },
      },
    });
    const [create] = writes();
    expect(create).toMatchObject({ method: 'POST', path: '/api/incident' });
    expect((create!.body as { data: Record<string, unknown> }).data).toMatchObject({
      title: item.title,
      incidentSeverityId: expected._id,
      customFields: { [CASE_LINK_FIELD]: item.id },
    });

    const again = await stack.graphql<{
      ensureOneUptimeIncidentForCase: { created: boolean; oneUptimeIncident: { id: string } };
    }>(ENSURE, { i: { caseId: item.id } });
    expect(again.data?.ensureOneUptimeIncidentForCase).toMatchObject({
      created: false,
      oneUptimeIncident: { id: created.oneUptimeIncident.id },
    });
    expect(writes()).toHaveLength(1);
  });

  it('uses the severity given, and refuses one the project does not have before writing', async () => {
    const item = caseOf(stack.sandbox.caseIds.unlinked);
    const chosen = bySeverityOrder().at(-1)!;
    const unknown = await stack.graphql(ENSURE, {
      i: { caseId: item.id, severityId: UNKNOWN_CASE },
    });
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    expect(writes()).toEqual([]);
    const answer = await stack.graphql(ENSURE, { i: { caseId: item.id, severityId: chosen._id } });
    expect(answer.errors, answer.text).toBeUndefined();
    expect((writes()[0]!.body as { data: Record<string, unknown> }).data.incidentSeverityId).toBe(
      chosen._id,
    );
  });
});
