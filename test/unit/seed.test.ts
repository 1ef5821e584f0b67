import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, createRandom, generateSeed, slugify } from '../../src/sandbox/seed.js';
import { INCIDENT_SEVERITIES } from '../../src/upstreams/coralogix/types.js';
import { SLA_STATUSES } from '../../src/upstreams/oneuptime/types.js';

const seed = generateSeed();

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
    expect(generateSeed()).toEqual(seed);
    expect(generateSeed(5, 20)).toEqual(generateSeed(5, 20));
  });

  it('yields different data for a different seed', () => {
    const other = generateSeed(DEFAULT_SEED + 1);
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
