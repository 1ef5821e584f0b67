/**
 * Apollo plugin that runs after parsing and validation and before any
 * resolver, so before any upstream call: read-only tokens may not mutate, and
 * operations over the depth / alias / cost / upstream-call limits are refused.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import { requestError } from '../errors.js';
import { fragmentsOf } from '../graphql/selection.js';
import { enforceLimits, type OperationLimits } from './limits.js';

/** Variables longer than this as JSON are measured every time, not remembered. */
export const MAX_REMEMBERED_VARIABLES_CHARS = 1_024;
/** Variable sets remembered per operation; the set starts over when full. */
export const MAX_REMEMBERED_PER_OPERATION = 64;

export function operationGuard(
  schema: GraphQLSchema,
  limits: OperationLimits,
): ApolloServerPlugin<GatewayContext> {
  const passed = passedOperations();
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ operation, document, contextValue, request }) => {
        if (!operation) return; // refused by graphql/operationResolution.ts
        if (operation.operation === 'mutation' && !contextValue.access.canWrite) {
          throw requestError('FORBIDDEN', 'This gateway token may run queries only.');
        }
        const variables = request.variables ?? {};
        const key = passed.key(operation, variables);
        if (key !== undefined && passed.has(operation, key)) return;
        enforceLimits(limits, schema, operation, fragmentsOf(document), variables);
        if (key !== undefined) passed.add(operation, key);
      },
    }),
  };
}

/**
 * The operations (with their variables) that passed the limits. The measure
 * is a pure function of the operation's syntax tree and its variables, and
 * Apollo hands every request with the same document text the same parsed
 * tree (its document cache), so a screen that polls one query is measured
 * once per set of variables instead of on every request (the cost walk and
 * the upstream-call walk were 3 % of the gateway's busy time on the single
 * incident query at saturation). Failures are never remembered: a refused
 * operation is measured again and gets a fresh error.
 */
export function passedOperations() {
  const seen = new WeakMap<OperationDefinitionNode, Set<string>>();
  return {
    key(operation: OperationDefinitionNode, variables: Record<string, unknown>) {
      if (!operation.variableDefinitions?.length) return '';
      let key: string;
      try {
        key = JSON.stringify(variables);
      } catch {
        return undefined; // not JSON (only in-process callers can send that): measured every time
      }
      return key.length <= MAX_REMEMBERED_VARIABLES_CHARS ? key : undefined;
    },
    has: (operation: OperationDefinitionNode, key: string) =>
      seen.get(operation)?.has(key) === true,
    add(operation: OperationDefinitionNode, key: string) {
      let keys = seen.get(operation);
      if (!keys) seen.set(operation, (keys = new Set()));
      if (keys.size >= MAX_REMEMBERED_PER_OPERATION) keys.clear();
      keys.add(key);
    },
  };
}
