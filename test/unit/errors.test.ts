import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  BadUserInputError,
  ERROR_CATALOGUE,
  ERROR_CODES,
  GatewayError,
  LinkLockError,
  NotFoundError,
  UpstreamError,
  MIN_SECRET_FRAGMENT,
  MAX_ERROR_MESSAGE,
  QUOTED_CHARS,
  badResponse,
  createFormatError,
  quote,
  redactSecrets,
  restated,
  shortenMessage,
  upstreamStatusError,
  type UpstreamFailure,
} from '../../src/errors.js';
import { packageRoot } from '../../src/config.js';

const failure = (overrides: Partial<UpstreamFailure>): UpstreamFailure => ({
  upstream: 'coralogix',
  status: 500,
  upstreamMessage: undefined,
  isWrite: false,
  ...overrides,
});

describe('upstreamStatusError', () => {
  it.each([
    ['coralogix', 401, undefined, false, 'UPSTREAM_UNAUTHENTICATED'],
    ['oneuptime', 401, undefined, false, 'UPSTREAM_UNAUTHENTICATED'],
    ['oneuptime', 400, 'Invalid API Key', false, 'UPSTREAM_UNAUTHENTICATED'],
    ['coralogix', 400, 'Invalid API Key', false, 'UPSTREAM_BAD_REQUEST'],
    ['coralogix', 403, 'permission denied', false, 'UPSTREAM_FORBIDDEN'],
    ['oneuptime', 403, undefined, false, 'UPSTREAM_FORBIDDEN'],
    [
      'oneuptime',
      422,
      'You do not have permissions to read IncidentSla',
      false,
      'UPSTREAM_FORBIDDEN',
    ],
    [
      'oneuptime',
      422,
      'You do not have permissions to update IncidentRole',
      true,
      'UPSTREAM_FORBIDDEN',
    ],
    ['coralogix', 402, undefined, false, 'UPSTREAM_FORBIDDEN'],
    ['coralogix', 404, 'incident not found', true, 'NOT_FOUND'],
    ['oneuptime', 422, 'IncidentRole with id abc does not exist', true, 'NOT_FOUND'],
    ['oneuptime', 422, 'IncidentRole with id abc does not exist', false, 'UPSTREAM_BAD_REQUEST'],
    ['coralogix', 404, 'Not Found', false, 'UPSTREAM_BAD_RESPONSE'],
    ['coralogix', 429, undefined, false, 'UPSTREAM_RATE_LIMITED'],
    ['oneuptime', 429, undefined, true, 'UPSTREAM_RATE_LIMITED'],
    ['coralogix', 400, 'invalid page size', false, 'UPSTREAM_BAD_REQUEST'],
    ['oneuptime', 400, 'Invalid select clause', false, 'UPSTREAM_BAD_REQUEST'],
    ['oneuptime', 422, 'name is required', false, 'UPSTREAM_BAD_REQUEST'],
    ['coralogix', 500, undefined, false, 'UPSTREAM_UNAVAILABLE'],
    ['coralogix', 502, undefined, false, 'UPSTREAM_UNAVAILABLE'],
    ['oneuptime', 503, undefined, true, 'UPSTREAM_UNAVAILABLE'],
    ['coralogix', 504, undefined, false, 'UPSTREAM_UNAVAILABLE'],
    ['coralogix', 409, undefined, false, 'UPSTREAM_BAD_RESPONSE'],
    ['oneuptime', 302, undefined, false, 'UPSTREAM_BAD_RESPONSE'],
  ] as const)(
    'maps %s HTTP %i (%j, write: %s) to %s',
    (upstream, status, message, isWrite, code) => {
      const error = upstreamStatusError({ upstream, status, upstreamMessage: message, isWrite });
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error.code).toBe(code);
      expect(error.extensions).toMatchObject({ code, upstream, upstreamStatus: status });
      expect(error.upstream).toBe(upstream);
      expect(error.status).toBe(status);
    },
  );

  it("reads OneUptime's 422 for a missing id on a write as NOT_FOUND, though it mentions permissions", () => {
    const error = upstreamStatusError({
      upstream: 'oneuptime',
      status: 422,
      upstreamMessage:
        'Unable to update this Incident Role. It either does not exist or you do not have permissions to update it.',
      isWrite: true,
    });
    expect(error.code).toBe('NOT_FOUND');
  });

  it('carries retryAfter in seconds on a rate-limit error', () => {
    const error = upstreamStatusError(failure({ status: 429, retryAfter: 7 }));
    expect(error.retryAfter).toBe(7);
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 7 });
  });

  it('leaves retryAfter out of the extensions when the upstream sent none', () => {
    const error = upstreamStatusError(failure({ status: 429 }));
    expect(error.extensions).not.toHaveProperty('retryAfter');
  });

  it('names the upstream in the message', () => {
    expect(upstreamStatusError(failure({ upstream: 'coralogix', status: 503 })).message).toContain(
      'Coralogix',
    );
    expect(upstreamStatusError(failure({ upstream: 'oneuptime', status: 503 })).message).toContain(
      'OneUptime',
    );
  });

  it('summarises a validation message on one line', () => {
    const error = upstreamStatusError(
      failure({ status: 400, upstreamMessage: 'page size\n   must be\tat most 100' }),
    );
    expect(error.message).toContain('page size must be at most 100');
    expect(error.message).not.toMatch(/[\n\t]/);
  });

  it('shortens a long upstream message to 200 characters', () => {
    const error = upstreamStatusError(failure({ status: 400, upstreamMessage: 'x'.repeat(5000) }));
    expect(error.message).toContain(`${'x'.repeat(200)}…`);
    expect(error.message).not.toContain('x'.repeat(201));
  });

  it('does not echo the upstream body of an authentication or server error', () => {
    const body = 'stack trace with Bearer cx-secret-key';
    expect(
      upstreamStatusError(failure({ status: 401, upstreamMessage: body })).message,
    ).not.toContain('cx-secret-key');
    expect(
      upstreamStatusError(failure({ status: 500, upstreamMessage: body })).message,
    ).not.toContain('cx-secret-key');
  });
});

describe('badResponse', () => {
  it('is an UPSTREAM_BAD_RESPONSE naming the upstream and what was wrong', () => {
    const error = badResponse('oneuptime', 'body is not valid JSON');
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'oneuptime' });
    expect(error.message).toContain('OneUptime');
    expect(error.message).toContain('body is not valid JSON');
  });
});

describe('error classes', () => {
  it('fix their extensions code', () => {
    expect(new BadUserInputError('bad', { argumentName: 'first' }).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'first',
    });
    expect(new NotFoundError('gone').extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it('do not let extensions override the code', () => {
    const error = new GatewayError('FORBIDDEN', 'no', { code: 'SOMETHING_ELSE' });
    expect(error.extensions.code).toBe('FORBIDDEN');
  });
});

describe('createFormatError', () => {
  const record = () => {
    const calls: unknown[] = [];
    return { calls, onMasked: (error: unknown) => void calls.push(error) };
  };
  const formatted = (error: GraphQLError): GraphQLFormattedError => error.toJSON();

  it('passes a gateway error with its message and extensions', () => {
    const spy = record();
    const formatError = createFormatError(spy);
    const original = new UpstreamError(
      'UPSTREAM_TIMEOUT',
      'coralogix',
      'Coralogix did not answer.',
    );
    const wrapped = new GraphQLError(original.message, {
      path: ['incident'],
      originalError: original,
    });
    expect(formatError(formatted(wrapped), wrapped)).toEqual({
      message: 'Coralogix did not answer.',
      locations: undefined,
      path: ['incident'],
      extensions: { code: 'UPSTREAM_TIMEOUT', upstream: 'coralogix' },
    });
    expect(spy.calls).toEqual([]);
  });

  it('passes a gateway error that graphql-js did not wrap', () => {
    const formatError = createFormatError();
    const error = new BadUserInputError('"first" is too big.', { argumentName: 'first' });
    expect(formatError(formatted(error), error).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'first',
    });
  });

  it('masks an unknown error and reports the original', () => {
    const spy = record();
    const formatError = createFormatError(spy);
    const original = new Error('connect ECONNREFUSED 10.0.0.7 with key cx-secret-key');
    const wrapped = new GraphQLError(original.message, {
      path: ['incidents'],
      originalError: original,
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] },
    });
    const result = formatError(formatted(wrapped), wrapped);
    expect(result).toEqual({
      message: 'Internal server error',
      locations: undefined,
      path: ['incidents'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(result)).not.toContain('cx-secret-key');
    expect(spy.calls).toEqual([original]);
  });

  it('masks an error with no code at all', () => {
    const spy = record();
    const error = new TypeError('Cannot read properties of undefined');
    const result = createFormatError(spy)({ message: error.message }, error);
    expect(result).toEqual({
      message: 'Internal server error',
      locations: undefined,
      path: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(spy.calls).toEqual([error]);
  });

  it('masks an error whose code is not in the catalogue', () => {
    const spy = record();
    const error = new GraphQLError('db said no', { extensions: { code: 'ECONNRESET' } });
    expect(createFormatError(spy)(formatted(error), error).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
    expect(spy.calls).toHaveLength(1);
  });

  it('keeps PERSISTED_QUERY_NOT_FOUND, which APQ clients answer by resending the full query', () => {
    const spy = record();
    const error = new GraphQLError('PersistedQueryNotFound', {
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    expect(createFormatError(spy)(formatted(error), error).extensions).toEqual({
      code: 'PERSISTED_QUERY_NOT_FOUND',
    });
    expect(spy.calls).toEqual([]);
  });

  it.each(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE'])(
    "keeps Apollo's standard request error code %s (clients match on it), with its message",
    (code) => {
      const spy = record();
      const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
        extensions: { code, validationErrorCode: 'extra' },
      });
      expect(createFormatError(spy)(formatted(error), error)).toEqual({
        message: 'Cannot query field "nope" on type "Query".',
        locations: undefined,
        path: undefined,
        extensions: { code },
      });
      expect(spy.calls).toEqual([]);
    },
  );

  it('keeps Apollo’s BAD_REQUEST (a request it could not read as GraphQL) and its message', () => {
    const spy = record();
    const error = new GraphQLError(
      'POST body missing, invalid Content-Type, or JSON object has no keys.',
      {
        extensions: { code: 'BAD_REQUEST', detail: 'extra' },
      },
    );
    expect(createFormatError(spy)(formatted(error), error)).toEqual({
      message: 'POST body missing, invalid Content-Type, or JSON object has no keys.',
      locations: undefined,
      path: undefined,
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(spy.calls).toEqual([]);
  });

  it.each(['PERSISTED_QUERY_NOT_SUPPORTED'])(
    'maps the request error code %s to BAD_USER_INPUT, keeping its message',
    (code) => {
      const spy = record();
      const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
        extensions: { code, detail: 'extra' },
      });
      expect(createFormatError(spy)(formatted(error), error)).toEqual({
        message: 'Cannot query field "nope" on type "Query".',
        locations: undefined,
        path: undefined,
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(spy.calls).toEqual([]);
    },
  );

  it('reports the parser token limit as QUERY_TOO_COMPLEX', () => {
    const spy = record();
    const error = new GraphQLError(
      'Syntax Error: Document contains more than 5000 tokens. Parsing aborted.',
      { extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
    );
    expect(createFormatError(spy)(formatted(error), error)).toEqual({
      message: 'Syntax Error: Document contains more than 5000 tokens. Parsing aborted.',
      locations: undefined,
      path: undefined,
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    expect(spy.calls).toEqual([]);
  });

  it('passes a catalogue code set by another layer, with clean extensions', () => {
    const error = new GraphQLError('Query is too complex.', {
      extensions: { code: 'QUERY_TOO_COMPLEX', internal: 'x' },
    });
    expect(createFormatError()(formatted(error), error).extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
    });
  });

  it('masks even a GraphQLError that claims INTERNAL_SERVER_ERROR itself', () => {
    const spy = record();
    const error = new GraphQLError('secret detail', {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(createFormatError(spy)(formatted(error), error).message).toBe('Internal server error');
    expect(spy.calls).toEqual([error]);
  });

  it('returns only catalogue codes', () => {
    const formatError = createFormatError();
    const inputs: GraphQLError[] = [
      new GraphQLError('a', { extensions: { code: 'WHATEVER' } }),
      new GraphQLError('b', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
      new GraphQLError('c'),
      new GraphQLError('d', { originalError: new NotFoundError('gone') }),
    ];
    for (const error of inputs) {
      expect(ERROR_CODES).toContain(formatError(formatted(error), error).extensions?.code);
    }
  });
});

describe('createFormatError on request errors without a code', () => {
  const formatted = (error: GraphQLError): GraphQLFormattedError => error.toJSON();

  it('answers an APQ hash mismatch as BAD_USER_INPUT and reports nothing', () => {
    const calls: unknown[] = [];
    const error = new GraphQLError('provided sha does not match query', {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const result = createFormatError({ onMasked: (e) => void calls.push(e) })(
      formatted(error),
      error,
    );
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(result.message).toMatch(/hash does not match the query/);
    expect(calls).toEqual([]);
  });

  it('keeps "Did you mean" suggestions unless told to hide them', () => {
    const error = new GraphQLError(
      'Cannot query field "incidentz" on type "Query". Did you mean "incident" or "incidents"?',
      { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    );
    expect(createFormatError()(formatted(error), error).message).toContain('Did you mean');
    expect(createFormatError({ hideSuggestions: true })(formatted(error), error)).toEqual({
      message: 'Cannot query field "incidentz" on type "Query".',
      locations: undefined,
      path: undefined,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('hides a suggestion in the middle of a coercion message too', () => {
    const error = new BadUserInputError(
      'Variable "$s" got invalid value "RESOLVD" at "s[0]"; Value "RESOLVD" does not exist in "IncidentState" enum. Did you mean the enum value "RESOLVED"?',
    );
    const message = createFormatError({ hideSuggestions: true })(formatted(error), error).message;
    expect(message).toBe(
      'Variable "$s" got invalid value "RESOLVD" at "s[0]"; Value "RESOLVD" does not exist in "IncidentState" enum.',
    );
  });
});

describe('redactSecrets', () => {
  const KEY = 'cx-Sandbox-0123456789abcdef';

  it.each([
    ['the whole key', `bad key ${KEY}`, 'bad key [redacted]'],
    ['the key in upper case', `bad key ${KEY.toUpperCase()}!`, 'bad key [redacted]!'],
    ['the key in lower case', `bad key ${KEY.toLowerCase()}`, 'bad key [redacted]'],
    ['a truncated key', `key ${KEY.slice(0, 12)}… refused`, 'key [redacted]… refused'],
    ['a middle fragment', `…${KEY.slice(5, 5 + MIN_SECRET_FRAGMENT)}…`, '…[redacted]…'],
    ['the key twice', `${KEY}/${KEY}`, '[redacted]/[redacted]'],
    ['a fragment glued to other text', `id=x${KEY.slice(3, 20)}y`, 'id=x[redacted]y'],
  ])('cuts %s', (_, text, expected) => {
    expect(redactSecrets(text, [KEY])).toBe(expected);
  });

  it('keeps pieces shorter than the fragment length, which ordinary text shares', () => {
    const text = `${KEY.slice(0, MIN_SECRET_FRAGMENT - 1)} and Sandbox`;
    expect(redactSecrets(text, [KEY])).toBe(text);
  });

  it('cuts a short secret only whole, and ignores secrets too short to tell from words', () => {
    expect(redactSecrets('token abc123 and ABC1', ['abc123'])).toBe('token [redacted] and ABC1');
    expect(redactSecrets('an id', ['id'])).toBe('an id');
  });

  it('cuts every secret of the request', () => {
    expect(
      redactSecrets('a=first-secret-1 b=SECOND-SECRET-2', ['first-secret-1', 'second-secret-2']),
    ).toBe('a=[redacted] b=[redacted]');
  });

  it('is used for upstream messages, so a key echoed in another case never reaches the client', () => {
    const error = upstreamStatusError(
      failure({
        status: 400,
        upstreamMessage: `invalid request from ${KEY.toUpperCase().slice(0, 15)}`,
        secrets: [KEY],
      }),
    );
    expect(error.message).toContain('invalid request from [redacted]');
  });

  it('cuts a key the summary keeps after long whitespace, wherever the scan ends', () => {
    const summary = (pad: number) =>
      upstreamStatusError(
        failure({
          status: 400,
          upstreamMessage: `bad key ${' '.repeat(pad)}${KEY}`,
          secrets: [KEY],
        }),
      ).message;
    // 785 spaces put the key across the end of the scanned text; collapsed, it lands early.
    for (const pad of [780, 785, 790, 795]) {
      expect(summary(pad)).not.toContain(KEY.slice(0, 4));
      expect(summary(pad)).toContain('bad key [redacted]');
    }
    // 6383-6387 spaces cut the key at the end of what is read at all: none of it is shown.
    for (const pad of [6383, 6385, 6387]) expect(summary(pad)).not.toContain(KEY.slice(0, 4));
  });
});

describe('restated and LinkLockError (link writes)', () => {
  it('restates an upstream error with what was applied, keeping its code and extensions', () => {
    const cause = new UpstreamError('UPSTREAM_UNAVAILABLE', 'oneuptime', 'OneUptime is down.', {
      status: 503,
    });
    const error = restated(cause, (message) => `Unlinked "a", then "b" failed: ${message}`, {
      applied: { unlinkedOneUptimeIncidentIds: ['a'] },
    });
    expect(error.message).toBe('Unlinked "a", then "b" failed: OneUptime is down.');
    expect(error.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'oneuptime',
      upstreamStatus: 503,
      applied: { unlinkedOneUptimeIncidentIds: ['a'] },
    });
  });

  it('restates an error outside the catalogue as INTERNAL_SERVER_ERROR without its message', () => {
    const error = restated(new Error('secret detail'), (message) => `Wrote "a". ${message}`);
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).not.toContain('secret detail');
    expect(error.message).toMatch(/^Wrote "a"\./);
  });

  it('refuses a link write as UPSTREAM_UNAVAILABLE naming the shared lock', () => {
    const error = new LinkLockError('unavailable');
    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', lock: 'unavailable' });
    expect(error.message).toMatch(/lock .*Redis/);
  });
});

describe('quote', () => {
  it('quotes a short string whole, as JSON', () => {
    expect(quote('abc')).toBe('"abc"');
    expect(quote('a"b\nc')).toBe('"a\\"b\\nc"');
    expect(quote(42)).toBe('42');
    expect(quote(undefined)).toBe('undefined');
  });

  it('quotes only the start of a long value, with its length', () => {
    const long = 'x'.repeat(1_000_000);
    expect(quote(long)).toBe(`"${'x'.repeat(QUOTED_CHARS)}"… (1000000 characters)`);
    expect(quote({ key: long }).length).toBeLessThan(QUOTED_CHARS + 40);
  });

  it('never cuts a character in half', () => {
    const emoji = '🔥'.repeat(QUOTED_CHARS * 2);
    expect(quote(emoji)).toBe(`"${'🔥'.repeat(QUOTED_CHARS)}"… (${emoji.length} characters)`);
  });
});

describe('shortenMessage', () => {
  it("cuts the long quoted values of graphql-js's coercion messages", () => {
    const value = 'y'.repeat(100_000);
    const message = `Variable "$n" got invalid value "${value}"; Int cannot represent non-integer value: "${value}"`;
    expect(shortenMessage(message)).toBe(
      `Variable "$n" got invalid value ${quote(value)}; Int cannot represent non-integer value: ${quote(value)}`,
    );
  });

  it('leaves ordinary messages alone and cuts anything else long', () => {
    expect(shortenMessage('Query depth 13 exceeds the limit of 12.')).toBe(
      'Query depth 13 exceeds the limit of 12.',
    );
    const unquoted = `Variable "$f" got invalid value { ${'k'.repeat(10_000)}: 1 }`;
    expect(shortenMessage(unquoted)).toHaveLength(MAX_ERROR_MESSAGE + 1);
  });

  it('applies to every message a client gets', () => {
    const value = 'z'.repeat(10_000);
    // As Apollo reports a variable graphql-js could not coerce.
    const error = new GraphQLError(`Variable "$id" got invalid value "${value}"`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const formatted = createFormatError()(error.toJSON(), error);
    expect(formatted.message).toBe(`Variable "$id" got invalid value ${quote(value)}`);
  });
});

describe('the codes of issue 22 (bounds)', () => {
  it('give OVERLOADED 503 (retry later) and RESPONSE_TOO_LARGE 400 (ask for less)', () => {
    expect(ERROR_CATALOGUE.OVERLOADED.status).toBe(503);
    expect(ERROR_CATALOGUE.RESPONSE_TOO_LARGE.status).toBe(400);
    const format = createFormatError();
    for (const code of ['OVERLOADED', 'RESPONSE_TOO_LARGE'] as const) {
      const error = new GatewayError(code, 'bounded');
      expect(format({ message: 'bounded', extensions: { code } }, error).extensions?.code).toBe(
        code,
      );
    }
  });
});

describe('the README', () => {
  it('lists every code of the catalogue in its Errors section, and no other', () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('\n## Errors'),
      readme.indexOf('\n## Troubleshooting'),
    );
    const listed = [...section.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...ERROR_CODES].sort());
  });
});
