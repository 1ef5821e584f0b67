/**
 * A subscription from start to event, shared by both transports: the same
 * checks as an HTTP operation (gateway token and keys through the context
 * factory, parse with the token limit, validation, the operation limits), the
 * same error masking, and events executed each with their batch's shared
 * context instead of the subscription's own.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  GraphQLError,
  Kind,
  createSourceEventStream,
  execute,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { GatewayError } from '../errors.js';
import { missingOperationMessage } from '../graphql/operationResolution.js';
import { enforceLimits, type OperationLimits } from '../guard/limits.js';
import { boundedResult } from '../guard/responseSize.js';
import type { ContextFor, Delivery, LiveAccess, LiveContext } from './access.js';
import { checkSubscriptionArguments } from './arguments.js';
import type { LiveHub } from './hub.js';
import type { LiveConnection } from './subscriber.js';

export type { LiveAccess } from './access.js';

export type FormatError = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

export interface OperationsOptions {
  schema: GraphQLSchema;
  limits: OperationLimits & { maxTokens: number };
  formatError: FormatError;
  contextFor: ContextFor;
  hub: LiveHub;
  /** MAX_RESPONSE_BYTES: an event over it becomes a RESPONSE_TOO_LARGE error for its subscriber. */
  maxResponseBytes: number;
}

/** The payload of a subscribe request (graphql-ws `subscribe` message, graphql-sse request). */
export interface SubscribeRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export const NOT_OVER_HTTP =
  'Subscriptions are served over WebSocket (graphql-ws) and SSE (Accept: text/event-stream) at /graphql.';

/** The LiveAccess of an ordinary HTTP request: it can publish, not subscribe. */
export function httpAccess(hub: LiveHub, scope: string): LiveAccess {
  return {
    written: (write, incidents) => hub.written(scope, write, incidents),
    casesWritten: (write, cases) => hub.casesWritten(scope, write, cases),
    changes: () => {
      throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
    },
    caseChanges: () => {
      throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
    },
  };
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

/** graphql-js errors get the request codes createFormatError maps into the catalogue. */
function requestError(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    extensions: { code },
  });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parsed, valid documents by query text: every subscriber of one screen sends the same one. */
const DOCUMENT_CACHE_SIZE = 100;
/** Longer queries are parsed each time (a cache entry must stay small). */
const CACHEABLE_QUERY_LENGTH = 4_096;

/** How long a subscription prepared but not started holds its MAX_SUBSCRIPTIONS place. */
const UNSTARTED_PLACE_MS = 10_000;

export function createLiveOperations(options: OperationsOptions) {
  const { schema, hub } = options;
  const documents = new Map<string, DocumentNode>();
  /**
   * The contexts of subscriptions being started, by the small stand-in the
   * transports keep: once started, a subscription needs only `live` (its
   * events run with their batch's context), so an idle one holds no loaders.
   */
  const starting = new WeakMap<object, { context: LiveContext; release: () => void }>();

  /** Parse (with the token limit) and validate, or the request errors. */
  function documentOf(query: string): DocumentNode | GraphQLError[] {
    const cached = documents.get(query);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.limits.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) return [requestError(error, 'GRAPHQL_PARSE_FAILED')];
      throw error;
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) {
      return invalid.map((error) => requestError(error, 'GRAPHQL_VALIDATION_FAILED'));
    }
    if (query.length <= CACHEABLE_QUERY_LENGTH) {
      documents.set(query, document);
      if (documents.size > DOCUMENT_CACHE_SIZE) documents.delete(documents.keys().next().value!);
    }
    return document;
  }

  /**
   * ExecutionArgs for a subscription, or the errors that refuse it. The
   * context is built (token and keys checked) before anything else.
   */
  function prepare(
    request: SubscribeRequest,
    headers: IncomingHttpHeaders,
    connection: LiveConnection,
  ): ExecutionArgs | GraphQLError[] {
    let context: LiveContext;
    try {
      context = options.contextFor(headers, hub.signal, `live-sub-${crypto.randomUUID()}`);
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    const refuse = (errors: GraphQLError[]) => {
      context.span.end();
      return errors;
    };
    if (typeof request.query !== 'string' || request.query.trim() === '') {
      return refuse([new GatewayError('BAD_USER_INPUT', 'Send the subscription as "query".')]);
    }
    const document = documentOf(request.query);
    if (Array.isArray(document)) return refuse(document);
    const operationName =
      typeof request.operationName === 'string' ? request.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return refuse([
        new GatewayError(
          'OPERATION_RESOLUTION_FAILURE',
          missingOperationMessage(document, operationName),
        ),
      ]);
    }
    if (operation.operation !== 'subscription') {
      return refuse([
        new GatewayError(
          'BAD_USER_INPUT',
          'Only subscriptions are served here; send queries and mutations as HTTP POST to /graphql.',
        ),
      ]);
    }
    const variables = isObject(request.variables) ? request.variables : {};
    const fragments = fragmentsOf(document);
    try {
      enforceLimits(options.limits, schema, operation, fragments, variables);
    } catch (error) {
      if (error instanceof GraphQLError) return refuse([error]);
      throw error;
    }
    const invalid = checkSubscriptionArguments(schema, operation, fragments, variables);
    if (invalid.length > 0) return refuse(invalid);
    // Held until subscribe(): subscriptions prepared together cannot all pass MAX_SUBSCRIPTIONS.
    const reserved = hub.reserve();
    if (!reserved) return refuse([hub.overloaded()]);
    // A transport that prepares and then never starts (a client gone in between) does not keep
    // the place: it is given back after a while whatever happens (release is idempotent).
    const abandoned = setTimeout(reserved, UNSTARTED_PLACE_MS).unref();
    const release = () => {
      clearTimeout(abandoned);
      reserved();
    };
    const scope = context.credentialScope;
    context.live = {
      written: (write, incidents) => hub.written(scope, write, incidents),
      casesWritten: (write, cases) => hub.casesWritten(scope, write, cases),
      changes: (matches) => hub.subscribe(scope, headers, 'incident', matches, connection),
      caseChanges: (matches) => hub.subscribe(scope, headers, 'case', matches, connection),
    };
    const standIn = { requestId: context.requestId, credentialScope: scope };
    starting.set(standIn, { context, release });
    return {
      schema,
      document,
      variableValues: variables,
      contextValue: standIn,
      ...(operationName ? { operationName } : {}),
    };
  }

  /**
   * graphql-js `subscribe`, except that each event runs with its batch's
   * shared context (one loader set for every subscriber of the batch).
   */
  async function subscribe(
    args: ExecutionArgs,
  ): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const started = starting.get(args.contextValue as object);
    if (!started) throw new Error('subscribe() needs ExecutionArgs from prepare()');
    starting.delete(args.contextValue as object);
    const { context } = started;
    // The place gives way to the subscriber, which the resolver registers synchronously below.
    started.release();
    let source: AsyncIterable<unknown> | ExecutionResult;
    try {
      source = await createSourceEventStream({ ...args, contextValue: context });
    } finally {
      context.span.end();
    }
    if (!(Symbol.asyncIterator in source)) return source;
    const deliveries = source[Symbol.asyncIterator]() as AsyncIterator<Delivery>;
    return eventResults(deliveries, async (delivery) => {
      try {
        return await execute({ ...args, rootValue: delivery, contextValue: delivery.context() });
      } finally {
        delivery.release();
      }
    });
  }

  const formatErrors = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => options.formatError(error.toJSON(), error));

  /**
   * The result with its errors masked, or RESPONSE_TOO_LARGE in its place when
   * over MAX_RESPONSE_BYTES; undefined when it needs neither (send it as it is).
   */
  const formatResult = (result: ExecutionResult): FormattedExecutionResult | undefined => {
    const formatted = result.errors?.length
      ? { ...result, errors: formatErrors(result.errors) }
      : (result as FormattedExecutionResult);
    const bounded = boundedResult(formatted, options.maxResponseBytes, 'subscription');
    return bounded === result ? undefined : bounded;
  };

  return { prepare, subscribe, formatErrors, formatResult };
}

export type LiveOperations = ReturnType<typeof createLiveOperations>;

/**
 * An async generator over the deliveries, executing each one. Not an `async
 * function*`: `return()` must reach the source at once (ending a subscription
 * that waits for its next event), which a suspended generator would delay.
 */
function eventResults(
  source: AsyncIterator<Delivery>,
  run: (delivery: Delivery) => Promise<ExecutionResult>,
): AsyncGenerator<ExecutionResult> {
  const done = async (): Promise<IteratorResult<ExecutionResult>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  const iterator: AsyncGenerator<ExecutionResult> = {
    async next() {
      const next = await source.next();
      if (next.done) return { value: undefined, done: true };
      return { value: await run(next.value), done: false };
    },
    return: done,
    throw: done,
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
