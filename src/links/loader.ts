/**
 * The link loader (DESIGN 5a): Coralogix incident ids → the OneUptime
 * incidents whose link custom field names them, one `get-list` per level
 * (`query: {"customFields": {"<field>": {"_type": "Includes", "value": [≤ 100 ids]}}}`,
 * OneUptime `Common/Server/Types/Database/JSONColumnQuery.ts`, release 12.0.2+),
 * through the link cache. The rows it reads carry every OneUptime incident
 * column the operation can show (readColumns.ts), so they prime the
 * incident-by-id loader: a query for `oneUptimeIncident { state { name } }`
 * costs no further call.
 */
import DataLoader from 'dataloader';
import { TAG, type CacheTags } from '../sharedCache/cacheTags.js';
import type { CallOptions, OneUptimeClient } from '../upstreams/oneuptime/client.js';
import type { OneUptimeLoaders } from '../upstreams/oneuptime/loaders.js';
import {
  RESOURCES,
  selectOf,
  type OneUptimeIncidentRecord,
} from '../upstreams/oneuptime/resources.js';
import type { LinkCache } from './cache.js';
import type { LinkPairs } from './pairs.js';
import type { Link } from './types.js';

/** Coralogix ids per link query: OneUptime refuses more than 200 values per key. */
export const LINK_IDS_PER_CALL = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LinkContext {
  client: OneUptimeClient;
  call: CallOptions;
  oneuptime: OneUptimeLoaders;
  cache: LinkCache;
  /** Who may share cached links: one scope per set of upstream keys. */
  scope: string;
  field: string;
  tags: CacheTags;
  batch: boolean;
  /**
   * The incident columns the loader's reads select (readColumns.ts): every
   * column unless the operation said what it can read.
   */
  columns: readonly string[];
}

/**
 * The Coralogix ids a OneUptime incident's link field names: a string, or
 * (multi-value custom fields) an array of strings; anything that is not a
 * UUID is no link. Lower-cased, as the gateway keys Coralogix ids.
 */
export function linkedIds(row: Pick<OneUptimeIncidentRecord, 'customFields'>, field: string) {
  const fields = row.customFields;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return [];
  const value = (fields as Record<string, unknown>)[field];
  const values = Array.isArray(value) ? value : [value];
  return values
    .filter((v): v is string => typeof v === 'string' && UUID.test(v))
    .map((v) => v.toLowerCase());
}

/** Oldest first (DESIGN 5a: the oldest claimant wins a conflict), then by id for a stable order. */
function oldestFirst(a: OneUptimeIncidentRecord, b: OneUptimeIncidentRecord): number {
  const at = (row: OneUptimeIncidentRecord) => Date.parse(row.createdAt ?? '') || 0;
  return at(a) - at(b) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}

export function linkOf(
  coralogixId: string,
  claimants: OneUptimeIncidentRecord[],
  field: string,
): Link {
  const rows = [...claimants].sort(oldestFirst);
  const first = rows[0];
  if (!first) return { status: 'NOT_LINKED', claimants: [], namedFirstBy: [] };
  return {
    status: rows.length === 1 ? 'LINKED' : 'CONFLICT',
    oneUptimeIncidentId: first._id,
    claimants: rows.map((row) => row._id),
    namedFirstBy: rows
      .filter((row) => linkedIds(row, field)[0] === coralogixId)
      .map((row) => row._id),
  };
}

/**
 * Reads the links of these (lower-case) Coralogix ids from OneUptime, ignoring
 * the cache: one call per LINK_IDS_PER_CALL ids, selecting `columns` (which
 * must hold readColumns.ts's LINK_COLUMNS); the rows prime the by-id loader
 * with those. Rows whose link field names none of the ids are dropped (older
 * servers may ignore the JSON-column query).
 */
export async function readLinks(
  ctx: Pick<LinkContext, 'client' | 'call' | 'oneuptime' | 'field'>,
  ids: readonly string[],
  columns: readonly string[] = RESOURCES.incident.columnNames,
): Promise<Map<string, Link>> {
  const wanted = new Set(ids);
  const claimants = new Map<string, OneUptimeIncidentRecord[]>(ids.map((id) => [id, []]));
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += LINK_IDS_PER_CALL) {
    chunks.push(ids.slice(i, i + LINK_IDS_PER_CALL));
  }
  const pages = await Promise.all(
    chunks.map((chunk) =>
      ctx.client.listAll(
        'incident',
        {
          select: selectOf('incident', columns),
          query: { customFields: { [ctx.field]: { _type: 'Includes', value: chunk } } },
          sort: { createdAt: 'ASC' },
        },
        ctx.call,
      ),
    ),
  );
  const rows = pages.flat();
  ctx.oneuptime.remember('incident', rows, columns);
  for (const row of rows) {
    for (const id of linkedIds(row, ctx.field)) if (wanted.has(id)) claimants.get(id)?.push(row);
  }
  return new Map(ids.map((id) => [id, linkOf(id, claimants.get(id) ?? [], ctx.field)]));
}

export type LinkLoader = DataLoader<string, Link>;

/**
 * Per request: Coralogix id (any case) → its link, through the cache. Every
 * link it answers, cached or read, teaches `pairs` the way back.
 */
export function createLinkLoader(ctx: LinkContext, pairs: LinkPairs): LinkLoader {
  return new DataLoader<string, Link>(
    async (keys) => {
      const ids = [...new Set(keys.map((key) => key.toLowerCase()))];
      for (const id of ids) ctx.tags.read(TAG.link(id));
      const { found: cached, mark } = await ctx.cache.get(ctx.scope, ids);
      const missing = ids.filter((id) => !cached.has(id));
      if (missing.length > 0) {
        // The call is made anyway, so it also reads cached ids while they fit in
        // the chunks the missing ones need: every link of the level then comes
        // with its row (priming the by-id loader), and a partly warm cache costs
        // what a cold one does, never an extra `_id` read (DESIGN 9).
        const room = LINK_IDS_PER_CALL - (missing.length % LINK_IDS_PER_CALL || LINK_IDS_PER_CALL);
        const again = ids.filter((id) => cached.has(id)).slice(0, room);
        const read = await readLinks(ctx, [...missing, ...again], ctx.columns);
        await ctx.cache.set(ctx.scope, read, mark);
        for (const [id, link] of read) cached.set(id, link);
      }
      for (const [id, link] of cached) pairs.learn(id, link);
      return keys.map((key) => cached.get(key.toLowerCase()) as Link);
    },
    { batch: ctx.batch, cache: ctx.batch, maxBatchSize: 1000 },
  );
}

export type ReverseLoader = DataLoader<string, string | null>;

/**
 * Per request: OneUptime incident id → the Coralogix id its link field names
 * (null: none, or no such incident). What this request's links already say
 * answers without a call; the rest is one `_id` read of their custom field per
 * level. Both kinds settle together, so the next level's keys arrive at once.
 */
export function createReverseLoader(
  ctx: Pick<LinkContext, 'oneuptime' | 'field' | 'batch'>,
  pairs: LinkPairs,
): ReverseLoader {
  return new DataLoader<string, string | null>(
    async (oneUptimeIds) => {
      const known = oneUptimeIds.map((id) => pairs.coralogixIdOf(id));
      const unknown = oneUptimeIds.filter((_, i) => known[i] === undefined);
      const rows =
        unknown.length > 0
          ? await ctx.oneuptime.incidentById.loadMany(unknown, ['customFields'])
          : [];
      const read = new Map(unknown.map((id, i) => [id, rows[i]]));
      return oneUptimeIds.map((id, i) => {
        const paired = known[i];
        if (paired !== undefined) return paired;
        const row = read.get(id);
        if (row instanceof Error) return row;
        return row ? (linkedIds(row, ctx.field)[0] ?? null) : null;
      });
    },
    { batch: ctx.batch, cache: ctx.batch, maxBatchSize: 1000 },
  );
}
