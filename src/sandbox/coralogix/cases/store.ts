/**
 * In-memory store of the Cases emulator: each case with its Activity timeline,
 * found by UUID or readable id (S1 `specs/cases_service.json` at 4464b2b3:
 * every `{id}` "accepts either the case UUID … or the readable identifier"),
 * and every event found by its id across cases (GetEvent takes only
 * `event_id`). Stored objects never leave the store: answers are copies made
 * by `caseView` / `cloneJson`.
 */
import type { Case, CaseEvent } from '../../../upstreams/coralogix/cases/types.js';
import { cloneJson } from '../store.js';

/**
 * A case as the emulator keeps it. `duration` is not stored: it is computed
 * when the case is read (it grows while the case is open). `endedAt` is when
 * the case stopped being open (resolved, or closed without a resolution); the
 * wire has no `closeTime`, so it lives beside the case.
 */
export interface CaseRecord {
  case: Omit<Case, 'duration'>;
  /** In insertion order (the order things happened in the seed, then writes). */
  events: CaseEvent[];
  endedAt?: string;
}

/** The prefix of readable ids (`CASE-123` in the specs' examples). */
export const READABLE_PREFIX = 'CASE-';

export class CaseStore {
  private records: CaseRecord[] = [];
  private byKey = new Map<string, CaseRecord>();
  private eventOwner = new Map<string, CaseRecord>();
  private lastReadable = 0;
  private revision = 0;

  constructor(private readonly seed: readonly CaseRecord[]) {
    this.reset();
  }

  /** Back to a fresh copy of the seed; the seed itself is never mutated. */
  reset(): void {
    this.records = this.seed.map((record) => cloneJson(record));
    this.byKey = new Map();
    this.eventOwner = new Map();
    this.lastReadable = 0;
    for (const record of this.records) {
      this.index(record);
      for (const event of record.events) this.eventOwner.set(event.eventId, record);
    }
    this.revision += 1;
  }

  /** Changes whenever any case or event changes. */
  get version(): number {
    return this.revision;
  }

  all(): readonly CaseRecord[] {
    return this.records;
  }

  /** By UUID or readable id (exact: ids are lower-case, readable ids upper-case). */
  find(key: string): CaseRecord | undefined {
    return this.byKey.get(key);
  }

  /** The case owning an event, by event id (either case of hex digits). */
  ownerOfEvent(eventId: string): CaseRecord | undefined {
    return this.eventOwner.get(eventId.toLowerCase());
  }

  /** The next readable id, for a case becoming Active (numbers only grow). */
  nextReadableId(record: CaseRecord): string {
    this.lastReadable += 1;
    const readableId = `${READABLE_PREFIX}${this.lastReadable}`;
    record.case.readableId = readableId;
    this.byKey.set(readableId, record);
    return readableId;
  }

  addEvent(record: CaseRecord, event: CaseEvent): void {
    record.events.push(event);
    this.eventOwner.set(event.eventId, record);
  }

  removeEvent(record: CaseRecord, eventId: string): void {
    record.events = record.events.filter((event) => event.eventId !== eventId);
    this.eventOwner.delete(eventId);
  }

  touch(): void {
    this.revision += 1;
  }

  private index(record: CaseRecord): void {
    this.byKey.set(record.case.id, record);
    const readable = record.case.readableId;
    if (readable === undefined) return;
    this.byKey.set(readable, record);
    const n = Number(readable.slice(READABLE_PREFIX.length));
    if (readable.startsWith(READABLE_PREFIX) && Number.isSafeInteger(n)) {
      this.lastReadable = Math.max(this.lastReadable, n);
    }
  }
}

/** Milliseconds the case is or was open (S1 `Case.duration`), at `nowMs`. */
export function durationMs(record: CaseRecord, nowMs: number): number {
  const end = record.endedAt === undefined ? nowMs : Date.parse(record.endedAt);
  return Math.max(0, end - Date.parse(record.case.createTime));
}

/** The case as the API answers it: a copy, `duration` as a digit string (S1 `^[0-9]+$`). */
export function caseView(record: CaseRecord, nowMs: number): Case {
  const view = cloneJson(record.case) as Case;
  view.duration = String(durationMs(record, nowMs));
  return view;
}
