/**
 * The bridge between `node:http` and Apollo Server: body size limit before
 * parsing, JSON parsing, client-disconnect → abort, and writing Apollo's
 * response back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { ClientClosedError, ERROR_CATALOGUE, GatewayError, type ErrorCode } from '../errors.js';
import type { TrustedDocuments } from '../graphql/trustedDocuments.js';
import { withDeadline } from '../upstreams/deadline.js';
import { admitHttpRequest } from './trustedRequest.js';

export class BodyTooLargeError extends Error {}

/**
 * The bytes of the request bodies the server holds: being read, then waiting
 * for an admission slot and running, until their response closes. A body is
 * read before its request takes a slot (server.ts), so slow uploads hold no
 * slot; this bounds the memory the bodies can hold instead: a read that would
 * pass `limit` stops with BodyBudgetExceededError (503 OVERLOADED). Bytes are
 * counted as they arrive, so a trickling client holds what it sent.
 */
export class BodyBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

export class BodyBudgetExceededError extends Error {}

/**
 * Reads a request body of at most `maxBytes`. A larger one (declared or
 * counted, chunked or not) is refused with BodyTooLargeError once it ends, its
 * bytes dropped as they come, so the 413 is answered on a connection whose input
 * was all read: closing a socket with unread input makes the kernel send a
 * reset, and the client loses the answer. Past `2 × maxBytes` it is refused at
 * once (a client still sending that much may then see the reset).
 */
export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  held?: { budget: BodyBudget; until: ServerResponse },
): Promise<string> {
  const budget = held?.budget;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const drainLimit = 2 * maxBytes;
    let tooLarge = Number.isFinite(declared) && declared > maxBytes;
    if (Number.isFinite(declared) && declared > drainLimit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    /** What this read holds of `budget`: given back when it fails, or its response closes. */
    let holding = 0;
    let refused = false;
    let read = false;
    const settle = () => {
      if (budget) budget.used -= holding;
      holding = 0;
      chunks.length = 0;
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes && !tooLarge) {
        tooLarge = true;
        settle();
      }
      if (tooLarge) {
        if (size > drainLimit) reject(new BodyTooLargeError());
        return;
      }
      if (refused) {
        // As a body too large: dropped as it comes, answered once it ends (or at once past
        // the drain limit), so the 503 reaches a client that is still sending.
        if (size > drainLimit) reject(new BodyBudgetExceededError());
        return;
      }
      if (budget) {
        if (budget.used + chunk.length > budget.limit) {
          refused = true;
          settle();
          if (size > drainLimit) reject(new BodyBudgetExceededError());
          return;
        }
        budget.used += chunk.length;
        holding += chunk.length;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge || refused) {
        reject(tooLarge ? new BodyTooLargeError() : new BodyBudgetExceededError());
        settle();
        return;
      }
      read = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
      chunks.length = 0;
      // The body is held until its request is answered (or its client goes away).
      if (!held || held.until.closed) settle();
      else held.until.once('close', settle);
    });
    // A connection closed mid-body ("aborted") is the client going away, not a server fault.
    req.on('error', (error) => {
      if (!read) settle();
      reject(req.complete ? error : new ClientClosedError());
    });
    req.on('close', () => {
      if (!read) settle();
    });
  });
}

/**
 * The answer to a body the gateway would not read whole, on /graphql and its
 * event streams, given the error readBody failed with; false for any other
 * error. Both come once the body has ended (readBody explains the order), then
 * the connection is closed: a client that sent a refused body is not reused.
 */
export function sendUnreadBody(res: ServerResponse, error: unknown, maxBytes: number): boolean {
  if (error instanceof BodyTooLargeError) {
    sendGraphQLError(res, 'BAD_REQUEST', `Request body exceeds ${maxBytes} bytes.`, 413, {
      connection: 'close',
    });
    return true;
  }
  if (error instanceof BodyBudgetExceededError) {
    sendGraphQLError(
      res,
      'OVERLOADED',
      'The gateway holds as many request bodies as it may at once (MAX_IN_FLIGHT × MAX_BODY_BYTES); retry shortly.',
      503,
      { 'retry-after': '1', connection: 'close' },
    );
    return true;
  }
  return false;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/**
 * GraphQL over HTTP's media type for a client that accepts it, as Apollo
 * chooses it: Apollo Client 4 reads the errors of an answer of status 300 or
 * more only in it (an `application/json` one is a plain ServerError to it).
 */
export function mediaType(req: IncomingMessage): Record<string, string> {
  return /application\/graphql-response\+json/.test(req.headers.accept ?? '')
    ? { 'content-type': 'application/graphql-response+json; charset=utf-8' }
    : {};
}

/**
 * A GraphQL-shaped error answered before Apollo runs (bad body, wrong method…),
 * with the code's status from the catalogue unless the HTTP layer needs a more
 * precise one (405, 413), in the media type Apollo would answer it in.
 */
export function sendGraphQLError(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  status: number = ERROR_CATALOGUE[code].status,
  headers: Record<string, string> = {},
) {
  const body = { errors: [{ message, extensions: { code } }] };
  sendJson(res, status, body, { ...mediaType(res.req), ...headers });
}

/**
 * Runs one GraphQL HTTP request, its body already read, through Apollo.
 * `signal` aborts when the client goes away before the response is written
 * (or the deadline passes).
 */
export async function executeGraphQL<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    url: URL;
    /** The request's body as readBody returned it ('' for a GET). */
    body: string;
    deadlineMs: number;
    context: (signal: AbortSignal) => Promise<TContext>;
    /** TRUSTED_DOCUMENTS: only the listed documents reach Apollo. */
    documents?: TrustedDocuments | undefined;
  },
): Promise<void> {
  const { body } = options;
  // The operation deadline, or the client going away; released once the response is closed.
  const work = withDeadline(undefined, options.deadlineMs);
  res.on('close', () => {
    if (!res.writableFinished) work.abort(new ClientClosedError());
    work.release();
  });
  const { signal } = work;
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let parsedBody: unknown = undefined;
  if (body !== '') {
    try {
      parsedBody = JSON.parse(body) as unknown;
    } catch {
      sendGraphQLError(res, 'BAD_REQUEST', 'Request body is not valid JSON.');
      return;
    }
  }
  let request = { method: req.method ?? 'GET', search: options.url.search, body: parsedBody };
  if (options.documents) {
    const admitted = admitHttpRequest(options.documents, request);
    if (admitted instanceof GatewayError) {
      return sendGraphQLError(res, admitted.code, admitted.message);
    }
    request = admitted;
  }
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { ...request, headers },
    context: () => options.context(signal),
  });
  for (const [name, value] of result.headers) res.setHeader(name, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}
