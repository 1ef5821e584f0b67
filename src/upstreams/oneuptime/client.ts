/**
 * Typed methods over OneUptime's generic CRUD API (`<base>/api/<resource>/…`,
 * `ApiKey: <key>`). Decodes `{"_type","value"}` envelopes and plain values
 * alike, asks for at most PAGE_LIMIT rows per call, and chunks id lists at 100.
 */
import { badResponse } from '../../errors.js';
import { HttpUpstream, type CallOptions, type HttpUpstreamOptions } from '../http.js';
import { isObject, mismatch } from '../shape.js';
import { RESOURCES, relationsOf } from './resources.js';
import type {
  CountResponse,
  ListRequestBody,
  ListResponse,
  OneUptimeResource,
  Query,
  RecordOf,
  Select,
  Sort,
} from './types.js';

/**
 * Rows per `get-list` page. The server refuses `limit` over 10000 (`BaseAPI.ts`
 * `getList`, `Common/Types/Database/LimitMax.ts`, release 7.0.3515+; 1000 in
 * 2024): 1000 is safe on every release since then.
 */
export const PAGE_LIMIT = 1000;
/** Ids per IN query: keeps request bodies and SQL `IN` lists small. */
export const IDS_PER_CALL = 100;
/** The server's own order when `sort` is empty (`DatabaseService.ts` `_findBy`). */
const DEFAULT_SORT: Sort = { createdAt: 'DESC' };
const ENVELOPE_TYPES = new Set(['ObjectID', 'DateTime', 'Color']);

export type { CallOptions } from '../http.js';

export interface ListOptions {
  select: Select;
  query?: Query;
  sort?: Sort;
  skip?: number;
  limit?: number;
}

export class OneUptimeClient {
  private readonly http: HttpUpstream;

  constructor(options: Omit<HttpUpstreamOptions, 'upstream'>) {
    this.http = new HttpUpstream({
      ...options,
      upstream: 'oneuptime',
      authHeaders: (apiKey) => ({ apikey: apiKey }),
    });
  }

  /** One page of `get-list`; skip and limit go in the query string (the server only echoes those). */
  async list<R extends OneUptimeResource>(
    resource: R,
    options: ListOptions,
    call: CallOptions,
  ): Promise<ListResponse<RecordOf<R>>> {
    const skip = options.skip ?? 0;
    const limit = Math.min(options.limit ?? PAGE_LIMIT, PAGE_LIMIT);
    const body: ListRequestBody = {
      select: withId(options.select),
      query: options.query ?? {},
      sort: withTieBreaker(options.sort),
    };
    const raw = await this.http.send('POST', `/api/${resource}/get-list`, call, {
      body,
      query: [
        ['skip', String(skip)],
        ['limit', String(limit)],
      ],
      idempotent: true,
    });
    if (!isObject(raw) || !Array.isArray(raw.data)) {
      throw badResponse('oneuptime', `${resource} get-list without data`);
    }
    const count = raw.count === undefined ? raw.data.length : readCount(raw.count);
    if (count === undefined) {
      throw badResponse('oneuptime', `${resource} get-list count is not a count`);
    }
    return {
      data: raw.data.map((row) => decodeRecord<RecordOf<R>>(row, resource)),
      count,
      skip,
      limit,
    };
  }

  /**
   * Every row whose `column` is one of `ids`: one IN query per 100 ids, each
   * followed through `skip` pages when it matches more than 100 rows.
   */
  async listByIds<R extends OneUptimeResource>(
    resource: R,
    column: string,
    ids: readonly string[],
    options: Omit<ListOptions, 'query' | 'skip' | 'limit'>,
    call: CallOptions,
  ): Promise<Array<RecordOf<R>>> {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) chunks.push(ids.slice(i, i + IDS_PER_CALL));
    const results = await Promise.all(
      chunks.map((chunk) =>
        this.listAll(resource, { ...options, query: { [column]: chunk } }, call),
      ),
    );
    return results.flat();
  }

  async count(resource: OneUptimeResource, query: Query, call: CallOptions): Promise<number> {
    const raw = await this.http.send('POST', `/api/${resource}/count`, call, {
      body: { query },
      idempotent: true,
    });
    const count = readCount(isObject(raw) ? (raw as Partial<CountResponse>).count : undefined);
    if (count === undefined) throw badResponse('oneuptime', `${resource} count is not a count`);
    return count;
  }

  /** One record, or null: OneUptime answers `200 {}` for an id that does not exist. */
  async getItem<R extends OneUptimeResource>(
    resource: R,
    id: string,
    select: Select,
    call: CallOptions,
  ): Promise<RecordOf<R> | null> {
    const raw = await this.http.send(
      'POST',
      `/api/${resource}/${encodeURIComponent(id)}/get-item`,
      call,
      {
        body: { select: withId(select) },
        idempotent: true,
      },
    );
    if (!isObject(raw) || Object.keys(raw).length === 0) return null;
    return decodeRecord<RecordOf<R>>(raw, resource);
  }

  async create<R extends OneUptimeResource>(
    resource: R,
    data: Record<string, unknown>,
    call: CallOptions,
  ): Promise<RecordOf<R>> {
    const raw = await this.http.send('POST', `/api/${resource}`, call, {
      body: { data },
      idempotent: false,
    });
    return decodeRecord<RecordOf<R>>(raw, resource);
  }

  async update(
    resource: OneUptimeResource,
    id: string,
    data: Record<string, unknown>,
    call: CallOptions,
  ): Promise<void> {
    await this.http.send('PUT', `/api/${resource}/${encodeURIComponent(id)}`, call, {
      body: { data },
      idempotent: false,
    });
  }

  async delete(resource: OneUptimeResource, id: string, call: CallOptions): Promise<void> {
    await this.http.send('DELETE', `/api/${resource}/${encodeURIComponent(id)}`, call, {
      idempotent: false,
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /**
   * Every row matching `options.query`, following `skip` pages of PAGE_LIMIT
   * rows read in parallel after the first, each row once (by `_id`).
   *
   * The sort ends with `_id` (`list`), so with no concurrent writes the pages
   * partition the rows exactly. Offset paging still reads a moving target:
   * an insert ahead of a page boundary while the pages are read shifts rows
   * forward, so one is read twice (dropped here); a delete ahead of a boundary
   * shifts rows back, so the row at the boundary is in neither page and is
   * missing from the answer, and nothing here can tell. A row written during
   * the read may or may not appear.
   */
  async listAll<R extends OneUptimeResource>(
    resource: R,
    options: ListOptions,
    call: CallOptions,
  ): Promise<Array<RecordOf<R>>> {
    const first = await this.list(resource, { ...options, skip: 0, limit: PAGE_LIMIT }, call);
    if (first.data.length < PAGE_LIMIT || first.count <= PAGE_LIMIT) return first.data;
    const skips: number[] = [];
    for (let skip = PAGE_LIMIT; skip < first.count; skip += PAGE_LIMIT) skips.push(skip);
    const rest = await Promise.all(
      skips.map((skip) => this.list(resource, { ...options, skip, limit: PAGE_LIMIT }, call)),
    );
    const seen = new Set<string>();
    return [first.data, ...rest.map((page) => page.data)].flat().filter((row) => {
      if (seen.has(row._id)) return false;
      seen.add(row._id);
      return true;
    });
  }
}

/**
 * A row count the schema can serialise (non-negative, fits GraphQL Int), sent
 * as a number or as a numeric string (both seen from proxies and older servers).
 */
function readCount(value: unknown): number | undefined {
  const count = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof count === 'number' && count >= 0 && mismatch(count, 'int') === undefined
    ? count
    : undefined;
}

/**
 * The sort as sent: the caller's columns (or the server's default) with `_id`
 * last, so rows that tie on every other column still come in one fixed order
 * and `skip` pages neither overlap nor leave gaps. OneUptime passes `sort` to
 * TypeORM's `find({order})` as it is, one ORDER BY term per key in key order,
 * and adds no tie-breaker of its own (`Common/Server/API/BaseAPI.ts` `getList`
 * at 122b0d6be74c303bf53a7bb62beace0955fb6e0b; `Common/Server/Services/
 * DatabaseService.ts` `_findBy` at 003fdb4de4ab9f7ff589f4e6a293415d09e54caf);
 * Postgres returns ties in any order, which may differ between two OFFSETs.
 */
function withTieBreaker(sort: Sort | undefined): Sort {
  const keys = sort && Object.keys(sort).length > 0 ? sort : DEFAULT_SORT;
  return '_id' in keys ? keys : { ...keys, _id: 'ASC' };
}

function withId(select: Select): Select {
  return { _id: true, ...select };
}

/** `{"_type":"ObjectID"|"DateTime"|"Color","value":v}` → v; anything else as it is. */
export function decodeValue(value: unknown): unknown {
  if (isObject(value) && typeof value._type === 'string' && ENVELOPE_TYPES.has(value._type)) {
    return value.value;
  }
  return value;
}

export function decodeRecord<T>(raw: unknown, resource: OneUptimeResource): T {
  if (!isObject(raw) || typeof decodeValue(raw._id) !== 'string') {
    throw badResponse('oneuptime', `${resource} record without an _id`);
  }
  const out: Record<string, unknown> = {};
  for (const key in raw) out[key] = decodeValue(raw[key]);
  // A selected relation is a nested row with envelopes of its own.
  for (const relation of relationsOf(resource)) {
    const nested = out[relation];
    if (isObject(nested)) {
      const row: Record<string, unknown> = {};
      for (const key in nested) row[key] = decodeValue(nested[key]);
      out[relation] = row;
    }
  }
  const problem = mismatch(out, RESOURCES[resource].shape, resource);
  if (problem) throw badResponse('oneuptime', problem);
  return out as T;
}
