/**
 * The gateway's previous view of recently changed records of one live family
 * (families.ts), per credential scope: what a new snapshot is compared with.
 * Bounded (least recently changed dropped first), so it costs at most
 * `capacity` records however long subscribers stay: 500 (a few MiB) covers
 * the 200 records one poll reads plus what mutations wrote, per key set.
 *
 * Its watermark is how far polls have looked (this replica's, or another's
 * whose batches arrived over Redis), never moved by a mutation's snapshot: a
 * gateway write at 12:00:05 says nothing of what others changed at 12:00:03,
 * and the next poll must still look back that far.
 */
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import { diffRecords } from './diff.js';
import type { ChangeBatch, IncidentChange, IncidentWrite, LiveChange } from './events.js';
import { INCIDENT_LIVE, type LiveFamily } from './families.js';

/** Where a snapshot comes from: only polls move the watermark. */
export type SnapshotSource = ChangeBatch['source'];

export const VIEW_CAPACITY = 500;

export class ChangeView<R, C extends LiveChange = LiveChange, W extends string = string> {
  private readonly records = new Map<string, R>();
  private newest: number | undefined;

  constructor(
    readonly family: LiveFamily<R, C, W>,
    private readonly capacity = VIEW_CAPACITY,
  ) {}

  get size(): number {
    return this.records.size;
  }

  /** The latest change time a poll has seen (ms), or undefined before any poll. */
  get watermark(): number | undefined {
    return this.newest;
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /**
   * Records a snapshot and returns how it differs from the previous one.
   * `firstSight` decides for a record not in the view. A snapshot older than
   * the one held (a poll that overlapped a mutation) is ignored.
   */
  observe(
    record: R,
    firstSight: (record: R) => C | undefined,
    source: SnapshotSource,
  ): C | undefined {
    const { family } = this;
    const before = this.records.get(family.id(record));
    if (before && family.changedAt(record) < family.changedAt(before)) return undefined;
    this.remember(record, source);
    return before ? diffRecords(family, before, record) : firstSight(record);
  }

  /** Records a snapshot without comparing (a baseline); an older one is ignored. */
  remember(record: R, source: SnapshotSource): void {
    const { family } = this;
    const time = family.changedAt(record);
    if (source === 'poll' && (this.newest === undefined || time > this.newest)) {
      this.newest = time;
    }
    const id = family.id(record);
    const before = this.records.get(id);
    if (before && time < family.changedAt(before)) return;
    this.records.delete(id);
    this.records.set(id, record);
    if (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }
}

/** The view of incidents (the first family; its tests and callers use this name). */
export class IncidentView extends ChangeView<Incident, IncidentChange, IncidentWrite> {
  constructor(capacity = VIEW_CAPACITY) {
    super(INCIDENT_LIVE, capacity);
  }
}
