/**
 * The emulators' request log: a ring buffer that keeps the most recent
 * requests only, so a sandbox serving traffic for hours (`npm start` with no
 * upstream) holds a bounded amount of memory. Tests that read back more than
 * the default raise the bound with `startSandbox({ requestLogLimit })`.
 */
import type { UpstreamName } from '../upstreams/upstream.js';

export interface RecordedRequest {
  upstream: UpstreamName;
  method: string;
  path: string;
  /** Query parameters; repeated ones (`ids=a&ids=b`) keep every value. */
  query: Record<string, string[]>;
  /** Lower-cased header names; `authorization` and `apikey` are redacted. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  /** HTTP status the emulator answered with (undefined for a hung response). */
  status?: number;
  at: number;
}

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
