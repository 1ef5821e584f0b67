/**
 * When things happen in a seeded case's life: created, activated,
 * acknowledged (maybe un- and re-acknowledged), resolved, closed, each an
 * instant consistent with its final status and before the seed's `now`.
 *
 * Cases are created off the minute grid that ends at `now` by half a minute
 * (`OPENED_OFF_GRID`, as incidents are) and change status on whole minutes
 * after that, so a linked OneUptime incident can mirror the changes as its
 * state timeline and its SLAs have one reading (see `seedResponse.ts`).
 * Activation follows creation by seconds and is not mirrored.
 */
import type { CaseStatusWire } from '../upstreams/coralogix/cases/types.js';
import { OPENED_OFF_GRID } from './seedCoralogix.js';
import { DAY, MINUTE, type Random } from './seedRandom.js';

/** Who a status change is by: a Coralogix user (through the UI or a key), the system, or Slack. */
export type ChangedBy = 'user' | 'system' | 'slack';

export interface CasePlan {
  status: CaseStatusWire;
  createdMs: number;
  /** Absent while PENDING_ACTIVATION. */
  activatedMs?: number;
  /** The first acknowledgement. */
  ackMs?: number;
  /** Unacknowledged at `[0]`, acknowledged again at `[1]`. */
  reAck?: [number, number];
  resolvedMs?: number;
  resolvedBy?: ChangedBy;
  closedMs?: number;
  closedBy?: ChangedBy;
  /** The last instant anything may happen at: `now` less a minute, or the close. */
  endMs: number;
}

/** S1 `CaseLifecycle`: "without it, resolved cases close after 1 week". */
export const AUTO_CLOSE_MS = 7 * DAY;

/** Age in minutes by final status: pending ones are minutes old; resolved ones under a week. */
const AGE_MINUTES: Record<CaseStatusWire, [number, number]> = {
  CASE_STATUS_UNSPECIFIED: [10, 60],
  CASE_STATUS_PENDING_ACTIVATION: [2, 25],
  CASE_STATUS_ACTIVE: [10, 3 * 24 * 60],
  CASE_STATUS_ACKNOWLEDGED: [30, 5 * 24 * 60],
  CASE_STATUS_RESOLVED: [3 * 60, 6 * 24 * 60],
  CASE_STATUS_CLOSED: [6 * 60, 45 * 24 * 60],
};

/**
 * Whole-minute offsets after creation for the wanted gaps, squeezed into
 * `room` minutes when they do not fit: each keeps one minute of its own, so
 * the instants stay strictly increasing.
 */
function fit(gaps: number[], room: number): number[] {
  const total = gaps.reduce((a, b) => a + b, 0);
  const spare = Math.max(0, room - gaps.length);
  let sum = 0;
  return gaps.map((gap, i) => {
    sum += gap;
    if (total <= room) return sum;
    return i + 1 + Math.floor(((sum - i - 1) * spare) / Math.max(1, total - gaps.length));
  });
}

export function planCase(r: Random, status: CaseStatusWire, now: number): CasePlan {
  const [min, max] = AGE_MINUTES[status];
  const recent = status === 'CASE_STATUS_ACTIVE' && r.next() < 0.35;
  const age = recent ? r.int(min, 12 * 60) : r.int(min, max);
  const createdMs = now - age * MINUTE - OPENED_OFF_GRID;
  const plan: CasePlan = { status, createdMs, endMs: now - MINUTE };
  if (status === 'CASE_STATUS_PENDING_ACTIVATION') return plan;
  plan.activatedMs = createdMs + r.int(3, 25) * 1000;
  const acked =
    status === 'CASE_STATUS_ACKNOWLEDGED' ||
    ((status === 'CASE_STATUS_RESOLVED' || status === 'CASE_STATUS_CLOSED') && r.next() < 0.8);
  const reAcked = status === 'CASE_STATUS_ACKNOWLEDGED' && r.next() < 0.12;
  const resolved =
    status === 'CASE_STATUS_RESOLVED' || (status === 'CASE_STATUS_CLOSED' && r.next() < 0.8);
  const closed = status === 'CASE_STATUS_CLOSED';
  // Gaps in minutes: ack within minutes (some late, so they breach), the rest hours apart.
  const gaps: number[] = [];
  if (acked) gaps.push(r.next() < 0.2 ? r.int(40, 180) : r.int(1, 25));
  if (reAcked) gaps.push(r.int(5, 60), r.int(1, 20));
  if (resolved) gaps.push(r.int(10, 16 * 60));
  const autoClose = closed && resolved && r.next() < 0.5;
  if (closed) gaps.push(autoClose ? AUTO_CLOSE_MS / MINUTE : r.int(5, 2 * 24 * 60));
  const offsets = fit(gaps, age - 1).map((m) => createdMs + m * MINUTE);
  let k = 0;
  if (acked) plan.ackMs = offsets[k++];
  if (reAcked) plan.reAck = [offsets[k++] as number, offsets[k++] as number];
  if (resolved) {
    plan.resolvedMs = offsets[k++];
    const by = r.next();
    plan.resolvedBy = by < 0.7 ? 'user' : by < 0.9 ? 'system' : 'slack';
  }
  if (closed) {
    plan.closedMs = offsets[k++];
    // An auto-close only when the full week fitted; else someone closed it by hand.
    const fitted = plan.closedMs! - (plan.resolvedMs ?? 0) === AUTO_CLOSE_MS;
    plan.closedBy = autoClose && fitted ? 'system' : 'user';
    plan.endMs = plan.closedMs as number;
  }
  return plan;
}

/** When the case stopped being open: resolved, or closed without a resolution. */
export function endedMs(plan: CasePlan): number | undefined {
  return plan.resolvedMs ?? plan.closedMs;
}
