import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedResult, jsonByteLength } from '../../src/guard/responseSize.js';

const exact = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('jsonByteLength', () => {
  it('is the UTF-8 length of JSON.stringify for any JSON value, any text included', () => {
    const text = fc.string({ unit: 'binary' }); // lone surrogates, control characters, astral planes
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node')),
        fc.dictionary(text, tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(jsonByteLength(v, Number.MAX_SAFE_INTEGER)).toBe(exact(v));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves out what JSON.stringify leaves out, and calls toJSON', () => {
    const value = {
      a: undefined,
      b: () => 1,
      c: [undefined, () => 1, Number.NaN],
      d: new Date(0),
      e: Object.assign(Object.create(null) as object, { x: 1 }),
    };
    expect(jsonByteLength(value, 1_000)).toBe(exact(value));
  });

  it('stops at the bound without counting the rest', () => {
    const huge = { data: { list: Array.from({ length: 1_000 }, () => 'x'.repeat(10_000)) } };
    expect(jsonByteLength(huge, 1_000_000)).toBeUndefined();
    expect(jsonByteLength({ a: 'é' }, exact({ a: 'é' }))).toBe(exact({ a: 'é' }));
    expect(jsonByteLength({ a: 'é' }, exact({ a: 'é' }) - 1)).toBeUndefined();
  });
});

describe('boundedResult', () => {
  it('keeps a result within the bound and replaces a larger one with one error', () => {
    const result = { data: { name: 'x'.repeat(100) } };
    expect(boundedResult(result, 1_024, 'query')).toBe(result);
    expect(boundedResult(result, 100, 'query')).toEqual({
      errors: [
        {
          message: expect.stringMatching(
            /^The response would be larger than MAX_RESPONSE_BYTES \(100 bytes\)/,
          ),
          extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes: 100 },
        },
      ],
    });
  });
});
