/**
 * One log line per GraphQL operation: request id, operation name, duration
 * and the error codes the client saw. Never variables or headers (they may
 * carry keys or personal data).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from './context.js';

export function operationLog(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: async ({ contextValue }) => {
      const started = performance.now();
      return {
        willSendResponse: async ({ response, operationName, operation }) => {
          const errors =
            response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const errorCodes = [
            ...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN'))),
          ];
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              status: response.http.status ?? 200,
              ...(errorCodes.length ? { errorCodes } : {}),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
