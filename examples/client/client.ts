/**
 * An Apollo Client for the gateway, as a frontend on another origin sets it
 * up (docs/frontend.md): queries and mutations over HTTP, subscriptions over
 * graphql-ws, every operation sent by the hash of its generated document
 * (TRUSTED_DOCUMENTS), the gateway token in the `Authorization` header and the
 * WebSocket's `connection_init`.
 */
import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  type DocumentNode,
} from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';

export interface GatewayClientOptions {
  /** The gateway's base URL, e.g. `https://incidents-gateway.example.com`. */
  url: string;
  /** A GATEWAY_TOKENS (or read-only) token; omit for a gateway without tokens. */
  token?: string;
  /** Told of each error the gateway answers, by its `extensions.code` (README: Errors). */
  onError?: (code: string, message: string, operationName: string) => void;
}

/**
 * The codes of the errors the gateway answered, for the app to act on: for
 * instance PERSISTED_QUERY_NOT_IN_LIST (this build is newer than the
 * gateway's manifest), UNAUTHENTICATED (sign in again), UPSTREAM_* on a
 * field that is null while the rest of the answer came.
 */
function errorCodes(report: NonNullable<GatewayClientOptions['onError']>): ApolloLink {
  return new ErrorLink(({ error, operation }) => {
    if (!CombinedGraphQLErrors.is(error)) return;
    for (const { message, extensions } of error.errors) {
      report(String(extensions?.code ?? 'UNKNOWN'), message, operation.operationName ?? '');
    }
  });
}

/**
 * The hash the client preset gave a generated document (`persistedDocuments:
 * true`): the key of its text in persisted-documents.json.
 */
export function documentHash(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') {
    throw new Error(
      'Not a generated document: run `npm run codegen:client` and import it from ./gql',
    );
  }
  return hash;
}

export function createGatewayClient(options: GatewayClientOptions): ApolloClient {
  const authorization = options.token ? { authorization: `Bearer ${options.token}` } : undefined;
  const http = new HttpLink({ uri: `${options.url}/graphql`, headers: authorization ?? {} });
  const ws = new GraphQLWsLink(
    createClient({
      url: `${options.url.replace(/^http/, 'ws')}/graphql`,
      connectionParams: authorization ?? {},
    }),
  );
  // The hash only, never the text: queries as GET (a browser or CDN cache may keep
  // them; Apollo Client's content-type header passes CSRF prevention), mutations as
  // POST, subscriptions in the WebSocket's `subscribe` message.
  const persisted = new PersistedQueryLink({
    generateHash: documentHash,
    useGETForHashedQueries: true,
  });
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.from([
      ...(options.onError ? [errorCodes(options.onError)] : []),
      persisted,
      ApolloLink.split(
        (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
        ws,
        http,
      ),
    ]),
  });
}
