/**
 * Postgres `jsonb` semantics the JSON-column queries rely on: equality,
 * containment (`@>`) and the text form `->>` gives for arrays and objects.
 * Source: PostgreSQL documentation, "JSON Types" §8.14.3 (containment) and
 * §8.14.4; `jsonb` keeps object keys sorted by length, then bytewise.
 */
import { isPlainObject } from '../http.js';

type JsonObject = Record<string, unknown>;

const isContainer = (value: unknown) => Array.isArray(value) || isPlainObject(value);

/** Equality of two JSON values (object key order is irrelevant). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => jsonEquals(item, b[i]))
    );
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key], b[key]))
    );
  }
  return a === b;
}

function containsElement(item: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) return Array.isArray(item) && jsonContains(item, wanted, false);
  if (isPlainObject(wanted)) return isPlainObject(item) && jsonContains(item, wanted, false);
  return !isContainer(item) && item === wanted;
}

/**
 * `a @> b`. Objects contain objects key by key, arrays contain arrays element
 * by element (order and duplicates ignored), scalars only equal scalars; at
 * the top level only, an array also contains a scalar it holds.
 */
export function jsonContains(a: unknown, b: unknown, topLevel = true): boolean {
  if (isPlainObject(b)) {
    return (
      isPlainObject(a) &&
      Object.entries(b).every(
        ([key, value]) => Object.hasOwn(a, key) && jsonContains(a[key], value, false),
      )
    );
  }
  if (Array.isArray(b)) {
    return Array.isArray(a) && b.every((wanted) => a.some((item) => containsElement(item, wanted)));
  }
  if (topLevel && Array.isArray(a)) return a.some((item) => containsElement(item, b));
  return !isContainer(a) && a === b;
}

/** Postgres's key order for `jsonb` objects: shorter keys first, then bytewise. */
function compareKeys(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The text of a `jsonb` value as Postgres prints it (`->>` on an array or object). */
export function jsonbText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  if (isPlainObject(value)) {
    const object: JsonObject = value;
    const keys = Object.keys(object).sort(compareKeys);
    return `{${keys.map((key) => `${JSON.stringify(key)}: ${jsonbText(object[key])}`).join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}
