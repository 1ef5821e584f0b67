/**
 * OneUptime `select`: `{"col": true}`, a relation takes a nested object.
 * `_id` always comes back; with no select, only `_id` does.
 */
import type { ColumnType } from '../../upstreams/oneuptime/types.js';
import { isPlainObject } from '../http.js';
import type { IncidentStateDef } from '../seed.js';
import { encodeValue, type ValueEncoding } from './codec.js';
import { assertNever, badRequest } from './errors.js';
import type { ModelDef, RelationDef } from './models.js';
import type { Row } from './store.js';

export type SelectField =
  | { kind: 'column'; name: string; type: ColumnType }
  | { kind: 'relation'; name: string; relation: RelationDef; fields: ReadonlySet<string> };

export interface RenderContext {
  encoding: ValueEncoding;
  incidentStates: ReadonlyMap<string, IncidentStateDef>;
}

const INVALID_SELECT = 'Invalid select clause. The specified column does not exist.';

function relationFields(value: unknown): Set<string> {
  const fields = new Set<string>();
  if (!isPlainObject(value)) return fields;
  for (const [key, inner] of Object.entries(value)) {
    if (isPlainObject(inner)) {
      throw badRequest(
        'You cannot query deep relations. Querying deep relations is not supported.',
      );
    }
    if (inner) fields.add(key);
  }
  return fields;
}

function parseField(def: ModelDef, name: string, value: unknown): SelectField | undefined {
  const column = def.columns.get(name);
  if (column) {
    if (isPlainObject(value)) {
      throw badRequest(
        `Select not supported on ${name} of ${def.singularName} because this column modelType is not found.`,
      );
    }
    return value ? { kind: 'column', name, type: column.type } : undefined;
  }
  const relation = def.relations.get(name);
  if (!relation) throw badRequest(INVALID_SELECT);
  return value ? { kind: 'relation', name, relation, fields: relationFields(value) } : undefined;
}

export function parseSelect(def: ModelDef, raw: unknown): SelectField[] {
  if (raw === undefined || raw === null) return [];
  if (!isPlainObject(raw)) throw badRequest(INVALID_SELECT);
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

/**
 * Incident states render `_id` plus the selected `name`/`order` (the only
 * state columns the sandbox knows); other relations render `{_id}`. A missing
 * related row is null, as a LEFT JOIN gives.
 */
function renderRelation(
  row: Row,
  field: Extract<SelectField, { kind: 'relation' }>,
  ctx: RenderContext,
) {
  const id = row[field.relation.idColumn];
  if (typeof id !== 'string') return null;
  switch (field.relation.target) {
    case 'idOnly':
      return { _id: id };
    case 'incidentState': {
      const state = ctx.incidentStates.get(id);
      if (!state) return null;
      const out: Record<string, unknown> = { _id: state.id };
      if (field.fields.has('name')) out.name = state.name;
      if (field.fields.has('order')) out.order = state.order;
      return out;
    }
    default:
      return assertNever(field.relation.target);
  }
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
