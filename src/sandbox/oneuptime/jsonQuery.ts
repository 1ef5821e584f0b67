/**
 * Queries on a JSON column (`customFields`): one predicate per key, as
 * `Common/Server/Types/Database/JSONColumnQuery.ts` at ab6f409 (release
 * 12.0.2+) builds them, reached through `QueryHelper.queryJson` from the JSON
 * branch of `QueryUtil.serializeQuery`. The SQL it emits is evaluated here
 * over the stored value:
 *
 * - a scalar matches a key whose value equals it as text (`->>`), or an array
 *   holding it (`@> [value]`, type-sensitive);
 * - a bare array and `Includes` mean "any of"; an empty list constrains nothing;
 * - `IsNull`: key absent, JSON null, `""` or `[]`; negations use `IS NOT TRUE`,
 *   so a row without the key satisfies them;
 * - at most 50 keys and 200 values per key (400 `BadDataException`);
 * - `{}` means the column is NULL or `{}`.
 */
import { isPlainObject } from '../http.js';
import { toIsoInstant } from './codec.js';
import { assertNever, badRequest, serverError } from './errors.js';
import {
  allOf,
  anyOf,
  compareNumeric,
  compareOrdered,
  compareText,
  equals,
  isEmpty,
  isNumericValue,
  isScalar,
  like,
  not,
  toScalar,
  type KeyPredicate,
  type Scalar,
} from './jsonPredicates.js';
import { jsonContains } from './jsonValue.js';

/** A key's value as `->` reads it: `undefined` when the key is absent (SQL NULL). */
type KeyRead = (stored: unknown) => unknown;

/** Tests the stored JSON column value (undefined/null: SQL NULL). */
export type JsonPredicate = (stored: unknown) => boolean;

const MAX_JSON_QUERY_KEYS = 50;
const MAX_JSON_QUERY_VALUES_PER_KEY = 200;
const MAX_JSON_QUERY_KEY_LENGTH = 500;

/** The operators `KeyPredicateBuilder.build` knows (`Common/Types/BaseDatabase/*.ts`). */
const KEY_OPERATORS = [
  'Includes',
  'IncludesAll',
  'IncludesNone',
  'IsNull',
  'NotNull',
  'NotEqual',
  'EqualToOrNull',
  'EqualTo',
  'NotContains',
  'StartsWith',
  'EndsWith',
  'Search',
  'InBetween',
  'GreaterThanOrNull',
  'LessThanOrNull',
  'GreaterThanOrEqual',
  'GreaterThan',
  'LessThanOrEqual',
  'LessThan',
] as const;
type KeyOperator = (typeof KEY_OPERATORS)[number];
const KEY_OPERATOR_SET: ReadonlySet<string> = new Set(KEY_OPERATORS);
const LIST_OPERATORS: ReadonlySet<string> = new Set(['Includes', 'IncludesAll', 'IncludesNone']);

/** `{"_type": <operator>, …}`, which `JSONFunctions.deserialize` turns into an operator object. */
const operatorOf = (value: unknown): KeyOperator | undefined =>
  isPlainObject(value) && typeof value._type === 'string' && KEY_OPERATOR_SET.has(value._type)
    ? (value._type as KeyOperator)
    : undefined;

/** `for (const v of json.value || [])` in the operators' `fromJSON`; a non-iterable is a 500. */
function listValues(raw: unknown): unknown[] {
  if (raw === null || raw === undefined) return [];
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'string') return [...raw];
  throw serverError();
}

/** The predicate of one `{_type: …}` operator on a key; null when it constrains nothing. */
function operatorPredicate(
  operator: KeyOperator,
  raw: Record<string, unknown>,
): KeyPredicate | null {
  const v = raw.value;
  switch (operator) {
    case 'IsNull':
      return isEmpty;
    case 'NotNull':
      return not(isEmpty);
    case 'Includes':
    case 'IncludesAll':
    case 'IncludesNone': {
      const values = listValues(v).map(toScalar);
      if (values.length === 0) return null;
      if (operator === 'IncludesAll') return allOf(values.map(equals));
      const any = anyOf(values.map(equals));
      return operator === 'Includes' ? any : not(any);
    }
    case 'NotEqual':
      return not(equals(toScalar(v)));
    case 'EqualToOrNull':
      return anyOf([equals(toScalar(v)), isEmpty]);
    case 'EqualTo':
      return equals(toScalar(v));
    case 'NotContains':
      return not(like('contains', v));
    case 'StartsWith':
      return like('startsWith', v);
    case 'EndsWith':
      return like('endsWith', v);
    case 'Search':
      return like('contains', v);
    case 'InBetween': {
      const [start, end] = [raw.startValue, raw.endValue].map(toScalar) as [Scalar, Scalar];
      const by = isNumericValue(start) && isNumericValue(end) ? compareNumeric : compareText;
      return allOf([by('>=', start), by('<=', end)]);
    }
    case 'GreaterThanOrNull':
      return anyOf([compareNumeric('>=', v), isEmpty]);
    case 'LessThanOrNull':
      return anyOf([compareNumeric('<=', v), isEmpty]);
    case 'GreaterThanOrEqual':
      return compareOrdered('>=', v);
    case 'GreaterThan':
      return compareOrdered('>', v);
    case 'LessThanOrEqual':
      return compareOrdered('<=', v);
    case 'LessThan':
      return compareOrdered('<', v);
    default:
      return assertNever(operator);
  }
}

function valueCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (isPlainObject(value) && typeof value._type === 'string' && LIST_OPERATORS.has(value._type)) {
    return Array.isArray(value.value) ? value.value.length : 0;
  }
  return 0;
}

/** `KeyPredicateBuilder.build`: one key's predicate, or null when it constrains nothing. */
function keyPredicate(value: unknown): KeyPredicate | null {
  if (valueCount(value) > MAX_JSON_QUERY_VALUES_PER_KEY) {
    throw badRequest(
      `A JSON column filter cannot match against more than ${MAX_JSON_QUERY_VALUES_PER_KEY} values at once.`,
    );
  }
  const operator = operatorOf(value);
  if (operator && isPlainObject(value)) return operatorPredicate(operator, value);
  if (Array.isArray(value)) {
    return value.length === 0 ? null : anyOf(value.map((item) => equals(toScalar(item))));
  }
  if (isScalar(value)) return equals(value);
  if (value === null || value === undefined) return isEmpty;
  // A DateTime envelope deserializes to a Date, whose JSON is its ISO string.
  if (isPlainObject(value) && value._type === 'DateTime') {
    const iso = toIsoInstant(value.value) ?? String(value.value);
    return (stored) => stored !== undefined && jsonContains(stored, iso);
  }
  // Any other object (ObjectID/Color envelopes included, as their JSON): containment.
  return (stored) => stored !== undefined && jsonContains(stored, value);
}

const readKey =
  (key: string): KeyRead =>
  (stored) =>
    isPlainObject(stored) && Object.hasOwn(stored, key) ? stored[key] : undefined;

/** A string column query is parsed as JSON; unparseable text means `{}`. */
function queryObject(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return {};
  }
}

/** `buildJSONColumnQuery`: the AND of every key's predicate. */
function keysPredicate(raw: unknown): JsonPredicate {
  const value = queryObject(raw) ?? {};
  const keys = Object.keys(value);
  if (keys.length > MAX_JSON_QUERY_KEYS) {
    throw badRequest(`A JSON column filter cannot carry more than ${MAX_JSON_QUERY_KEYS} keys.`);
  }
  if (keys.length === 0) {
    // `{}`: "this column holds nothing".
    return (stored) =>
      stored === null ||
      stored === undefined ||
      (isPlainObject(stored) && Object.keys(stored).length === 0);
  }
  const parts: Array<(stored: unknown) => boolean> = [];
  for (const key of keys) {
    if (key.length === 0) continue;
    if (key.length > MAX_JSON_QUERY_KEY_LENGTH) {
      throw badRequest(
        `A JSON column filter key cannot be longer than ${MAX_JSON_QUERY_KEY_LENGTH} characters.`,
      );
    }
    const predicate = keyPredicate((value as Record<string, unknown>)[key]);
    const read = readKey(key);
    if (predicate) parts.push((stored) => predicate(read(stored)));
  }
  return (stored) => parts.every((part) => part(stored));
}

/** Compared as a whole column before the JSON branch of `QueryUtil.serializeQuery`. */
const WHOLE_COLUMN_OPERATORS: ReadonlySet<string> = new Set([
  'NotNull',
  'EqualTo',
  'EqualToOrNull',
]);
const ENVELOPES: ReadonlySet<string> = new Set(['ObjectID', 'DateTime', 'Color']);

/**
 * The condition on a JSON column, or undefined when `QueryUtil.serializeQuery`
 * handles the value before its JSON branch (null → IS NULL; NotNull, EqualTo,
 * EqualToOrNull on the whole column), which the generic path evaluates.
 * A top-level `IsNull` object has no keys: `{}`, "the column holds nothing".
 * Any other operator on the whole column reaches `buildJSONColumnQuery` as an
 * object whose keys are its private fields, a query that means nothing: the
 * sandbox answers 400 instead (an assumption). A falsy scalar skips every
 * branch and reaches Postgres as `jsonb = value`: 500 (an assumption).
 */
export function jsonColumnPredicate(column: string, raw: unknown): JsonPredicate | undefined {
  if (raw === null) return undefined;
  if (raw === '' || raw === 0 || raw === false) throw serverError();
  if (isPlainObject(raw) && typeof raw._type === 'string') {
    if (WHOLE_COLUMN_OPERATORS.has(raw._type)) return undefined;
    if (raw._type === 'IsNull') return keysPredicate({});
    if (operatorOf(raw) || ENVELOPES.has(raw._type)) {
      throw badRequest(
        `Invalid query on ${column}: query a JSON column per key, e.g. {"${column}": {"key": {"_type": "${raw._type}", …}}}`,
      );
    }
  }
  return keysPredicate(raw);
}
