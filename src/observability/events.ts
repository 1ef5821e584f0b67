/**
 * The plain events the upstream clients hand to observability. Declared here,
 * on the receiving side, so observability depends on no upstream module: the
 * upstream layer imports these shapes and reports through them.
 */

/** One finished attempt, for logs and metrics. Never carries headers, query strings or bodies. */
export interface UpstreamCallEvent {
  /** `coralogix` or `oneuptime`. */
  upstream: string;
  method: string;
  /** The path with ids replaced by `:id`, e.g. `/api/incident-role/:id`. */
  route: string;
  /** HTTP status, or undefined when no response came (timeout, connection error, cancel). */
  status: number | undefined;
  /**
   * The error code the attempt produced, if it failed; CLIENT_CLOSED (not a
   * client-visible code) when it was cancelled because the client went away.
   */
  errorCode?: string;
  durationMs: number;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
}

export type CircuitStateName = 'closed' | 'half-open' | 'open';

/** What an upstream client reports as it works. */
export interface UpstreamObservers {
  onCall?: (event: UpstreamCallEvent) => void;
  onCircuitChange?: (upstream: string, state: CircuitStateName, previous: CircuitStateName) => void;
}
