/**
 * The slow-consumer bounds against one large change batch (review finding: a
 * bulk write of more than 101 records cut every reading subscriber, and a
 * batch of large events could pile up past the byte bound on an SSE stream
 * that never read). A batch is taken whole; the event bound is on what earlier
 * batches left unread, and the byte bound holds as events are handed out.
 */
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/live/access.js';
import { Subscriber, type LiveConnection } from '../../src/live/subscriber.js';

const BOUNDS = { maxQueuedEvents: 100, maxBufferedBytes: 1_000 };

function recording() {
  const released: number[] = [];
  const drops: string[] = [];
  const ended: boolean[] = [];
  let backlog = 0;
  const connection: LiveConnection = {
    transport: 'sse',
    backlogBytes: () => backlog,
    drop: (reason) => drops.push(reason),
  };
  const subscriber = new Subscriber(
    () => true,
    connection,
    BOUNDS,
    (_, slow) => ended.push(slow),
  );
  const batch = (from: number, count: number): Delivery[] =>
    Array.from({ length: count }, (_, i) => ({
      change: { kind: 'UPDATED', changedFields: [], id: from + i } as unknown as Delivery['change'],
      context: () => {
        throw new Error('not needed');
      },
      release: () => released.push(from + i),
    }));
  return {
    subscriber,
    batch,
    released,
    drops,
    ended,
    setBacklog: (bytes: number) => (backlog = bytes),
  };
}

async function readAll(subscriber: Subscriber, count: number): Promise<number> {
  let read = 0;
  for (; read < count; read++) {
    const next = await subscriber.next();
    if (next.done) break;
    next.value.release();
  }
  return read;
}

describe('one change batch larger than the event bound', () => {
  it('reaches a reader whole, waiting for it or not', async () => {
    const { subscriber, batch, drops, ended } = recording();
    const waiting = subscriber.next();
    subscriber.push(batch(0, 1_000));
    const first = await waiting;
    first.value?.release();
    expect(await readAll(subscriber, 999)).toBe(999);

    subscriber.push(batch(1_000, 1_000));
    expect(await readAll(subscriber, 1_000)).toBe(1_000);
    expect(drops).toEqual([]);
    expect(ended).toEqual([]);
  });

  it('cuts a subscriber that left more than the bound unread when the next batch comes', () => {
    const { subscriber, batch, drops, ended, released } = recording();
    subscriber.push(batch(0, 120));
    expect(drops).toEqual([]);
    subscriber.push(batch(120, 1));
    expect(drops).toEqual([
      'Slow consumer: 120 events waiting; read events as they come, then reconnect.',
    ]);
    expect(ended).toEqual([true]);
    expect(released).toHaveLength(121);
  });
});

describe('events handed to a transport that writes without waiting', () => {
  it('cut the subscriber once the connection holds more than the byte bound', async () => {
    const { subscriber, batch, drops, released, setBacklog } = recording();
    subscriber.push(batch(0, 100));
    // Each event the transport takes is written at once and stays unsent.
    let read = 0;
    for (;;) {
      const next = await subscriber.next();
      if (next.done) break;
      read += 1;
      next.value.release();
      setBacklog(read * 400);
    }
    expect(read).toBe(3);
    expect(drops).toEqual([
      'Slow consumer: over 1000 bytes waiting; read events as they come, then reconnect.',
    ]);
    expect(released).toHaveLength(100);
  });
});
