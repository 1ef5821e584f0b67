/**
 * The run-time backstop of MAX_UPSTREAM_CALLS: one counter per operation that
 * every upstream attempt (retries included) spends from, through the
 * `beforeAttempt` hook of the call options (src/upstreams/http.ts). Past the
 * limit, further calls fail with QUERY_TOO_COMPLEX without being sent. The
 * static bound (callCount.ts) refuses what it can see before any call; this
 * catches what the model assumes (rows per parent, retries).
 */
import { GatewayError } from '../errors.js';

export interface CallBudget {
  /** Upstream attempts so far. */
  readonly used: number;
  /** Counts one attempt; throws, so the attempt is not sent, when the limit is spent. */
  spend(): void;
}

export function createCallBudget(limit: number): CallBudget {
  let used = 0;
  return {
    get used() {
      return used;
    },
    spend() {
      if (used >= limit) {
        throw new GatewayError(
          'QUERY_TOO_COMPLEX',
          `This operation reached its limit of ${limit} upstream calls (MAX_UPSTREAM_CALLS); the rest of it was not fetched. Ask for fewer items or fewer joins per item.`,
          { maxUpstreamCalls: limit },
        );
      }
      used += 1;
    },
  };
}
