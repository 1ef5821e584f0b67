/**
 * The write path of `DatabaseService` (`Common/Server/Services/DatabaseService.ts`
 * at ab6f409) over one table: `create` runs the service's `onBeforeCreate`,
 * then the required-column check, then the save (where Postgres checks foreign
 * keys), then `onCreateSuccess`; updates and deletes likewise. Side effects
 * that create rows go through this same path.
 */
import { randomUUID } from 'node:crypto';
import { checkRequired } from './data.js';
import type { WriteContext } from './hooks.js';
import { checkForeignKeys, deleteWithReferences } from './integrity.js';
import { MODELS } from './models.js';
import { HOOKS } from './rules.js';
import type { EmulatedResource } from './schema.js';
import type { Database, Row } from './store.js';

function context(db: Database, now: string): WriteContext {
  return { db, now, insert: (resource, data) => insertRow(db, resource, data, now) };
}

export function insertRow(
  db: Database,
  resource: EmulatedResource,
  data: Record<string, unknown>,
  now: string,
): Row {
  const def = MODELS[resource];
  const row: Row = { _id: randomUUID() };
  for (const name of def.columns.keys()) row[name] = null;
  Object.assign(row, data);
  row.projectId = db.projectId;
  row.createdAt = now;
  row.updatedAt = now;
  const after = HOOKS[resource].beforeCreate?.(row, context(db, now));
  checkRequired(def, row);
  checkForeignKeys(db, def, row, def.columns.keys());
  db.tables[resource].insert(row);
  after?.();
  return row;
}

/**
 * `_updateBy` writes with `repository.update()`: each column in `changes`
 * replaces the stored value whole (a JSON column such as `customFields` is not
 * merged).
 */
export function updateRow(
  db: Database,
  resource: EmulatedResource,
  row: Row,
  changes: Record<string, unknown>,
  now: string,
): void {
  const def = MODELS[resource];
  const after = HOOKS[resource].beforeUpdate?.(row, changes, context(db, now));
  checkForeignKeys(db, def, changes, Object.keys(changes));
  db.tables[resource].patch(row, { ...changes, updatedAt: now });
  after?.();
}

export function deleteRow(db: Database, resource: EmulatedResource, row: Row, now: string): void {
  const after = HOOKS[resource].beforeDelete?.(row, context(db, now));
  deleteWithReferences(db, resource, row);
  after?.();
}
