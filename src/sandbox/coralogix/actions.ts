/**
 * The five incident writes. Each one changes one stored incident in place and
 * appends the matching event (the event shapes: `IncidentEvent` in
 * coralogix/coralogix-management-sdk 4464b2b30c488f99af4cbae425c887a56cfa38bd
 * `go/openapi/gen/incidents_service/api/openapi.yaml`).
 *
 * UNCONFIRMED (no vendor document or source says; docs/sandbox.md lists it):
 * a write that would change nothing (acknowledging an incident that is not
 * TRIGGERED, resolving a resolved one, closing a closed one, re-assigning a
 * current assignee, unassigning one with no assignee) is a no-op that still
 * answers 200 with the incident: no event, no new `lastStateUpdateTime`.
 */
import { randomUUID } from 'node:crypto';
import type { IncidentEvent } from '../../upstreams/coralogix/incidents/types.js';
import { cxEventKeyOf } from './eventFeed.js';
import type { StoredIncident } from './store.js';

export const WRITE_ACTIONS = ['acknowledge', 'resolve', 'close', 'assign', 'unassign'] as const;
export type WriteAction = (typeof WRITE_ACTIONS)[number];

export interface WriteContext {
  /** The user owning the API key: author of every administrative event. */
  actorId: string;
  nowMs: number;
  /** Only for `assign`. */
  assigneeId?: string;
}

type Write = (incident: StoredIncident, ctx: WriteContext) => boolean;

const WRITES: Record<WriteAction, Write> = {
  acknowledge,
  resolve,
  close,
  assign,
  unassign,
};

/** Applies one write; returns whether the incident changed. */
export function applyWrite(
  action: WriteAction,
  incident: StoredIncident,
  ctx: WriteContext,
): boolean {
  return WRITES[action](incident, ctx);
}

function acknowledge(incident: StoredIncident, ctx: WriteContext): boolean {
  if (incident.status !== 'INCIDENT_STATUS_TRIGGERED') return false;
  incident.status = 'INCIDENT_STATUS_ACKNOWLEDGED';
  addEvent(incident, ctx, {
    incidentEventType: 'INCIDENT_EVENT_TYPE_ACKNOWLEDGE',
    acknowledge: { acknowledgedBy: { userId: ctx.actorId } },
  });
  return true;
}

function resolve(incident: StoredIncident, ctx: WriteContext): boolean {
  if (isResolved(incident)) return false;
  markResolved(incident, ctx.nowMs);
  addEvent(incident, ctx, {
    incidentEventType: 'INCIDENT_EVENT_TYPE_UPSERT_STATE',
    upsertState: {
      stateType: 'UPSERT_INCIDENT_STATE_TYPE_RESOLVED',
      payload: { cxEventKey: randomUUID() },
      isMuted: incident.isMuted ?? false,
    },
  });
  return true;
}

/** Closing a resolved incident that has no CLOSE event yet records the close only. */
function close(incident: StoredIncident, ctx: WriteContext): boolean {
  const resolved = isResolved(incident);
  if (resolved && hasEvent(incident, 'INCIDENT_EVENT_TYPE_CLOSE')) return false;
  if (!resolved) markResolved(incident, ctx.nowMs);
  addEvent(incident, ctx, {
    incidentEventType: 'INCIDENT_EVENT_TYPE_CLOSE',
    close: { closedBy: { userId: ctx.actorId } },
  });
  return true;
}

/**
 * UNCONFIRMED: assigning a second user adds a second assignment and keeps the
 * first. The spec allows it (`Incident.assignments` is a list of 0..1000,
 * openapi.yaml lines 2445–2453) but says nothing of whether AssignIncidents
 * appends or replaces ("Assign one or more incidents to a specific user",
 * line 1366).
 */
function assign(incident: StoredIncident, ctx: WriteContext): boolean {
  const userId = ctx.assigneeId;
  if (userId === undefined) throw new Error('assign needs assigneeId');
  if (incident.assignments.some((a) => a.assignedTo?.userId === userId)) return false;
  const assignment = { assignedTo: { userId }, assignedBy: { userId: ctx.actorId } };
  incident.assignments.push(assignment);
  addEvent(incident, ctx, {
    incidentEventType: 'INCIDENT_EVENT_TYPE_ASSIGN',
    assignment: {
      assignment: { assignedTo: { userId }, assignedBy: { userId: ctx.actorId } },
    },
  });
  return true;
}

/**
 * UnassignIncidents names no user, only `incident_ids` ("Remove user
 * assignments from one or more incidents", openapi.yaml lines 1464–1490), so
 * it removes every assignment.
 */
function unassign(incident: StoredIncident, ctx: WriteContext): boolean {
  if (incident.assignments.length === 0) return false;
  incident.assignments = [];
  addEvent(incident, ctx, { incidentEventType: 'INCIDENT_EVENT_TYPE_UNASSIGN', unassign: {} });
  return true;
}

function isResolved(incident: StoredIncident): boolean {
  return (
    incident.state === 'INCIDENT_STATE_RESOLVED' && incident.status === 'INCIDENT_STATUS_RESOLVED'
  );
}

function hasEvent(incident: StoredIncident, type: IncidentEvent['incidentEventType']): boolean {
  return incident.events.some((event) => event.incidentEventType === type);
}

function markResolved(incident: StoredIncident, nowMs: number): void {
  incident.state = 'INCIDENT_STATE_RESOLVED';
  incident.status = 'INCIDENT_STATUS_RESOLVED';
  incident.closedAt = new Date(nowMs).toISOString();
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(incident.createdAt)) / 1000));
  incident.duration = `${seconds}s`;
}

type EventPayload = Omit<IncidentEvent, 'id' | 'originatorType' | 'administrativeEvent'>;

/**
 * Appends the event; the incident's last update names it (`lastStateUpdateKey`
 * is the event's feed key), and the emulator adds it to the event feed.
 */
function addEvent(incident: StoredIncident, ctx: WriteContext, payload: EventPayload): void {
  const event: IncidentEvent = {
    id: randomUUID(),
    originatorType: 'ORIGINATOR_TYPE_ADMINISTRATIVE',
    administrativeEvent: { userId: ctx.actorId },
    ...payload,
  };
  incident.events.push(event);
  incident.lastStateUpdateTime = new Date(ctx.nowMs).toISOString();
  incident.lastStateUpdateKey = cxEventKeyOf(event);
}
