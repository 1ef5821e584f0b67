/**
 * The compiled executor (issue 25): each operation is compiled once with
 * graphql-jit and run instead of graphql-js's `execute`, through Apollo
 * Server's executor hook (`gateway`), so parsing, validation, the plugins and
 * error formatting stay Apollo's. Measured in bench/README.md: less CPU per
 * request on every bench query, the same answers and errors (the whole suite
 * runs on it).
 *
 * graphql-js still runs what the compiled form would answer differently or
 * compile at a loss:
 * - variable coercion comes first, by graphql-js, so its errors (and Apollo's
 *   HTTP 400 for them) are exactly graphql-js's;
 * - a request naming no operation of its document gets graphql-js's error;
 * - introspection-only operations (GraphiQL's schema fetch) run once per page
 *   load: compiling one costs more than running it;
 * - a document's first run (see `compiledExecutor`).
 *
 * One difference remains: when a non-null field fails and so nulls its
 * parent, graphql-js stops resolving the parent's other fields, while
 * graphql-jit resolves them and also reports their errors. The data is the
 * same; `errors` may list more (a review found it with two failing non-null
 * facet fields under one parent).
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Whether every root field of the operation is `__schema`, `__type` or `__typename`. */
function introspectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every(
    (selection) => selection.kind === 'Field' && selection.name.value.startsWith('__'),
  );
}

/**
 * Documents whose compiled operations are kept, the most recently run ones: a
 * compiled operation costs tens of times its document's share of Apollo's
 * document cache (a review measured 13-29x), so that cache's byte bound does
 * not bound them. An application has a few dozen operations.
 */
export const MAX_COMPILED_DOCUMENTS = 200;

export type CompiledExecutor = GatewayExecutor & {
  /** How many documents have compiled operations kept (for tests). */
  compiledDocuments(): number;
  /** Whether this document's compiled operations are kept (for tests). */
  holds(document: DocumentNode): boolean;
};

export function compiledExecutor(
  schema: GraphQLSchema,
  maxDocuments = MAX_COMPILED_DOCUMENTS,
): CompiledExecutor {
  // Apollo keeps one parsed document per distinct query (its document store),
  // so the document's identity keys its compiled operations. A document is
  // compiled the second time it runs (one sent once, such as every document of
  // a flood of distinct ones, runs on graphql-js), and only the last
  // `maxDocuments` run keep theirs (Map order: least recently run first); a
  // document dropped from them counts as never run.
  // An operation graphql-jit cannot compile is kept as null: graphql-js runs it.
  const seen = new WeakSet<DocumentNode>();
  const compiled = new Map<DocumentNode, Map<string, CompiledQuery | null>>();
  const compiledFor = (document: DocumentNode, operationName: string | undefined) => {
    let byName = compiled.get(document);
    if (byName) {
      compiled.delete(document);
      compiled.set(document, byName);
    } else {
      if (!seen.has(document)) {
        seen.add(document);
        return null;
      }
      compiled.set(document, (byName = new Map()));
      while (compiled.size > maxDocuments) {
        // Forgotten entirely: run again, it is a first run, so documents in rotation past
        // the bound run on graphql-js rather than being compiled on every run.
        const oldest = compiled.keys().next().value!;
        compiled.delete(oldest);
        seen.delete(oldest);
      }
    }
    const key = operationName ?? '';
    let query = byName.get(key);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName);
      byName.set(key, (query = isCompiledQuery(result) ? result : null));
    }
    return query;
  };

  const executor: GatewayExecutor = async ({ document, operation, request, context }) => {
    const variables = request.variables ?? {};
    const run = () =>
      execute({
        schema,
        document,
        operationName: request.operationName,
        variableValues: variables,
        contextValue: context,
      });
    if (!operation || introspectionOnly(operation)) return run();
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, {
      maxErrors: 50,
    });
    if (coerced.errors) return { errors: coerced.errors };
    const query = compiledFor(document, operation.name?.value);
    return query ? query.query(undefined, context, variables) : run();
  };
  return Object.assign(executor, {
    compiledDocuments: () => compiled.size,
    holds: (document: DocumentNode) => compiled.has(document),
  });
}

/** Apollo Server's executor hook, for a schema that never changes. */
export function compiledGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({ executor: compiledExecutor(schema) }),
    stop: async () => undefined,
  };
}
