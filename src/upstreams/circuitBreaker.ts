/**
 * A per-upstream circuit breaker. After `failureThreshold` consecutive
 * failures (5xx, timeouts, connection errors) it opens: requests fail fast
 * without touching the upstream. After `cooldownMs` it lets one probe through
 * (half-open); the probe's outcome closes or re-opens it. It remembers what
 * the last failure was, so the fast failures can say why the circuit is open.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  cooldownMs?: number;
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
  now?: () => number;
}

export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private lastCause: string | undefined;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly onStateChange: CircuitBreakerOptions['onStateChange'];

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
  }

  get current(): CircuitState {
    return this.state;
  }

  /** Whether a request may go to the upstream now. A `true` in half-open makes it the probe. */
  allowRequest(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.cooldownMs) return false;
      this.transition('half-open');
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when not open). */
  retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.cooldownMs - (this.now() - this.openedAt)) : 0;
  }

  /** What the last failure was (e.g. "connection refused"), while failures count. */
  get lastFailure(): string | undefined {
    return this.lastCause;
  }

  onSuccess(): void {
    this.failures = 0;
    this.lastCause = undefined;
    this.probeInFlight = false;
    if (this.state !== 'closed') this.transition('closed');
  }

  /** `cause`: what went wrong, in a few words a client may read (no hosts, no upstream text). */
  onFailure(cause?: string): void {
    this.probeInFlight = false;
    this.failures += 1;
    this.lastCause = cause;
    if (
      this.state === 'half-open' ||
      (this.state === 'closed' && this.failures >= this.threshold)
    ) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  /** A request that ended without telling anything about the upstream's health (4xx, cancelled). */
  onNeutral(): void {
    this.probeInFlight = false;
  }

  private transition(next: CircuitState): void {
    const previous = this.state;
    this.state = next;
    this.onStateChange?.(next, previous);
  }
}
