/**
 * The cross-vendor link for one request and one family (DESIGN 5a, STYLE 17):
 * the link loader over the shared cache, fresh reads for writes (never a
 * cached answer before a write), and the lock link writes hold.
 */
import type { CacheTags } from '../sharedCache/cacheTags.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type { CallOptions, OneUptimeClient } from '../upstreams/oneuptime/client.js';
import type { OneUptimeLoaders } from '../upstreams/oneuptime/loaders.js';
import { RESOURCES } from '../upstreams/oneuptime/resources.js';
import type { LinkCache } from './cache.js';
import type { LinkFamily } from './family.js';
import {
  createLinkLoader,
  createReverseLoader,
  linkedIds,
  readLinks,
  type LinkLoader,
  type ReverseLoader,
} from './loader.js';
import type { LinkLock } from './lock.js';
import { LinkPairs } from './pairs.js';
import type { Link } from './types.js';

export { linkedIds } from './loader.js';
export type { LinkFamily } from './family.js';
export type { Link, LinkPayload, LinkStatus } from './types.js';

/** What the link writes tell the operator (a pino logger, or nothing). */
export interface LinkLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** What a gateway shares across requests for the links of one family. */
export interface LinkShared<R = Incident> {
  family: LinkFamily<R>;
  cache: LinkCache;
  /** One lock for every family: they write the same OneUptime incidents. */
  lock: LinkLock;
  /** How long a create whose answer was lost is looked for (twice UPSTREAM_TIMEOUT_MS). */
  settleMs: number;
  log: LinkLog;
}

export interface Links<R = Incident> {
  readonly family: LinkFamily<R>;
  /** The family's link custom field (ONEUPTIME_LINK_FIELD for incidents). */
  readonly field: string;
  /** Coralogix id → link, batched per tick and cached (DESIGN 5a). */
  readonly loader: LinkLoader;
  /**
   * OneUptime incident id → the Coralogix id its link field names (null when
   * none): answered by this request's links when they say it (src/links/pairs.ts),
   * else by one read of the custom fields per level.
   */
  readonly reverse: ReverseLoader;
  readonly lock: LinkLock;
  readonly settleMs: number;
  readonly log: LinkLog;
  /**
   * The links of these Coralogix ids as OneUptime says now (for writes); with
   * `signal`, read under it instead of the request's own.
   */
  fresh(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, Link>>;
  /** Forgets cached links of these Coralogix ids, on every replica. */
  invalidate(ids: readonly string[]): Promise<void>;
  /** The Coralogix id a OneUptime incident's link field names, if any. */
  coralogixIdOf(row: { customFields?: unknown }): string | undefined;
  /**
   * The incident columns this request's link reads select from now on
   * (readColumns.ts; LINK_COLUMNS among them). Every column until told.
   */
  readColumns(columns: readonly string[]): void;
}

export function createLinks<R>(
  shared: LinkShared<R>,
  request: {
    client: OneUptimeClient;
    call: CallOptions;
    oneuptime: OneUptimeLoaders;
    scope: string;
    tags: CacheTags;
    batch: boolean;
  },
): Links<R> {
  const { family } = shared;
  const context = {
    ...request,
    cache: shared.cache,
    field: family.field,
    columns: RESOURCES.incident.columnNames,
  };
  const pairs = new LinkPairs();
  const reverse = createReverseLoader(context, pairs);
  const loader = createLinkLoader(context, pairs);
  return {
    family,
    field: family.field,
    loader,
    reverse,
    lock: shared.lock,
    settleMs: shared.settleMs,
    log: shared.log,
    fresh: (ids, signal) =>
      readLinks(signal ? { ...context, call: { ...context.call, signal } } : context, [
        ...new Set(ids.map((id) => id.toLowerCase())),
      ]),
    invalidate: (ids) => {
      const lower = ids.map((id) => id.toLowerCase());
      pairs.forget(lower);
      reverse.clearAll();
      // This request's own answers too: a later field of the same operation (the payload of
      // the write, the next mutation field) reads the link as it is now.
      loader.clearAll();
      return shared.cache.invalidate(lower);
    },
    coralogixIdOf: (row) =>
      linkedIds(row as { customFields?: Record<string, unknown> | null }, family.field)[0],
    readColumns: (columns) => {
      context.columns = columns;
    },
  };
}
