/**
 * Resource-specific behaviour of OneUptime's services: defaults, the state
 * timeline's ordering rules and endsAt bookkeeping, and role protections.
 * Checks throw before anything is written; the returned function applies the
 * side effects on other rows once the write itself is accepted.
 */
import type { EmulatedResource } from './models.js';
import { slugify, type IncidentStateDef } from '../seed.js';
import { assertNever, badRequest } from './errors.js';
import type { Database, Row, Table } from './store.js';

type SideEffect = () => void;
const NOTHING: SideEffect = () => undefined;

/** Server defaults of a new row, applied before the required-column check. */
export function applyDefaults(resource: EmulatedResource, row: Row, now: string): void {
  switch (resource) {
    case 'incident-state-timeline':
      row.startsAt ??= now;
      row.shouldStatusPageSubscribersBeNotified ??= true;
      return;
    case 'incident-role':
      row.slug = typeof row.name === 'string' ? slugify(row.name) : null;
      row.isPrimaryRole = false;
      row.isDeleteable = true;
      row.canAssignMultipleUsers ??= false;
      return;
    case 'incident-sla':
      row.status ??= 'On Track';
      return;
    default:
      return assertNever(resource);
  }
}

const startOf = (row: Row) => (typeof row.startsAt === 'string' ? row.startsAt : '');

/** An incident's timeline, oldest first; equal starts keep insertion order (the sort is stable). */
function timelineOf(table: Table, incidentId: unknown): Row[] {
  if (typeof incidentId !== 'string') return [];
  return table.forIncident(incidentId).sort((a, b) => {
    const x = startOf(a);
    const y = startOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function stateOf(db: Database, row: Row | undefined): IncidentStateDef | undefined {
  return typeof row?.incidentStateId === 'string'
    ? db.incidentStates.get(row.incidentStateId)
    : undefined;
}

/** States only move forward in `order`, and never to the state the incident is already in. */
function checkStateOrder(
  state: IncidentStateDef,
  previous?: IncidentStateDef,
  next?: IncidentStateDef,
) {
  if (previous?.id === state.id)
    throw badRequest(`Incident is already in the ${state.name} state.`);
  if (previous && state.order < previous.order) {
    throw badRequest(`Incident state cannot go back from ${previous.name} to ${state.name}.`);
  }
  if (next && state.order >= next.order) {
    throw badRequest(`Incident state ${state.name} cannot come before ${next.name}.`);
  }
}

/**
 * Places the new entry by `startsAt` between the entry before it (which now
 * ends where this one starts) and the one after it (where this one ends).
 */
function createTimelineEntry(row: Row, db: Database, now: string): SideEffect {
  const state = stateOf(db, row);
  if (!state) throw badRequest(`Incident state ${String(row.incidentStateId)} does not exist.`);
  const table = db.tables['incident-state-timeline'];
  const timeline = timelineOf(table, row.incidentId);
  const startsAt = startOf(row);
  const before = timeline.findLast((entry) => startOf(entry) <= startsAt);
  const after = timeline.find((entry) => startOf(entry) > startsAt);
  const previous = stateOf(db, before);
  checkStateOrder(state, previous, stateOf(db, after));
  if (after) row.endsAt = after.startsAt;
  row.stateChangeLog = { from: previous?.name ?? null, to: state.name };
  // OneUptime does not notify owners about an incident's first state.
  row.isOwnerNotified = before ? (row.isOwnerNotified ?? false) : true;
  return () => {
    if (before) table.patch(before, { endsAt: startsAt, updatedAt: now });
  };
}

export function checkCreate(
  resource: EmulatedResource,
  row: Row,
  db: Database,
  now: string,
): SideEffect {
  switch (resource) {
    case 'incident-state-timeline':
      return createTimelineEntry(row, db, now);
    case 'incident-role':
    case 'incident-sla':
      return NOTHING;
    default:
      return assertNever(resource);
  }
}

export function checkUpdate(
  resource: EmulatedResource,
  row: Row,
  changes: Record<string, unknown>,
): void {
  switch (resource) {
    case 'incident-role':
      if (row.isPrimaryRole === true && changes.canAssignMultipleUsers === true) {
        throw badRequest('A primary role cannot have multiple users assigned.');
      }
      return;
    case 'incident-state-timeline':
    case 'incident-sla':
      return;
    default:
      return assertNever(resource);
  }
}

/**
 * The entry before a deleted one takes over its end. (OneUptime also moves the
 * next entry's start back, leaving an overlap; the sandbox keeps entries contiguous.)
 */
function deleteTimelineEntry(row: Row, db: Database, now: string): SideEffect {
  const table = db.tables['incident-state-timeline'];
  const timeline = timelineOf(table, row.incidentId);
  if (timeline.length <= 1) {
    throw badRequest(
      'Cannot delete the only state timeline. Incident should have at least one state in its timeline.',
    );
  }
  const before = timeline[timeline.findIndex((entry) => entry._id === row._id) - 1];
  return () => {
    if (before) table.patch(before, { endsAt: row.endsAt ?? null, updatedAt: now });
  };
}

export function checkDelete(
  resource: EmulatedResource,
  row: Row,
  db: Database,
  now: string,
): SideEffect {
  switch (resource) {
    case 'incident-state-timeline':
      return deleteTimelineEntry(row, db, now);
    case 'incident-role':
      if (row.isDeleteable === false) throw badRequest('This role cannot be deleted');
      return NOTHING;
    case 'incident-sla':
      return NOTHING;
    default:
      return assertNever(resource);
  }
}
