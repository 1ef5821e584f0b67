/**
 * The three OneUptime models as the emulator knows them: every column the
 * docs list (plus `deletedAt`, which every model has), its value type, and how
 * `data` may write it.
 */
import type { ColumnType } from '../../upstreams/oneuptime/types.js';

/** The resources the emulator serves, by their URL path segment (`@CrudApiEndpoint`). */
export const EMULATED_RESOURCES = [
  'incident-state-timeline',
  'incident-role',
  'incident-sla',
] as const;
export type EmulatedResource = (typeof EMULATED_RESOURCES)[number];

/**
 * `createAndUpdate`: settable on create and update. `createOnly`: settable on
 * create; an update naming it is rejected. `server`: set by the server; ignored
 * in create data, rejected in update data.
 */
export type WriteAccess = 'createAndUpdate' | 'createOnly' | 'server';

export interface ColumnDef {
  readonly type: ColumnType;
  readonly write: WriteAccess;
  /** Never null once saved: missing after defaults on create, or null on update → 400. */
  readonly required?: boolean;
}

/** What a selected relation renders from: incident states are known, the rest only by id. */
export type RelationTarget = 'incidentState' | 'idOnly';

export interface RelationDef {
  readonly idColumn: string;
  readonly target: RelationTarget;
}

export interface ModelDef {
  readonly resource: EmulatedResource;
  /** OneUptime's `singularName`, used in its error messages. */
  readonly singularName: string;
  readonly columns: ReadonlyMap<string, ColumnDef>;
  readonly relations: ReadonlyMap<string, RelationDef>;
}

/** `_id` is not a column of the maps below: it is always selected and encoded plain. */
export const ID_COLUMN: ColumnDef = { type: 'ObjectID', write: 'server' };

/** Dropped from `data` silently, as `BaseAPI.updateItem` and the column checks do. */
export const IGNORED_DATA_KEYS: ReadonlySet<string> = new Set([
  '_id',
  'createdAt',
  'updatedAt',
  'deletedAt',
]);

const col = (type: ColumnType, write: WriteAccess, required = false): ColumnDef => ({
  type,
  write,
  required,
});
const rel = (idColumn: string, target: RelationTarget = 'idOnly'): RelationDef => ({
  idColumn,
  target,
});

const BASE_COLUMNS: Record<string, ColumnDef> = {
  projectId: col('ObjectID', 'server', true),
  createdAt: col('DateTime', 'server'),
  updatedAt: col('DateTime', 'server'),
  deletedAt: col('DateTime', 'server'),
  createdByUserId: col('ObjectID', 'createOnly'),
};

const BASE_RELATIONS: Record<string, RelationDef> = {
  project: rel('projectId'),
  createdByUser: rel('createdByUserId'),
};

function model(
  resource: EmulatedResource,
  singularName: string,
  columns: Record<string, ColumnDef>,
  relations: Record<string, RelationDef>,
): ModelDef {
  return {
    resource,
    singularName,
    columns: new Map(Object.entries({ ...BASE_COLUMNS, ...columns })),
    relations: new Map(Object.entries({ ...BASE_RELATIONS, ...relations })),
  };
}

const stateTimeline = model(
  'incident-state-timeline',
  'Incident State Timeline',
  {
    incidentId: col('ObjectID', 'createOnly', true),
    incidentStateId: col('ObjectID', 'createAndUpdate', true),
    startsAt: col('DateTime', 'createAndUpdate'),
    endsAt: col('DateTime', 'createAndUpdate'),
    rootCause: col('Text', 'createAndUpdate'),
    shouldStatusPageSubscribersBeNotified: col('Boolean', 'createAndUpdate'),
    // Filled by OneUptime's notification workers; the docs' update example writes one.
    subscriberNotificationStatus: col('Text', 'createAndUpdate'),
    subscriberNotificationStatusMessage: col('Text', 'createAndUpdate'),
    isOwnerNotified: col('Boolean', 'createAndUpdate'),
    stateChangeLog: col('JSON', 'server'),
  },
  { incident: rel('incidentId'), incidentState: rel('incidentStateId', 'incidentState') },
);

const incidentRole = model(
  'incident-role',
  'Incident Role',
  {
    name: col('Text', 'createAndUpdate', true),
    slug: col('Text', 'server', true),
    description: col('Text', 'createAndUpdate'),
    color: col('Color', 'createAndUpdate', true),
    roleIcon: col('Text', 'createAndUpdate'),
    isPrimaryRole: col('Boolean', 'server'),
    isDeleteable: col('Boolean', 'server'),
    canAssignMultipleUsers: col('Boolean', 'createAndUpdate'),
  },
  {},
);

const incidentSla = model(
  'incident-sla',
  'Incident SLA',
  {
    incidentId: col('ObjectID', 'createOnly', true),
    incidentSlaRuleId: col('ObjectID', 'createOnly', true),
    slaStartedAt: col('DateTime', 'createOnly', true),
    status: col('Text', 'createAndUpdate', true),
    responseDeadline: col('DateTime', 'createAndUpdate'),
    resolutionDeadline: col('DateTime', 'createAndUpdate'),
    respondedAt: col('DateTime', 'createAndUpdate'),
    resolvedAt: col('DateTime', 'createAndUpdate'),
    breachNotificationSentAt: col('DateTime', 'createAndUpdate'),
    lastInternalNoteReminderSentAt: col('DateTime', 'createAndUpdate'),
    lastPublicNoteReminderSentAt: col('DateTime', 'createAndUpdate'),
  },
  { incident: rel('incidentId'), incidentSlaRule: rel('incidentSlaRuleId') },
);

export const MODELS: Readonly<Record<EmulatedResource, ModelDef>> = {
  'incident-state-timeline': stateTimeline,
  'incident-role': incidentRole,
  'incident-sla': incidentSla,
};

/** A column by name, `_id` included; undefined for relations and unknown names. */
export function lookupColumn(def: ModelDef, name: string): ColumnDef | undefined {
  return name === '_id' ? ID_COLUMN : def.columns.get(name);
}
