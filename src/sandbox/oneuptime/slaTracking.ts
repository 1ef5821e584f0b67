/**
 * How SLA records follow an incident (OneUptime at ab6f409):
 * `IncidentStateTimelineService.trackSlaStateChange` (≈ lines 995–1060) marks
 * the incident's open SLAs responded on an acknowledged state and resolved on
 * a resolved one, with `IncidentSlaService.markResponded` / `markResolved`
 * (`Common/Server/Services/IncidentSlaService.ts` ≈ 120–260); the worker
 * `App/FeatureSet/Workers/Jobs/IncidentSla/CheckSlaBreaches.ts` moves open
 * ones to At Risk (80% of a deadline elapsed) and breached.
 */
import type { SlaStatusWire } from '../../upstreams/oneuptime/types.js';
import type { WriteContext } from './hooks.js';
import type { Row } from './store.js';

export interface SlaTimes {
  slaStartedAt: string;
  responseDeadline: string | null;
  resolutionDeadline: string | null;
  respondedAt: string | null;
}

/** `markResolved`'s final status: a resolution breach wins over a response breach. */
export function resolvedSlaStatus(sla: SlaTimes, resolvedAt: string): SlaStatusWire {
  let status: SlaStatusWire = 'Met';
  if (sla.responseDeadline && !sla.respondedAt && resolvedAt > sla.responseDeadline) {
    status = 'Response Breached';
  } else if (sla.responseDeadline && sla.respondedAt && sla.respondedAt > sla.responseDeadline) {
    status = 'Response Breached';
  }
  if (sla.resolutionDeadline && resolvedAt > sla.resolutionDeadline) status = 'Resolution Breached';
  return status;
}

const AT_RISK_PERCENT = 80;
const elapsedShare = (startedAt: string, deadline: string, at: string) =>
  ((Date.parse(at) - Date.parse(startedAt)) / (Date.parse(deadline) - Date.parse(startedAt))) * 100;

/** Where `CheckSlaBreaches` (every minute) leaves an open SLA by the instant `at`. */
export function openSlaStatus(sla: SlaTimes, at: string): SlaStatusWire {
  if (sla.resolutionDeadline && at > sla.resolutionDeadline) return 'Resolution Breached';
  if (sla.responseDeadline && !sla.respondedAt) {
    if (at > sla.responseDeadline) return 'Response Breached';
    if (elapsedShare(sla.slaStartedAt, sla.responseDeadline, at) >= AT_RISK_PERCENT) {
      return 'At Risk';
    }
  }
  if (
    sla.resolutionDeadline &&
    elapsedShare(sla.slaStartedAt, sla.resolutionDeadline, at) >= AT_RISK_PERCENT
  ) {
    return 'At Risk';
  }
  return 'On Track';
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

function times(sla: Row): SlaTimes {
  return {
    slaStartedAt: String(sla.slaStartedAt),
    responseDeadline: text(sla.responseDeadline),
    resolutionDeadline: text(sla.resolutionDeadline),
    respondedAt: text(sla.respondedAt),
  };
}

/**
 * A state change's effect on the incident's open SLAs. Reopening (a resolved
 * state followed by an unresolved one) creates a new SLA from the matching SLA
 * rule upstream; the sandbox has no rule definitions and creates none.
 */
export function trackSlaStateChange(
  ctx: WriteContext,
  incidentId: string,
  state: Row | undefined,
  previous: Row | undefined,
  at: string,
): void {
  if (previous?.isResolvedState === true && state?.isResolvedState !== true) return;
  const table = ctx.db.tables['incident-sla'];
  const open = table.forIncident(incidentId).filter((sla) => sla.resolvedAt == null);
  for (const sla of open) {
    if (state?.isAcknowledgedState === true && sla.respondedAt == null) {
      table.patch(sla, { respondedAt: at, updatedAt: ctx.now });
    }
    if (state?.isResolvedState === true) {
      table.patch(sla, {
        resolvedAt: at,
        status: resolvedSlaStatus(times(sla), at),
        updatedAt: ctx.now,
      });
    }
  }
}
