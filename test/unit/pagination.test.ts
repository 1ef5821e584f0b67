import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import {
  MAX_FIRST,
  checkFirst,
  createCursorCodec,
  fingerprint,
  toPage,
  type Cursor,
} from '../../src/resolvers/pagination.js';

const PRINT = fingerprint({ filter: { severity: ['INCIDENT_SEVERITY_CRITICAL'] } });
const SECRET = 'unit-test-cursor-secret-0123456789';
const codec = createCursorCodec(SECRET);
const encodeCursor = (cursor: Cursor) => codec.encode(cursor);
const decodeCursor = codec.decode;
/** A payload signed with the right key, so only its content can make it invalid. */
const raw = (parts: unknown) => {
  const payload = Buffer.from(JSON.stringify(parts)).toString('base64url');
  const tag = createHmac('sha256', SECRET)
    .update('cursor:')
    .update(payload)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
  return `${payload}.${tag}`;
};

function expectBadCursor(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'after',
    });
    return;
  }
  throw new Error('expected the cursor to be refused');
}

describe('fingerprint', () => {
  it('is stable for equal arguments', () => {
    expect(fingerprint({ a: [1, 2], b: 'x' })).toBe(fingerprint({ a: [1, 2], b: 'x' }));
  });

  it('differs for different arguments', () => {
    expect(fingerprint({ a: [1, 2] })).not.toBe(fingerprint({ a: [2, 1] }));
    expect(fingerprint({ orderBy: 'ASC' })).not.toBe(fingerprint({ orderBy: 'DESC' }));
  });

  it('treats undefined like null', () => {
    expect(fingerprint(undefined)).toBe(fingerprint(null));
  });
});

describe('cursors', () => {
  it('round-trip a skip cursor', () => {
    const cursor = { kind: 'skip', skip: 140, fingerprint: PRINT } as const;
    expect(decodeCursor(encodeCursor(cursor), 'skip', PRINT)).toEqual(cursor);
  });

  it('round-trip a token cursor with a page token', () => {
    const cursor = {
      kind: 'token',
      token: 'eyJwYWdlIjoyfQ==',
      offset: 7,
      fingerprint: PRINT,
    } as const;
    expect(decodeCursor(encodeCursor(cursor), 'token', PRINT)).toEqual(cursor);
  });

  it('round-trip a token cursor on the first page, which has no page token', () => {
    const cursor = { kind: 'token', token: undefined, offset: 3, fingerprint: PRINT } as const;
    expect(decodeCursor(encodeCursor(cursor), 'token', PRINT)).toEqual(cursor);
  });

  it('are opaque URL-safe strings', () => {
    const encoded = encodeCursor({ kind: 'token', token: 'a/b+c=', offset: 1, fingerprint: PRINT });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('refuse a cursor made for other arguments', () => {
    const encoded = encodeCursor({ kind: 'skip', skip: 20, fingerprint: PRINT });
    expectBadCursor(() => decodeCursor(encoded, 'skip', fingerprint({ other: true })));
  });

  it('refuse a cursor of the other kind', () => {
    const skip = encodeCursor({ kind: 'skip', skip: 20, fingerprint: PRINT });
    const token = encodeCursor({ kind: 'token', token: 't', offset: 2, fingerprint: PRINT });
    expectBadCursor(() => decodeCursor(skip, 'token', PRINT));
    expectBadCursor(() => decodeCursor(token, 'skip', PRINT));
  });

  it('refuse a cursor whose payload was edited after signing', () => {
    const genuine = encodeCursor({ kind: 'skip', skip: 20, fingerprint: PRINT });
    const [, tag] = genuine.split('.');
    const edited = Buffer.from(JSON.stringify(['s', PRINT, String(2 ** 53 - 1)])).toString(
      'base64url',
    );
    expectBadCursor(() => decodeCursor(`${edited}.${tag}`, 'skip', PRINT));
  });

  it('refuse a cursor signed with another secret', () => {
    const foreign = createCursorCodec('another-gateway-secret-987654321').encode({
      kind: 'skip',
      skip: 20,
      fingerprint: PRINT,
    });
    expectBadCursor(() => decodeCursor(foreign, 'skip', PRINT));
  });

  it('accept a cursor from another codec sharing the secret', () => {
    const cursor = { kind: 'skip', skip: 20, fingerprint: PRINT } as const;
    const replica = createCursorCodec(SECRET);
    expect(decodeCursor(replica.encode(cursor), 'skip', PRINT)).toEqual(cursor);
  });

  it('refuse an unsigned cursor (the format before cursors were signed)', () => {
    const unsigned = Buffer.from(JSON.stringify(['s', PRINT, '20'])).toString('base64url');
    expectBadCursor(() => decodeCursor(unsigned, 'skip', PRINT));
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['an empty string', ''],
    ['a JSON object', raw({ skip: 1 })],
    ['a negative count', raw(['s', PRINT, '-1'])],
    ['a fractional count', raw(['s', PRINT, '1.5'])],
    ['a non-numeric count', raw(['s', PRINT, 'ten'])],
    ['a huge count', raw(['s', PRINT, '1e300'])],
    ['an unknown tag', raw(['x', PRINT, '1'])],
    ['a token cursor without its token', raw(['t', PRINT, '1'])],
    ['a token cursor with a non-string token', raw(['t', PRINT, '1', 42])],
    ['a truncated signature', raw(['s', PRINT, '1']).slice(0, -4)],
    ['two signatures', `${raw(['s', PRINT, '1'])}.AAAA`],
  ])('refuse %s', (_name, cursor) => {
    expectBadCursor(() => decodeCursor(cursor, 'skip', PRINT));
    expectBadCursor(() => decodeCursor(cursor, 'token', PRINT));
  });
});

describe('checkFirst', () => {
  it('defaults to 20 when omitted or null', () => {
    expect(checkFirst(undefined)).toBe(20);
    expect(checkFirst(null)).toBe(20);
  });

  it('uses a given fallback', () => {
    expect(checkFirst(null, 5)).toBe(5);
  });

  it('accepts 0 and the maximum', () => {
    expect(checkFirst(0)).toBe(0);
    expect(checkFirst(MAX_FIRST)).toBe(100);
  });

  it.each([-1, 101, 1000, 2.5, Number.NaN])(
    'refuses %d as BAD_USER_INPUT naming "first"',
    (first) => {
      expect(() => checkFirst(first)).toThrow(BadUserInputError);
      try {
        checkFirst(first);
      } catch (error) {
        expect((error as BadUserInputError).extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argumentName: 'first',
        });
      }
    },
  );
});

describe('toPage', () => {
  it('builds Relay edges with one cursor per node', () => {
    const page = toPage(['a', 'b', 'c'], (i) => `c${i}`, {
      hasNextPage: true,
      hasPreviousPage: false,
      totalCount: 9,
    });
    expect(page).toEqual({
      edges: [
        { cursor: 'c0', node: 'a' },
        { cursor: 'c1', node: 'b' },
        { cursor: 'c2', node: 'c' },
      ],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: 'c0', endCursor: 'c2' },
      totalCount: 9,
    });
  });

  it('has null start and end cursors when empty', () => {
    const page = toPage([], () => 'never', {
      hasNextPage: false,
      hasPreviousPage: true,
      totalCount: 4,
    });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
    expect(page.totalCount).toBe(4);
  });

  it('makes a cursor only when it is read, and each one once (they are signed)', () => {
    const asked: number[] = [];
    const page = toPage([10, 20, 30], (i) => (asked.push(i), String(i)), {
      hasNextPage: false,
      hasPreviousPage: false,
      totalCount: 3,
    });
    expect(asked).toEqual([]);
    expect(page.pageInfo.endCursor).toBe('2');
    expect(page.edges.map((edge) => edge.cursor)).toEqual(['0', '1', '2']);
    expect(page.pageInfo.startCursor).toBe('0');
    expect(asked).toEqual([2, 0, 1]);
  });
});
