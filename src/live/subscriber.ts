/**
 * One subscriber's event stream: an async iterator over a bounded queue.
 * Events wait here only while the transport is still sending earlier ones;
 * past the bounds the client is a slow consumer and its connection is closed
 * (with a reason) instead of buffering without limit.
 *
 * A change batch (a bulk write of up to 1000 records, a poll of up to 200)
 * arrives in one go and is taken whole: the event bound is on what earlier
 * batches left unread, so a reader that keeps up is never cut by one large
 * batch. The byte bound is checked as each event is handed to the transport
 * too, since a transport that writes without waiting (SSE) piles a batch's
 * events up on the connection after they left this queue.
 */
import type { Delivery } from './access.js';
import type { Transport } from './metrics.js';

/** What a subscriber needs from the connection it lives on. */
export interface LiveConnection {
  transport: Transport;
  /** Bytes the connection has accepted but not yet sent. */
  backlogBytes(): number;
  /** Closes the connection, telling the client why where the transport can. */
  drop(reason: string): void;
}

export interface SubscriberBounds {
  /** Events waiting for one subscriber before it counts as slow. */
  maxQueuedEvents: number;
  /** Bytes waiting on the connection before it counts as slow. */
  maxBufferedBytes: number;
}

/** `R`: the records of the subscriber's live family (an incident, a case) its filter tests. */
export class Subscriber<R = never> implements AsyncIterableIterator<Delivery> {
  private queue: Delivery[] = [];
  private waiting: ((result: IteratorResult<Delivery>) => void) | undefined;
  private ended = false;

  constructor(
    readonly matches: (record: R) => boolean,
    readonly connection: LiveConnection,
    private readonly bounds: SubscriberBounds,
    private readonly onEnd: (subscriber: Subscriber<R>, slow: boolean) => void,
  ) {}

  /** The matching events of one batch, oldest first. */
  push(deliveries: readonly Delivery[]): void {
    if (deliveries.length === 0) return;
    const unread = this.queue.length;
    if (unread > this.bounds.maxQueuedEvents) this.slow(`${unread} events waiting`);
    else this.checkBacklog();
    if (this.ended) {
      for (const delivery of deliveries) delivery.release();
      return;
    }
    const [first, ...rest] = deliveries;
    const waiting = this.waiting;
    if (waiting && first) {
      this.waiting = undefined;
      waiting({ value: first, done: false });
      this.queue.push(...rest);
    } else {
      this.queue.push(...deliveries);
    }
  }

  next(): Promise<IteratorResult<Delivery>> {
    if (this.queue.length > 0) this.checkBacklog();
    const next = this.queue.shift();
    if (next) return Promise.resolve({ value: next, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<Delivery>> {
    this.finish(false);
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<Delivery>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private checkBacklog(): void {
    if (this.connection.backlogBytes() > this.bounds.maxBufferedBytes) {
      this.slow(`over ${this.bounds.maxBufferedBytes} bytes waiting`);
    }
  }

  private slow(what: string): void {
    if (this.ended) return;
    this.finish(true);
    this.connection.drop(`Slow consumer: ${what}; read events as they come, then reconnect.`);
  }

  private finish(slow: boolean): void {
    if (this.ended) return;
    this.ended = true;
    for (const delivery of this.queue) delivery.release();
    this.queue = [];
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onEnd(this, slow);
  }
}
