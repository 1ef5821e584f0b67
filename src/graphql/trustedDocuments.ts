/**
 * Trusted documents (TRUSTED_DOCUMENTS): the gateway runs only the operations
 * of the apps it serves, listed in a persisted-documents manifest as
 * graphql-codegen's client preset writes it with `persistedDocuments: true`
 * (`persisted-documents.json`: `{ "sha256:<hex>": "<document>" }`; keys
 * without the `sha256:` prefix, as older presets and custom hash functions
 * write them, work too). The manifest is read once, at start; a file that
 * cannot be read, is not such an object, or holds a document that does not
 * parse or validate against the schema stops the start (ConfigError).
 *
 * A request runs a listed document by hash (`extensions.persistedQuery.sha256Hash`,
 * as Apollo Client's persisted-query link sends it, or `documentId`, as the
 * GraphQL-over-HTTP persisted documents appendix spells it), or by sending
 * its exact text as `query` (no normalisation: the text must be the
 * manifest's, byte for byte). A hash decides when it is listed; otherwise the
 * text must be. Anything else is PERSISTED_QUERY_NOT_IN_LIST, before it is
 * parsed, for HTTP, SSE and WebSocket subscriptions alike. Where introspection
 * is on (outside production, or GRAPHIQL=true), an introspection-only query
 * (`__schema`, `__type`, `__typename`) runs too, so GraphiQL can load its docs.
 */
import { createHash } from 'node:crypto';
import {
  GraphQLError,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { Logger } from 'pino';
import { ConfigError, NOT_A_MANIFEST, readManifest } from '../config.js';
import { GatewayError } from '../errors.js';
import { fragmentsOf, isIntrospectionOnly } from './selection.js';

/** The parameters of one GraphQL request that say which document it runs. */
export interface DocumentParams {
  query?: unknown;
  operationName?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

export interface TrustedDocuments {
  /** How many documents the manifest lists. */
  readonly size: number;
  /**
   * `params` as they may run: `query` is the listed document, the hash
   * (`documentId`, `extensions.persistedQuery`) is dropped. `params` itself
   * when there is nothing to check (no document at all) or it is an
   * introspection query that may run. Or the refusal.
   */
  admit<T extends DocumentParams>(params: T): T | GatewayError;
}

export interface TrustedDocumentsOptions {
  schema: GraphQLSchema;
  /** The parser's token limit (MAX_TOKENS): a listed document over it could never run. */
  maxTokens: number;
  /** Introspection-only queries run without being listed (GraphiQL). */
  introspection: boolean;
  logger: Logger;
}

const PREFIX = 'sha256:';
/** How many bad documents the start-up error lists. */
const MAX_REPORTED = 10;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A hash as the manifest and the requests may spell it, as one key. */
const idOf = (hash: string) =>
  (hash.startsWith(PREFIX) ? hash.slice(PREFIX.length) : hash).toLowerCase();

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads the manifest at `path`; throws ConfigError naming every problem. */
export function loadTrustedDocuments(
  path: string,
  options: TrustedDocumentsOptions,
): TrustedDocuments {
  const fail = (problems: string[]): never => {
    throw new ConfigError(problems.map((problem) => `TRUSTED_DOCUMENTS (${path}): ${problem}`));
  };
  const read = readManifest(path);
  if ('problem' in read) {
    return fail([
      read.problem === NOT_A_MANIFEST
        ? `${NOT_A_MANIFEST}, as the client preset of graphql-codegen writes it with persistedDocuments: true`
        : read.problem,
    ]);
  }
  const { manifest } = read;
  const byId = new Map<string, string>();
  const texts = new Set<string>();
  const problems: string[] = [];
  for (const [hash, text] of Object.entries(manifest)) {
    const problem = documentProblem(hash, text, options);
    if (problem) problems.push(problem);
    else {
      byId.set(idOf(hash), text as string);
      texts.add(text as string);
    }
  }
  if (problems.length > MAX_REPORTED) {
    problems.splice(MAX_REPORTED, Infinity, `… and ${problems.length - MAX_REPORTED} more`);
  }
  if (problems.length > 0) fail(problems);
  if (byId.size === 0) fail(['lists no documents, so nothing could run']);
  return createTrustedDocuments(byId, texts, options);
}

/** What is wrong with one manifest entry, if anything. */
function documentProblem(
  hash: string,
  text: unknown,
  options: TrustedDocumentsOptions,
): string | undefined {
  if (typeof text !== 'string') return `the value of "${hash}" is not a document (a string)`;
  if (hash.startsWith(PREFIX) && idOf(hash) !== sha256(text)) {
    return `"${hash}" is not the SHA-256 of its document: regenerate the manifest rather than edit it`;
  }
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens: options.maxTokens });
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : String(error);
    return `the document "${hash}" does not parse (${message}${/tokens/.test(message) ? '; raise MAX_TOKENS' : ''})`;
  }
  const invalid = validate(options.schema, document);
  if (invalid.length > 0) {
    return `the document "${hash}" does not validate against the schema: ${invalid[0]!.message} (an app built against another version of the schema?)`;
  }
  return undefined;
}

function createTrustedDocuments(
  byId: ReadonlyMap<string, string>,
  texts: ReadonlySet<string>,
  options: TrustedDocumentsOptions,
): TrustedDocuments {
  /** The introspection exception: a parse with the token limit, only for unlisted text. */
  const introspectionOnly = (query: string, operationName: unknown) => {
    if (!options.introspection) return false;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.maxTokens });
    } catch {
      return false;
    }
    const operation = getOperationAST(
      document,
      typeof operationName === 'string' ? operationName : undefined,
    );
    return (
      operation?.operation === 'query' && isIntrospectionOnly(operation, fragmentsOf(document))
    );
  };

  return {
    size: byId.size,
    admit(params) {
      const hash = hashOf(params);
      const admitted = (query: string) => {
        const next = { ...params, query };
        delete next.documentId;
        delete next.extensions;
        const kept = withoutPersistedQuery(params.extensions);
        return kept ? { ...next, extensions: kept } : next;
      };
      const listed = hash === undefined ? undefined : byId.get(idOf(hash));
      if (listed !== undefined) return admitted(listed);
      const { query, operationName } = params;
      if (typeof query === 'string' && texts.has(query)) return admitted(query);
      // Nothing to run at all: the transport's own error says so.
      if (hash === undefined && (typeof query !== 'string' || query === '')) return params;
      if (hash === undefined && introspectionOnly(query as string, operationName)) return params;
      options.logger.info(
        {
          hash: hash ?? null,
          operationName: typeof operationName === 'string' ? operationName : null,
        },
        'trusted documents: refused a document that is not in TRUSTED_DOCUMENTS',
      );
      return new GatewayError(
        'PERSISTED_QUERY_NOT_IN_LIST',
        hash === undefined
          ? 'This document is not one of the trusted documents of this gateway (TRUSTED_DOCUMENTS): send a document from the manifest, by its hash (extensions.persistedQuery.sha256Hash) or as its exact text.'
          : `No trusted document of this gateway has the hash "${hash}" (TRUSTED_DOCUMENTS): is the app newer than the gateway's manifest?`,
      );
    },
  };
}

/** `documentId`, else `extensions.persistedQuery.sha256Hash`; undefined when neither is a string. */
function hashOf(params: DocumentParams): string | undefined {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted = isObject(params.extensions) ? params.extensions.persistedQuery : undefined;
  return isObject(persisted) && typeof persisted.sha256Hash === 'string'
    ? persisted.sha256Hash
    : undefined;
}

/** The extensions without `persistedQuery` (undefined when nothing else is left). */
function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!isObject(extensions)) return undefined;
  const rest = { ...extensions };
  delete rest.persistedQuery;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
