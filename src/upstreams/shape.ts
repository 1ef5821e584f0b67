/**
 * A small structural check for upstream JSON: upstream data that does not
 * have the types the schema serialises must fail as UPSTREAM_BAD_RESPONSE at
 * the client, not later as a masked serialisation error.
 *
 * Shapes are plain data (checked allocation-free by `fits`); the typed
 * builders in `s` carry the TypeScript type of what they accept, so a wire
 * type is declared once and inferred (`Infer<typeof X>`) instead of written
 * again as an interface.
 */

/** Every shape accepts `undefined` and `null` (protojson omits, OneUptime sends null). */
export type Shape =
  | 'string'
  | 'boolean'
  | 'number'
  /** A whole number that fits GraphQL's Int (32-bit signed). */
  | 'int'
  | 'any'
  | { array: Shape }
  | { record: Shape }
  | { fields: Record<string, Shape> };

const INT_MAX = 2 ** 31 - 1;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the value fits: the hot path, allocation-free (no path strings). */
export function fits(value: unknown, shape: Shape): boolean {
  if (value === undefined || value === null || shape === 'any') return true;
  if (shape === 'int') return Number.isInteger(value) && Math.abs(value as number) <= INT_MAX;
  if (typeof shape === 'string') return typeof value === shape;
  if ('array' in shape) {
    if (!Array.isArray(value)) return false;
    for (const item of value) {
      if (item === null || item === undefined || !fits(item, shape.array)) return false;
    }
    return true;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  if ('record' in shape) {
    for (const key in object) if (!fits(object[key], shape.record)) return false;
    return true;
  }
  for (const key in shape.fields) if (!fits(object[key], shape.fields[key] as Shape)) return false;
  return true;
}

/** The first mismatch as `path: expected x`, or undefined when the value fits. */
export function mismatch(value: unknown, shape: Shape, path = '$'): string | undefined {
  return fits(value, shape) ? undefined : describe(value, shape, path);
}

/** Finds and names the mismatch (only called when there is one). */
function describe(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === undefined || value === null || shape === 'any') return undefined;
  if (shape === 'int') {
    return Number.isInteger(value) && Math.abs(value as number) <= INT_MAX
      ? undefined
      : `${path}: expected a 32-bit integer`;
  }
  if (typeof shape === 'string') {
    return typeof value === shape ? undefined : `${path}: expected ${shape}`;
  }
  if ('array' in shape) {
    if (!Array.isArray(value)) return `${path}: expected an array`;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null || value[i] === undefined) return `${path}[${i}]: unexpected null`;
      const problem = describe(value[i], shape.array, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return `${path}: expected an object`;
  const entries = Object.entries(value as Record<string, unknown>);
  if ('record' in shape) {
    for (const [key, item] of entries) {
      const problem = describe(item, shape.record, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, fieldShape] of Object.entries(shape.fields)) {
    const problem = describe((value as Record<string, unknown>)[key], fieldShape, `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

declare const TYPE: unique symbol;
/** A shape that remembers, for the compiler only, the type of the values it accepts. */
export type Typed<T> = Shape & { readonly [TYPE]?: T };
export type Infer<S> = S extends Typed<infer T> ? T : never;

type Fields = Record<string, Typed<unknown>>;
/** Every member optional: protojson omits defaults, OneUptime omits unselected columns. */
export type InferObject<F extends Fields> = { [K in keyof F]?: Infer<F[K]> };

/** Typed shape builders. Every shape also accepts null and undefined (see `fits`). */
export const s = {
  string: 'string' as Typed<string>,
  boolean: 'boolean' as Typed<boolean>,
  number: 'number' as Typed<number>,
  int: 'int' as Typed<number>,
  unknown: 'any' as Typed<unknown>,
  /** A string from a known set; other strings pass the check (mapped to UNSPECIFIED later). */
  oneOf: <T extends string>(values: readonly T[]): Typed<T> => {
    void values;
    return 'string' as Typed<T>;
  },
  array: <T>(item: Typed<T>): Typed<T[]> => ({ array: item }) as Typed<T[]>,
  record: <T>(value: Typed<T>): Typed<Record<string, T>> =>
    ({ record: value }) as Typed<Record<string, T>>,
  object: <F extends Fields>(fields: F): Typed<InferObject<F>> =>
    ({ fields }) as Typed<InferObject<F>>,
};
