/**
 * Each client's share of the event loop. MAX_IN_FLIGHT_PER_CLIENT counts
 * operations, but what one client's operations take from the others is this
 * gateway's one JavaScript thread: 32 operations of one client at 20 ms of
 * upstream latency keep it busy, and another client's single operation waits
 * its turn behind all of theirs (measured on 2 cores: its p50 went from 28 to
 * 175 ms). So while the event loop is saturated the per-client bound comes
 * down (halved every interval, to 1 at least), and it goes back up (by one
 * every interval) once the loop has room again. A client that sends one
 * operation at a time is never held; one that floods waits, or gets
 * OVERLOADED, for what is over its share.
 */
import { performance } from 'node:perf_hooks';

/** Event-loop utilization above which the per-client share is halved. */
export const SATURATED = 0.85;
/** Utilization below which it grows back by one. */
export const ROOMY = 0.6;
/** How often the utilization is read. */
export const SHARE_INTERVAL_MS = 100;

/** The event loop's utilization (0–1) since the previous call. */
export type Utilization = () => number;

export function eventLoopUtilization(): Utilization {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

export class LoadShare {
  private share: number;

  constructor(
    private readonly max: number,
    private readonly utilization: Utilization = eventLoopUtilization(),
  ) {
    this.share = max;
  }

  /** Operations one client may run at once now (1 to MAX_IN_FLIGHT_PER_CLIENT). */
  current(): number {
    return this.share;
  }

  /** Reads the utilization since the last update and adjusts the share; true when it grew. */
  update(): boolean {
    const busy = this.utilization();
    if (busy > SATURATED) {
      this.share = Math.max(1, Math.floor(this.share / 2));
      return false;
    }
    if (busy < ROOMY && this.share < this.max) {
      this.share += 1;
      return true;
    }
    return false;
  }
}
