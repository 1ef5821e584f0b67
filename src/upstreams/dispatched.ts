/**
 * Which upstream requests were written to a connection. While every
 * connection of a Pool is busy, undici queues a request in the gateway and
 * writes it only when one frees (`onRequestStart`). A request that times out
 * still queued says this gateway is busy, not that the upstream is unwell, so
 * the circuit breaker must not count it (see HttpUpstream.transportFailure).
 */
import type { Dispatcher } from 'undici';

export class DispatchTracker {
  private readonly watched = new WeakMap<object, () => void>();

  /** Calls `onStart` when the request made with these very options is written to a connection. */
  watch(options: object, onStart: () => void): void {
    this.watched.set(options, onStart);
  }

  /** For `dispatcher.compose(…)`: `request()` hands its options object through unchanged. */
  readonly interceptor: Dispatcher.DispatcherComposeInterceptor =
    (dispatch) => (options, handler) => {
      const onStart = this.watched.get(options);
      if (!onStart) return dispatch(options, handler);
      this.watched.delete(options);
      return dispatch(options, {
        onRequestStart: (controller, context: unknown) => {
          onStart();
          handler.onRequestStart?.(controller, context);
        },
        onRequestUpgrade: (controller, status, headers, socket) =>
          handler.onRequestUpgrade?.(controller, status, headers, socket),
        onResponseStart: (controller, status, headers, message) =>
          handler.onResponseStart?.(controller, status, headers, message),
        onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
        onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
        onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
      });
    };
}

/**
 * The timeout of one attempt, on two clocks of UPSTREAM_TIMEOUT_MS each:
 * first while the request waits in the pool's queue (a timeout then is the
 * gateway's own congestion, neutral for the breaker), then from the moment it
 * is written to a connection (the upstream's own time, which the breaker
 * judges). The operation's signal (its deadline, its client leaving) aborts it
 * too. One controller, one timer and one listener on the parent, released by
 * `clear()`: `AbortSignal.any` + `AbortSignal.timeout` cost tens of
 * microseconds per call on Node 20 (see deadline.ts).
 */
export class AttemptTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  private expired = false;
  /** Whether the request was written to a connection (the upstream's clock runs). */
  connected = false;
  private readonly follow = () => this.controller.abort(this.parent?.reason);

  constructor(
    private readonly ms: number,
    private readonly parent?: AbortSignal,
  ) {
    this.timer = this.arm();
    if (parent?.aborted) this.follow();
    else parent?.addEventListener('abort', this.follow, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the time ran out (not the operation's signal). */
  get timedOut(): boolean {
    return this.expired;
  }

  /** The request was written to a connection: the upstream's clock starts now. */
  started(): void {
    if (this.connected || this.controller.signal.aborted) return;
    this.connected = true;
    clearTimeout(this.timer);
    this.timer = this.arm();
  }

  /** The attempt is over: drops the timer and the parent listener. */
  clear(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.follow);
  }

  private arm(): NodeJS.Timeout {
    return setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException('The upstream call timed out.', 'TimeoutError'));
    }, this.ms).unref();
  }
}
