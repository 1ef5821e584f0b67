/**
 * Apollo plugin that runs after parsing and validation and before any
 * resolver, so before any upstream call: read-only tokens may not mutate, and
 * operations over the depth / alias / cost / upstream-call limits are refused.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { requestError } from '../errors.js';
import { fragmentsOf } from '../graphql/selection.js';
import { enforceLimits, type OperationLimits } from './limits.js';

export function operationGuard(
  schema: GraphQLSchema,
  limits: OperationLimits,
): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ operation, document, contextValue, request }) => {
        if (!operation) return; // Apollo has already refused a document without a matching operation
        if (operation.operation === 'mutation' && !contextValue.access.canWrite) {
          throw requestError('FORBIDDEN', 'This gateway token may run queries only.');
        }
        enforceLimits(limits, schema, operation, fragmentsOf(document), request.variables ?? {});
      },
    }),
  };
}
