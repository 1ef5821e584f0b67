/**
 * Work that stops when its caller stops or a time passes: one AbortController
 * fed by the parent signal and one timer, released when the work is done.
 *
 * `AbortSignal.any([parent, AbortSignal.timeout(ms)])` does the same, but on
 * Node 20 each call costs tens of microseconds (weak references and a
 * finalization registry per signal, and the GC work they leave): about 4 % of
 * the gateway's CPU on the lightest bench query at saturation (issue 25,
 * bench/README.md). The reasons are the same: the parent's, or a
 * `TimeoutError` DOMException like `AbortSignal.timeout`'s.
 */
import { setMaxListeners } from 'node:events';

export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether the time ran out (not the parent, not `abort`). */
  readonly timedOut: boolean;
  abort(reason: unknown): void;
  /** The work is over: drops the timer and the parent listener (the signal stays as it is). */
  release(): void;
}

export function withDeadline(parent: AbortSignal | undefined, ms: number): Deadline {
  const controller = new AbortController();
  // Every upstream call of the work listens on this signal while it is in flight (up to
  // MAX_UPSTREAM_CALLS, each listener removed when its call ends): not a leak, so no warning
  // past Node's default of 10.
  setMaxListeners(0, controller.signal);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, ms);
  // Like AbortSignal.timeout's timer, it never keeps the process alive by itself.
  timer.unref();
  const follow = () => controller.abort(parent?.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    abort: (reason) => controller.abort(reason),
    release() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', follow);
    },
  };
}
