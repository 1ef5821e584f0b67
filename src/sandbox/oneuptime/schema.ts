/**
 * The vocabulary the emulator's model declarations are written in: resources,
 * columns (value type, write access, foreign key) and relations. The models
 * themselves are in `models.ts` and `incidentModels.ts`.
 *
 * Sources: `Common/Models/DatabaseModels/*.ts` of OneUptime/oneuptime at
 * ab6f40993700e5d472c23e52913ef2fe5d117f66 (columns, `@ColumnAccessControl`
 * create/update lists, `@ManyToOne(… onDelete …)` foreign keys).
 */
import type { ColumnType } from '../../upstreams/oneuptime/types.js';

/** The resources the emulator serves, by their URL path segment (`@CrudApiEndpoint`). */
export const EMULATED_RESOURCES = [
  'incident',
  'incident-state',
  'incident-severity',
  'incident-state-timeline',
  'incident-role',
  'incident-sla',
  'incident-member',
] as const;
export type EmulatedResource = (typeof EMULATED_RESOURCES)[number];

/**
 * Tables a foreign key can point at: the emulated ones, plus three the sandbox
 * knows only by their seeded ids (users, SLA rules, the project).
 */
export type RefTable = EmulatedResource | 'user' | 'incident-sla-rule' | 'project';

/** Postgres table names (`@Entity({name})`), which OneUptime's foreign-key messages show. */
export const TABLE_NAMES: Readonly<Record<RefTable, string>> = {
  incident: 'Incident',
  'incident-state': 'IncidentState',
  'incident-severity': 'IncidentSeverity',
  'incident-state-timeline': 'IncidentStateTimeline',
  'incident-role': 'IncidentRole',
  'incident-sla': 'IncidentSla',
  'incident-member': 'IncidentMember',
  user: 'User',
  'incident-sla-rule': 'IncidentSlaRule',
  project: 'Project',
};

/**
 * `createAndUpdate`: settable on create and update. `createOnly`: settable on
 * create; an update naming it is rejected. `server`: set by the server; ignored
 * in create data, rejected in update data.
 */
export type WriteAccess = 'createAndUpdate' | 'createOnly' | 'server';

/** `@ManyToOne(…, { onDelete })`; no `onDelete` is Postgres's NO ACTION. */
export type OnDelete = 'cascade' | 'setNull' | 'noAction';

export interface ForeignKey {
  readonly table: RefTable;
  readonly onDelete: OnDelete;
}

export interface ColumnDef {
  readonly type: ColumnType;
  readonly write: WriteAccess;
  /** Never null once saved: missing after defaults on create, or null on update → 400. */
  readonly required?: boolean;
  readonly ref?: ForeignKey;
}

/** A relation selectable with a nested select; it renders the row its id column points at. */
export interface RelationDef {
  readonly idColumn: string;
  readonly target: RefTable;
}

export interface ModelDef {
  readonly resource: EmulatedResource;
  /** OneUptime's `singularName`, used in its error messages. */
  readonly singularName: string;
  readonly columns: ReadonlyMap<string, ColumnDef>;
  readonly relations: ReadonlyMap<string, RelationDef>;
}

/** `_id` is not a column of the maps: it is always selected and encoded plain. */
export const ID_COLUMN: ColumnDef = { type: 'ObjectID', write: 'server' };

/** Dropped from `data` silently, as `BaseAPI.updateItem` and the column checks do. */
export const IGNORED_DATA_KEYS: ReadonlySet<string> = new Set([
  '_id',
  'createdAt',
  'updatedAt',
  'deletedAt',
]);

export const col = (
  type: ColumnType,
  write: WriteAccess,
  required = false,
  ref?: ForeignKey,
): ColumnDef => (ref ? { type, write, required, ref } : { type, write, required });

/** A foreign-key column (always an ObjectID). */
export const fk = (
  table: RefTable,
  onDelete: OnDelete,
  write: WriteAccess,
  required = false,
): ColumnDef => col('ObjectID', write, required, { table, onDelete });

export const rel = (idColumn: string, target: RefTable): RelationDef => ({ idColumn, target });

/** Every model has these (`DatabaseBaseModel`); `createdByUserId` is `ON DELETE SET NULL` everywhere. */
const BASE_COLUMNS: Record<string, ColumnDef> = {
  projectId: col('ObjectID', 'server', true),
  createdAt: col('DateTime', 'server'),
  updatedAt: col('DateTime', 'server'),
  deletedAt: col('DateTime', 'server'),
  createdByUserId: fk('user', 'setNull', 'createOnly'),
};

const BASE_RELATIONS: Record<string, RelationDef> = {
  project: rel('projectId', 'project'),
  createdByUser: rel('createdByUserId', 'user'),
};

export function model(
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
