/**
 * OneUptime `select`: `{"col": true}`, a relation takes a nested object.
 * `_id` always comes back; with no select, only `_id` does.
 */
import type { ColumnType } from '../../upstreams/oneuptime/types.js';
import { isPlainObject } from '../http.js';
import { encodeValue, type ValueEncoding } from './codec.js';
import { badRequest } from './errors.js';
import { MODELS, type ModelDef, type RelationDef } from './models.js';
import { checkRelationSelects } from './relationSelect.js';
import type { Database, Row } from './store.js';

export type SelectField =
  | { kind: 'column'; name: string; type: ColumnType }
  | { kind: 'relation'; name: string; relation: RelationDef; fields: ReadonlySet<string> };

export interface RenderContext {
  encoding: ValueEncoding;
  db: Database;
}

const INVALID_SELECT = 'Invalid select clause. The specified column does not exist.';

/** The selected names of a relation's nested select (`relationSelect.ts` has checked them). */
function relationFields(value: unknown): Set<string> {
  const fields = new Set<string>();
  if (!isPlainObject(value)) return fields;
  for (const [key, inner] of Object.entries(value)) if (inner) fields.add(key);
  return fields;
}

function parseField(def: ModelDef, name: string, value: unknown): SelectField | undefined {
  if (!value) return undefined;
  const column = def.columns.get(name);
  if (column) return { kind: 'column', name, type: column.type };
  const relation = def.relations.get(name);
  return relation && { kind: 'relation', name, relation, fields: relationFields(value) };
}

/**
 * Top-level names first (`Permissions/SelectPermission.ts`), then the nested
 * selects (`./relationSelect.ts`), as `BasePermission.ts` orders the checks.
 */
export function parseSelect(def: ModelDef, raw: unknown): SelectField[] {
  if (raw === undefined || raw === null) return [];
  if (!isPlainObject(raw)) throw badRequest(INVALID_SELECT);
  for (const name of Object.keys(raw)) {
    if (name !== '_id' && !def.columns.has(name) && !def.relations.has(name)) {
      throw badRequest(INVALID_SELECT);
    }
  }
  checkRelationSelects(def, raw);
  const fields: SelectField[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === '_id') continue;
    const field = parseField(def, name, value);
    if (field) fields.push(field);
  }
  return fields;
}

/** Every column (no relations): what a create answers with. */
export function allColumns(def: ModelDef): SelectField[] {
  return [...def.columns].map(([name, column]) => ({ kind: 'column', name, type: column.type }));
}

/** The columns the sandbox knows of a user (the seed's users: id, email, name). */
const USER_COLUMNS: ReadonlyMap<string, ColumnType> = new Map([
  ['email', 'Text'],
  ['name', 'Text'],
]);

/**
 * A selected relation renders `_id` plus the selected columns of the related
 * row (`Common/Server/Types/Database/Select.ts`: a nested select is a JOIN),
 * encoded like top-level columns; `parseSelect` has refused every nested name
 * the server refuses. Users render their seeded email and
 * name; the project and SLA rules, which the sandbox knows only by id, render
 * `{_id}`. A missing related row is null, as a LEFT JOIN gives.
 */
function renderRelation(
  row: Row,
  field: Extract<SelectField, { kind: 'relation' }>,
  ctx: RenderContext,
) {
  const id = row[field.relation.idColumn];
  if (typeof id !== 'string') return null;
  const target = field.relation.target;
  if (target === 'project' || target === 'incident-sla-rule') return { _id: id };
  const user = target === 'user' ? ctx.db.users.get(id) : undefined;
  const related: Record<string, unknown> | undefined =
    target === 'user' ? user && { ...user } : ctx.db.tables[target].get(id);
  if (!related) return null;
  const out: Record<string, unknown> = { _id: id };
  for (const name of field.fields) {
    const type =
      target === 'user' ? USER_COLUMNS.get(name) : MODELS[target].columns.get(name)?.type;
    if (type) out[name] = encodeValue(type, related[name], ctx.encoding);
  }
  return out;
}

export function renderRow(
  row: Row,
  fields: readonly SelectField[],
  ctx: RenderContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = { _id: row._id };
  for (const field of fields) {
    out[field.name] =
      field.kind === 'column'
        ? encodeValue(field.type, row[field.name], ctx.encoding)
        : renderRelation(row, field, ctx);
  }
  return out;
}
