/**
 * The seeded event feed: every Coralogix event has one instant and one key,
 * and the instants agree with what each incident states about itself.
 */
import { describe, expect, it } from 'vitest';
import { generateSeed } from '../../src/sandbox/seed.js';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const seed = generateSeed(undefined, undefined, NOW);

describe('generateSeed: event instants', () => {
  const byEvent = new Map(
    seed.eventFeed.map((r) => [r.eventId, { ...r, atMs: Date.parse(r.cxEventTimestamp) }]),
  );

  it('gives every Coralogix event exactly one feed record with a key of its own', () => {
    const events = seed.incidents.flatMap((i) =>
      i.events.map((e) => ({ incident: i.id, id: e.id })),
    );
    expect(seed.eventFeed).toHaveLength(events.length);
    for (const event of events) expect(byEvent.get(event.id!)?.incidentId).toBe(event.incident);
    expect(new Set(seed.eventFeed.map((r) => r.cxEventKey)).size).toBe(events.length);
  });

  it('keeps the feed oldest first and every instant before now', () => {
    const instants = seed.eventFeed.map((r) => Date.parse(r.cxEventTimestamp));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(Math.max(...instants)).toBeLessThan(NOW);
  });

  it('puts OPEN at createdAt, CLOSE at closedAt and the last event at lastStateUpdateTime, named by lastStateUpdateKey', () => {
    for (const incident of seed.incidents) {
      const at = (id: string | undefined) => byEvent.get(id ?? '')?.atMs;
      const open = incident.events.find((e) => e.incidentEventType === 'INCIDENT_EVENT_TYPE_OPEN');
      expect(at(open?.id)).toBe(Date.parse(incident.createdAt));
      const close = incident.events.find(
        (e) => e.incidentEventType === 'INCIDENT_EVENT_TYPE_CLOSE',
      );
      if (close) expect(at(close.id)).toBe(Date.parse(incident.closedAt ?? ''));
      const last = byEvent.get(incident.events.at(-1)?.id ?? '');
      expect(last?.atMs).toBe(Date.parse(incident.lastStateUpdateTime));
      expect(last?.cxEventKey).toBe(incident.lastStateUpdateKey);
    }
  });

  it('never puts an event before the one Coralogix lists before it', () => {
    for (const incident of seed.incidents) {
      const instants = incident.events.map((e) => byEvent.get(e.id ?? '')?.atMs ?? Number.NaN);
      instants.forEach((ms, i) => {
        if (i > 0) expect(ms).toBeGreaterThanOrEqual(instants[i - 1]!);
      });
    }
  });

  it('uses an alert-state change’s own cxEventKey and a snooze’s instant as its startTime', () => {
    for (const incident of seed.incidents) {
      for (const event of incident.events) {
        const record = byEvent.get(event.id ?? '')!;
        if (event.upsertState?.payload?.cxEventKey) {
          expect(record.cxEventKey).toBe(event.upsertState.payload.cxEventKey);
        }
        if (event.snoozeIndicator) {
          expect(event.snoozeIndicator.startTime).toBe(new Date(record.atMs).toISOString());
        }
      }
    }
  });
});
