/**
 * The Redis-backed state replicas share (REDIS_URL): automatic persisted
 * queries, and a short-lived response cache for read-only operations.
 * PLACEHOLDER: to be implemented (see the issue); this stub caches nothing.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from 'pino';
import type { GatewayContext } from './context.js';
import type { Metrics } from './metrics.js';

export interface SharedCacheOptions {
  url: string;
  logger: Logger;
  metrics: Metrics;
  /** Lifetime of a cached response. */
  responseTtlMs: number;
}

export interface SharedCache {
  /** Apollo's APQ store: a hash registered on one replica is served by another. */
  apq: KeyValueCache<string>;
  /** Serves and stores read-only responses; evicts by the tags mutations wrote. */
  plugin: ApolloServerPlugin<GatewayContext>;
  close(): Promise<void>;
}

export function createSharedCache(options: SharedCacheOptions): SharedCache {
  void options;
  const store = new Map<string, string>();
  return {
    apq: {
      get: async (key) => store.get(key),
      set: async (key, value) => void store.set(key, value),
      delete: async (key) => store.delete(key),
    },
    plugin: {},
    close: async () => undefined,
  };
}
