/**
 * The cross-vendor link for one request: the link loader over the shared
 * cache, fresh reads for writes (never a cached answer before a write), and
 * the per-id lock of `ensureOneUptimeIncident`.
 */
import type { CacheTags } from '../sharedCache/cacheTags.js';
import type { CallOptions, OneUptimeClient } from '../upstreams/oneuptime/client.js';
import type { OneUptimeLoaders } from '../upstreams/oneuptime/loaders.js';
import type { LinkCache } from './cache.js';
import { createLinkLoader, linkedIds, readLinks, type LinkLoader } from './loader.js';
import type { KeyedLock } from './lock.js';
import type { Link } from './types.js';

export { linkedIds } from './loader.js';
export type { Link, LinkPayload, LinkStatus } from './types.js';

/** What a gateway shares across requests for links. */
export interface LinkShared {
  field: string;
  cache: LinkCache;
  lock: KeyedLock;
}

export interface Links {
  /** The link custom field (ONEUPTIME_LINK_FIELD). */
  readonly field: string;
  /** Coralogix id → link, batched per tick and cached (DESIGN 5a). */
  readonly loader: LinkLoader;
  readonly lock: KeyedLock;
  /** The links of these Coralogix ids as OneUptime says now (for writes). */
  fresh(ids: readonly string[]): Promise<Map<string, Link>>;
  /** Forgets cached links of these Coralogix ids, on every replica. */
  invalidate(ids: readonly string[]): Promise<void>;
  /** The Coralogix id a OneUptime incident's link field names, if any. */
  coralogixIdOf(row: { customFields?: unknown }): string | undefined;
}

export function createLinks(
  shared: LinkShared,
  request: {
    client: OneUptimeClient;
    call: CallOptions;
    oneuptime: OneUptimeLoaders;
    scope: string;
    tags: CacheTags;
    batch: boolean;
  },
): Links {
  const context = { ...request, cache: shared.cache, field: shared.field };
  return {
    field: shared.field,
    loader: createLinkLoader(context),
    lock: shared.lock,
    fresh: (ids) => readLinks(context, [...new Set(ids.map((id) => id.toLowerCase()))]),
    invalidate: (ids) => shared.cache.invalidate(ids.map((id) => id.toLowerCase())),
    coralogixIdOf: (row) =>
      linkedIds(row as { customFields?: Record<string, unknown> | null }, shared.field)[0],
  };
}
