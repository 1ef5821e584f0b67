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
 * judges). The operation deadline bounds both.
 */
export class AttemptTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  /** Whether the request was written to a connection (the upstream's clock runs). */
  connected = false;

  constructor(private readonly ms: number) {
    this.timer = this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get timedOut(): boolean {
    return this.controller.signal.aborted;
  }

  /** The request was written to a connection: the upstream's clock starts now. */
  started(): void {
    if (this.connected || this.timedOut) return;
    this.connected = true;
    clearTimeout(this.timer);
    this.timer = this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  private arm(): NodeJS.Timeout {
    return setTimeout(
      () => this.controller.abort(new DOMException('The upstream call timed out.', 'TimeoutError')),
      this.ms,
    ).unref();
  }
}
