/**
 * The six generic CRUD operations of OneUptime's `BaseAPI`, over one table.
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

const DEFAULT_LIMIT = 10;
const LIMIT_MAX = 10000;
const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });

/** `parseInt(value) || fallback`, as `BaseAPI` reads skip and limit. */
function readInt(raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  return Number.parseInt(String(raw), 10) || fallback;
}

function checkPaging(skip: number, limit: number): void {
  if (limit > LIMIT_MAX) throw badRequest(`Limit should be less than ${LIMIT_MAX}`);
  if (skip < 0) throw badRequest('Skip should be greater than or equal to 0');
  if (limit < 0) throw badRequest('Limit should be greater than 0');
}

/**
 * Skip and limit come from the query string, else the body; the response
 * echoes only the query string's (or 0 and 10), as the real server does.
 */
function paging(query: URLSearchParams, body: Body) {
  const echo = {
    skip: readInt(query.get('skip'), 0),
    limit: readInt(query.get('limit'), DEFAULT_LIMIT),
  };
  const skip = query.has('skip') ? echo.skip : readInt(body.skip, 0);
  const limit = query.has('limit') ? echo.limit : readInt(body.limit, DEFAULT_LIMIT);
  checkPaging(skip, limit);
  checkPaging(echo.skip, echo.limit);
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

function parseId(raw: string): string {
  if (!isUuid(raw)) throw badRequest(`Invalid ID format: ${raw}. ID should be a valid UUID.`);
  return raw.toLowerCase();
}

/** A missing id is `200 {}`, not a 404. */
export function getItem(ctx: OperationContext, rawId: string, body: Body): EmulatorResponse {
  const id = parseId(rawId);
  const select = parseSelect(ctx.def, body.select);
  const row = ctx.table.get(id);
  return ok(row ? renderRow(row, select, ctx.render) : {});
}

/** Answers 200 (not 201) with the saved entity, every column. */
export function create(ctx: OperationContext, body: Body): EmulatorResponse {
  const data = parseData(ctx.def, body.data, 'create');
  const row = insertRow(ctx.db, ctx.def.resource, data, new Date().toISOString());
  return ok(renderRow(row, allColumns(ctx.def), ctx.render));
}

export function update(ctx: OperationContext, rawId: string, body: Body): EmulatorResponse {
  const id = parseId(rawId);
  const changes = parseData(ctx.def, body.data, 'update');
  const row = ctx.table.get(id);
  if (!row) {
    throw new OneUptimeError(
      422,
      `Unable to update this ${ctx.def.singularName}. It either does not exist or you do not have permissions to update it.`,
    );
  }
  updateRow(ctx.db, ctx.def.resource, row, changes, new Date().toISOString());
  return ok({});
}

/** Deleting a missing id is `200 {}`. */
export function remove(ctx: OperationContext, rawId: string): EmulatorResponse {
  const id = parseId(rawId);
  const row = ctx.table.get(id);
  if (!row) return ok({});
  deleteRow(ctx.db, ctx.def.resource, row, new Date().toISOString());
  return ok({});
}
