/**
 * Link pairs (src/links/pairs.ts): what a resolved link says backwards, and
 * only that. A recording spy stands in for the OneUptime by-id loader.
 */
import { describe, expect, it } from 'vitest';
import { createReverseLoader, linkOf } from '../../src/links/loader.js';
import { LinkPairs } from '../../src/links/pairs.js';
import type { OneUptimeLoaders } from '../../src/upstreams/oneuptime/loaders.js';
import type { OneUptimeIncidentRecord } from '../../src/upstreams/oneuptime/resources.js';

const FIELD = 'coralogixIncidentId';
const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';

const row = (id: string, value: unknown, createdAt: string): OneUptimeIncidentRecord => ({
  _id: id,
  customFields: { [FIELD]: value },
  createdAt,
});

describe('linkOf', () => {
  it('names the claimants whose field names the id first', () => {
    const link = linkOf(
      C1,
      [
        row('o-new', C1, '2026-02-01T00:00:00Z'),
        row('o-old', C1.toUpperCase(), '2026-01-01T00:00:00Z'),
        row('o-multi', [C2, C1], '2026-03-01T00:00:00Z'),
      ],
      FIELD,
    );
    expect(link).toEqual({
      status: 'CONFLICT',
      oneUptimeIncidentId: 'o-old',
      claimants: ['o-old', 'o-new', 'o-multi'],
      namedFirstBy: ['o-old', 'o-new'],
    });
  });

  it('is NOT_LINKED with no claimants', () => {
    expect(linkOf(C1, [], FIELD)).toEqual({
      status: 'NOT_LINKED',
      claimants: [],
      namedFirstBy: [],
    });
  });
});

describe('LinkPairs', () => {
  it('answers the OneUptime incidents a link names first, and nothing else', () => {
    const pairs = new LinkPairs();
    pairs.learn(C1, { status: 'CONFLICT', claimants: ['a', 'b'], namedFirstBy: ['a'] });
    expect(pairs.coralogixIdOf('a')).toBe(C1);
    expect(pairs.coralogixIdOf('b')).toBeUndefined();
  });

  it('infers nothing from a link cached without namedFirstBy (an older gateway wrote it)', () => {
    const pairs = new LinkPairs();
    pairs.learn(C1, { status: 'LINKED', oneUptimeIncidentId: 'a', claimants: ['a'] });
    expect(pairs.coralogixIdOf('a')).toBeUndefined();
  });

  it('answers nothing for an incident two links disagree about', () => {
    const pairs = new LinkPairs();
    pairs.learn(C1, { status: 'LINKED', claimants: ['a'], namedFirstBy: ['a'] });
    pairs.learn(C2, { status: 'LINKED', claimants: ['a'], namedFirstBy: ['a'] });
    expect(pairs.coralogixIdOf('a')).toBeUndefined();
    pairs.learn(C1, { status: 'LINKED', claimants: ['a'], namedFirstBy: ['a'] });
    expect(pairs.coralogixIdOf('a')).toBeUndefined();
  });

  it('forgets the pairs of a Coralogix id a link write changed', () => {
    const pairs = new LinkPairs();
    pairs.learn(C1, { status: 'LINKED', claimants: ['a'], namedFirstBy: ['a'] });
    pairs.learn(C2, { status: 'LINKED', claimants: ['b'], namedFirstBy: ['b'] });
    pairs.forget([C1]);
    expect(pairs.coralogixIdOf('a')).toBeUndefined();
    expect(pairs.coralogixIdOf('b')).toBe(C2);
  });
});

describe('the reverse loader', () => {
  function reverse(rows: Record<string, OneUptimeIncidentRecord | null | Error>) {
    const reads: string[][] = [];
    const incidentById = {
      loadMany: async (ids: readonly string[], columns: readonly string[]) => {
        expect(columns).toEqual(['customFields']);
        reads.push([...ids]);
        return ids.map((id) => rows[id] ?? null);
      },
    };
    const pairs = new LinkPairs();
    const loader = createReverseLoader(
      { oneuptime: { incidentById } as unknown as OneUptimeLoaders, field: FIELD, batch: true },
      pairs,
    );
    return { loader, pairs, reads };
  }

  it('answers paired incidents without a read and reads the rest in one batch', async () => {
    const { loader, pairs, reads } = reverse({
      b: row('b', [C2, C1], '2026-01-01T00:00:00Z'),
      c: row('c', 'not a uuid', '2026-01-01T00:00:00Z'),
      e: new Error('OneUptime is down'),
    });
    pairs.learn(C1, { status: 'LINKED', claimants: ['a', 'b'], namedFirstBy: ['a'] });
    const answers = await loader.loadMany(['a', 'b', 'c', 'd', 'e']);
    expect(answers.slice(0, 4)).toEqual([C1, C2, null, null]);
    expect(answers[4]).toBeInstanceOf(Error);
    expect(reads).toEqual([['b', 'c', 'd', 'e']]);
  });

  it('makes no read when every incident is paired', async () => {
    const { loader, pairs, reads } = reverse({});
    pairs.learn(C1, { status: 'LINKED', claimants: ['a'], namedFirstBy: ['a'] });
    expect(await loader.load('a')).toBe(C1);
    expect(reads).toEqual([]);
  });
});
