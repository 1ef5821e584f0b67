/**
 * The state timeline's service rules (`Common/Server/Services/
 * IncidentStateTimelineService.ts` at ab6f409): `onBeforeCreate` (≈ lines
 * 77–290) places a new entry by `startsAt` between its neighbours and refuses
 * a repeated or backward state; `onCreateSuccess` (≈ 292–700) closes the
 * previous entry, moves the incident's `currentIncidentStateId` when the entry
 * is the latest (≈ 452), assigns the Incident Commander and tracks SLAs;
 * `onBeforeDelete`/`onDeleteSuccess` (≈ 1062–1250) keep the chain and the
 * incident's current state.
 */
import { badRequest } from './errors.js';
import type { Hooks, WriteContext } from './hooks.js';
import { validateReferences } from './integrity.js';
import { trackSlaStateChange } from './slaTracking.js';
import type { Database, Row, Table } from './store.js';

const startOf = (row: Row) => (typeof row.startsAt === 'string' ? row.startsAt : '');

/** An incident's timeline, oldest first; equal starts keep insertion order (the sort is stable). */
export function timelineOf(table: Table, incidentId: unknown): Row[] {
  if (typeof incidentId !== 'string') return [];
  return table.forIncident(incidentId).sort((a, b) => {
    const x = startOf(a);
    const y = startOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

export function stateOf(db: Database, row: Row | undefined): Row | undefined {
  return typeof row?.incidentStateId === 'string'
    ? db.tables['incident-state'].get(row.incidentStateId)
    : undefined;
}

/**
 * The service's checks against the entry before (same state: 400; an `order`
 * not after the previous one: 400) and the entry after (same state: 400).
 * There is no order check against the entry after.
 */
function checkNeighbours(row: Row, state?: Row, previous?: Row, before?: Row, after?: Row) {
  if (before && before.incidentStateId === row.incidentStateId) {
    throw badRequest('Incident state cannot be same as previous state.');
  }
  if (state && previous?.order && state.order && Number(state.order) <= Number(previous.order)) {
    const [to, from] = [String(state.name), String(previous.name)];
    throw badRequest(
      `Incident cannot transition to ${to} state from ${from} state because ${to} is before ${from} in the order of incident states.`,
    );
  }
  if (after && after.incidentStateId === row.incidentStateId) {
    throw badRequest('Incident state cannot be same as next state.');
  }
}

/** `autoAssignIncidentCommander`: the user who changed the state becomes commander if none is. */
function assignCommander(ctx: WriteContext, incidentId: string, userId: string): void {
  const roles = [...ctx.db.tables['incident-role'].values()];
  const primary = roles.find((role) => role.isPrimaryRole === true);
  if (!primary) return;
  const members = ctx.db.tables['incident-member'].forIncident(incidentId);
  if (members.some((m) => m.incidentRoleId === primary._id || m.userId === userId)) return;
  try {
    ctx.insert('incident-member', { incidentId, userId, incidentRoleId: primary._id });
  } catch {
    // Fire-and-forget upstream (`.catch` logs it): the state change still succeeds.
  }
}

function createEntry(row: Row, ctx: WriteContext) {
  if (!row.incidentId) throw badRequest('incidentId is null');
  row.startsAt ??= ctx.now;
  if (!row.incidentStateId) throw badRequest('incidentStateId is null');
  validateReferences(ctx.db, 'incident state timeline', [
    { modelName: 'Incident State', table: 'incident-state', id: row.incidentStateId },
  ]);
  const table = ctx.db.tables['incident-state-timeline'];
  const timeline = timelineOf(table, row.incidentId);
  const startsAt = startOf(row);
  const before = timeline.findLast((entry) => startOf(entry) <= startsAt);
  const after = timeline.find((entry) => startOf(entry) > startsAt);
  const state = stateOf(ctx.db, row);
  const previous = stateOf(ctx.db, before);
  checkNeighbours(row, state, previous, before, after);
  if (after) row.endsAt = after.startsAt;
  row.shouldStatusPageSubscribersBeNotified ??= true;
  row.stateChangeLog = { from: previous?.name ?? null, to: state?.name ?? null };
  // OneUptime does not notify owners about an incident's first state.
  row.isOwnerNotified = before ? (row.isOwnerNotified ?? false) : true;
  return () => {
    if (before) table.patch(before, { endsAt: startsAt, updatedAt: ctx.now });
    const incident = ctx.db.tables.incident.get(String(row.incidentId));
    if (!row.endsAt && incident) {
      ctx.db.tables.incident.patch(incident, {
        currentIncidentStateId: row.incidentStateId,
        updatedAt: ctx.now,
      });
    }
    if (typeof row.createdByUserId === 'string') {
      assignCommander(ctx, String(row.incidentId), row.createdByUserId);
    }
    trackSlaStateChange(ctx, String(row.incidentId), state, previous, startsAt);
  };
}

/**
 * The entry before a deleted one takes over its end. (OneUptime also moves the
 * next entry's start back, leaving an overlap; the sandbox keeps entries
 * contiguous.) Afterwards the incident's current state is its latest entry's.
 */
function deleteEntry(row: Row, ctx: WriteContext) {
  const table = ctx.db.tables['incident-state-timeline'];
  const timeline = timelineOf(table, row.incidentId);
  if (timeline.length <= 1) {
    throw badRequest(
      'Cannot delete the only state timeline. Incident should have at least one state in its timeline.',
    );
  }
  const before = timeline[timeline.findIndex((entry) => entry._id === row._id) - 1];
  return () => {
    if (before) table.patch(before, { endsAt: row.endsAt ?? null, updatedAt: ctx.now });
    const latest = timelineOf(table, row.incidentId).at(-1);
    const incident = ctx.db.tables.incident.get(String(row.incidentId));
    if (latest && incident) {
      ctx.db.tables.incident.patch(incident, {
        currentIncidentStateId: latest.incidentStateId,
        updatedAt: ctx.now,
      });
    }
  };
}

export const timelineHooks: Hooks = {
  beforeCreate: createEntry,
  beforeDelete: deleteEntry,
};
