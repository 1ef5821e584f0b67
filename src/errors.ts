/**
 * The one error catalogue. Every error a client sees carries one of these
 * `extensions.code` values; `formatError` masks everything else.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { UPSTREAM_LABEL, type UpstreamName } from './upstreams/upstream.js';

/**
 * Every code a client can see, with the HTTP status the response gets when the
 * error fails the whole request before execution (auth, limits, bad bodies).
 * Errors raised while resolving fields leave the status at 200: the response
 * still carries the data of the other fields.
 */
export const ERROR_CATALOGUE = {
  BAD_USER_INPUT: { status: 400 },
  /**
   * Apollo's standard code for an HTTP request that is not a GraphQL request the gateway can
   * run, before any operation is read: not JSON, not an object, a batch, a GET mutation, CSRF
   * prevention, a wrong method (405), a body over MAX_BODY_BYTES (413), a target not a URL.
   */
  BAD_REQUEST: { status: 400 },
  QUERY_TOO_COMPLEX: { status: 400 },
  UNAUTHENTICATED: { status: 401 },
  FORBIDDEN: { status: 403 },
  NOT_FOUND: { status: 404 },
  /** A write needs the OneUptime incident of a Coralogix incident that has none. */
  NOT_LINKED: { status: 409 },
  /** `linkIncident` would make two links for one incident; a responder a single-user role already has. */
  CONFLICT: { status: 409 },
  UPSTREAM_UNAUTHENTICATED: { status: 502 },
  UPSTREAM_FORBIDDEN: { status: 502 },
  UPSTREAM_BAD_REQUEST: { status: 502 },
  UPSTREAM_RATE_LIMITED: { status: 429 },
  UPSTREAM_TIMEOUT: { status: 504 },
  UPSTREAM_UNAVAILABLE: { status: 502 },
  UPSTREAM_BAD_RESPONSE: { status: 502 },
  INTERNAL_SERVER_ERROR: { status: 500 },
  /**
   * A bound on concurrent work was reached (MAX_IN_FLIGHT / MAX_IN_FLIGHT_PER_CLIENT after a
   * short wait, MAX_SUBSCRIPTIONS): refused before anything was sent upstream, with `Retry-After`.
   */
  OVERLOADED: { status: 503 },
  /**
   * The response would exceed MAX_RESPONSE_BYTES: replaced by this error, no partial body. A
   * client error: the same request gets the same answer; asking for fewer items or fields helps.
   */
  RESPONSE_TOO_LARGE: { status: 400 },
  /** Automatic persisted queries protocol: the client resends the full query. */
  PERSISTED_QUERY_NOT_FOUND: { status: 200 },
  /** Apollo's standard codes, which client error links and monitoring match on. */
  GRAPHQL_PARSE_FAILED: { status: 400 },
  GRAPHQL_VALIDATION_FAILED: { status: 400 },
  /** The document has no operation to run: `operationName` names none, or is missing. */
  OPERATION_RESOLUTION_FAILURE: { status: 400 },
  /** TRUSTED_DOCUMENTS is set and the request's document is not in it. */
  PERSISTED_QUERY_NOT_IN_LIST: { status: 400 },
} as const satisfies Record<string, { status: number }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.code = code;
  }
}

/**
 * An error that fails the whole request before any field runs; the response
 * gets the code's HTTP status from the catalogue.
 */
export function requestError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GatewayError {
  return new GatewayError(code, message, {
    ...extensions,
    http: { status: ERROR_CATALOGUE[code].status },
  });
}

/** How many characters of a client's value an error message quotes. */
export const QUOTED_CHARS = 64;

/**
 * A client's value as an error message quotes it: a string JSON-quoted, any
 * other value as JSON, and past QUOTED_CHARS characters only its start, with
 * its length. Every message that
 * quotes input goes through this, so a huge bad value is never echoed (one
 * 1 MB id used by 15 fields would make a 15 MB response).
 */
export function quote(value: unknown): string {
  const isText = typeof value === 'string';
  const text = isText ? value : (JSON.stringify(value) ?? String(value));
  if (text.length <= QUOTED_CHARS) return isText ? JSON.stringify(text) : text;
  // Whole code points: never half a surrogate pair.
  const start = Array.from(text.slice(0, QUOTED_CHARS * 2))
    .slice(0, QUOTED_CHARS)
    .join('');
  return `${isText ? JSON.stringify(start) : start}… (${text.length} characters)`;
}

export class BadUserInputError extends GatewayError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, extensions);
  }
}

export class NotLinkedError extends GatewayError {
  constructor(incidentId: string) {
    super(
      'NOT_LINKED',
      `Coralogix incident "${incidentId}" has no linked OneUptime incident; link one with linkIncident or create one with ensureOneUptimeIncident.`,
      { incidentId },
    );
  }
}

export class ConflictError extends GatewayError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super('CONFLICT', message, extensions);
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super('NOT_FOUND', message, extensions);
  }
}

/** Why a link write could not hold its lock (src/links/lock.ts). */
export type LinkLockFailure = 'unavailable' | 'busy' | 'lost';

const LINK_LOCK_MESSAGES: Record<LinkLockFailure, string> = {
  unavailable:
    'The link lock the replicas share in Redis (REDIS_URL) cannot be reached, so this link write was refused before anything more was written; retry once Redis answers again.',
  busy: 'Another link write on the same incident held the link lock too long, so this one was refused before anything more was written; retry shortly.',
  lost: 'The link lock the replicas share in Redis (REDIS_URL) was lost (Redis stopped answering), so this link write stopped before anything more was written; retry once Redis answers again.',
};

/**
 * A link write refused because its lock (in process, and across replicas in
 * Redis) could not be held: the lock fails closed, so nothing more is written.
 * `extensions.lock` says why.
 */
export class LinkLockError extends GatewayError {
  readonly reason: LinkLockFailure;

  constructor(reason: LinkLockFailure) {
    super('UPSTREAM_UNAVAILABLE', LINK_LOCK_MESSAGES[reason], { lock: reason });
    this.reason = reason;
  }
}

/**
 * `error` told again with what the mutation did before it (so a client never
 * redoes a write that happened): same code and extensions, the message from
 * `message(original)`, plus `extensions`. An error outside the catalogue
 * becomes INTERNAL_SERVER_ERROR (its own message stays out of the answer).
 */
export function restated(
  error: unknown,
  message: (original: string) => string,
  extensions: Record<string, unknown> = {},
): GatewayError {
  if (!(error instanceof GatewayError)) {
    return new GatewayError(
      'INTERNAL_SERVER_ERROR',
      message('An internal error stopped it.'),
      extensions,
    );
  }
  if (error instanceof UpstreamError) {
    // Still an UpstreamError: callers (readiness, the link machine) read its status and hint.
    return new UpstreamError(
      error.code as UpstreamErrorCode,
      error.upstream,
      message(error.message),
      {
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        extensions: { ...error.extensions, ...extensions },
      },
    );
  }
  // GatewayError sets `code` from its first argument.
  return new GatewayError(error.code, message(error.message), {
    ...error.extensions,
    ...extensions,
  });
}

/**
 * A read after a write that persisted: when it fails, the error keeps its
 * code and says what was written (`written`, a sentence) and applied
 * (`extensions.applied`), so a client re-reads instead of writing again.
 */
export async function readAfterWrite<T>(
  read: () => Promise<T>,
  written: string,
  applied: Record<string, unknown>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw restated(error, (message) => `${written} Reading it back failed: ${message}`, {
      applied,
    });
  }
}

export type UpstreamErrorCode = Extract<
  ErrorCode,
  | 'NOT_FOUND'
  | 'UPSTREAM_UNAUTHENTICATED'
  | 'UPSTREAM_FORBIDDEN'
  | 'UPSTREAM_BAD_REQUEST'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BAD_RESPONSE'
>;

/** An upstream call failed. `status` is the upstream HTTP status when there was one. */
export class UpstreamError extends GatewayError {
  readonly upstream: UpstreamName;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;
  /** `base-url`: the upstream said the route does not exist, so its base URL is wrong. */
  readonly hint: 'base-url' | undefined;

  constructor(
    code: UpstreamErrorCode,
    upstream: UpstreamName,
    message: string,
    options: {
      status?: number;
      retryAfter?: number;
      hint?: 'base-url';
      /** More extensions (e.g. the permission a 403 is about); `code` is always `code`. */
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(code, message, {
      ...options.extensions,
      upstream,
      ...(options.status === undefined ? {} : { upstreamStatus: options.status }),
      ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
    });
    this.upstream = upstream;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
    this.hint = options.hint;
  }
}

/** The variable that says where each upstream is. */
export const BASE_URL_VARIABLE: Record<UpstreamName, string> = {
  coralogix: 'CORALOGIX_API_URL',
  oneuptime: 'ONEUPTIME_API_URL',
};

/**
 * 404 bodies that say the route itself does not exist (a wrong base URL), as
 * opposed to a missing record:
 * - Coralogix: `Not Found: Not Found`, plain text or as the JSON `message`
 *   (coralogix-management-sdk `go/openapi/cxsdk/error.go` lines 95–112 at 4464b2b3);
 * - OneUptime: `{"message": "Page not found - <url>"}` from `Response.sendErrorResponse`
 *   for an unknown route (OneUptime `Common/Server/Utils/StartServer.ts` at ab6f409).
 */
const ROUTE_NOT_FOUND: Record<UpstreamName, RegExp> = {
  coralogix: /^\s*Not Found: Not Found\s*$/i,
  oneuptime: /^\s*Page not found\b/i,
};

export interface UpstreamFailure {
  upstream: UpstreamName;
  status: number;
  /** The upstream's own message (`message` / `error` field), if it sent one. */
  upstreamMessage: string | undefined;
  /** Credentials of the failed call: cut from the upstream's message if it echoes them. */
  secrets?: readonly string[];
  retryAfter?: number;
  /** For writes: a 404 / "does not exist" means the caller named a missing id. */
  isWrite: boolean;
}

const MAX_MESSAGE = 200;
/** How much of an upstream message is searched for credentials (what is kept is shorter). */
const MAX_SCANNED = 4 * MAX_MESSAGE;
/** The most of an upstream message read at all (whitespace runs collapse within it). */
const SUMMARY_PREFIX = 8 * MAX_SCANNED;
/** The shortest piece of a credential that is recognised (and cut) in an upstream message. */
export const MIN_SECRET_FRAGMENT = 8;
const MIN_SECRET = 4;

/**
 * Cuts credentials out of text an upstream wrote: each secret in any letter
 * case, and any piece of one at least MIN_SECRET_FRAGMENT characters long (a
 * truncated, prefixed or partly quoted echo), becomes `[redacted]`. A secret
 * shorter than the fragment length is cut only whole. Secrets under
 * MIN_SECRET characters are ignored (they would match ordinary words).
 *
 * For each position of the text, the longest run ending there that is also a
 * run of the secret (longest common substring, by dynamic programming over
 * text × secret, so linear in each) decides what is cut.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const folded = [...text].map((c) => c.toLowerCase());
  const cut = new Array<boolean>(folded.length).fill(false);
  for (const secret of secrets) {
    const key = [...secret].map((c) => c.toLowerCase());
    if (key.length < MIN_SECRET) continue;
    const shortest = Math.min(MIN_SECRET_FRAGMENT, key.length);
    // run[j]: length of the common run ending at the current text position and key[j].
    let run = new Array<number>(key.length).fill(0);
    for (let i = 0; i < folded.length; i++) {
      const next = new Array<number>(key.length).fill(0);
      let longest = 0;
      for (let j = 0; j < key.length; j++) {
        if (folded[i] !== key[j]) continue;
        const length = (j > 0 ? (run[j - 1] ?? 0) : 0) + 1;
        next[j] = length;
        longest = Math.max(longest, length);
      }
      if (longest >= shortest) cut.fill(true, i - longest + 1, i + 1);
      run = next;
    }
  }
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    if (!cut[i]) out += chars[i];
    else if (i === 0 || !cut[i - 1]) out += '[redacted]';
  }
  return out;
}

/**
 * Upstream messages are shortened and kept to one line, with any credential
 * they echo cut out; bodies are never forwarded raw.
 */
function summarise(message: string | undefined, secrets: readonly string[] = []): string {
  if (!message) return '';
  // One line first, then the scan: the scanned text reaches far past what is kept, so a key
  // cut by the scan's end (too short a piece to be redacted) is never in the summary. Of a
  // long message (an upstream body may be megabytes) a bounded prefix, cut back to a
  // whitespace: no piece of a key cut at its end is left for the collapse to bring forward.
  const prefix =
    message.length > SUMMARY_PREFIX
      ? message.slice(0, SUMMARY_PREFIX).replace(/\S*$/, '')
      : message;
  const flat = prefix.replace(/\s+/g, ' ').trim();
  const line = redactSecrets(flat.slice(0, MAX_SCANNED), secrets);
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

/** The single upstream-status → error mapping, using each vendor's conventions. */
export function upstreamStatusError(failure: UpstreamFailure): UpstreamError {
  const { upstream, status, isWrite } = failure;
  const name = UPSTREAM_LABEL[upstream];
  const detail = summarise(failure.upstreamMessage, failure.secrets);
  const said = detail ? `: ${detail}` : '';
  const make = (code: UpstreamErrorCode, message: string, hint?: 'base-url') =>
    new UpstreamError(code, upstream, message, {
      status,
      ...(failure.retryAfter === undefined ? {} : { retryAfter: failure.retryAfter }),
      ...(hint ? { hint } : {}),
    });

  if (status === 404 && ROUTE_NOT_FOUND[upstream].test(failure.upstreamMessage ?? '')) {
    return make(
      'UPSTREAM_BAD_REQUEST',
      `${name} answered 404 for an API route: the base URL looks wrong (check ${BASE_URL_VARIABLE[upstream]}).`,
      'base-url',
    );
  }

  if (
    status === 401 ||
    (upstream === 'oneuptime' && status === 400 && /invalid api key/i.test(detail))
  ) {
    return make('UPSTREAM_UNAUTHENTICATED', `${name} rejected the API key (HTTP ${status}).`);
  }
  // OneUptime's 422 for a missing id on a write also mentions permissions: check it first.
  if (isWrite && (status === 404 || (status === 422 && /does not exist/i.test(detail)))) {
    return make('NOT_FOUND', `${name} has no record with that id${said}`);
  }
  if (
    status === 403 ||
    (upstream === 'oneuptime' && status === 422 && /permission/i.test(detail))
  ) {
    return make('UPSTREAM_FORBIDDEN', `${name} says the API key lacks permission${said}`);
  }
  if (status === 402) {
    return make('UPSTREAM_FORBIDDEN', `${name} says the plan does not allow this${said}`);
  }
  if (status === 429) {
    return make('UPSTREAM_RATE_LIMITED', `${name} is rate limiting requests; retry later.`);
  }
  if (status === 400 || status === 422) {
    return make('UPSTREAM_BAD_REQUEST', `${name} rejected the request (HTTP ${status})${said}`);
  }
  if (status >= 500) {
    return make('UPSTREAM_UNAVAILABLE', `${name} is unavailable (HTTP ${status}).`);
  }
  if (status === 404) {
    return make(
      'UPSTREAM_BAD_RESPONSE',
      `${name} answered 404 without saying what is missing; check ${BASE_URL_VARIABLE[upstream]}.`,
    );
  }
  return make('UPSTREAM_BAD_RESPONSE', `${name} answered with unexpected HTTP ${status}.`);
}

export function badResponse(upstream: UpstreamName, what: string): UpstreamError {
  return new UpstreamError(
    'UPSTREAM_BAD_RESPONSE',
    upstream,
    `${UPSTREAM_LABEL[upstream]} sent a response the gateway cannot read (${what}).`,
  );
}

/**
 * Internal outcome (logs and metrics, never a client-visible code) of work
 * stopped because the client closed its connection: nobody is left to answer.
 */
export const CLIENT_CLOSED = 'CLIENT_CLOSED';

/** The abort reason of a request whose client went away (see http/nodeHttp.ts). */
export class ClientClosedError extends Error {
  constructor() {
    super('The client closed the connection before the response was sent.');
    this.name = 'ClientClosedError';
  }
}

const PUBLIC_CODES = new Set<string>(ERROR_CODES);
/**
 * Apollo request error codes outside the catalogue, translated into it (Apollo's
 * parse, validation and operation resolution codes are in the catalogue as they are).
 */
const REQUEST_ERROR_CODES: Record<string, ErrorCode> = {
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
};

/**
 * Apollo request errors that carry no code, known by their fixed message
 * (@apollo/server requestPipeline.ts): a client mistake, not a server fault.
 */
const UNCODED_REQUEST_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  'provided sha does not match query': {
    code: 'BAD_USER_INPUT',
    message:
      'The persisted query hash does not match the query: sha256Hash must be the SHA-256 of the query text.',
  },
  'Unsupported persisted query version': {
    code: 'BAD_USER_INPUT',
    message: 'Unsupported persisted query version: use version 1.',
  },
};

/** graphql-js's "Did you mean …?" hints: they name fields, arguments and enum values. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;
/** A JSON string literal, as graphql-js quotes a value (`got invalid value "…"`). */
const QUOTED_LITERAL = /"(?:[^"\\]|\\.)*"/g;
/** The longest message a client gets; a longer one is cut (it can only be echoing input). */
export const MAX_ERROR_MESSAGE = 1_000;

/**
 * graphql-js quotes a bad variable value whole, twice (`Variable "$id" got
 * invalid value "…"; … "…"`): long quoted strings are cut as `quote` cuts
 * them, and the message as a whole to MAX_ERROR_MESSAGE characters.
 */
export function shortenMessage(message: string): string {
  if (message.length <= 2 * QUOTED_CHARS) return message;
  const shortened = message.replace(QUOTED_LITERAL, (literal) => {
    if (literal.length <= QUOTED_CHARS + 2) return literal;
    try {
      return quote(JSON.parse(literal));
    } catch {
      return quote(literal.slice(1, -1));
    }
  });
  return shortened.length <= MAX_ERROR_MESSAGE
    ? shortened
    : `${Array.from(shortened.slice(0, MAX_ERROR_MESSAGE)).join('')}…`;
}

export interface FormatErrorOptions {
  /** Called with the original of every masked error, so it is logged, not lost. */
  onMasked?: (error: unknown) => void;
  /**
   * Production: drop graphql-js's "Did you mean …?" suggestions, which would
   * reveal schema names to a client that cannot introspect.
   */
  hideSuggestions?: boolean;
}

/**
 * The one place client-visible errors are shaped: known codes pass (with a
 * clean extensions object), request errors map into the catalogue, anything
 * else becomes a generic INTERNAL_SERVER_ERROR and its original is reported.
 */
export function createFormatError(options: FormatErrorOptions = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const code = formatted.extensions?.code;
    const base = {
      message: shortenMessage(
        options.hideSuggestions ? formatted.message.replace(SUGGESTION, '') : formatted.message,
      ),
      locations: formatted.locations,
      path: formatted.path,
    };
    if (original instanceof GatewayError) {
      // `formatted.extensions` are the error's own, minus Apollo's `http` hint; the message
      // keeps graphql-js's prefix when it wrapped ours (e.g. a variable's coercion error).
      // graphql-js reports a scalar's parse error as a validation error: our code stands.
      return { ...base, extensions: { ...formatted.extensions, code: original.code } };
    }
    if (
      typeof formatted.message === 'string' &&
      /^Syntax Error: Document contains more tha[nt] \d+ tokens/.test(formatted.message)
    ) {
      return { ...base, extensions: { code: 'QUERY_TOO_COMPLEX' } };
    }
    // Apollo fills in INTERNAL_SERVER_ERROR for an error that came without a code.
    const uncoded =
      code === undefined || code === 'INTERNAL_SERVER_ERROR'
        ? UNCODED_REQUEST_ERRORS[formatted.message]
        : undefined;
    if (uncoded) {
      return { ...base, message: uncoded.message, extensions: { code: uncoded.code } };
    }
    if (typeof code === 'string' && REQUEST_ERROR_CODES[code]) {
      return { ...base, extensions: { code: REQUEST_ERROR_CODES[code] } };
    }
    if (typeof code === 'string' && PUBLIC_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
      return { ...base, extensions: { code } };
    }
    options.onMasked?.(original);
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
