/**
 * The case writes and the lifecycle they obey. Each write changes one stored
 * case in place and appends the matching Activity event (S1
 * `specs/case_events_service.json` `CaseEventData`: `statusChanged`,
 * `assigned`, `unassigned`, `priorityDetailsChanged`, `titleChangedEvent`,
 * `resolutionReasonChangedEvent`), with `eventTime` = `createTime` = the
 * write's instant and the caller's actor.
 *
 * Allowed status changes (facts section 5, from C1, coralogix/cx-cli
 * `skills/cx-cases/SKILL.md` @ 0b8785d; no spec states them):
 * PENDING_ACTIVATION → ACTIVE by the system only; ACTIVE → ACKNOWLEDGED,
 * RESOLVED or CLOSED; ACKNOWLEDGED → ACTIVE (unacknowledge), RESOLVED or
 * CLOSED; RESOLVED → CLOSED only; CLOSED is final.
 *
 * Sandbox decisions where the sources are silent (UNCONFIRMED, docs/sandbox.md):
 * - a disallowed change is refused with 400 `{code: 400, message}` (what a
 *   gRPC FAILED_PRECONDITION becomes behind grpc-gateway), nothing changed;
 * - a write that would leave the case as it is (acknowledging an
 *   acknowledged case, resolving a resolved one, closing a closed one,
 *   assigning the current assignee, …) is a no-op: 200, the case unchanged,
 *   no event;
 * - unacknowledging clears `acknowledgeTime`;
 * - assignment, priority, title and comments are allowed in every status;
 *   a resolution reason only on a case that has a resolution;
 * - an override of CASE_PRIORITY_UNSPECIFIED is refused (400).
 */
import { randomUUID } from 'node:crypto';
import type {
  CaseEvent,
  CaseEventData,
  CasePriorityWire,
  CaseResolver,
  CaseStatusWire,
  EventActor,
  PriorityDetails,
} from '../../../upstreams/coralogix/cases/types.js';
import { invalidArgument } from '../errors.js';
import { cloneJson } from '../store.js';
import type { CaseRecord, CaseStore } from './store.js';

export type CaseAction =
  | { kind: 'acknowledge' }
  | { kind: 'unacknowledge' }
  | { kind: 'resolve'; reason?: string }
  | { kind: 'close' }
  | { kind: 'assign'; userId: string }
  | { kind: 'unassign' }
  | { kind: 'setPriority'; priority: CasePriorityWire }
  | { kind: 'clearPriority' }
  | { kind: 'update'; title?: string; resolutionReason?: string }
  /** PENDING_ACTIVATION → ACTIVE: the system's alone (no API call does it). */
  | { kind: 'activate' };

export interface WriteContext {
  store: CaseStore;
  nowMs: number;
  /** The event's actor: the API key's user, bulk acknowledge's `actor`, or the system. */
  actor: EventActor;
  /** Who a resolution names (S1 `CaseResolver`: markers only, no user id). */
  resolver: CaseResolver;
}

type Status = CaseStatusWire;

/** Where each status may go by an API call (the system's activation is apart). */
const NEXT: Record<Status, readonly Status[]> = {
  CASE_STATUS_UNSPECIFIED: [],
  CASE_STATUS_PENDING_ACTIVATION: [],
  CASE_STATUS_ACTIVE: ['CASE_STATUS_ACKNOWLEDGED', 'CASE_STATUS_RESOLVED', 'CASE_STATUS_CLOSED'],
  CASE_STATUS_ACKNOWLEDGED: ['CASE_STATUS_ACTIVE', 'CASE_STATUS_RESOLVED', 'CASE_STATUS_CLOSED'],
  CASE_STATUS_RESOLVED: ['CASE_STATUS_CLOSED'],
  CASE_STATUS_CLOSED: [],
};

const WHY: Partial<Record<Status, string>> = {
  CASE_STATUS_PENDING_ACTIVATION: 'a pending case is activated by the system first',
  CASE_STATUS_RESOLVED: 'a resolved case can only be closed',
  CASE_STATUS_CLOSED: 'a closed case is final',
};

const name = (record: CaseRecord) => record.case.readableId ?? record.case.id;

/** The status a status-changing action leads to. */
function target(action: CaseAction): Status | undefined {
  switch (action.kind) {
    case 'acknowledge':
      return 'CASE_STATUS_ACKNOWLEDGED';
    case 'unacknowledge':
    case 'activate':
      return 'CASE_STATUS_ACTIVE';
    case 'resolve':
      return 'CASE_STATUS_RESOLVED';
    case 'close':
      return 'CASE_STATUS_CLOSED';
    default:
      return undefined;
  }
}

/**
 * Throws the 400 refusing `action` on this case, if the lifecycle forbids it.
 * Called for every case of a bulk call before any of them changes.
 */
export function checkAction(record: CaseRecord, action: CaseAction): void {
  const from = record.case.status;
  const to = target(action);
  if (to !== undefined && to !== from) {
    const allowed =
      action.kind === 'activate'
        ? from === 'CASE_STATUS_PENDING_ACTIVATION'
        : NEXT[from].includes(to);
    if (!allowed) {
      const why = WHY[from] ?? `it cannot go from ${from} to ${to}`;
      throw invalidArgument(`cannot ${action.kind} case ${name(record)}: ${why}`);
    }
  }
  if (action.kind === 'update' && action.resolutionReason !== undefined) {
    if (!record.case.resolutionDetails) {
      throw invalidArgument(
        `cannot set the resolution reason of case ${name(record)}: it has not been resolved`,
      );
    }
  }
}

/** Applies a checked action; returns whether the case changed. */
export function applyAction(record: CaseRecord, action: CaseAction, ctx: WriteContext): boolean {
  const before = record.events.length;
  switch (action.kind) {
    case 'acknowledge':
    case 'unacknowledge':
    case 'resolve':
    case 'close':
    case 'activate':
      changeStatus(record, action, ctx);
      break;
    case 'assign':
      assign(record, action.userId, ctx);
      break;
    case 'unassign':
      unassign(record, ctx);
      break;
    case 'setPriority':
      setOverride(record, action.priority, ctx);
      break;
    case 'clearPriority':
      setOverride(record, undefined, ctx);
      break;
    case 'update':
      update(record, action, ctx);
      break;
    default: {
      const never: never = action;
      throw new Error(`unknown case action ${JSON.stringify(never)}`);
    }
  }
  const changed = record.events.length > before;
  if (changed) record.case.updateTime = new Date(ctx.nowMs).toISOString();
  return changed;
}

function changeStatus(record: CaseRecord, action: CaseAction, ctx: WriteContext): void {
  const to = target(action) as Status;
  const from = record.case.status;
  if (to === from) return;
  const now = new Date(ctx.nowMs).toISOString();
  const current = record.case;
  current.status = to;
  if (to === 'CASE_STATUS_ACKNOWLEDGED') current.acknowledgeTime = now;
  if (action.kind === 'unacknowledge') delete current.acknowledgeTime;
  // S1 `Case.readableId`: "available only for the cases that became Active".
  if (action.kind === 'activate' && current.readableId === undefined) {
    ctx.store.nextReadableId(record);
  }
  if (action.kind === 'resolve') {
    current.resolutionDetails = { resolveTime: now, resolvedBy: cloneJson(ctx.resolver) };
    if (action.reason !== undefined) current.resolutionDetails.reason = action.reason;
  }
  // The case stops being open when resolved, or when closed without a resolution.
  if (
    to === 'CASE_STATUS_RESOLVED' ||
    (to === 'CASE_STATUS_CLOSED' && record.endedAt === undefined)
  ) {
    record.endedAt = new Date(ctx.nowMs).toISOString();
  }
  addEvent(record, ctx, { statusChanged: { oldStatus: from, newStatus: to } });
}

function assign(record: CaseRecord, userId: string, ctx: WriteContext): void {
  const previous = record.case.assignee?.userId;
  if (previous === userId) return;
  record.case.assignee = { userId };
  addEvent(record, ctx, {
    assigned:
      previous === undefined
        ? { assigneeUserId: userId }
        : { assigneeUserId: userId, previousAssigneeUserId: previous },
  });
}

function unassign(record: CaseRecord, ctx: WriteContext): void {
  const previous = record.case.assignee?.userId;
  if (previous === undefined) return;
  delete record.case.assignee;
  addEvent(record, ctx, { unassigned: { previousAssigneeUserId: previous } });
}

/** The effective priority is the override when set, else the system's (S1 `Case.priority`). */
function setOverride(
  record: CaseRecord,
  override: CasePriorityWire | undefined,
  ctx: WriteContext,
): void {
  const from: PriorityDetails = { ...record.case.priorityDetails };
  if (from.override === override) return;
  const to: PriorityDetails = { ...from };
  if (override === undefined) delete to.override;
  else to.override = override;
  record.case.priorityDetails = to;
  record.case.priority = to.override ?? to.system ?? 'CASE_PRIORITY_UNSPECIFIED';
  addEvent(record, ctx, { priorityDetailsChanged: { from, to: { ...to } } });
}

function update(
  record: CaseRecord,
  action: Extract<CaseAction, { kind: 'update' }>,
  ctx: WriteContext,
): void {
  const current = record.case;
  if (action.title !== undefined && action.title !== current.title) {
    addEvent(record, ctx, { titleChangedEvent: { from: current.title, to: action.title } });
    current.title = action.title;
  }
  const details = current.resolutionDetails;
  if (
    details &&
    action.resolutionReason !== undefined &&
    action.resolutionReason !== details.reason
  ) {
    const change =
      details.reason === undefined
        ? { to: action.resolutionReason }
        : { from: details.reason, to: action.resolutionReason };
    addEvent(record, ctx, { resolutionReasonChangedEvent: change });
    details.reason = action.resolutionReason;
  }
}

function addEvent(record: CaseRecord, ctx: WriteContext, eventData: CaseEventData): void {
  const at = new Date(ctx.nowMs).toISOString();
  const event: CaseEvent = {
    eventId: randomUUID(),
    eventData,
    actor: cloneJson(ctx.actor),
    createTime: at,
    eventTime: at,
  };
  ctx.store.addEvent(record, event);
}
