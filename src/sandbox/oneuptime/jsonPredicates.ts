/**
 * The per-key predicates `JSONColumnQuery.ts` (`KeyPredicateBuilder`, at
 * ab6f409) composes, evaluated over a key's stored JSON value: `->>` text
 * equality or array containment, emptiness, ILIKE, numeric and text ordering.
 * Negations there use `IS NOT TRUE`, so here a predicate is plain `!`.
 */
import { isPlainObject } from '../http.js';
import { toIsoInstant } from './codec.js';
import { jsonbText, jsonEquals } from './jsonValue.js';

/** `NUMERIC_TEXT_REGEX`: text that may be cast to NUMERIC. */
const NUMERIC_TEXT = /^\s*-?[0-9]+(\.[0-9]+)?\s*$/;

export type Scalar = string | number | boolean;
export type KeyPredicate = (value: unknown) => boolean;

export const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * `toScalar` after `JSONFunctions.deserialize`: ObjectID/Color envelopes
 * become their string, DateTime envelopes a Date (its ISO string), null "",
 * anything else `String(value)`.
 */
export function toScalar(value: unknown): Scalar {
  if (isScalar(value)) return value;
  if (isPlainObject(value) && (value._type === 'ObjectID' || value._type === 'Color')) {
    return String(value.value);
  }
  if (isPlainObject(value) && value._type === 'DateTime') {
    return toIsoInstant(value.value) ?? String(value.value);
  }
  if (value === null || value === undefined) return '';
  return String(value);
}

/** `col ->> key`: text, or null for an absent key and JSON null. */
function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return jsonbText(value);
}

export const equals =
  (scalar: Scalar): KeyPredicate =>
  (value) =>
    asText(value) === String(scalar) ||
    (Array.isArray(value) && value.some((item) => jsonEquals(item, scalar)));

export const isEmpty: KeyPredicate = (value) =>
  value === undefined ||
  value === null ||
  value === '' ||
  (Array.isArray(value) && value.length === 0);

export const not =
  (p: KeyPredicate): KeyPredicate =>
  (value) =>
    !p(value);
export const anyOf =
  (ps: KeyPredicate[]): KeyPredicate =>
  (value) =>
    ps.some((p) => p(value));
export const allOf =
  (ps: KeyPredicate[]): KeyPredicate =>
  (value) =>
    ps.every((p) => p(value));

export type LikeKind = 'contains' | 'startsWith' | 'endsWith';
/** `->> ILIKE pattern`; arrays and objects match against their JSON text. */
export function like(kind: LikeKind, raw: unknown): KeyPredicate {
  const needle = String(toScalar(raw)).toLowerCase();
  return (value) => {
    const text = asText(value)?.toLowerCase();
    if (text === undefined) return false;
    if (kind === 'startsWith') return text.startsWith(needle);
    if (kind === 'endsWith') return text.endsWith(needle);
    return text.includes(needle);
  };
}

export type Comparison = '>' | '>=' | '<' | '<=';
function compare(op: Comparison, c: number): boolean {
  if (op === '>') return c > 0;
  if (op === '>=') return c >= 0;
  if (op === '<') return c < 0;
  return c <= 0;
}

export const isNumericValue = (value: Scalar) =>
  typeof value === 'number'
    ? Number.isFinite(value)
    : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));

/**
 * Numeric comparison of a value that looks like a number (else NULL). Postgres
 * orders NUMERIC 'NaN' above every number, which a non-numeric operand becomes.
 */
export function compareNumeric(op: Comparison, raw: unknown): KeyPredicate {
  const bound = Number(toScalar(raw));
  return (value) => {
    const text = asText(value);
    if (text === null || !NUMERIC_TEXT.test(text)) return false;
    const n = Number(text);
    return compare(op, Number.isNaN(bound) ? -1 : n - bound);
  };
}

/** Text comparison (code-unit order; an assumption for the database collation). */
export function compareText(op: Comparison, raw: unknown): KeyPredicate {
  const bound = String(toScalar(raw));
  return (value) => {
    const text = asText(value);
    return text !== null && compare(op, text < bound ? -1 : text > bound ? 1 : 0);
  };
}

export const compareOrdered = (op: Comparison, raw: unknown) =>
  isNumericValue(toScalar(raw)) ? compareNumeric(op, raw) : compareText(op, raw);
