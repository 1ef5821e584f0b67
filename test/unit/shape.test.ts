/**
 * `fits` compiles a shape to generated code (src/upstreams/shape.ts): it must
 * accept exactly what a plain walk of the shape accepts. The walk below is the
 * reference (the interpreter `fits` was before it was compiled).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fits, mismatch, s, type Shape } from '../../src/upstreams/shape.js';
import { INCIDENT } from '../../src/upstreams/coralogix/incidents/resources.js';

function reference(value: unknown, shape: Shape): boolean {
  if (value === undefined || value === null || shape === 'any') return true;
  if (shape === 'int') return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1;
  if (typeof shape === 'string') return typeof value === shape;
  if ('array' in shape) {
    return (
      Array.isArray(value) &&
      value.every((item) => item !== null && item !== undefined && reference(item, shape.array))
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  if ('record' in shape) return Object.values(object).every((v) => reference(v, shape.record));
  return Object.entries(shape.fields).every(([key, field]) => reference(object[key], field));
}

/** Keys that are awkward in source text: quotes, backslashes, line breaks, digits, keywords. */
const KEYS = ['id', 'a"b', "it's", 'back\\slash', 'line\nbreak', '0', 'return', 'constructor'];

const shapeArb: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Shape>('string', 'boolean', 'number', 'int', 'any'),
    tie('shape').map((item) => ({ array: item })),
    tie('shape').map((item) => ({ record: item })),
    fc
      .uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tie('shape')), {
        selector: ([key]) => key,
        maxLength: 4,
      })
      .map((entries) => ({ fields: Object.fromEntries(entries) })),
  ),
})).shape;

const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, undefined, true, 0, -1, 2 ** 31 - 1, 2 ** 31, 1.5, Number.NaN, '', 'x'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('fits (compiled shapes)', () => {
  it('accepts exactly what walking the shape accepts', () => {
    fc.assert(
      fc.property(shapeArb, valueArb, (shape, value) => {
        expect(fits(value, shape)).toBe(reference(value, shape));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the reference on values built to fit a shape, and on one field spoiled', () => {
    const shape = s.object({
      id: s.string,
      count: s.int,
      tags: s.array(s.string),
      labels: s.record(s.string),
      nested: s.object({ 'a"b': s.boolean, deep: s.array(s.object({ n: s.number })) }),
    });
    const good = {
      id: 'x',
      count: 3,
      tags: ['a'],
      labels: { k: 'v' },
      nested: { 'a"b': true, deep: [{ n: 1.5 }, {}] },
    };
    expect(fits(good, shape)).toBe(true);
    const spoiled = [
      { ...good, count: 2 ** 31 },
      { ...good, tags: ['a', null] },
      { ...good, labels: { k: 1 } },
      { ...good, nested: { ...good.nested, 'a"b': 'yes' } },
      { ...good, nested: { ...good.nested, deep: [{ n: '1' }] } },
      { ...good, tags: 'a' },
    ];
    for (const value of spoiled) {
      expect(fits(value, shape)).toBe(false);
      expect(reference(value, shape)).toBe(false);
      expect(mismatch(value, shape)).toMatch(/^\$\./);
    }
  });

  it('checks a real resource shape the same way on every call (the compiled check is kept)', () => {
    const incident = { id: 'i-1', name: 'n', assignments: [{ assignedTo: { userId: 'u' } }] };
    expect(fits(incident, INCIDENT)).toBe(true);
    expect(fits({ ...incident, assignments: {} }, INCIDENT)).toBe(false);
    expect(fits(incident, INCIDENT)).toBe(true);
  });
});
