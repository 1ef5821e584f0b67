/**
 * The link loader (DESIGN 5a): Coralogix incident ids → the OneUptime
 * incidents whose link custom field names them, one `get-list` per level
 * (`query: {"customFields": {"<field>": {"_type": "Includes", "value": [≤ 100 ids]}}}`,
 * OneUptime `Common/Server/Types/Database/JSONColumnQuery.ts`, release 12.0.2+),
 * through the link cache. The rows it reads carry every OneUptime incident
 * column the schema shows, so they prime the incident-by-id loader: a query
 * for `oneUptimeIncident { state { name } }` costs no further call.
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

export function linkOf(claimants: OneUptimeIncidentRecord[]): Link {
  const ordered = [...claimants].sort(oldestFirst).map((row) => row._id);
  if (ordered.length === 0) return { status: 'NOT_LINKED', claimants: [] };
  return {
    status: ordered.length === 1 ? 'LINKED' : 'CONFLICT',
    oneUptimeIncidentId: ordered[0] as string,
    claimants: ordered,
  };
}

/**
 * Reads the links of these (lower-case) Coralogix ids from OneUptime, ignoring
 * the cache: one call per LINK_IDS_PER_CALL ids. Rows whose link field names
 * none of them are dropped (older servers may ignore the JSON-column query).
 */
export async function readLinks(
  ctx: Pick<LinkContext, 'client' | 'call' | 'oneuptime' | 'field'>,
  ids: readonly string[],
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
          select: selectOf('incident'),
          query: { customFields: { [ctx.field]: { _type: 'Includes', value: chunk } } },
          sort: { createdAt: 'ASC' },
        },
        ctx.call,
      ),
    ),
  );
  const rows = pages.flat();
  ctx.oneuptime.remember('incident', rows, RESOURCES.incident.columnNames);
  for (const row of rows) {
    for (const id of linkedIds(row, ctx.field)) if (wanted.has(id)) claimants.get(id)?.push(row);
  }
  return new Map(ids.map((id) => [id, linkOf(claimants.get(id) ?? [])]));
}

export type LinkLoader = DataLoader<string, Link>;

/** Per request: Coralogix id (any case) → its link, through the cache. */
export function createLinkLoader(ctx: LinkContext): LinkLoader {
  return new DataLoader<string, Link>(
    async (keys) => {
      const ids = [...new Set(keys.map((key) => key.toLowerCase()))];
      for (const id of ids) ctx.tags.read(TAG.link(id));
      const cached = await ctx.cache.get(ctx.scope, ids);
      const missing = ids.filter((id) => !cached.has(id));
      if (missing.length > 0) {
        const read = await readLinks(ctx, missing);
        await ctx.cache.set(ctx.scope, read);
        for (const [id, link] of read) cached.set(id, link);
      }
      return keys.map((key) => cached.get(key.toLowerCase()) as Link);
    },
    { batch: ctx.batch, cache: ctx.batch, maxBatchSize: 1000 },
  );
}
