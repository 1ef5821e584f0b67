/**
 * Relay cursors over the two upstream pagination styles. A cursor names the
 * position right after its edge, so resuming from any edge's cursor continues
 * exactly there. Cursors carry a fingerprint of the arguments that shaped the
 * list, so one from another filter or order is refused instead of misread.
 */
import { createHash } from 'node:crypto';
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

export type Cursor = TokenCursor | SkipCursor;

export function fingerprint(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('base64url')
    .slice(0, 12);
}

export function encodeCursor(cursor: Cursor): string {
  const parts =
    cursor.kind === 'token'
      ? ['t', cursor.fingerprint, String(cursor.offset), cursor.token ?? '']
      : ['s', cursor.fingerprint, String(cursor.skip)];
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

const invalid = () =>
  new BadUserInputError(
    'Invalid cursor: pass an edge cursor or endCursor from a previous page of the same query.',
    { argumentName: 'after' },
  );

export function decodeCursor<K extends Cursor['kind']>(
  raw: string,
  kind: K,
  expectedFingerprint: string,
): Extract<Cursor, { kind: K }> {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts) || parts[1] !== expectedFingerprint) throw invalid();
  const [tag, print, count, token] = parts as unknown[];
  const n = Number(count);
  if (!Number.isSafeInteger(n) || n < 0 || typeof print !== 'string') throw invalid();
  if (kind === 'token' && tag === 't' && typeof token === 'string') {
    return {
      kind: 'token',
      token: token === '' ? undefined : token,
      offset: n,
      fingerprint: print,
    } as Extract<Cursor, { kind: K }>;
  }
  if (kind === 'skip' && tag === 's') {
    return { kind: 'skip', skip: n, fingerprint: print } as Extract<Cursor, { kind: K }>;
  }
  throw invalid();
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

export function toPage<T>(
  nodes: T[],
  cursorAt: (index: number) => string,
  info: { hasNextPage: boolean; hasPreviousPage: boolean; totalCount: number },
): Page<T> {
  const edges = nodes.map((node, index) => ({ cursor: cursorAt(index), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: info.hasNextPage,
      hasPreviousPage: info.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: info.totalCount,
  };
}
