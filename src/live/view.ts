/**
 * The gateway's previous view of recently changed incidents, per credential
 * scope: what a new snapshot is compared with. Bounded (least recently
 * changed dropped first), so it costs at most `capacity` incidents however
 * long subscribers stay: 500 (a few MiB) covers the 200 incidents one poll
 * reads plus what mutations wrote, per key set.
 */
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import { diffIncident } from './diff.js';
import type { IncidentChange } from './events.js';

export const VIEW_CAPACITY = 500;

const timeOf = (incident: Incident) => Date.parse(incident.lastStateUpdateTime ?? '') || 0;

export class IncidentView {
  private readonly incidents = new Map<string, Incident>();
  private newest: number | undefined;

  constructor(private readonly capacity = VIEW_CAPACITY) {}

  get size(): number {
    return this.incidents.size;
  }

  /** The latest `lastStateUpdateTime` seen (ms), or undefined while the view is empty. */
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
  ): IncidentChange | undefined {
    const before = this.incidents.get(incident.id);
    if (before && timeOf(incident) < timeOf(before)) return undefined;
    this.remember(incident);
    return before ? diffIncident(before, incident) : firstSight(incident);
  }

  /** Records a snapshot without comparing (a baseline); an older one is ignored. */
  remember(incident: Incident): void {
    const before = this.incidents.get(incident.id);
    if (before && timeOf(incident) < timeOf(before)) return;
    this.incidents.delete(incident.id);
    this.incidents.set(incident.id, incident);
    const time = timeOf(incident);
    if (this.newest === undefined || time > this.newest) this.newest = time;
    if (this.incidents.size > this.capacity) {
      const oldest = this.incidents.keys().next().value;
      if (oldest !== undefined) this.incidents.delete(oldest);
    }
  }
}
