/**
 * The instants of a seeded SLA, chosen so that its status is what OneUptime's
 * breach check would say at the seed's `now`: that check
 * (`Worker/Jobs/IncidentSla/CheckSlaBreaches.ts` in OneUptime/oneuptime, read at
 * 71ea76e) runs every minute, marks an SLA "Response Breached" when the response
 * deadline passes without a response, "Resolution Breached" when the resolution
 * deadline passes, and "At Risk" once 80 % (the rule's default
 * `atRiskThresholdInPercentage`) of a window has elapsed.
 *
 * The drawn windows (15–60 min to respond, 4–24 h to resolve) are used as they
 * are when they fit the status; an incident open for weeks whose SLA is still
 * "On Track" or "At Risk" gets a window long enough to make that true.
 */
import type { SlaStatusWire } from '../upstreams/oneuptime/types.js';

const MINUTE = 60_000;
/** Where "At Risk" SLAs stand in their window: past OneUptime's 80 % default, not yet due. */
const AT_RISK_ELAPSED = 0.9;

export interface SlaTiming {
  /** When the SLA started: the incident's creation. */
  startedMs: number;
  nowMs: number;
  /** When the incident was resolved, if it was. */
  closedMs: number | undefined;
  /** How long after the start someone responded (acknowledged), if anyone did. */
  respondedAfterMs: number | undefined;
  responseWindowMs: number;
  resolutionWindowMs: number;
}

export interface SlaInstants {
  responseDeadline: number;
  resolutionDeadline: number;
  respondedAt: number | undefined;
  breachNotificationSentAt: number | undefined;
}

export function slaInstants(status: SlaStatusWire, timing: SlaTiming): SlaInstants {
  const { startedMs, nowMs, closedMs, responseWindowMs, resolutionWindowMs } = timing;
  // The last instant anything happened to the incident: its resolution, or now.
  const endMs = closedMs ?? nowMs;
  const elapsedMs = nowMs - startedMs;

  let resolutionDeadline: number;
  if (status === 'Resolution Breached') {
    resolutionDeadline = startedMs + Math.min(resolutionWindowMs, (endMs - startedMs) / 2);
  } else if (closedMs !== undefined) {
    resolutionDeadline = Math.max(startedMs + resolutionWindowMs, closedMs);
  } else if (status === 'At Risk') {
    resolutionDeadline = startedMs + elapsedMs / AT_RISK_ELAPSED;
  } else {
    resolutionDeadline = startedMs + Math.max(resolutionWindowMs, 2 * elapsedMs);
  }

  // A response comes before the resolution (and before now), at least two minutes in,
  // and before a resolution deadline that was missed.
  let respondedAt =
    timing.respondedAfterMs === undefined
      ? undefined
      : Math.min(startedMs + timing.respondedAfterMs, endMs - MINUTE);
  if (respondedAt !== undefined && status === 'Resolution Breached') {
    respondedAt = Math.min(respondedAt, startedMs + (resolutionDeadline - startedMs) / 2);
  }

  const responseLate = status === 'Response Breached';
  const responseDeadline = Math.min(
    resolutionDeadline,
    responseLate
      ? // passed before the response came (or, with none yet, well before now)
        startedMs + Math.min(responseWindowMs, ((respondedAt ?? nowMs) - startedMs) / 2)
      : respondedAt !== undefined
        ? Math.max(startedMs + responseWindowMs, respondedAt)
        : // still awaiting a response: at most half of the window used
          startedMs + Math.max(responseWindowMs, 2 * elapsedMs),
  );

  // The breach check runs every minute: the notification goes out a minute after the deadline.
  const breachNotificationSentAt = responseLate
    ? responseDeadline + MINUTE
    : status === 'Resolution Breached'
      ? resolutionDeadline + MINUTE
      : undefined;
  const whole = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms));
  return {
    responseDeadline: Math.round(responseDeadline),
    resolutionDeadline: Math.round(resolutionDeadline),
    respondedAt: whole(respondedAt),
    breachNotificationSentAt: whole(breachNotificationSentAt),
  };
}
