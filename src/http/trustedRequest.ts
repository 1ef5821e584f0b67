/**
 * Trusted documents (graphql/trustedDocuments.ts) over GraphQL-over-HTTP: the
 * document of a GET is in its query string (`query`, `extensions` as JSON,
 * `documentId`), that of a POST in its JSON body (a batch: every member).
 * Admitted requests reach Apollo with the listed text as `query` and no hash.
 */
import { GatewayError } from '../errors.js';
import type { DocumentParams, TrustedDocuments } from '../graphql/trustedDocuments.js';

export interface HttpGraphQLParams {
  method: string;
  /** The URL's query string, with its `?`. */
  search: string;
  /** The parsed JSON body (undefined for GET). */
  body: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function admitHttpRequest(
  documents: TrustedDocuments,
  request: HttpGraphQLParams,
): HttpGraphQLParams | GatewayError {
  if (Array.isArray(request.body)) {
    const members: unknown[] = [];
    for (const member of request.body) {
      const admitted = isObject(member) ? documents.admit(member as DocumentParams) : member;
      if (admitted instanceof GatewayError) return admitted;
      members.push(admitted);
    }
    return { ...request, body: members };
  }
  if (isObject(request.body)) {
    const admitted = documents.admit(request.body as DocumentParams);
    return admitted instanceof GatewayError ? admitted : { ...request, body: admitted };
  }
  // Apollo reads the query string of a GET only.
  if (request.method !== 'GET') return request;
  const search = new URLSearchParams(request.search);
  const params: DocumentParams = {
    query: search.get('query') ?? undefined,
    operationName: search.get('operationName') ?? undefined,
    extensions: jsonParam(search.get('extensions')),
    documentId: search.get('documentId') ?? undefined,
  };
  const admitted = documents.admit(params);
  if (admitted instanceof GatewayError) return admitted;
  if (admitted === params) return request;
  for (const name of ['query', 'extensions', 'documentId']) search.delete(name);
  if (typeof admitted.query === 'string') search.set('query', admitted.query);
  if (admitted.extensions !== undefined)
    search.set('extensions', JSON.stringify(admitted.extensions));
  return { ...request, search: `?${search.toString()}` };
}

/** A JSON query-string parameter; unparseable ones are left for Apollo to refuse. */
function jsonParam(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
