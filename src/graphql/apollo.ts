/**
 * The Apollo Server the gateway runs: the schema, error masking, parser
 * limits, persisted queries and the plugins (guard, operation log, shared
 * cache), with the features the gateway does not use turned off.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { createFormatError } from '../errors.js';
import { memoryDocumentStore, persistedQueries } from './persistedQueries.js';

export interface ApolloOptions {
  schema: GraphQLSchema;
  config: Pick<Config, 'introspection' | 'maxTokens' | 'production' | 'maxApqBytes'>;
  logger: Logger;
  plugins: Array<ApolloServerPlugin<GatewayContext>>;
  /** The one error masking point, shared with the live transports. */
  formatError: ReturnType<typeof createFormatError>;
  /** Shared APQ store (Redis); a per-process one when absent. */
  persistedQueries?: KeyValueCache<string>;
}

export async function startApollo(options: ApolloOptions): Promise<ApolloServer<GatewayContext>> {
  const { logger } = options;
  // Apollo reads registrations; the plugin decides which are stored (persistedQueries.ts).
  const apq = persistedQueries(options.persistedQueries ?? memoryDocumentStore(), {
    maxBytes: options.config.maxApqBytes,
    logger,
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema: options.schema,
    introspection: options.config.introspection,
    csrfPrevention: true,
    // main.ts owns signal handling; a library factory must not install process handlers.
    // The HTTP drain is the gateway's own (http/drain.ts), before apollo.stop().
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: options.formatError,
    // graphql-js counts tokens while parsing: a huge document is refused before it is built.
    parseOptions: { maxTokens: options.config.maxTokens },
    persistedQueries: { cache: apq.cache },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Cache hints are unused (the Redis cache keys on tags); the default cache-control
      // plugin would otherwise wrap every field resolver (about 5 % of CPU on a list query).
      ApolloServerPluginCacheControlDisabled(),
      apq.plugin,
      ...options.plugins,
    ],
    logger,
  });
  await apollo.start();
  return apollo;
}
