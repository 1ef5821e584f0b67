/**
 * A valid document with no operation to run (`operationName` names none, or
 * is missing among several operations) is refused as soon as Apollo has
 * looked for the operation, with graphql-js's own message, as
 * OPERATION_RESOLUTION_FAILURE (HTTP 400). Apollo itself would only notice at
 * execution, after every plugin's `didResolveOperation` and
 * `responseForOperation` had run with no operation, which the plugins need.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import { quote, requestError } from '../errors.js';

/** What graphql-js's `buildExecutionContext` says when it finds no operation. */
export function missingOperationMessage(
  document: DocumentNode,
  operationName: string | undefined,
): string {
  if (operationName) return `Unknown operation named ${quote(operationName)}.`;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length > 1
    ? 'Must provide operation name if query contains multiple operations.'
    : 'Must provide an operation.';
}

export function operationResolution(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ operation, document, request }) => {
        if (operation) return;
        throw requestError(
          'OPERATION_RESOLUTION_FAILURE',
          missingOperationMessage(document, request.operationName ?? undefined),
        );
      },
    }),
  };
}
