/**
 * When each seeded Coralogix event happened (the `cxEventTimestamp` the event
 * feed shows), consistent with what the incident states about itself: OPEN at
 * `createdAt`, CLOSE at `closedAt`, and the last event at
 * `lastStateUpdateTime` with its key as `lastStateUpdateKey` (the emulator's
 * writes keep that rule: every write stamps both). Everything in between keeps
 * Coralogix's order, never earlier than the event before it. No random draws:
 * adding instants reshuffles nothing else of the seed.
 */
import type { IncidentEvent } from '../upstreams/coralogix/incidents/types.js';
import { cxEventKeyOf, type FeedRecord } from './coralogix/eventFeed.js';
import type { StoredIncident } from './coralogix/store.js';
import type { Lifecycle } from './seedCoralogix.js';
import { iso, MINUTE } from './seedRandom.js';
import { ACKNOWLEDGED_STATE } from './seedVocabulary.js';

/** Where an event falls in the incident's life before the order is enforced. */
function plannedAt(event: IncidentEvent, life: Lifecycle, assignments: number): number {
  const last = life.steps.at(-1)?.at ?? life.openedMs;
  switch (event.incidentEventType) {
    case 'INCIDENT_EVENT_TYPE_ASSIGN':
      return life.openedMs + assignments * MINUTE;
    case 'INCIDENT_EVENT_TYPE_SNOOZE_INDICATOR':
      return Date.parse(event.snoozeIndicator?.startTime ?? '') || life.openedMs;
    case 'INCIDENT_EVENT_TYPE_ACKNOWLEDGE':
      return life.steps.find((step) => step.state === ACKNOWLEDGED_STATE)?.at ?? last;
    case 'INCIDENT_EVENT_TYPE_CLOSE':
      return last;
    case 'INCIDENT_EVENT_TYPE_UPSERT_STATE':
      return event.upsertState?.stateType === 'UPSERT_INCIDENT_STATE_TYPE_RESOLVED'
        ? last
        : life.openedMs;
    default:
      return life.openedMs;
  }
}

/**
 * The feed records of one seeded incident. Also sets what depends on them:
 * a snooze's `startTime` is its event's instant, and `lastStateUpdateKey`
 * names the last event.
 */
export function seedEventFeed(incident: StoredIncident, life: Lifecycle): FeedRecord[] {
  const last = Date.parse(incident.lastStateUpdateTime);
  const records: FeedRecord[] = [];
  let previous = life.openedMs;
  let assignments = 0;
  incident.events.forEach((event, i) => {
    if (event.incidentEventType === 'INCIDENT_EVENT_TYPE_ASSIGN') assignments += 1;
    const planned = plannedAt(event, life, assignments);
    const atMs =
      i === incident.events.length - 1 ? last : Math.min(Math.max(planned, previous), last);
    previous = atMs;
    if (event.snoozeIndicator) event.snoozeIndicator.startTime = iso(atMs);
    records.push({
      incidentId: incident.id,
      eventId: event.id ?? '',
      cxEventKey: cxEventKeyOf(event),
      cxEventTimestamp: iso(atMs),
    });
  });
  const final = records.at(-1);
  if (final) incident.lastStateUpdateKey = final.cxEventKey;
  return records;
}
