/**
 * Value encoding on the wire (OneUptime/oneuptime
 * ab6f40993700e5d472c23e52913ef2fe5d117f66). Real servers wrap ObjectID, Date
 * and Color columns as `{"_type": …, "value": …}`: `BaseModel.toJSON`
 * (`DatabaseBaseModel.ts` lines 629–635) runs `JSONFunctions.serialize`, whose
 * `serializeValue` (`Common/Types/JSONFunctions.ts` lines 273–300) wraps a
 * Date as `DateTime` and calls `toJSON` of an ObjectID or Color
 * (`Common/Types/ObjectID.ts` lines 92–97, `Color.ts` lines 31–36); the type
 * names are `ObjectType` in `Common/Types/JSON.ts`. The docs' examples send
 * plain values. Input accepts both: `deserializeValue` (JSONFunctions.ts lines
 * 322–375) turns an envelope back into its object and leaves a plain string be.
 */
import type { ColumnType } from '../../upstreams/oneuptime/types.js';
import { isPlainObject } from '../http.js';
import { assertNever, badRequest } from './errors.js';

export type ValueEncoding = 'envelope' | 'plain';

const ENVELOPE_TYPES: ReadonlySet<string> = new Set(['ObjectID', 'DateTime', 'Color']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_COLOR = /^#[0-9a-f]{6}$/i;
/** Dates outside 0000–9999 have no fixed-width ISO form, which sorting relies on. */
const MIN_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID.test(value);

export const isHexColor = (value: unknown): value is string =>
  typeof value === 'string' && HEX_COLOR.test(value);

/** The value of an ObjectID/DateTime/Color envelope; anything else as it is. */
export function unwrap(value: unknown): unknown {
  if (isPlainObject(value) && typeof value._type === 'string' && ENVELOPE_TYPES.has(value._type)) {
    return value.value;
  }
  return value;
}

/**
 * The canonical `toISOString()` form of a date string or epoch milliseconds.
 * Stored dates are always canonical, so comparing the strings compares instants.
 */
export function toIsoInstant(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms) || ms > MAX_MS || ms < MIN_MS) return undefined;
  return new Date(ms).toISOString();
}

export function encodeValue(type: ColumnType, value: unknown, encoding: ValueEncoding): unknown {
  if (value === null || value === undefined) return null;
  if (encoding === 'plain') return value;
  switch (type) {
    case 'ObjectID':
    case 'DateTime':
    case 'Color':
      return { _type: type, value };
    case 'Text':
    case 'Boolean':
    case 'Number':
    case 'JSON':
      return value;
    default:
      return assertNever(type);
  }
}

const describe = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Decodes and validates one `data` value (create/update); `null` stays null. */
export function decodeInput(type: ColumnType, column: string, raw: unknown): unknown {
  const value = unwrap(raw);
  if (value === null) return null;
  switch (type) {
    case 'ObjectID':
      if (!isUuid(value)) throw badRequest(`Invalid ID format: ${describe(value)} (${column})`);
      return value.toLowerCase();
    case 'DateTime': {
      const iso = toIsoInstant(value);
      if (iso === undefined) throw badRequest(`Invalid date for ${column}: ${describe(value)}`);
      return iso;
    }
    case 'Color':
      if (!isHexColor(value)) {
        throw badRequest(
          `Invalid color for ${column}: ${describe(value)}. Use a hex code like #32A852.`,
        );
      }
      return value;
    case 'Text':
      if (typeof value !== 'string') throw badRequest(`${column} should be a string`);
      return value;
    case 'Boolean':
      if (typeof value !== 'boolean') throw badRequest(`${column} should be a boolean`);
      return value;
    case 'Number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw badRequest(`${column} should be a number`);
      }
      return value;
    case 'JSON':
      return value;
    default:
      return assertNever(type);
  }
}
