/**
 * The link lock in process (src/links/lock.ts): one holder per key at a time,
 * in arrival order; keys only ever taken in one order, so crossing writes
 * cannot wait on each other in a cycle; a waiter refused after its wait
 * (LinkLockError `busy`) does not hold up the ones behind it.
 */
import { describe, expect, it } from 'vitest';
import { LinkLockError } from '../../src/errors.js';
import { createLinkLock, oneUptimeLockKey, type LockKey } from '../../src/links/lock.js';

const coralogix = (id: string): LockKey => ({ rank: 0, name: `link:incident:${id}` });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A promise and the function that settles it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('the link lock (in process)', () => {
  it('runs the holders of one key one at a time, in arrival order', async () => {
    const lock = createLinkLock({ leaseMs: 1_000 });
    const order: string[] = [];
    const first = gate();
    const runs = [
      lock.run([coralogix('c')], async () => {
        order.push('a:start');
        await first.opened;
        order.push('a:end');
      }),
      lock.run([coralogix('c')], async () => void order.push('b')),
      lock.run([coralogix('c')], async () => void order.push('c')),
    ];
    await tick();
    expect(order).toEqual(['a:start']);
    first.open();
    await Promise.all(runs);
    expect(order).toEqual(['a:start', 'a:end', 'b', 'c']);
  });

  it('lets holders of different keys run at once', async () => {
    const lock = createLinkLock({ leaseMs: 1_000 });
    const both = gate();
    let started = 0;
    const run = (id: string) =>
      lock.run([coralogix(id), oneUptimeLockKey(`o-${id}`)], async () => {
        started += 1;
        if (started === 2) both.open();
        await both.opened;
      });
    await Promise.all([run('x'), run('y')]);
    expect(started).toBe(2);
  });

  it('refuses to add a key that comes before one already held (the lock order)', async () => {
    const lock = createLinkLock({ leaseMs: 1_000 });
    await expect(
      lock.run([oneUptimeLockKey('o1')], (lease) => lease.add([coralogix('c')])),
    ).rejects.toThrow(/lock order/);
    // Nothing is left held.
    await lock.run([coralogix('c'), oneUptimeLockKey('o1')], async () => undefined);
  });

  it('refuses a waiter after its wait (busy), before running anything', async () => {
    const lock = createLinkLock({ leaseMs: 1_000, waitMs: 20 });
    const holder = gate();
    const held = lock.run([coralogix('c')], () => holder.opened);
    let ran = false;
    const refused = lock.run([coralogix('c')], async () => void (ran = true));
    await expect(refused).rejects.toBeInstanceOf(LinkLockError);
    await expect(refused).rejects.toMatchObject({
      reason: 'busy',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', lock: 'busy' },
    });
    holder.open();
    await held;
    expect(ran).toBe(false);
  });

  it('stops waiting when the request is aborted, without holding up the waiters behind it', async () => {
    const lock = createLinkLock({ leaseMs: 1_000 });
    const holder = gate();
    const held = lock.run([coralogix('c')], () => holder.opened);
    const controller = new AbortController();
    const gone = lock.run([coralogix('c')], async () => 'never', controller.signal);
    const behind = lock.run([coralogix('c')], async () => 'got it');
    controller.abort(new Error('client gone'));
    await expect(gone).rejects.toThrow('client gone');
    holder.open();
    await held;
    await expect(behind).resolves.toBe('got it');
  });

  it('crossing writes (link, unlink adding claimants, ensure) all finish and never overlap on a key', async () => {
    const lock = createLinkLock({ leaseMs: 1_000 });
    const holders = new Map<string, number>();
    const hold = async (keys: readonly LockKey[]) => {
      for (const key of keys) {
        expect(holders.get(key.name) ?? 0, key.name).toBe(0);
        holders.set(key.name, 1);
      }
      await tick();
    };
    const free = (keys: readonly LockKey[]) => keys.forEach((key) => holders.set(key.name, 0));
    const writes = Array.from({ length: 60 }, (_, i) => {
      const c = coralogix(`c${i % 4}`);
      const o = [oneUptimeLockKey(`o${i % 3}`), oneUptimeLockKey(`o${(i + 1) % 3}`)];
      switch (i % 3) {
        case 0: // link(C, O)
          return lock.run([c, o[0]!], async () => {
            await hold([c, o[0]!]);
            free([c, o[0]!]);
          });
        case 1: // unlink(C): the claimants are known only under the Coralogix key
          return lock.run([c], async (lease) => {
            await tick();
            await lease.add([o[1]!, o[0]!]);
            await hold([c, ...o]);
            free([c, ...o]);
          });
        default: // ensure(C)
          return lock.run([c], async () => {
            await hold([c]);
            free([c]);
          });
      }
    });
    await Promise.all(writes);
  });
});
