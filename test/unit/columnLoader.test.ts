import { describe, expect, it } from 'vitest';
import DataLoader from 'dataloader';
import { ColumnLoader } from '../../src/upstreams/oneuptime/columnLoader.js';

function recording(options: { batch?: boolean; fail?: boolean } = {}) {
  const calls: Array<{ keys: string[]; columns: string[] }> = [];
  let failNext = options.fail ?? false;
  const loader = new ColumnLoader<string>(
    async (keys, columns) => {
      calls.push({ keys: [...keys], columns: [...columns].sort() });
      if (failNext) {
        failNext = false;
        throw new Error('down');
      }
      return keys.map((key) => `${key}:${[...columns].sort().join(',')}`);
    },
    { batch: options.batch ?? true, allColumns: ['a', 'b', 'c'] },
  );
  return { loader, calls };
}

describe('ColumnLoader', () => {
  it('batches one tick into one call with the union of the columns', async () => {
    const { loader, calls } = recording();
    const results = await Promise.all([loader.load('x', ['a']), loader.load('y', ['b'])]);
    expect(calls).toEqual([{ keys: ['x', 'y'], columns: ['a', 'b'] }]);
    expect(results).toEqual(['x:a,b', 'y:a,b']);
  });

  it('reuses a cached value that has every column asked for', async () => {
    const { loader, calls } = recording();
    await loader.load('x', ['a', 'b']);
    expect(await loader.load('x', ['a'])).toBe('x:a,b');
    expect(calls).toHaveLength(1);
  });

  it('fetches again, with the union, when the cached value lacks a column', async () => {
    const { loader, calls } = recording();
    await loader.load('x', ['a']);
    expect(await loader.load('x', ['c'])).toBe('x:a,c');
    expect(calls.map((c) => c.columns)).toEqual([['a'], ['a', 'c']]);
  });

  it('asks for every column when none are named', async () => {
    const { loader, calls } = recording();
    await loader.load('x');
    expect(calls[0]?.columns).toEqual(['a', 'b', 'c']);
  });

  it('does not cache a failed batch', async () => {
    const { loader, calls } = recording({ fail: true });
    await expect(loader.load('x', ['a'])).rejects.toThrow('down');
    expect(await loader.load('x', ['a'])).toBe('x:a');
    expect(calls).toHaveLength(2);
  });

  it('serves primed values with the columns they were primed with', async () => {
    const { loader, calls } = recording();
    loader.prime('x', 'primed', ['a', 'b']);
    expect(await loader.load('x', ['b'])).toBe('primed');
    expect(await loader.load('x', ['c'])).toBe('x:a,b,c');
    expect(calls).toHaveLength(1);
  });

  it('a narrower prime keeps a value that has its columns and more; an equal or wider one replaces it', async () => {
    const { loader, calls } = recording();
    await loader.load('x', ['a', 'b']);
    loader.prime('x', 'narrow', ['a']);
    loader.prime('x', 'narrow, named twice', ['a', 'a']);
    expect(await loader.load('x', ['b'])).toBe('x:a,b');
    loader.prime('x', 'same', ['b', 'a']);
    expect(await loader.load('x', ['a'])).toBe('same');
    loader.prime('x', 'other', ['c']);
    expect(await loader.load('x', ['c'])).toBe('other');
    expect(calls).toHaveLength(1);
  });

  it('neither batches nor caches with batch: false', async () => {
    const { loader, calls } = recording({ batch: false });
    await Promise.all([loader.load('x', ['a']), loader.load('x', ['a'])]);
    await loader.load('x', ['a']);
    expect(calls).toHaveLength(3);
  });
});

describe('ColumnLoader batches', () => {
  it('gives every batch its own columns when batching is off (regression: later batches got _id only)', async () => {
    const { loader, calls } = recording({ batch: false });
    const results = await Promise.all([loader.load('x', ['a']), loader.load('y', ['b'])]);
    expect(calls.map((c) => c.columns)).toEqual([['a'], ['b']]);
    expect(results).toEqual(['x:a', 'y:b']);
  });

  it('gives every batch its own columns when maxBatchSize splits a tick', async () => {
    const calls: string[][] = [];
    const loader = new ColumnLoader<string>(
      async (keys, columns) => {
        calls.push([...columns].sort());
        return keys.map((key) => key);
      },
      { batch: true, allColumns: ['a', 'b'], maxBatchSize: 1 },
    );
    await Promise.all([loader.load('x', ['a']), loader.load('y', ['b'])]);
    expect(calls).toEqual([['a'], ['b']]);
  });
});

describe('ColumnLoader cache hits', () => {
  it('resolve with the fetch of their tick, so the next level loads together (DESIGN 9: partly warm)', async () => {
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const loader = new ColumnLoader<string>(
      async (keys) => {
        await answered;
        return keys.map((key) => `${key}:fetched`);
      },
      { batch: true, allColumns: ['a'] },
    );
    loader.prime('cached', 'cached:primed', ['a']);
    const order: string[] = [];
    const both = Promise.all([
      loader.load('cached', ['a']).then((v) => order.push(v)),
      loader.load('fetched', ['a']).then((v) => order.push(v)),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    release();
    await both;
    expect(order.sort()).toEqual(['cached:primed', 'fetched:fetched']);
  });

  it('resolve at once when the tick fetches nothing, and survive a failed fetch of their batch', async () => {
    const { loader, calls } = recording({ fail: true });
    loader.prime('x', 'primed', ['a']);
    expect(await loader.load('x', ['a'])).toBe('primed');
    expect(calls).toHaveLength(0);
    const [hit, miss] = await Promise.allSettled([
      loader.load('x', ['a']),
      loader.load('y', ['a']),
    ]);
    expect(hit).toEqual({ status: 'fulfilled', value: 'primed' });
    expect(miss.status).toBe('rejected');
  });
});

describe('ColumnLoader levels', () => {
  it('answers a cached key with the keys fetched in the same tick, so the next level is one batch', async () => {
    const loader = new ColumnLoader<string>(
      async (keys) => {
        await new Promise((resolve) => setImmediate(resolve)); // an upstream round trip
        return [...keys];
      },
      { batch: true, allColumns: ['a'] },
    );
    loader.prime('cached', 'cached', ['a']);
    const next: string[][] = [];
    const dependent = new DataLoader<string, string>(async (keys) => {
      next.push([...keys]);
      return keys;
    });
    await Promise.all(
      ['cached', 'fetched'].map((key) => loader.load(key, ['a']).then((v) => dependent.load(v))),
    );
    expect(next.map((keys) => keys.sort())).toEqual([['cached', 'fetched']]);
  });

  it('answers cached keys without a call when nothing in their tick is fetched', async () => {
    const { loader, calls } = recording();
    loader.prime('x', 'primed', ['a']);
    loader.prime('y', 'primed', ['a']);
    expect(await loader.loadMany(['x', 'y'], ['a'])).toEqual(['primed', 'primed']);
    expect(calls).toEqual([]);
  });
});
