/**
 * Evictions Redis has not taken yet. A mutation's eviction that fails (Redis
 * stalled, restarting, unreachable, or this replica pausing the cache after a
 * failure) is not dropped: its tags wait here and are sent again, whenever
 * the connection is up (after `retryMs`, doubling to MAX_RETRY_MS while Redis
 * does not answer; at once when it reconnects), until Redis takes them. The other
 * replicas stop serving what the write made stale as soon as Redis answers
 * again; this one serves nothing tagged with them from the cache, and stores
 * nothing that read them, until then (`blocks`).
 *
 * A retry that lands twice (the first try had only timed out) is harmless:
 * evicting is idempotent. Bounded: past `maxTags` the oldest are given up
 * (one warning); their entries live at most RESPONSE_CACHE_TTL_MS.
 */
import type { Logger } from 'pino';

export const RETRY_MS = 200;
/** A stalled Redis answers nothing: copies of one eviction need not pile up in its socket. */
export const MAX_RETRY_MS = 5_000;
export const MAX_PENDING_TAGS = 10_000;
/** Tags per eviction script call. */
const CHUNK = 500;

export interface PendingEvictionsOptions {
  /** Sends one eviction of these tags; true when Redis took it. */
  send(tags: string[]): Promise<boolean>;
  logger: Logger;
  retryMs?: number;
  maxTags?: number;
}

/** The wait before a retry after `failures` in a row: doubling from `retryMs`, capped. */
export function retryDelayMs(retryMs: number, failures: number): number {
  return Math.min(retryMs * 2 ** failures, Math.max(retryMs, MAX_RETRY_MS));
}

export class PendingEvictions {
  /** Tag → the add that last put it here (a retry in flight clears only older adds). */
  private readonly tags = new Map<string, number>();
  private adds = 0;
  /** Retries in a row Redis did not take. */
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private warned = false;
  private closed = false;

  constructor(private readonly options: PendingEvictionsOptions) {}

  get size(): number {
    return this.tags.size;
  }

  /** Whether a response that read (or is tagged with) these tags may be stale. */
  blocks(tags: Iterable<string>): boolean {
    if (this.tags.size === 0) return false;
    for (const tag of tags) if (this.tags.has(tag)) return true;
    return false;
  }

  /** These tags' eviction failed: keep them, and retry until Redis takes them. */
  add(tags: readonly string[]): void {
    if (this.closed) return;
    const add = ++this.adds;
    for (const tag of tags) {
      this.tags.delete(tag);
      this.tags.set(tag, add);
    }
    const max = this.options.maxTags ?? MAX_PENDING_TAGS;
    if (this.tags.size > max) {
      for (const tag of [...this.tags.keys()].slice(0, this.tags.size - max)) this.tags.delete(tag);
      if (!this.warned) {
        this.warned = true;
        this.options.logger.warn(
          { maxTags: max },
          'response cache: too many evictions waiting for Redis; the oldest were given up (their entries expire with RESPONSE_CACHE_TTL_MS)',
        );
      }
    }
    this.schedule();
  }

  /** Try now rather than at the next retry (the connection to Redis is back). */
  kick(): void {
    this.failures = 0;
    if (!this.timer || this.sending) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule(0);
  }

  /** One last try (the gateway is stopping), then no more. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.sending;
    if (this.tags.size > 0) await this.flush();
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs = retryDelayMs(this.options.retryMs ?? RETRY_MS, this.failures)): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sending = this.flush().finally(() => {
        this.sending = undefined;
        if (this.tags.size > 0) this.schedule();
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Sends what waits, a chunk per script call, until Redis refuses one. */
  private async flush(): Promise<void> {
    const upTo = this.adds;
    const tags = [...this.tags.keys()];
    let sent = 0;
    for (; sent < tags.length; sent += CHUNK) {
      const chunk = tags.slice(sent, sent + CHUNK);
      if (!(await this.options.send(chunk))) break;
      for (const tag of chunk) if ((this.tags.get(tag) ?? 0) <= upTo) this.tags.delete(tag);
    }
    if (sent === 0) {
      this.failures += 1;
      return;
    }
    this.failures = 0;
    if (this.tags.size === 0) this.warned = false;
    this.options.logger.info(
      { tags: Math.min(sent, tags.length) },
      'response cache: delayed eviction applied',
    );
  }
}
