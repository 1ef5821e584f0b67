/**
 * How a record changed between two snapshots, in GraphQL field names, for
 * any live family (families.ts). Values are compared as canonical JSON
 * (object keys sorted), so the same data sent with keys in another order is
 * no change. The incident functions keep their names (diffIncident, …).
 */
import { canonicalJson } from '../sharedCache/canonicalJson.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type { IncidentChange, IncidentWrite, LiveChange } from './events.js';
import { INCIDENT_LIVE, type LiveFamily } from './families.js';

/** The GraphQL fields whose values differ, in schema order. */
export function changedFieldsOf<R>(
  family: Pick<LiveFamily<R, LiveChange, string>, 'fields'>,
  before: R,
  after: R,
): string[] {
  const changed: string[] = [];
  for (const [field, read] of Object.entries(family.fields)) {
    const a = read(before);
    const b = read(after);
    if (a === b) continue;
    if (typeof a !== 'object' && typeof b !== 'object') {
      changed.push(field);
      continue;
    }
    if (canonicalJson(a) !== canonicalJson(b)) changed.push(field);
  }
  return changed;
}

/** The change from `before` to `after`; undefined when nothing that counts changed. */
export function diffRecords<R, C extends LiveChange, W extends string>(
  family: LiveFamily<R, C, W>,
  before: R,
  after: R,
): C | undefined {
  const fields = changedFieldsOf(family, before, after);
  if (fields.every((field) => family.notAChangeAlone.has(field))) return undefined;
  const kind = !family.isClosed(before) && family.isClosed(after) ? 'CLOSED' : 'UPDATED';
  return family.change(kind, fields, after);
}

/**
 * A changed record the gateway has no previous view of (it only keeps
 * recently changed ones). `sinceMs` is when the gateway last looked: created
 * after that is CREATED, closed after that is CLOSED; what else changed is
 * unknown, so `changedFields` is empty.
 */
export function firstSightOf<R, C extends LiveChange, W extends string>(
  family: LiveFamily<R, C, W>,
  record: R,
  sinceMs: number,
): C {
  const created = family.createdAt(record);
  const kind =
    created !== undefined && Date.parse(created) >= sinceMs
      ? 'CREATED'
      : family.closedSince(record, sinceMs)
        ? 'CLOSED'
        : 'UPDATED';
  return family.change(kind, [], record);
}

/** What a gateway write did to a record the gateway had no previous view of. */
export function changeByWriteOf<R, C extends LiveChange, W extends string>(
  family: LiveFamily<R, C, W>,
  write: W,
  record: R,
): C {
  const closes = family.isClosed(record);
  // A write that can close (resolve, close) names `closedAt` only when it did.
  const fields = family.writeFields[write].filter((field) => field !== 'closedAt' || closes);
  const closing = (write as string) === 'close' || (write as string) === 'resolve';
  return family.change(closing && closes ? 'CLOSED' : 'UPDATED', fields, record);
}

export const changedFields = (before: Incident, after: Incident) =>
  changedFieldsOf(INCIDENT_LIVE, before, after);
export const diffIncident = (before: Incident, after: Incident): IncidentChange | undefined =>
  diffRecords(INCIDENT_LIVE, before, after);
export const firstSight = (incident: Incident, sinceMs: number): IncidentChange =>
  firstSightOf(INCIDENT_LIVE, incident, sinceMs);
export const changeByWrite = (write: IncidentWrite, incident: Incident): IncidentChange =>
  changeByWriteOf(INCIDENT_LIVE, write, incident);
