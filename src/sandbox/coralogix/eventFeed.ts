/**
 * The instants of Coralogix incident events, as only `ListIncidentEvents`
 * (`GET /incidents/events/v1`, openapi_v5.yaml e509de6 line 8624) reveals them:
 * each event of an incident wrapped as an `IncidentEventExtended` with
 * `cxEventKey`, `cxEventTimestamp` and metadata about its incident and alert
 * (schema `IncidentEventExtended`, line 33284; proto
 * `incident_event_extended.proto` in coralogix-management-sdk 4464b2b3).
 *
 * The feed is kept in (instant, arrival) order; writes append to it. Which key
 * an event that is not an alert-state change carries is not documented: the
 * emulator gives every event a key of its own (an upsert's is its
 * `payload.cxEventKey`), and `GET /incidents/events/v1/{event_id}` looks events
 * up by that key (the operation "retrieves an incident by related alert event
 * id", and alert events are named by `cxEventKey` throughout the API:
 * `UpsertIncidentStatePayload.cx_event_key`, `Incident.last_state_update_key`).
 */
import { createHash } from 'node:crypto';
import type { IncidentEvent } from '../../upstreams/coralogix/incidents/types.js';
import type { StoredIncident } from './store.js';

/** One event's place in the feed: which incident, which event, its key and instant (RFC 3339). */
export interface FeedRecord {
  incidentId: string;
  eventId: string;
  cxEventKey: string;
  cxEventTimestamp: string;
}

export interface FeedEntry extends FeedRecord {
  atMs: number;
  /** Arrival order: breaks ties between events of one instant. */
  seq: number;
}
type Entry = FeedEntry;

/** A key derived from the event id (deterministic, UUID-shaped) for events that name none. */
export function cxEventKeyOf(event: IncidentEvent): string {
  const own = event.upsertState?.payload?.cxEventKey;
  if (own) return own;
  const hex = createHash('sha256')
    .update(`cx-event:${event.id ?? ''}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Whether entry `a` comes before `b` in ascending feed order. */
const before = (a: Entry, b: Entry) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);

export class EventFeed {
  private entries: Entry[] = [];
  private byKey = new Map<string, Entry>();
  private nextSeq = 0;
  private revision = 0;

  constructor(private readonly seed: readonly FeedRecord[]) {
    this.reset();
  }

  reset(): void {
    this.entries = [];
    this.byKey.clear();
    this.nextSeq = 0;
    for (const record of this.seed) this.add(record);
    this.revision += 1;
  }

  /** Changes whenever the feed changes. */
  get version(): number {
    return this.revision;
  }

  /** Ascending by instant, then by arrival. */
  all(): readonly FeedEntry[] {
    return this.entries;
  }

  find(cxEventKey: string): FeedEntry | undefined {
    return this.byKey.get(cxEventKey);
  }

  /** Records events a write just appended to an incident, at the write's instant. */
  append(incident: StoredIncident, events: readonly IncidentEvent[], atMs: number): void {
    for (const event of events) {
      this.add({
        incidentId: incident.id,
        eventId: event.id ?? '',
        cxEventKey: cxEventKeyOf(event),
        cxEventTimestamp: new Date(atMs).toISOString(),
      });
    }
    if (events.length > 0) this.revision += 1;
  }

  private add(record: FeedRecord): void {
    const entry: Entry = {
      ...record,
      atMs: Date.parse(record.cxEventTimestamp),
      seq: this.nextSeq++,
    };
    // Binary search for the insertion point: writes usually append at the end.
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(this.entries[mid] as Entry, entry)) low = mid + 1;
      else high = mid;
    }
    this.entries.splice(low, 0, entry);
    this.byKey.set(entry.cxEventKey, entry);
  }
}
