/**
 * Referential integrity as OneUptime's Postgres schema enforces it: a foreign
 * key naming a row that does not exist fails the write, deleting a row cascades
 * to, nulls, or is blocked by the rows pointing at it (`onDelete` of each
 * `@ManyToOne`). How the failure reaches the client depends on the release:
 * see `ForeignKeyErrors` in `store.ts`.
 */
import type { OneUptimeError } from './errors.js';
import { badRequest, serverError } from './errors.js';
import { MODELS } from './models.js';
import {
  EMULATED_RESOURCES,
  TABLE_NAMES,
  type EmulatedResource,
  type ModelDef,
  type RefTable,
} from './schema.js';
import type { Database, Row } from './store.js';

/** `PostgresErrorTranslator.humanizeTableName`: "IncidentSlaRule" → "Incident Sla Rule". */
export function humanizeTableName(table: string): string {
  return table
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim();
}

export function rowExists(db: Database, table: RefTable, id: string): boolean {
  switch (table) {
    case 'user':
      return db.users.has(id);
    case 'incident-sla-rule':
      return db.slaRuleIds.has(id);
    case 'project':
      return id === db.projectId;
    default:
      return db.tables[table].get(id) !== undefined;
  }
}

/** Postgres 23503 on INSERT/UPDATE ("Key (…)=(…) is not present in table …"). */
function missingReference(db: Database, table: RefTable): OneUptimeError {
  if (db.foreignKeyErrors === 'serverError') return serverError();
  return badRequest(
    `This request references ${humanizeTableName(TABLE_NAMES[table])} that does not exist. Please check the request and try again.`,
  );
}

/** Postgres 23503 on DELETE ("… is still referenced from table …"). */
function stillReferenced(db: Database, referencing: EmulatedResource): OneUptimeError {
  if (db.foreignKeyErrors === 'serverError') return serverError();
  return badRequest(
    `This item cannot be deleted because ${humanizeTableName(TABLE_NAMES[referencing])} records still reference it. Please delete those records first, and then try again.`,
  );
}

/** The foreign keys among `columns` of `row` must point at existing rows (checked at save). */
export function checkForeignKeys(
  db: Database,
  def: ModelDef,
  row: Record<string, unknown>,
  columns: Iterable<string>,
): void {
  for (const name of columns) {
    const ref = def.columns.get(name)?.ref;
    const id = row[name];
    if (ref && typeof id === 'string' && !rowExists(db, ref.table, id)) {
      throw missingReference(db, ref.table);
    }
  }
}

export interface Reference {
  /** The model name the message shows, e.g. "Incident Severity". */
  modelName: string;
  table: RefTable;
  id: unknown;
}

/**
 * `ProjectScopedReferenceValidator.validateReferencesBelongToProject`
 * (release 12.0.3+, commit 8a7c09bf44): ids that match no row are refused
 * with one 400 naming them all, before anything is written.
 */
export function validateReferences(db: Database, subject: string, refs: Reference[]): void {
  if (db.foreignKeyErrors === 'serverError') return;
  const missing = refs.filter(
    (ref) => typeof ref.id === 'string' && ref.id !== '' && !rowExists(db, ref.table, ref.id),
  );
  if (missing.length === 0) return;
  const described = missing.map((ref) => `${ref.modelName} "${String(ref.id)}"`).join(', ');
  throw badRequest(
    `This ${subject} references records that do not exist: ${described}. Please pick values that exist in this project and try again.`,
  );
}

interface Referrer {
  resource: EmulatedResource;
  column: string;
  onDelete: 'cascade' | 'setNull' | 'noAction';
}

/** Every foreign-key column pointing at `table`. */
function referrersOf(table: EmulatedResource): Referrer[] {
  const out: Referrer[] = [];
  for (const resource of EMULATED_RESOURCES) {
    for (const [column, def] of MODELS[resource].columns) {
      if (def.ref?.table === table) out.push({ resource, column, onDelete: def.ref.onDelete });
    }
  }
  return out;
}

function rowsPointingAt(db: Database, referrer: Referrer, id: string): Row[] {
  const table = db.tables[referrer.resource];
  if (referrer.column === 'incidentId') return table.forIncident(id);
  return [...table.values()].filter((row) => row[referrer.column] === id);
}

/**
 * Deletes `row` the way one DELETE statement does: ON DELETE CASCADE rows go
 * with it (recursively), SET NULL columns are cleared, and a NO ACTION
 * reference from a row that stays fails the whole statement with nothing
 * changed. Service hooks do not run for cascaded rows (Postgres does the work).
 */
export function deleteWithReferences(db: Database, resource: EmulatedResource, row: Row): void {
  const doomed = new Map<Row, EmulatedResource>();
  const nulls: Array<{ row: Row; column: string; resource: EmulatedResource }> = [];
  const blockers: Array<{ row: Row; resource: EmulatedResource }> = [];
  const visit = (target: Row, targetResource: EmulatedResource) => {
    if (doomed.has(target)) return;
    doomed.set(target, targetResource);
    for (const referrer of referrersOf(targetResource)) {
      for (const child of rowsPointingAt(db, referrer, target._id)) {
        if (referrer.onDelete === 'cascade') visit(child, referrer.resource);
        else if (referrer.onDelete === 'setNull') {
          nulls.push({ row: child, column: referrer.column, resource: referrer.resource });
        } else blockers.push({ row: child, resource: referrer.resource });
      }
    }
  };
  visit(row, resource);
  const blocker = blockers.find((b) => !doomed.has(b.row));
  if (blocker) throw stillReferenced(db, blocker.resource);
  for (const [target, targetResource] of doomed) db.tables[targetResource].delete(target._id);
  for (const child of nulls) {
    if (doomed.has(child.row)) continue;
    // A database action: TypeORM's updatedAt is not touched.
    db.tables[child.resource].patch(child.row, { [child.column]: null });
  }
}
