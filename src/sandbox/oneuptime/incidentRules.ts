/**
 * The incident's service rules (`Common/Server/Services/IncidentService.ts` at
 * ab6f409). On create (`onBeforeCreate`, ≈ lines 650–1020): `declaredAt`
 * defaults to now (≈ 666); a given `currentIncidentStateId` must exist (≈ 696),
 * else the project's `isCreatedState` state is used (≈ 905); state and
 * severity ids are validated (≈ 937, release 12.0.3+); the incident number
 * comes from the project counter (≈ 965). After create (`onCreateSuccess` →
 * `handleIncidentStateChangeAsync` → `changeIncidentState`, ≈ 1595–1620 and
 * 2941–3030) the first state-timeline entry is created at `declaredAt`.
 * An update naming `currentIncidentStateId` changes the state the same way
 * (`onUpdateSuccess`, ≈ 1948).
 */
import { badRequest } from './errors.js';
import type { Hooks, WriteContext } from './hooks.js';
import { validateReferences, type Reference } from './integrity.js';
import { serverSlug } from './slug.js';
import type { Row } from './store.js';
import { timelineOf } from './timelineRules.js';

const stateAndSeverity = (data: Record<string, unknown>): Reference[] => [
  { modelName: 'Incident State', table: 'incident-state', id: data.currentIncidentStateId },
  { modelName: 'Incident Severity', table: 'incident-severity', id: data.incidentSeverityId },
];

/** `IncidentStateService.findOneBy({isCreatedState: true})`: the default sort is createdAt DESC. */
function createdState(ctx: WriteContext): Row | undefined {
  const states = [...ctx.db.tables['incident-state'].values()].filter(
    (state) => state.isCreatedState === true,
  );
  return states.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)))[0];
}

interface StateChange {
  incidentStateId: unknown;
  startsAt?: unknown;
  rootCause: unknown;
  notifyOwners: boolean;
  notifySubscribers: boolean;
  subscribersNotified: boolean;
}

/**
 * `changeIncidentState`: nothing when the most recently created entry already
 * has this state; otherwise a new entry (through the timeline's own rules).
 */
function changeIncidentState(ctx: WriteContext, incident: Row, change: StateChange): void {
  const entries = timelineOf(ctx.db.tables['incident-state-timeline'], incident._id);
  const last = entries.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)))[0];
  if (last && last.incidentStateId === change.incidentStateId) return;
  ctx.insert('incident-state-timeline', {
    incidentId: incident._id,
    incidentStateId: change.incidentStateId,
    isOwnerNotified: !change.notifyOwners,
    shouldStatusPageSubscribersBeNotified: change.notifySubscribers,
    subscriberNotificationStatus: change.subscribersNotified ? 'Success' : 'Pending',
    rootCause: change.rootCause ?? null,
    ...(last ? {} : change.startsAt ? { startsAt: change.startsAt } : {}),
  });
}

function createIncident(row: Row, ctx: WriteContext) {
  if (row.isPrivate === true) {
    row.isVisibleOnStatusPage = false;
    row.shouldStatusPageSubscribersBeNotifiedOnIncidentCreated = false;
  }
  row.declaredAt ??= ctx.now;
  if (row.currentIncidentStateId) {
    if (!ctx.db.tables['incident-state'].get(String(row.currentIncidentStateId))) {
      throw badRequest(
        'Invalid incident state provided. The state does not exist or does not belong to this project.',
      );
    }
  } else {
    const state = createdState(ctx);
    if (!state) {
      throw badRequest(
        'Created incident state not found for this project. Please add created incident state from settings.',
      );
    }
    row.currentIncidentStateId = state._id;
  }
  validateReferences(ctx.db, 'incident', stateAndSeverity(row));
  ctx.db.incidentCounter += 1;
  row.incidentNumber = ctx.db.incidentCounter;
  row.incidentNumberWithPrefix = `#${ctx.db.incidentCounter}`;
  row.slug = serverSlug(null);
  // Column defaults (`@Column({ default })`).
  row.shouldStatusPageSubscribersBeNotifiedOnIncidentCreated ??= true;
  row.isVisibleOnStatusPage ??= true;
  row.isPrivate ??= false;
  return () => {
    const notify = row.shouldStatusPageSubscribersBeNotifiedOnIncidentCreated === true;
    changeIncidentState(ctx, row, {
      incidentStateId: row.currentIncidentStateId,
      startsAt: row.declaredAt,
      rootCause: row.rootCause,
      notifyOwners: false,
      notifySubscribers: notify,
      subscribersNotified: notify,
    });
  };
}

function updateIncident(row: Row, changes: Record<string, unknown>, ctx: WriteContext) {
  if (changes.isPrivate === true) changes.isVisibleOnStatusPage = false;
  validateReferences(ctx.db, 'incident', stateAndSeverity(changes));
  if (!changes.currentIncidentStateId) return undefined;
  // Upstream the incident row is already saved when this runs: a refused state change
  // answers 400 but leaves the new currentIncidentStateId in place.
  return () =>
    changeIncidentState(ctx, row, {
      incidentStateId: changes.currentIncidentStateId,
      rootCause: 'This status was changed when the incident was updated.',
      notifyOwners: true,
      notifySubscribers: true,
      subscribersNotified: false,
    });
}

export const incidentHooks: Hooks = {
  beforeCreate: createIncident,
  beforeUpdate: updateIncident,
};
