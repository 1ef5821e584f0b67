/**
 * The emulators' request log: a ring buffer that keeps the most recent
 * requests only, so a sandbox serving traffic for hours (`npm start` with no
 * upstream) holds a bounded amount of memory. Tests that read back more than
 * the default raise the bound with `startSandbox({ requestLogLimit })`.
 */
import type { RecordedRequest } from './http.js';

/** Requests kept by default: enough for any one test, about 4 MB at ~4 KB a record. */
export const DEFAULT_REQUEST_LOG_LIMIT = 1_000;

export class RequestLog {
  private readonly entries: RecordedRequest[] = [];
  /** Index of the oldest entry once the buffer is full. */
  private start = 0;
  /** Requests recorded since the last clear, including those dropped to make room. */
  private total = 0;

  constructor(readonly limit: number = DEFAULT_REQUEST_LOG_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`requestLogLimit must be a positive integer (got ${limit})`);
    }
  }

  push(request: RecordedRequest): void {
    this.total += 1;
    if (this.entries.length < this.limit) {
      this.entries.push(request);
      return;
    }
    this.entries[this.start] = request;
    this.start = (this.start + 1) % this.limit;
  }

  /** The kept requests, oldest first. */
  all(): RecordedRequest[] {
    return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
  }

  /** How many requests were dropped (oldest first) since the last clear. */
  get dropped(): number {
    return this.total - this.entries.length;
  }

  clear(): void {
    this.entries.length = 0;
    this.start = 0;
    this.total = 0;
  }
}
