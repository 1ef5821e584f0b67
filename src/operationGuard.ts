/**
 * Apollo plugin that runs after parsing and validation and before any
 * resolver, so before any upstream call: read-only tokens may not mutate, and
 * operations over the depth / alias / cost limits are refused.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from './context.js';
import { GatewayError } from './errors.js';
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
          throw new GatewayError('FORBIDDEN', 'This gateway token may run queries only.', {
            http: { status: 403 },
          });
        }
        const fragments: Record<string, FragmentDefinitionNode> = {};
        for (const definition of document.definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION)
            fragments[definition.name.value] = definition;
        }
        enforceLimits(limits, schema, operation, fragments, request.variables ?? {});
      },
    }),
  };
}
