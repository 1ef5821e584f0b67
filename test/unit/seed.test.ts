import { describe, expect, it } from 'vitest';
import {
  CASE_LINK_FIELD,
  DEFAULT_SEED,
  LINK_FIELD,
  createRandom,
  generateSeed,
  slugify,
} from '../../src/sandbox/seed.js';
import { INCIDENT_SEVERITIES } from '../../src/upstreams/coralogix/incidents/types.js';
import { SLA_STATUSES, type IncidentSlaRecord } from '../../src/upstreams/oneuptime/types.js';

/** A fixed "now", so the seeded instants are the same on every run. */
const NOW = Date.parse('2026-11-01T12:00:00.000Z');
const MINUTE = 60_000;
const seed = generateSeed(DEFAULT_SEED, 300, NOW);

describe('createRandom', () => {
  it('repeats its sequence for the same seed', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    expect(Array.from({ length: 5 }, a.next)).toEqual(Array.from({ length: 5 }, b.next));
  });

  it('draws numbers in [0, 1) and integers within bounds', () => {
    const r = createRandom(1);
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = r.int(3, 5);
      expect([3, 4, 5]).toContain(n);
    }
  });

  it('makes version 4 UUIDs', () => {
    const r = createRandom(2);
    for (let i = 0; i < 50; i++) {
      expect(r.uuid()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });
});

describe('slugify', () => {
  it('lower-cases and joins words with hyphens', () => {
    expect(slugify('Incident Commander')).toBe('incident-commander');
    expect(slugify('  Subject -- Matter Expert! ')).toBe('subject-matter-expert');
  });
});

describe('generateSeed', () => {
  it('yields the same data for the same seed', () => {
    expect(generateSeed(DEFAULT_SEED, 300, NOW)).toEqual(seed);
    expect(generateSeed(5, 20, NOW)).toEqual(generateSeed(5, 20, NOW));
  });

  it('yields different data for a different seed', () => {
    const other = generateSeed(DEFAULT_SEED + 1, 300, NOW);
    expect(other.incidents.map((i) => i.id)).not.toEqual(seed.incidents.map((i) => i.id));
    expect(other.incidents.map((i) => i.severity)).not.toEqual(
      seed.incidents.map((i) => i.severity),
    );
  });

  it('makes a few hundred incidents with distinct ids', () => {
    expect(seed.incidents.length).toBeGreaterThanOrEqual(200);
    expect(new Set(seed.incidents.map((i) => i.id)).size).toBe(seed.incidents.length);
  });

  it('honours the incident count', () => {
    expect(generateSeed(DEFAULT_SEED, 12).incidents).toHaveLength(12);
  });

  it('varies severities, states, statuses and assignments', () => {
    const severities = new Set(seed.incidents.map((i) => i.severity));
    expect([...severities].sort()).toEqual(
      INCIDENT_SEVERITIES.filter((s) => s !== 'INCIDENT_SEVERITY_UNSPECIFIED').sort(),
    );
    expect(new Set(seed.incidents.map((i) => i.state)).size).toBe(2);
    expect(new Set(seed.incidents.map((i) => i.status)).size).toBe(3);
    const assigneeCounts = new Set(seed.incidents.map((i) => i.assignments.length));
    expect([...assigneeCounts].sort()).toEqual([0, 1, 2]);
  });

  it('varies incident ages and keeps every Coralogix instant before now', () => {
    for (const item of seed.incidents) {
      expect(Date.parse(item.createdAt)).toBeLessThan(NOW);
      expect(Date.parse(item.lastStateUpdateTime)).toBeLessThan(NOW);
      expect(Date.parse(item.lastStateUpdateTime)).toBeGreaterThanOrEqual(
        Date.parse(item.createdAt),
      );
    }
  });
});

describe('generateSeed: OneUptime incidents and the link', () => {
  const coralogixIds = new Set(seed.incidents.map((i) => i.id));
  const ouIds = new Set(seed.oneUptimeIncidents.map((i) => i._id));
  const linkOf = (i: (typeof seed.oneUptimeIncidents)[number]) => i.customFields?.[LINK_FIELD];
  const claims = new Map<string, typeof seed.oneUptimeIncidents>();
  for (const item of seed.oneUptimeIncidents) {
    const link = linkOf(item);
    if (typeof link === 'string') claims.set(link, [...(claims.get(link) ?? []), item]);
  }

  it('gives OneUptime incidents ids of their own, never a Coralogix id', () => {
    expect(ouIds.size).toBe(seed.oneUptimeIncidents.length);
    for (const id of ouIds) expect(coralogixIds.has(id)).toBe(false);
  });

  it('links most Coralogix incidents and leaves 10 to 15% unlinked', () => {
    const unlinked = seed.incidents.filter((i) => !claims.has(i.id)).length;
    expect(unlinked / seed.incidents.length).toBeGreaterThanOrEqual(0.1);
    expect(unlinked / seed.incidents.length).toBeLessThanOrEqual(0.15);
    for (const link of claims.keys()) expect(coralogixIds.has(link)).toBe(true);
  });

  it('keeps link values plain lower-case id strings', () => {
    for (const link of claims.keys()) expect(link).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets exactly one Coralogix id be claimed twice, the second claim made later', () => {
    const conflicts = [...claims.values()].filter((list) => list.length > 1);
    expect(conflicts).toHaveLength(1);
    const [first, second] = [...conflicts[0]!].sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
    expect(conflicts[0]).toHaveLength(2);
    expect(Date.parse(second!.createdAt)).toBeGreaterThan(Date.parse(first!.createdAt));
  });

  it('adds a few OneUptime-only incidents without the link key, some with other keys', () => {
    // Incidents linked to a Coralogix case name it under their own key (seed-cases.test.ts).
    const own = seed.oneUptimeIncidents.filter(
      (i) => linkOf(i) === undefined && i.customFields?.[CASE_LINK_FIELD] === undefined,
    );
    expect(own.length).toBeGreaterThanOrEqual(3);
    expect(own.length).toBeLessThanOrEqual(8);
    expect(own.some((i) => i.customFields === null)).toBe(true);
    const withOtherKeys = seed.oneUptimeIncidents.filter((i) =>
      Object.keys(i.customFields ?? {}).some((k) => k !== LINK_FIELD),
    );
    expect(withOtherKeys.some((i) => linkOf(i) !== undefined)).toBe(true);
    expect(withOtherKeys.some((i) => linkOf(i) === undefined)).toBe(true);
  });

  it("mirrors the linked Coralogix incident's name, severity, start and state", () => {
    const stateName = (id: string) => seed.incidentStates.find((s) => s._id === id)?.name;
    const severityName = (id: string) => seed.incidentSeverities.find((s) => s._id === id)?.name;
    const expectedStates: Record<string, string[]> = {
      INCIDENT_STATUS_TRIGGERED: ['Created', 'Investigating', 'Identified'],
      INCIDENT_STATUS_ACKNOWLEDGED: ['Acknowledged', 'Monitoring'],
      INCIDENT_STATUS_RESOLVED: ['Resolved'],
    };
    for (const item of seed.incidents) {
      const [linked] = [...(claims.get(item.id) ?? [])].sort((a, b) =>
        a.createdAt.localeCompare(b.createdAt),
      );
      if (!linked) continue;
      expect(linked.title).toBe(item.name);
      expect(severityName(linked.incidentSeverityId)?.toLowerCase()).toBe(
        item.severity.replace('INCIDENT_SEVERITY_', '').toLowerCase(),
      );
      expect(linked.declaredAt).toBe(item.createdAt);
      expect(expectedStates[item.status!]).toContain(stateName(linked.currentIncidentStateId));
    }
  });

  it('numbers OneUptime incidents 1..n in creation order', () => {
    const byCreation = [...seed.oneUptimeIncidents].sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
    expect(byCreation.map((i) => i.incidentNumber)).toEqual(byCreation.map((_, n) => n + 1));
    for (const item of byCreation)
      expect(item.incidentNumberWithPrefix).toBe(`#${item.incidentNumber}`);
  });

  it('gives every timeline entry, SLA and member a OneUptime incident', () => {
    for (const record of [...seed.stateTimelines, ...seed.slas, ...seed.members]) {
      expect(ouIds.has(record.incidentId!)).toBe(true);
    }
  });

  it('chains each timeline from declaredAt: increasing starts, each end the next start, last open', () => {
    for (const item of seed.oneUptimeIncidents) {
      const entries = seed.stateTimelines
        .filter((t) => t.incidentId === item._id)
        .sort((a, b) => Date.parse(a.startsAt!) - Date.parse(b.startsAt!));
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(entries.length).toBeLessThanOrEqual(6);
      expect(entries[0]?.startsAt).toBe(item.declaredAt);
      expect(entries.at(-1)?.incidentStateId).toBe(item.currentIncidentStateId);
      entries.forEach((entry, i) => {
        const next = entries[i + 1];
        expect(Date.parse(entry.startsAt!)).toBeLessThan(NOW);
        if (next) {
          expect(Date.parse(next.startsAt!)).toBeGreaterThan(Date.parse(entry.startsAt!));
          expect(entry.endsAt).toBe(next.startsAt);
        } else {
          expect(entry.endsAt).toBeNull();
        }
      });
    }
  });

  it('ends a resolved incident timeline in the Resolved state at its close time', () => {
    const resolvedState = seed.incidentStates.find((s) => s.name === 'Resolved');
    for (const item of seed.incidents.filter((i) => i.state === 'INCIDENT_STATE_RESOLVED')) {
      const linked = claims.get(item.id)?.[0];
      if (!linked) continue;
      const last = seed.stateTimelines.filter((t) => t.incidentId === linked._id).at(-1);
      expect(last?.incidentStateId).toBe(resolvedState?._id);
      expect(last?.startsAt).toBe(item.closedAt);
    }
  });

  it("starts every SLA at its incident's declaredAt, resolved exactly when the incident was", () => {
    const byId = new Map(seed.oneUptimeIncidents.map((i) => [i._id, i]));
    for (const sla of seed.slas) {
      const item = byId.get(sla.incidentId!)!;
      expect(sla.slaStartedAt).toBe(item.declaredAt);
      const last = seed.stateTimelines.filter((t) => t.incidentId === item._id).at(-1)!;
      const resolved = seed.incidentStates.find((s) => s._id === last.incidentStateId)!;
      expect(sla.resolvedAt).toBe(resolved.isResolvedState ? last.startsAt : null);
      if (!sla.resolvedAt) expect(sla.status).not.toBe('Met');
    }
  });

  it('uses only known incident states and SLA rules', () => {
    const stateIds = new Set(seed.incidentStates.map((s) => s._id));
    const ruleIds = new Set(seed.slaRuleIds);
    expect(seed.stateTimelines.every((t) => stateIds.has(t.incidentStateId!))).toBe(true);
    expect(seed.slas.every((s) => ruleIds.has(s.incidentSlaRuleId!))).toBe(true);
  });

  it('gives every OneUptime record a distinct _id', () => {
    const all = [
      ...seed.oneUptimeIncidents,
      ...seed.incidentStates,
      ...seed.incidentSeverities,
      ...seed.stateTimelines,
      ...seed.slas,
      ...seed.roles,
      ...seed.members,
    ].map((r) => r._id);
    expect(new Set(all).size).toBe(all.length);
  });

  it('seeds every SLA status value, so each SlaStatus filter has data', () => {
    expect(new Set(seed.slas.map((sla) => sla.status))).toEqual(new Set(SLA_STATUSES));
  });

  it('uses only the SLA status strings OneUptime sends', () => {
    for (const sla of seed.slas) expect(SLA_STATUSES).toContain(sla.status);
  });

  it('only marks resolved SLAs Met, and open ones never', () => {
    for (const sla of seed.slas) {
      if (sla.resolvedAt)
        expect(['Met', 'Response Breached', 'Resolution Breached']).toContain(sla.status);
      else expect(sla.status).not.toBe('Met');
    }
  });
});

describe('generateSeed: the project and its members', () => {
  it('makes a handful of roles with slugs and #RRGGBB colours', () => {
    expect(seed.roles.length).toBeGreaterThanOrEqual(3);
    for (const item of seed.roles) {
      expect(item.slug).toBe(slugify(item.name!));
      expect(item.color).toMatch(/^#[0-9A-F]{6}$/);
    }
    expect(seed.roles.filter((r) => r.isPrimaryRole)).toHaveLength(1);
  });

  it('has one created, one acknowledged and one resolved state, in order', () => {
    expect(seed.incidentStates.map((s) => s.order)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const flag of ['isCreatedState', 'isAcknowledgedState', 'isResolvedState'] as const) {
      expect(seed.incidentStates.filter((s) => s[flag])).toHaveLength(1);
    }
    for (const state of seed.incidentStates) {
      expect(state.id).toBe(state._id);
      expect(state.slug).toMatch(new RegExp(`^${slugify(state.name)}-[1-9]{10}$`));
    }
  });

  it('names severities after the Coralogix ones, case aside', () => {
    const coralogix = INCIDENT_SEVERITIES.filter((s) => s !== 'INCIDENT_SEVERITY_UNSPECIFIED').map(
      (s) => s.replace('INCIDENT_SEVERITY_', '').toLowerCase(),
    );
    expect(seed.incidentSeverities.map((s) => s.name.toLowerCase()).sort()).toEqual(
      coralogix.sort(),
    );
    expect(seed.incidentSeverities.map((s) => s.order)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives most incidents members from the seeded users and roles', () => {
    const users = new Set(seed.users.map((u) => u.id));
    const roles = new Set(seed.roles.map((r) => r._id));
    expect(seed.members.length).toBeGreaterThan(seed.oneUptimeIncidents.length);
    for (const member of seed.members) {
      expect(users.has(member.userId)).toBe(true);
      expect(roles.has(member.incidentRoleId)).toBe(true);
    }
  });

  it('puts at most one member in a role that does not allow several, and each user in one role', () => {
    const single = new Set(seed.roles.filter((r) => !r.canAssignMultipleUsers).map((r) => r._id));
    const perIncident = new Map<string, typeof seed.members>();
    for (const m of seed.members)
      perIncident.set(m.incidentId, [...(perIncident.get(m.incidentId) ?? []), m]);
    for (const members of perIncident.values()) {
      const users = members.map((m) => m.userId);
      expect(new Set(users).size).toBe(users.length);
      for (const roleId of single) {
        expect(members.filter((m) => m.incidentRoleId === roleId).length).toBeLessThanOrEqual(1);
      }
    }
  });

  it("makes the first user to change an incident's state its Incident Commander", () => {
    const commander = seed.roles.find((r) => r.isPrimaryRole)!._id;
    for (const item of seed.oneUptimeIncidents) {
      const changer = seed.stateTimelines
        .filter((t) => t.incidentId === item._id && t.createdByUserId)
        .sort((a, b) => a.startsAt!.localeCompare(b.startsAt!))[0];
      if (!changer) continue;
      const held = seed.members.find(
        (m) => m.incidentId === item._id && m.incidentRoleId === commander,
      );
      expect(held?.userId).toBe(changer.createdByUserId);
      expect(held?.createdAt).toBe(changer.startsAt);
    }
  });

  it('keeps a small seed linked both ways, with its one conflict', () => {
    const small = generateSeed(5, 12);
    const links = small.oneUptimeIncidents.map((i) => i.customFields?.[LINK_FIELD]).filter(Boolean);
    expect(new Set(links).size).toBe(links.length - 1);
    expect(small.incidents.some((i) => !links.includes(i.id))).toBe(true);
  });
});

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** `value` with every ISO instant in it moved by `ms`. */
function shifted(value: unknown, ms: number): unknown {
  if (typeof value === 'string' && ISO_INSTANT.test(value)) {
    return new Date(Date.parse(value) + ms).toISOString();
  }
  if (Array.isArray(value)) return value.map((item) => shifted(item, ms));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shifted(v, ms)]));
  }
  return value;
}

/** Every ISO instant in `value`, with the path it was found at. */
function instants(value: unknown, path = ''): Array<{ path: string; ms: number }> {
  if (typeof value === 'string') {
    return ISO_INSTANT.test(value) ? [{ path, ms: Date.parse(value) }] : [];
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => instants(v, `${path}.${k}`));
  }
  return [];
}

const ms = (value: string | null | undefined) => (value ? Date.parse(value) : undefined);

/**
 * Why `sla` does not have the status OneUptime's breach check would give it at
 * `nowMs` (Worker/Jobs/IncidentSla/CheckSlaBreaches.ts: a deadline passed without
 * a response / resolution is a breach; 80 % of a window elapsed is "At Risk"), or
 * `undefined` when it does.
 *
 * Where a first reading of the check and OneUptime's source (ab6f409) differ,
 * this follows the source:
 * - an SLA resolved without a response was late to respond only if resolved
 *   after the response deadline (`markResolved` in
 *   Common/Server/Services/IncidentSlaService.ts);
 * - a response after 80 % of its window leaves the SLA At Risk: the worker only
 *   moves On Track to At Risk, never back, and then skips the response check
 *   (App/FeatureSet/Workers/Jobs/IncidentSla/CheckSlaBreaches.ts);
 * - once Response Breached, the worker no longer checks the SLA
 *   (`getSlasNeedingBreachCheck` in IncidentSlaService.ts takes On Track and At
 *   Risk only): it stays Response Breached while open, and its one breach
 *   notification is the response breach's even when `markResolved` later calls
 *   it Resolution Breached.
 * The worker runs every minute (`EVERY_MINUTE`), last at `nowMs`, on open SLAs
 * only: it notifies at its first run after a missed deadline, and sends nothing
 * without a breach. (A response or resolution before that run would leave no
 * notification; the seed's instants lie half a minute off the runs, so none does.)
 */
function slaStatusProblem(sla: IncidentSlaRecord, nowMs: number): string | undefined {
  const started = ms(sla.slaStartedAt)!;
  const responseDeadline = ms(sla.responseDeadline)!;
  const resolutionDeadline = ms(sla.resolutionDeadline)!;
  const respondedAt = ms(sla.respondedAt);
  const resolvedAt = ms(sla.resolvedAt);
  const breachSent = ms(sla.breachNotificationSentAt);
  const open = resolvedAt === undefined;
  const end = resolvedAt ?? nowMs;
  const responseLate = (respondedAt ?? end) > responseDeadline;
  const resolutionLate = end > resolutionDeadline;
  const used = (deadline: number, at: number) => (at - started) / (deadline - started);
  // A run must see 80 % of the response window used before the response came.
  const responseAtRisk =
    respondedAt === undefined
      ? used(responseDeadline, nowMs) >= 0.8
      : used(responseDeadline, respondedAt) > 0.8;
  const atRisk = used(resolutionDeadline, nowMs) >= 0.8 || responseAtRisk;
  const notified = (deadline: number, what: string) =>
    breachSent !== undefined && breachSent > deadline && breachSent <= deadline + MINUTE
      ? breachSent <= end
        ? undefined
        : 'breach notification after the SLA was resolved, or after now'
      : `breach notification not within the minute after the ${what} deadline`;
  switch (sla.status) {
    case 'Met':
      if (open) return 'Met but not resolved';
      if (responseLate || resolutionLate) return 'Met but a deadline passed first';
      if (breachSent !== undefined) return 'Met, yet a breach was notified';
      return undefined;
    case 'Response Breached':
    case 'Breached':
      if (!responseLate) return 'a response breach, yet the response was in time';
      if (!open && resolutionLate)
        return 'resolved late, which markResolved calls a resolution breach';
      return notified(responseDeadline, 'response');
    case 'Resolution Breached':
      if (!resolutionLate) return 'a resolution breach, yet resolved in time';
      if (open && responseLate)
        return 'open after a response breach, which the worker no longer checks';
      return responseLate
        ? notified(responseDeadline, 'response')
        : notified(resolutionDeadline, 'resolution');
    case 'On Track':
    case 'At Risk':
      if (!open) return `${sla.status} but resolved`;
      if (responseLate || resolutionLate) return `${sla.status} but a deadline has passed`;
      if (breachSent !== undefined) return `${sla.status}, yet a breach was notified`;
      if (atRisk !== (sla.status === 'At Risk'))
        return `${sla.status} at ${used(resolutionDeadline, nowMs)}`;
      return undefined;
    default:
      return `unexpected status ${sla.status}`;
  }
}

describe('seeded instants, relative to now', () => {
  const LATER = NOW + 400 * 24 * 60 * MINUTE + 1_234;

  it('move every instant by exactly the change of now, and nothing else', () => {
    const later = generateSeed(DEFAULT_SEED, 300, LATER);
    expect(shifted(later, NOW - LATER)).toEqual(seed);
    expect(later.incidents.map((i) => i.id)).toEqual(seed.incidents.map((i) => i.id));
  });

  it('keep every seeded event at or before now (deadlines aside) and within 60 days of it (project set-up aside)', () => {
    // The project's configuration (incident states, severities, roles) was set up long before.
    const { incidentStates, incidentSeverities, roles, ...rest } = seed;
    const past = instants(rest).filter(({ path }) => !/Deadline$/.test(path));
    expect(past.length).toBeGreaterThan(3000);
    expect(past.filter((i) => i.ms > NOW)).toEqual([]);
    const oldest = Math.min(...past.map((i) => i.ms));
    expect(NOW - oldest).toBeLessThanOrEqual(61 * 24 * 60 * MINUTE);
    const setUp = instants({ incidentStates, incidentSeverities, roles });
    expect(setUp.length).toBeGreaterThanOrEqual(3 * 2 * 3);
    expect(setUp.filter((i) => i.ms >= NOW)).toEqual([]);
  });

  it('give open incidents their age as duration, and resolved ones the time to resolve', () => {
    for (const incident of seed.incidents) {
      const end = ms(incident.closedAt) ?? NOW;
      expect(incident.duration).toBe(`${Math.round((end - ms(incident.createdAt)!) / 1000)}s`);
    }
  });

  it.each([
    ['the fixed now', NOW],
    ['400 days later', LATER],
  ])("give every SLA the status OneUptime's breach check gives it at %s", (_, nowMs) => {
    const { slas } = generateSeed(DEFAULT_SEED, 300, nowMs);
    const problems = slas
      .map((sla) => [sla, slaStatusProblem(sla, nowMs)] as const)
      .filter(([, problem]) => problem !== undefined)
      .map(([sla, problem]) => `${sla._id} (${sla.status}): ${problem}`);
    expect(problems).toEqual([]);
    for (const sla of slas) {
      const started = ms(sla.slaStartedAt)!;
      expect(ms(sla.responseDeadline)!, sla._id).toBeLessThanOrEqual(ms(sla.resolutionDeadline)!);
      expect(ms(sla.responseDeadline)!, sla._id).toBeGreaterThan(started);
      if (sla.respondedAt) {
        expect(ms(sla.respondedAt)!, sla._id).toBeGreaterThan(started);
        expect(ms(sla.respondedAt)!, sla._id).toBeLessThan(ms(sla.resolvedAt) ?? nowMs);
      }
    }
    // Open SLAs are not all due within the hour, nor all of them long overdue.
    const open = slas.filter((sla) => sla.status === 'On Track');
    expect(open.every((sla) => ms(sla.resolutionDeadline)! > nowMs + 60 * MINUTE)).toBe(true);
    const atRisk = slas.filter((sla) => sla.status === 'At Risk');
    expect(atRisk.length).toBeGreaterThan(0);
    expect(atRisk.every((sla) => ms(sla.resolutionDeadline)! > nowMs)).toBe(true);
  });
});
