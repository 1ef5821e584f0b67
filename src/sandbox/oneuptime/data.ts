/**
 * The `data` of a create or update: which columns it may name and how their
 * values decode. Relations and `_id`/timestamps are dropped silently.
 */
import { isPlainObject } from '../http.js';
import { decodeInput } from './codec.js';
import { badRequest } from './errors.js';
import { IGNORED_DATA_KEYS, type ColumnDef, type ModelDef } from './models.js';

export type WriteMode = 'create' | 'update';

const writableIn = (column: ColumnDef, mode: WriteMode) =>
  column.write === 'createAndUpdate' || (mode === 'create' && column.write === 'createOnly');

function dataObject(raw: unknown, mode: WriteMode): Record<string, unknown> {
  if (raw === undefined || raw === null) throw badRequest('data is required');
  if (!isPlainObject(raw)) throw badRequest('data should be a JSON object');
  if (mode === 'update' && Object.keys(raw).length === 0) throw badRequest('data is required');
  return raw;
}

/**
 * Decoded values of the columns `data` may write. Server-set columns are
 * ignored on create (the server fills them) and rejected on update, as are
 * create-only ones.
 */
export function parseData(def: ModelDef, raw: unknown, mode: WriteMode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dataObject(raw, mode))) {
    if (IGNORED_DATA_KEYS.has(key) || def.relations.has(key)) continue;
    const column = def.columns.get(key);
    if (!column) {
      throw badRequest(`Invalid column on ${def.singularName} - ${key}. Column does not exist.`);
    }
    if (!writableIn(column, mode)) {
      if (mode === 'create') continue;
      throw badRequest(`User is not allowed to update on ${key} column of ${def.singularName}`);
    }
    const decoded = decodeInput(column.type, key, value);
    if (decoded === null && column.required) throw badRequest(`${key} is required`);
    out[key] = decoded;
  }
  return out;
}

/** Rejects a row missing a required column (checked after server defaults). */
export function checkRequired(def: ModelDef, row: Record<string, unknown>): void {
  for (const [name, column] of def.columns) {
    if (column.required && (row[name] === null || row[name] === undefined)) {
      throw badRequest(`${name} is required`);
    }
  }
}
