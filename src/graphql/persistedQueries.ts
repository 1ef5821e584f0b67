/**
 * Automatic persisted queries with the registration policy Apollo's own
 * lacks. Apollo stores a registration (hash + document) right after
 * validation, of any size, before the variables are checked or the operation
 * is even found. Here Apollo only reads the store; a registration is stored
 * once the operation has run (so it parsed, validated, passed the operation
 * guard and had an operation and variables that execution accepted), and
 * only when the document is at most MAX_APQ_BYTES. A larger one runs but is
 * not stored: a hash-only retry gets PERSISTED_QUERY_NOT_FOUND and the client
 * keeps sending the text. A read-only token can no longer fill Redis with
 * megabyte documents, nor with documents that never ran.
 *
 * The store is Redis (src/sharedCache) when configured, else a per-process
 * map bounded by bytes.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';

/** Apollo's key prefix for APQ entries (`APQ_CACHE_PREFIX`, requestPipeline.ts). */
const APQ_PREFIX = 'apq:';
/** The per-process store holds this many bytes of documents (Apollo's default LRU: 30 MiB). */
const MEMORY_STORE_BYTES = 30 * 1_048_576;

export interface PersistedQueries {
  /** For Apollo's `persistedQueries.cache`: lookups reach the store, Apollo's writes do not. */
  cache: KeyValueCache<string>;
  /** Stores a registration once its operation has run. */
  plugin: ApolloServerPlugin<GatewayContext>;
}

export function persistedQueries(
  store: KeyValueCache<string>,
  options: { maxBytes: number; logger: Logger },
): PersistedQueries {
  return {
    cache: {
      get: (key) => store.get(key),
      set: async () => undefined,
      delete: (key) => store.delete(key),
    },
    plugin: {
      requestDidStart: async () => ({
        willSendResponse: async ({ metrics, queryHash, source, operation, response }) => {
          if (!metrics.persistedQueryRegister || !queryHash || !source || !operation) return;
          const { body } = response;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          // No `data`: execution never started (variables refused, and the like).
          if (result.data === undefined) return;
          const bytes = Buffer.byteLength(source);
          if (bytes > options.maxBytes) {
            options.logger.debug(
              { bytes, maxBytes: options.maxBytes },
              'persisted query not stored: the document is larger than MAX_APQ_BYTES',
            );
            return;
          }
          // Awaited (bounded by the store: Redis's command timeout), so a hash-only
          // request right after this answer finds it on any replica.
          await store.set(`${APQ_PREFIX}${queryHash}`, source);
        },
      }),
    },
  };
}

/**
 * What one entry costs besides its document: its key (`apq:` + 64 hex digits)
 * and the Map's entry and the two strings' headers, about 180 bytes measured
 * (a review: a million one-line documents, 17 MiB of text, held 173 MiB).
 */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * A per-process store of documents, least recently used dropped past
 * `maxBytes`, each entry counted with its key and overhead: many small
 * documents cannot hold ten times the bound.
 */
export function memoryDocumentStore(maxBytes = MEMORY_STORE_BYTES): KeyValueCache<string> {
  const documents = new Map<string, string>();
  let bytes = 0;
  const cost = (key: string, value: string) =>
    Buffer.byteLength(value) + key.length + ENTRY_OVERHEAD_BYTES;
  const drop = (key: string) => {
    const value = documents.get(key);
    if (value === undefined) return false;
    documents.delete(key);
    bytes -= cost(key, value);
    return true;
  };
  return {
    async get(key) {
      const value = documents.get(key);
      if (value !== undefined) {
        documents.delete(key);
        documents.set(key, value);
      }
      return value;
    },
    async set(key, value) {
      drop(key);
      documents.set(key, value);
      bytes += cost(key, value);
      for (const oldest of documents.keys()) {
        if (bytes <= maxBytes) break;
        drop(oldest);
      }
    },
    async delete(key) {
      return drop(key);
    },
  };
}
