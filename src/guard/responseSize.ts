/**
 * MAX_RESPONSE_BYTES: a response (an HTTP answer, or one live event) that
 * would be larger is replaced by one RESPONSE_TOO_LARGE error, never sent in
 * part. Its size is counted on the result object, exactly as JSON.stringify
 * would write it in UTF-8, stopping as soon as the bound is passed: the
 * oversized string is never built. (Built, a read of 100 incidents whose
 * responders share 1 MB role descriptions made 181 MB of JSON, and three
 * aliases of it a V8 `Invalid string length` and an HTTP 500.)
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { ERROR_CATALOGUE } from '../errors.js';

/** Thrown inside the count when the bound is passed (no result allocation on the way out). */
const OVER = Symbol('over');

// Characters JSON.stringify escapes, and surrogates (a lone one is written as \uXXXX).
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/;
/** Shorter strings are counted in JavaScript; longer ones checked by the regex engine and Buffer. */
const SHORT = 64;

/** The UTF-8 length of `JSON.stringify(text)`, one code unit at a time. */
function countString(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      if (unit >= 0x20) bytes += unit === 0x22 || unit === 0x5c ? 2 : 1;
      else bytes += unit === 8 || unit === 9 || unit === 10 || unit === 12 || unit === 13 ? 2 : 6;
    } else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 6;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

function stringBytes(text: string): number {
  if (text.length < SHORT || SPECIAL.test(text)) return countString(text);
  return Buffer.byteLength(text, 'utf8') + 2;
}

class Counter {
  total = 0;
  /** Object keys repeat (field names): each is counted once. */
  private readonly keys = new Map<string, number>();

  constructor(private readonly limit: number) {}

  add(bytes: number): void {
    this.total += bytes;
    if (this.total > this.limit) throw OVER;
  }

  /** Counts `node`; false when JSON.stringify would leave it out of an object. */
  visit(node: unknown, inArray: boolean): boolean {
    switch (typeof node) {
      case 'string':
        // Every UTF-16 unit is at least one byte: skip the exact count of what cannot fit.
        if (this.total + node.length + 2 > this.limit) throw OVER;
        this.add(stringBytes(node));
        return true;
      case 'number':
        this.add(Number.isFinite(node) ? String(node).length : 4);
        return true;
      case 'boolean':
        this.add(node ? 4 : 5);
        return true;
      case 'object':
        if (node === null) {
          this.add(4);
          return true;
        }
        return this.object(node, inArray);
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      default: // undefined, functions, symbols: left out of objects, null in arrays
        if (inArray) this.add(4);
        return inArray;
    }
  }

  private object(node: object, inArray: boolean): boolean {
    const toJSON = (node as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      return this.visit((toJSON as () => unknown).call(node), inArray);
    }
    if (Array.isArray(node)) {
      this.add(node.length > 0 ? node.length + 1 : 2);
      for (const item of node as unknown[]) this.visit(item, true);
      return true;
    }
    this.add(2);
    let members = 0;
    for (const key in node) {
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      const before = this.total;
      let keyBytes = this.keys.get(key);
      if (keyBytes === undefined) {
        keyBytes = stringBytes(key) + 1;
        this.keys.set(key, keyBytes);
      }
      this.add(keyBytes + (members > 0 ? 1 : 0));
      if (this.visit((node as Record<string, unknown>)[key], false)) members += 1;
      else this.total = before;
    }
    return true;
  }
}

/**
 * The UTF-8 length of `JSON.stringify(value)`, or undefined as soon as it
 * would pass `limit` (then at most about `limit` bytes were counted).
 */
export function jsonByteLength(value: unknown, limit: number): number | undefined {
  const counter = new Counter(limit);
  try {
    counter.visit(value, false);
    return counter.total;
  } catch (error) {
    if (error === OVER) return undefined;
    throw error;
  }
}

/** The one error a too-large response becomes. */
export function responseTooLarge(
  maxBytes: number,
  operationType: string | undefined,
): GraphQLFormattedError {
  const what =
    operationType === 'mutation'
      ? 'The mutation ran and its writes were applied, but its response'
      : operationType === 'subscription'
        ? 'This event'
        : 'The response';
  return {
    message: `${what} would be larger than MAX_RESPONSE_BYTES (${maxBytes} bytes), so none of it was sent: ask for fewer items (a lower "first") or fewer fields.`,
    extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes },
  };
}

/** A result within the bound as it is; a larger one replaced by RESPONSE_TOO_LARGE. */
export function boundedResult(
  result: FormattedExecutionResult,
  maxBytes: number,
  operationType: string | undefined,
): FormattedExecutionResult {
  if (jsonByteLength(result, maxBytes) !== undefined) return result;
  return { errors: [responseTooLarge(maxBytes, operationType)] };
}

/**
 * The Apollo plugin. List it before the operation log: plugins' willSendResponse
 * hooks start in order, and this one finishes synchronously, so the log sees the
 * status and the error the client gets.
 */
export function responseSizeGuard(maxBytes: number): ApolloServerPlugin {
  return {
    requestDidStart: async () => ({
      willSendResponse: async ({ response, operation }) => {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        const bounded = boundedResult(result, maxBytes, operation?.operation);
        if (bounded === result) return;
        response.body.singleResult = bounded;
        response.http.status = ERROR_CATALOGUE.RESPONSE_TOO_LARGE.status;
      },
    }),
  };
}
