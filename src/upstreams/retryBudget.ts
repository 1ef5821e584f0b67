/**
 * A retry budget: retries may add at most `ratio` of the recent request volume
 * (plus a small floor), so during an outage retries cannot multiply the load
 * on an upstream that is already failing.
 */
export interface RetryBudgetOptions {
  /** Retries allowed per request sent, over the window (default 0.2 = 20 %). */
  ratio?: number;
  /** Retries always allowed per window, so a quiet gateway can still retry. */
  minRetries?: number;
  windowMs?: number;
  now?: () => number;
}

export class RetryBudget {
  private readonly ratio: number;
  private readonly minRetries: number;
  private readonly bucketMs: number;
  private readonly now: () => number;
  /** Ring of per-bucket counts covering the window. */
  private readonly requests: number[];
  private readonly retries: number[];
  private bucket = -1;

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.2;
    this.minRetries = options.minRetries ?? 10;
    const windowMs = options.windowMs ?? 10_000;
    const buckets = 10;
    this.bucketMs = windowMs / buckets;
    this.now = options.now ?? Date.now;
    this.requests = new Array<number>(buckets).fill(0);
    this.retries = new Array<number>(buckets).fill(0);
  }

  recordRequest(): void {
    this.requests[this.advance()]! += 1;
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(): boolean {
    const index = this.advance();
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    const allowed = this.minRetries + this.ratio * sum(this.requests);
    if (sum(this.retries) >= allowed) return false;
    this.retries[index]! += 1;
    return true;
  }

  /** Moves the ring to the current bucket, clearing buckets that fell out of the window. */
  private advance(): number {
    const size = this.requests.length;
    const current = Math.floor(this.now() / this.bucketMs);
    if (this.bucket < 0 || current - this.bucket >= size) {
      this.requests.fill(0);
      this.retries.fill(0);
    } else {
      for (let b = this.bucket + 1; b <= current; b++) {
        this.requests[b % size] = 0;
        this.retries[b % size] = 0;
      }
    }
    this.bucket = current;
    return current % size;
  }
}
