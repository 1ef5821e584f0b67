import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, createRandom, generateSeed, slugify } from '../../src/sandbox/seed.js';
import { INCIDENT_SEVERITIES } from '../../src/upstreams/coralogix/types.js';
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

  it('gives every incident 1 to 6 timeline entries', () => {
    const counts = new Map(seed.incidents.map((i) => [i.id, 0]));
    for (const entry of seed.stateTimelines) {
      counts.set(entry.incidentId!, (counts.get(entry.incidentId!) ?? 0) + 1);
    }
    for (const count of counts.values()) {
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(6);
    }
  });

  it('chains each incident timeline: strictly increasing startsAt, endsAt = next startsAt, last open', () => {
    for (const item of seed.incidents) {
      const entries = seed.stateTimelines
        .filter((t) => t.incidentId === item.id)
        .sort((a, b) => Date.parse(a.startsAt!) - Date.parse(b.startsAt!));
      entries.forEach((entry, i) => {
        const next = entries[i + 1];
        if (next) {
          expect(Date.parse(next.startsAt!)).toBeGreaterThan(Date.parse(entry.startsAt!));
          expect(entry.endsAt).toBe(next.startsAt);
        } else {
          expect(entry.endsAt).toBeNull();
        }
      });
      expect(entries[0]?.startsAt).toBe(item.createdAt);
    }
  });

  it('ends a resolved incident timeline in the Resolved state at its close time', () => {
    const resolvedState = seed.incidentStates.find((s) => s.name === 'Resolved');
    for (const item of seed.incidents.filter((i) => i.state === 'INCIDENT_STATE_RESOLVED')) {
      const last = seed.stateTimelines.filter((t) => t.incidentId === item.id).at(-1);
      expect(last?.incidentStateId).toBe(resolvedState?.id);
      expect(last?.startsAt).toBe(item.closedAt);
    }
  });

  it('links every OneUptime record to a Coralogix incident id', () => {
    const ids = new Set(seed.incidents.map((i) => i.id));
    for (const record of [...seed.stateTimelines, ...seed.slas]) {
      expect(ids.has(record.incidentId!)).toBe(true);
    }
  });

  it('uses only known incident states and SLA rules', () => {
    const stateIds = new Set(seed.incidentStates.map((s) => s.id));
    const ruleIds = new Set(seed.slaRuleIds);
    expect(seed.stateTimelines.every((t) => stateIds.has(t.incidentStateId!))).toBe(true);
    expect(seed.slas.every((s) => ruleIds.has(s.incidentSlaRuleId!))).toBe(true);
  });

  it('gives every OneUptime record a distinct _id', () => {
    const all = [...seed.stateTimelines, ...seed.slas, ...seed.roles].map((r) => r._id);
    expect(new Set(all).size).toBe(all.length);
  });

  it('seeds every SLA status value, so each SlaStatus filter has data', () => {
    expect(new Set(seed.slas.map((sla) => sla.status))).toEqual(new Set(SLA_STATUSES));
  });

  it('uses only the SLA status strings OneUptime sends', () => {
    for (const sla of seed.slas) expect(SLA_STATUSES).toContain(sla.status);
  });

  it('only marks resolved incidents Met or breached', () => {
    const resolved = new Set(
      seed.incidents.filter((i) => i.state === 'INCIDENT_STATE_RESOLVED').map((i) => i.id),
    );
    for (const sla of seed.slas.filter((s) => resolved.has(s.incidentId!))) {
      expect(sla.status === 'Met' || sla.status!.includes('Breached')).toBe(true);
    }
  });

  it('makes a handful of roles with slugs and #RRGGBB colours', () => {
    expect(seed.roles.length).toBeGreaterThanOrEqual(3);
    for (const item of seed.roles) {
      expect(item.slug).toBe(slugify(item.name!));
      expect(item.color).toMatch(/^#[0-9A-F]{6}$/);
    }
    expect(seed.roles.filter((r) => r.isPrimaryRole)).toHaveLength(1);
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
 */
function slaStatusProblem(sla: IncidentSlaRecord, nowMs: number): string | undefined {
  const started = ms(sla.slaStartedAt)!;
  const responseDeadline = ms(sla.responseDeadline)!;
  const resolutionDeadline = ms(sla.resolutionDeadline)!;
  const respondedAt = ms(sla.respondedAt);
  const resolvedAt = ms(sla.resolvedAt);
  const breachSent = ms(sla.breachNotificationSentAt);
  const responseLate = (respondedAt ?? nowMs) > responseDeadline;
  const resolutionLate = (resolvedAt ?? nowMs) > resolutionDeadline;
  const used = (deadline: number) => (nowMs - started) / (deadline - started);
  const atRisk =
    used(resolutionDeadline) >= 0.8 || (respondedAt === undefined && used(responseDeadline) >= 0.8);
  const open = resolvedAt === undefined;
  switch (sla.status) {
    case 'Met':
      if (open) return 'Met but not resolved';
      if (responseLate || resolutionLate) return 'Met but a deadline passed first';
      return undefined;
    case 'Response Breached':
    case 'Breached':
      if (!responseLate) return 'a response breach, yet the response was in time';
      if (!(breachSent! > responseDeadline && breachSent! <= nowMs)) {
        return 'breach notification not between the response deadline and now';
      }
      return undefined;
    case 'Resolution Breached':
      if (!resolutionLate) return 'a resolution breach, yet resolved in time';
      if (!(breachSent! > resolutionDeadline && breachSent! <= nowMs)) {
        return 'breach notification not between the resolution deadline and now';
      }
      return undefined;
    case 'On Track':
    case 'At Risk':
      if (!open) return `${sla.status} but resolved`;
      if (responseLate || resolutionLate) return `${sla.status} but a deadline has passed`;
      if (atRisk !== (sla.status === 'At Risk'))
        return `${sla.status} at ${used(resolutionDeadline)}`;
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

  it('keep every seeded event at or before now (deadlines aside) and within 60 days of it (roles aside)', () => {
    const { roles, ...rest } = seed;
    const past = instants(rest).filter(({ path }) => !/Deadline$/.test(path));
    expect(past.length).toBeGreaterThan(3000);
    expect(past.filter((i) => i.ms > NOW)).toEqual([]);
    const oldest = Math.min(...past.map((i) => i.ms));
    expect(NOW - oldest).toBeLessThanOrEqual(61 * 24 * 60 * MINUTE);
    expect(instants(roles).every((i) => i.ms < NOW)).toBe(true);
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
