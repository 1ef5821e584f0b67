/**
 * How an incident changed between two snapshots, in GraphQL field names.
 * Values are compared as canonical JSON (object keys sorted), so the same
 * data sent with keys in another order is no change.
 */
import { canonicalJson } from '../sharedCache/canonicalJson.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type { IncidentChange, IncidentWrite } from './events.js';

/** GraphQL `Incident` fields with a value of their own on the Coralogix incident. */
const FIELDS: Record<string, (incident: Incident) => unknown> = {
  name: (i) => i.name ?? '',
  description: (i) => i.description ?? null,
  state: (i) => i.state,
  status: (i) => i.status,
  severity: (i) => i.severity,
  assignments: (i) => i.assignments,
  contextualLabels: (i) => i.contextualLabels,
  displayLabels: (i) => i.displayLabels,
  metaLabels: (i) => i.metaLabels ?? [],
  events: (i) => i.events,
  createdAt: (i) => i.createdAt ?? null,
  closedAt: (i) => i.closedAt ?? null,
  lastStateUpdateTime: (i) => i.lastStateUpdateTime ?? null,
  lastStateUpdateKey: (i) => i.lastStateUpdateKey ?? null,
  duration: (i) => i.duration ?? null,
  isMuted: (i) => i.isMuted ?? false,
};

/** Coralogix may recompute `duration` of an open incident on every read: alone it is no change. */
const NOT_A_CHANGE_ALONE = new Set(['duration']);

/** The GraphQL fields whose values differ, in schema order. */
export function changedFields(before: Incident, after: Incident): string[] {
  const changed: string[] = [];
  for (const [field, read] of Object.entries(FIELDS)) {
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
export function diffIncident(before: Incident, after: Incident): IncidentChange | undefined {
  const fields = changedFields(before, after);
  if (fields.every((field) => NOT_A_CHANGE_ALONE.has(field))) return undefined;
  const kind = !before.closedAt && after.closedAt ? 'CLOSED' : 'UPDATED';
  return { kind, changedFields: fields, incident: after };
}

/**
 * A changed incident the gateway has no previous view of (it only keeps
 * recently changed ones). `sinceMs` is when the gateway last looked: created
 * after that is CREATED, closed after that is CLOSED; what else changed is
 * unknown, so `changedFields` is empty.
 */
export function firstSight(incident: Incident, sinceMs: number): IncidentChange {
  const after = (time: string | undefined) => time !== undefined && Date.parse(time) >= sinceMs;
  const kind = after(incident.createdAt)
    ? 'CREATED'
    : after(incident.closedAt)
      ? 'CLOSED'
      : 'UPDATED';
  return { kind, changedFields: [], incident };
}

/** The fields each gateway write changes, for an incident the gateway had no view of. */
const WRITE_FIELDS: Record<IncidentWrite, string[]> = {
  assign: ['assignments', 'events'],
  unassign: ['assignments', 'events'],
  acknowledge: ['status', 'events'],
  resolve: ['state', 'status', 'closedAt', 'events'],
  close: ['state', 'status', 'closedAt', 'events'],
};

/** What a gateway write did to an incident the gateway had no previous view of. */
export function changeByWrite(write: IncidentWrite, incident: Incident): IncidentChange {
  const closes = (write === 'close' || write === 'resolve') && Boolean(incident.closedAt);
  const fields = WRITE_FIELDS[write].filter((field) => field !== 'closedAt' || closes);
  return { kind: closes ? 'CLOSED' : 'UPDATED', changedFields: fields, incident };
}
