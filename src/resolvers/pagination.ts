/**
 * Relay cursors over the two upstream pagination styles, and over lists the
 * gateway orders itself (by sort key). A cursor names the
 * position right after its edge, so resuming from any edge's cursor continues
 * exactly there. Cursors carry a fingerprint of the arguments that shaped the
 * list, so one from another filter or order is refused instead of misread,
 * and an HMAC, so one the gateway did not issue is refused (`createCursorCodec`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError } from '../errors.js';

export const MAX_FIRST = 100;

/** Coralogix: the page token the edge's page started from, and how many items of it lie before the resume point. */
export interface TokenCursor {
  kind: 'token';
  token: string | undefined;
  offset: number;
  fingerprint: string;
}

/** OneUptime: the absolute number of rows before the resume point. */
export interface SkipCursor {
  kind: 'skip';
  skip: number;
  fingerprint: string;
}

/** A list the gateway orders itself (a merged timeline): the sort key of the edge, resumed after. */
export interface KeyCursor {
  kind: 'key';
  key: string;
  fingerprint: string;
}

export type Cursor = TokenCursor | SkipCursor | KeyCursor;

export function fingerprint(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('base64url')
    .slice(0, 12);
}

/** The one answer to a cursor the gateway cannot take, whatever is wrong with it. */
export const invalidCursor = () =>
  new BadUserInputError(
    'Invalid cursor: pass an edge cursor or endCursor from a previous page of the same query.',
    { argumentName: 'after' },
  );

/**
 * Cursors are signed: `<payload>.<tag>`, where the tag is an HMAC-SHA256 of the
 * payload under CURSOR_SECRET (cut to 128 bits). A cursor this gateway (or a
 * replica sharing the secret) did not issue, or one edited by the client, is
 * BAD_USER_INPUT before any upstream call: a client cannot choose the offset
 * or page token a request starts from, so it cannot make one request walk far
 * upstream (see lists.ts for the bound on what a genuine cursor can cost).
 */
export interface CursorCodec {
  encode(cursor: Cursor): string;
  decode<K extends Cursor['kind']>(
    raw: string,
    kind: K,
    expectedFingerprint: string,
  ): Extract<Cursor, { kind: K }>;
}

const TAG_BYTES = 16;

export function createCursorCodec(secret: string): CursorCodec {
  const key = Buffer.from(secret, 'utf8');
  const tagOf = (payload: string) =>
    createHmac('sha256', key).update('cursor:').update(payload).digest().subarray(0, TAG_BYTES);
  return {
    encode(cursor) {
      const parts =
        cursor.kind === 'token'
          ? ['t', cursor.fingerprint, String(cursor.offset), cursor.token ?? '']
          : cursor.kind === 'key'
            ? ['k', cursor.fingerprint, '0', cursor.key]
            : ['s', cursor.fingerprint, String(cursor.skip)];
      const payload = Buffer.from(JSON.stringify(parts)).toString('base64url');
      return `${payload}.${tagOf(payload).toString('base64url')}`;
    },
    decode(raw, kind, expectedFingerprint) {
      const [payload, tag, ...rest] = raw.split('.');
      if (payload === undefined || tag === undefined || rest.length > 0) throw invalidCursor();
      const given = Buffer.from(tag, 'base64url');
      if (given.length !== TAG_BYTES || !timingSafeEqual(given, tagOf(payload)))
        throw invalidCursor();
      return parse(payload, kind, expectedFingerprint);
    },
  };
}

function parse<K extends Cursor['kind']>(
  payload: string,
  kind: K,
  expectedFingerprint: string,
): Extract<Cursor, { kind: K }> {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parts) || parts[1] !== expectedFingerprint) throw invalidCursor();
  const [tag, print, count, token] = parts as unknown[];
  const n = Number(count);
  if (!Number.isSafeInteger(n) || n < 0 || typeof print !== 'string') throw invalidCursor();
  if (kind === 'token' && tag === 't' && typeof token === 'string') {
    return {
      kind: 'token',
      token: token === '' ? undefined : token,
      offset: n,
      fingerprint: print,
    } as Extract<Cursor, { kind: K }>;
  }
  if (kind === 'key' && tag === 'k' && typeof token === 'string') {
    return { kind: 'key', key: token, fingerprint: print } as Extract<Cursor, { kind: K }>;
  }
  if (kind === 'skip' && tag === 's') {
    return { kind: 'skip', skip: n, fingerprint: print } as Extract<Cursor, { kind: K }>;
  }
  throw invalidCursor();
}

/** `first` must be 0..MAX_FIRST; an explicit null means the default. */
export function checkFirst(first: number | null | undefined, fallback = 20): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > MAX_FIRST) {
    throw new BadUserInputError(`"first" must be between 0 and ${MAX_FIRST} (got ${value}).`, {
      argumentName: 'first',
    });
  }
  return value;
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

/**
 * A Relay page. Cursors are signed (an HMAC each), so they are made only
 * when the client selects them: each edge's `cursor` and the page's
 * start/end cursors are getters, computed on first read.
 */
export function toPage<T>(
  nodes: T[],
  cursorAt: (index: number) => string,
  info: { hasNextPage: boolean; hasPreviousPage: boolean; totalCount: number },
): Page<T> {
  const cursors: string[] = [];
  const cursor = (index: number) => (cursors[index] ??= cursorAt(index));
  const edges = nodes.map((node, index) => ({
    node,
    get cursor() {
      return cursor(index);
    },
  }));
  const last = nodes.length - 1;
  return {
    edges,
    pageInfo: {
      hasNextPage: info.hasNextPage,
      hasPreviousPage: info.hasPreviousPage,
      get startCursor() {
        return last >= 0 ? cursor(0) : null;
      },
      get endCursor() {
        return last >= 0 ? cursor(last) : null;
      },
    },
    totalCount: info.totalCount,
  };
}
