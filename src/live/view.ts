/**
 * The gateway's previous view of recently changed incidents, per credential
 * scope: what a new snapshot is compared with. Bounded (least recently
 * changed dropped first), so it costs at most `capacity` incidents however
 * long subscribers stay: 500 (a few MiB) covers the 200 incidents one poll
 * reads plus what mutations wrote, per key set.
 *
 * Its watermark is how far polls have looked (this replica's, or another's
 * whose batches arrived over Redis), never moved by a mutation's snapshot: a
 * gateway write at 12:00:05 says nothing of what others changed at 12:00:03,
 * and the next poll must still look back that far.
 */
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import { diffIncident } from './diff.js';
import type { ChangeBatch, IncidentChange } from './events.js';

/** Where a snapshot comes from: only polls move the watermark. */
export type SnapshotSource = ChangeBatch['source'];

export const VIEW_CAPACITY = 500;

const timeOf = (incident: Incident) => Date.parse(incident.lastStateUpdateTime ?? '') || 0;

export class IncidentView {
  private readonly incidents = new Map<string, Incident>();
  private newest: number | undefined;

  constructor(private readonly capacity = VIEW_CAPACITY) {}

  get size(): number {
    return this.incidents.size;
  }

  /** The latest `lastStateUpdateTime` a poll has seen (ms), or undefined before any poll. */
  get watermark(): number | undefined {
    return this.newest;
  }

  has(id: string): boolean {
    return this.incidents.has(id);
  }

  /**
   * Records a snapshot and returns how it differs from the previous one.
   * `firstSight` decides for an incident not in the view. A snapshot older
   * than the one held (a poll that overlapped a mutation) is ignored.
   */
  observe(
    incident: Incident,
    firstSight: (incident: Incident) => IncidentChange | undefined,
    source: SnapshotSource,
  ): IncidentChange | undefined {
    const before = this.incidents.get(incident.id);
    if (before && timeOf(incident) < timeOf(before)) return undefined;
    this.remember(incident, source);
    return before ? diffIncident(before, incident) : firstSight(incident);
  }

  /** Records a snapshot without comparing (a baseline); an older one is ignored. */
  remember(incident: Incident, source: SnapshotSource): void {
    const time = timeOf(incident);
    if (source === 'poll' && (this.newest === undefined || time > this.newest)) {
      this.newest = time;
    }
    const before = this.incidents.get(incident.id);
    if (before && time < timeOf(before)) return;
    this.incidents.delete(incident.id);
    this.incidents.set(incident.id, incident);
    if (this.incidents.size > this.capacity) {
      const oldest = this.incidents.keys().next().value;
      if (oldest !== undefined) this.incidents.delete(oldest);
    }
  }
}
