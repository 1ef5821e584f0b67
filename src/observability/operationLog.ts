/**
 * One log line, one metric sample and the end of the operation's span per
 * GraphQL operation: request id, operation name, duration, the upstream
 * attempts it made and the error codes the client saw. Never variables or
 * headers (they may carry keys or personal data).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';
import { CLIENT_CLOSED, ClientClosedError } from '../errors.js';
import type { Metrics } from './metrics.js';

function endSpan(
  span: Span,
  type: string | null,
  name: string | null,
  errorCodes: string[],
  clientClosed: boolean,
) {
  span.updateName(`GraphQL ${type ?? 'operation'}${name ? ` ${name}` : ''}`);
  if (type) span.setAttribute('graphql.operation.type', type);
  if (name) span.setAttribute('graphql.operation.name', name);
  if (clientClosed) {
    span.setAttribute('graphql.outcome', CLIENT_CLOSED);
  } else if (errorCodes.length) {
    span.setAttribute('graphql.error.codes', errorCodes);
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes.join(',') });
  }
  span.end();
}

export function operationLog(logger: Logger, metrics: Metrics): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: async ({ contextValue }) => {
      const started = performance.now();
      return {
        willSendResponse: async ({ response, operationName, operation }) => {
          // A client that went away cancelled the work: its errors are that cancellation's
          // echo (no one receives them), so the outcome is CLIENT_CLOSED, not an error code.
          const clientClosed = contextValue.signal.reason instanceof ClientClosedError;
          const errors =
            response.body.kind === 'single' && !clientClosed
              ? (response.body.singleResult.errors ?? [])
              : [];
          const errorCodes = [
            ...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN'))),
          ];
          const outcome = clientClosed ? CLIENT_CLOSED : (errorCodes[0] ?? 'ok');
          const seconds = (performance.now() - started) / 1000;
          const type = operation?.operation ?? null;
          endSpan(contextValue.span, type, operationName ?? null, errorCodes, clientClosed);
          metrics.operation(operationName ?? null, type, outcome, seconds);
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? null,
              operationType: type,
              durationMs: Math.round(seconds * 10_000) / 10,
              status: response.http.status ?? 200,
              upstreamCalls: contextValue.upstreamCalls.used,
              ...(clientClosed ? { outcome } : {}),
              ...(errorCodes.length ? { errorCodes } : {}),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
