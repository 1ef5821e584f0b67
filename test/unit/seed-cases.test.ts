/**
 * The seeded Coralogix cases as data (`generateSeed`, pure): every status,
 * priority and category; readable ids only on cases that became active;
 * event timelines consistent with each case's fields and status, between its
 * creation and now; OneUptime incidents linked by `coralogixCaseId`; and the
 * incident data unchanged by the cases' separate random streams.
 */
import { describe, expect, it } from 'vitest';
import {
  CASE_LINK_FIELD,
  DEFAULT_SEED,
  LINK_FIELD,
  generateSeed,
  seededCaseIds,
} from '../../src/sandbox/seed.js';
import type { CaseRecord } from '../../src/sandbox/coralogix/cases/store.js';
import { mismatch } from '../../src/upstreams/shape.js';
import { CASE } from '../../src/upstreams/coralogix/cases/resources.js';
import { CASE_EVENT } from '../../src/upstreams/coralogix/cases/eventResources.js';
import {
  CASE_CATEGORIES,
  CASE_EVENT_KINDS,
  CASE_PRIORITIES,
  CASE_STATUSES,
  READABLE_ID_PATTERN,
  type CaseEvent,
} from '../../src/upstreams/coralogix/cases/types.js';

const NOW = Date.parse('2026-11-01T12:00:00.000Z');
const seed = generateSeed(DEFAULT_SEED, 300, NOW);
const cases = seed.cases;
const at = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
const kindOf = (event: CaseEvent) => Object.keys(event.eventData)[0];
const only = <K extends string>(record: CaseRecord, kind: K) =>
  record.events.filter((e) => kindOf(e) === kind);

describe('the seeded cases', () => {
  it('are 120 by default, with distinct lower-case UUIDs, and fit the wire declarations', () => {
    expect(cases).toHaveLength(120);
    expect(new Set(cases.map((r) => r.case.id)).size).toBe(120);
    for (const record of cases) {
      expect(record.case.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(mismatch(record.case, CASE)).toBeUndefined();
      for (const event of record.events) expect(mismatch(event, CASE_EVENT)).toBeUndefined();
    }
  });

  it('cover every status, priority and category, with overrides and both assigned and unassigned cases', () => {
    const known = (values: readonly string[]) =>
      values.filter((v) => !v.endsWith('_UNSPECIFIED')).sort();
    expect([...new Set(cases.map((r) => r.case.status))].sort()).toEqual(known(CASE_STATUSES));
    expect([...new Set(cases.map((r) => r.case.priority))].sort()).toEqual(known(CASE_PRIORITIES));
    expect([...new Set(cases.map((r) => r.case.priorityDetails?.system))].sort()).toEqual(
      known(CASE_PRIORITIES),
    );
    expect([...new Set(cases.map((r) => r.case.category))].sort()).toEqual(known(CASE_CATEGORIES));
    const overridden = cases.filter((r) => r.case.priorityDetails?.override);
    expect(overridden.length).toBeGreaterThan(5);
    for (const { case: c } of cases) {
      expect(c.priority).toBe(c.priorityDetails?.override ?? c.priorityDetails?.system);
    }
    expect(cases.some((r) => r.case.assignee)).toBe(true);
    expect(
      cases.some((r) => !r.case.assignee && r.case.status !== 'CASE_STATUS_PENDING_ACTIVATION'),
    ).toBe(true);
    expect(cases.some((r) => r.case.aiSummary)).toBe(true);
    expect(cases.some((r) => r.case.kpiBreaches)).toBe(true);
    expect(cases.some((r) => r.case.caseIndicators?.prometheusAlertIndicators?.length)).toBe(true);
    expect(cases.some((r) => r.case.caseIndicators?.genericIndicators?.length)).toBe(true);
  });

  it('give readable ids only to cases that became active, numbered in activation order', () => {
    const activated = (r: CaseRecord) =>
      at(
        only(r, 'statusChanged').find(
          (e) => e.eventData.statusChanged?.newStatus === 'CASE_STATUS_ACTIVE',
        )?.eventTime,
      );
    const active = cases.filter((r) => r.case.readableId !== undefined);
    for (const record of cases) {
      const pending = record.case.status === 'CASE_STATUS_PENDING_ACTIVATION';
      expect(record.case.readableId === undefined).toBe(pending);
      if (!pending) expect(record.case.readableId).toMatch(READABLE_ID_PATTERN);
    }
    const byActivation = [...active].sort((a, b) => activated(a)! - activated(b)!);
    expect(byActivation.map((r) => r.case.readableId)).toEqual(
      byActivation.map((_, n) => `CASE-${n + 1}`),
    );
  });

  it('tell each case its story: created first, then events in time order, before now', () => {
    for (const record of cases) {
      const times = record.events.map((e) => at(e.eventTime)!);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(kindOf(record.events[0]!)).toBe('created');
      expect(record.events[0]!.eventTime).toBe(record.case.createTime);
      expect(Math.max(...times)).toBeLessThan(NOW);
      for (const event of record.events) {
        expect(CASE_EVENT_KINDS).toContain(kindOf(event));
        expect(Object.keys(event.eventData)).toHaveLength(1);
        expect(Object.keys(event.actor)).toHaveLength(1);
        expect(at(event.createTime)!).toBeGreaterThanOrEqual(at(event.eventTime)!);
      }
      expect(at(record.case.updateTime)!).toBeGreaterThanOrEqual(at(record.case.createTime)!);
      expect(at(record.case.updateTime)!).toBeLessThan(NOW);
    }
  });

  it('chain status changes from PENDING_ACTIVATION to the case status, along the lifecycle', () => {
    const allowed = new Set([
      'PENDING_ACTIVATION>ACTIVE',
      'ACTIVE>ACKNOWLEDGED',
      'ACTIVE>RESOLVED',
      'ACTIVE>CLOSED',
      'ACKNOWLEDGED>ACTIVE',
      'ACKNOWLEDGED>RESOLVED',
      'ACKNOWLEDGED>CLOSED',
      'RESOLVED>CLOSED',
    ]);
    for (const record of cases) {
      let status = 'CASE_STATUS_PENDING_ACTIVATION';
      for (const event of only(record, 'statusChanged')) {
        const change = event.eventData.statusChanged!;
        expect(change.oldStatus).toBe(status);
        expect(allowed).toContain(`${change.oldStatus!.slice(12)}>${change.newStatus!.slice(12)}`);
        status = change.newStatus!;
      }
      expect(status).toBe(record.case.status);
    }
  });

  it('keep the case fields the events leave behind', () => {
    for (const record of cases) {
      const c = record.case;
      const changes = only(record, 'statusChanged');
      const lastTo = (s: string) =>
        changes.filter((e) => e.eventData.statusChanged!.newStatus === `CASE_STATUS_${s}`).at(-1)
          ?.eventTime;
      expect(c.acknowledgeTime).toBe(lastTo('ACKNOWLEDGED'));
      expect(c.resolutionDetails?.resolveTime).toBe(lastTo('RESOLVED'));
      expect(record.endedAt).toBe(lastTo('RESOLVED') ?? lastTo('CLOSED'));
      const assignment = record.events
        .filter((e) => e.eventData.assigned || e.eventData.unassigned)
        .at(-1)?.eventData.assigned?.assigneeUserId;
      expect(c.assignee?.userId).toBe(assignment);
      const priority = only(record, 'priorityDetailsChanged').at(-1)?.eventData
        .priorityDetailsChanged?.to;
      if (priority) expect(c.priorityDetails).toEqual(priority);
      else
        expect(c.priorityDetails).toEqual({
          system: record.events[0]!.eventData.created!.priority,
        });
      const title = only(record, 'titleChangedEvent').at(-1)?.eventData.titleChangedEvent?.to;
      expect(c.title).toBe(title ?? c.title);
      const reason = only(record, 'resolutionReasonChangedEvent').at(-1)?.eventData
        .resolutionReasonChangedEvent?.to;
      if (reason) expect(c.resolutionDetails?.reason).toBe(reason);
      const breaches = only(record, 'kpiBreached').map((e) => e.eventData.kpiBreached!.kpiType);
      expect((c.kpiBreaches?.breachedKpis ?? []).map((k) => k.kpiType)).toEqual(breaches);
      for (const event of only(record, 'comment'))
        expect(event.eventData.comment!.unsafeText!.trim()).not.toBe('');
    }
  });

  it('put every assignee, commenter and acting user among the seeded users', () => {
    const users = new Set(seed.users.map((u) => u.id));
    for (const record of cases) {
      if (record.case.assignee) expect(users.has(record.case.assignee.userId!)).toBe(true);
      for (const event of record.events) {
        if (event.actor.user) expect(users.has(event.actor.user.id!)).toBe(true);
        if (event.actor.slack) expect(users.has(event.actor.slack.coralogixUserId!)).toBe(true);
      }
    }
  });
});

describe('OneUptime incidents linked to cases', () => {
  const byId = new Map(cases.map((r) => [r.case.id, r]));
  const claims = new Map<string, typeof seed.oneUptimeIncidents>();
  for (const row of seed.oneUptimeIncidents) {
    const id = row.customFields?.[CASE_LINK_FIELD];
    if (typeof id === 'string') claims.set(id, [...(claims.get(id) ?? []), row]);
  }
  const stateName = (id: string) => seed.incidentStates.find((s) => s._id === id)?.name;

  it('name existing cases by UUID, never a pending one, and never a Coralogix incident too', () => {
    expect(claims.size).toBeGreaterThan(50);
    for (const [id, rows] of claims) {
      expect(byId.get(id)?.case.status).not.toBe('CASE_STATUS_PENDING_ACTIVATION');
      for (const row of rows) expect(row.customFields?.[LINK_FIELD]).toBeUndefined();
    }
    const unlinked = cases.filter((r) => r.case.readableId && !claims.has(r.case.id));
    expect(unlinked.length).toBeGreaterThan(10);
  });

  it('claim exactly one case twice, the second claim made later', () => {
    const twice = [...claims.values()].filter((rows) => rows.length > 1);
    expect(twice).toHaveLength(1);
    const [first, second] = twice[0]!;
    expect(Date.parse(second!.createdAt)).toBeGreaterThan(Date.parse(first!.createdAt));
  });

  it('mirror their case: title, start, severity by priority, and the state its status means', () => {
    const states: Record<string, string[]> = {
      CASE_STATUS_ACTIVE: ['Created', 'Investigating', 'Identified'],
      CASE_STATUS_ACKNOWLEDGED: ['Acknowledged', 'Monitoring'],
      CASE_STATUS_RESOLVED: ['Resolved'],
      CASE_STATUS_CLOSED: ['Resolved'],
    };
    for (const [id, rows] of claims) {
      const c = byId.get(id)!.case;
      const first = [...rows].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0]!;
      expect(first.title).toBe(c.title);
      expect(first.declaredAt).toBe(c.createTime);
      const severity = seed.incidentSeverities.find((s) => s._id === first.incidentSeverityId)!;
      expect(severity.order).toBe(Number(c.priority.slice(-1)));
      expect(states[c.status]).toContain(stateName(first.currentIncidentStateId));
      const timeline = seed.stateTimelines.filter((t) => t.incidentId === first._id);
      if (c.acknowledgeTime && c.status !== 'CASE_STATUS_CLOSED') {
        const ack = timeline.find((t) => stateName(t.incidentStateId!) === 'Acknowledged');
        expect(Date.parse(ack!.startsAt!)).toBeLessThanOrEqual(Date.parse(c.acknowledgeTime));
      }
    }
  });

  it('are told apart by seededCaseIds: one per status, a linked, an unlinked and the double-claimed case', () => {
    const found = seededCaseIds(seed);
    for (const [status, id] of Object.entries(found.byStatus)) {
      expect(byId.get(id)?.case.status).toBe(`CASE_STATUS_${status}`);
    }
    expect(claims.get(found.linked)).toHaveLength(1);
    expect(claims.has(found.unlinked)).toBe(false);
    expect(claims.get(found.doubleClaimed)).toHaveLength(2);
  });
});

describe('the cases beside the incidents', () => {
  it('are the same for the same seed and change nothing about the incidents', () => {
    expect(generateSeed(DEFAULT_SEED, 300, NOW).cases).toEqual(cases);
    const without = generateSeed(DEFAULT_SEED, 300, NOW, 0);
    expect(without.cases).toEqual([]);
    // Everything but the OneUptime rows is the same; those keep every incident-linked row
    // first, as it was, only renumbered among the case-linked ones (OneUptime numbers by creation).
    const oneUptimeSide = ['oneUptimeIncidents', 'stateTimelines', 'slas', 'members', 'cases'];
    const rest = (data: typeof seed) =>
      Object.fromEntries(Object.entries(data).filter(([key]) => !oneUptimeSide.includes(key)));
    expect(rest(without)).toEqual(rest(seed));
    const { oneUptimeIncidents, stateTimelines, slas, members } = seed;
    const unnumbered = (row: (typeof oneUptimeIncidents)[number]) => ({
      ...row,
      incidentNumber: undefined,
      incidentNumberWithPrefix: undefined,
    });
    expect(oneUptimeIncidents.slice(0, without.oneUptimeIncidents.length).map(unnumbered)).toEqual(
      without.oneUptimeIncidents.map(unnumbered),
    );
    expect(stateTimelines.slice(0, without.stateTimelines.length)).toEqual(without.stateTimelines);
    expect(slas.slice(0, without.slas.length)).toEqual(without.slas);
    expect(members.slice(0, without.members.length)).toEqual(without.members);
  });
});
