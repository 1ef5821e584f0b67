/**
 * The six generic CRUD operations of OneUptime's `BaseAPI`, over one table:
 * `Common/Server/API/BaseAPI.ts` and `Common/Server/Utils/Response.ts` of
 * OneUptime/oneuptime ab6f40993700e5d472c23e52913ef2fe5d117f66 (line numbers
 * below are of those files at that commit).
 */
import type { EmulatorResponse } from '../http.js';
import { isUuid } from './codec.js';
import { parseData } from './data.js';
import { badRequest, OneUptimeError } from './errors.js';
import type { ModelDef } from './models.js';
import { findRows, parseQuery } from './query.js';
import { allColumns, parseSelect, renderRow, type RenderContext } from './select.js';
import { parseSort, sortRows } from './sort.js';
import type { Database, Table } from './store.js';
import { deleteRow, insertRow, updateRow } from './writes.js';

export interface OperationContext {
  def: ModelDef;
  table: Table;
  db: Database;
  render: RenderContext;
}

/** A request body already known to be a JSON object. */
export type Body = Record<string, unknown>;

/** `DEFAULT_LIMIT` and `LIMIT_PER_PROJECT` of `Common/Types/Database/LimitMax.ts`. */
const DEFAULT_LIMIT = 10;
const LIMIT_MAX = 10000;
const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });

/** `parseInt(value, 10) || fallback`, as `getList` reads skip and limit. */
function readInt(raw: unknown, fallback: number): number {
  return Number.parseInt(String(raw), 10) || fallback;
}

/**
 * `getList` (lines 245–277): skip and limit come from the query string when
 * it has a non-empty value, else from the body. A negative value fails in
 * `new PositiveNumber(…)` (`Common/Types/PositiveNumber.ts`), then a limit
 * above 10000 is 400; 0 falls back to the default. The response echoes only
 * the query string's values, else 0 and 10 (`sendJsonArrayResponse`, lines
 * 370–382; a non-numeric one echoes as its fallback here, as NaN there).
 */
function paging(query: URLSearchParams, body: Body) {
  const pick = (name: 'skip' | 'limit', fallback: number) => {
    const fromQuery = query.get(name);
    if (fromQuery) return readInt(fromQuery, fallback);
    return body[name] === undefined ? fallback : readInt(body[name], fallback);
  };
  const skip = pick('skip', 0);
  const limit = pick('limit', DEFAULT_LIMIT);
  if (skip < 0 || limit < 0) throw badRequest('positiveNumber cannot be less than 0');
  if (limit > LIMIT_MAX) throw badRequest(`Limit should be less than ${LIMIT_MAX}`);
  const echo = {
    skip: query.get('skip') ? skip : 0,
    limit: query.get('limit') ? limit : DEFAULT_LIMIT,
  };
  return { skip, limit, echo };
}

export function list(ctx: OperationContext, body: Body, query: URLSearchParams): EmulatorResponse {
  const { skip, limit, echo } = paging(query, body);
  const filters = parseQuery(ctx.def, body.query);
  const select = parseSelect(ctx.def, body.select);
  const sort = parseSort(ctx.def, body.sort);
  const rows = sortRows(findRows(ctx.table, filters), sort);
  const data = rows.slice(skip, skip + limit).map((row) => renderRow(row, select, ctx.render));
  return ok({ data, count: rows.length, skip: echo.skip, limit: echo.limit });
}

export function count(ctx: OperationContext, body: Body): EmulatorResponse {
  return ok({ count: findRows(ctx.table, parseQuery(ctx.def, body.query)).length });
}

/** `ObjectID.validateUUID` (`Common/Types/ObjectID.ts` lines 142–148), first in every by-id route. */
function parseId(raw: string): string {
  if (!isUuid(raw)) {
    throw badRequest(
      `Invalid ID format: "${raw}". Expected a valid UUID (e.g., "550e8400-e29b-41d4-a716-446655440000").`,
    );
  }
  return raw.toLowerCase();
}

/**
 * A missing id is `200 {}`, not a 404: `getItem` (lines 414–437) hands
 * `findOneById`'s null to `sendEntityResponse`, which sends `{}` for it
 * (Response.ts lines 299–328).
 */
export function getItem(ctx: OperationContext, rawId: string, body: Body): EmulatorResponse {
  const id = parseId(rawId);
  const select = parseSelect(ctx.def, body.select);
  const row = ctx.table.get(id);
  return ok(row ? renderRow(row, select, ctx.render) : {});
}

/**
 * Answers 200 (not 201) with the saved entity, every column: `createItem`
 * (lines 540–565) sends `service.create`'s result through `sendEntityResponse`.
 */
export function create(ctx: OperationContext, body: Body): EmulatorResponse {
  const data = parseData(ctx.def, body.data, 'create');
  const row = insertRow(ctx.db, ctx.def.resource, data, new Date().toISOString());
  return ok(renderRow(row, allColumns(ctx.def), ctx.render));
}

/**
 * `updateItem` (lines 458–537): no row updated is a `NotAuthorizedException`,
 * whose code is 422 (`Common/Types/Exception/ExceptionCode.ts`); else `200 {}`
 * (`sendEmptySuccessResponse`, Response.ts lines 83–90).
 */
export function update(ctx: OperationContext, rawId: string, body: Body): EmulatorResponse {
  const id = parseId(rawId);
  const changes = parseData(ctx.def, body.data, 'update');
  const row = ctx.table.get(id);
  if (!row) {
    throw new OneUptimeError(
      422,
      `Unable to update this ${ctx.def.singularName.toLowerCase()}. It either does not exist, has been deleted, or you do not have permission to update it.`,
    );
  }
  updateRow(ctx.db, ctx.def.resource, row, changes, new Date().toISOString());
  return ok({});
}

/**
 * Deleting a missing id is `200 {}`: `deleteItem` (lines 440–455) answers
 * `sendEmptySuccessResponse` whatever `deleteOneById` removed; a key without
 * label-scoped permissions never fetches the row first
 * (`Permissions/AccessControlPermission.ts` lines 165–171).
 */
export function remove(ctx: OperationContext, rawId: string): EmulatorResponse {
  const id = parseId(rawId);
  const row = ctx.table.get(id);
  if (!row) return ok({});
  deleteRow(ctx.db, ctx.def.resource, row, new Date().toISOString());
  return ok({});
}
