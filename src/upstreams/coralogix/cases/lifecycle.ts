/**
 * The case lifecycle, for refusing a change the gateway can already see is
 * impossible before any call (facts section 5, from C1 = coralogix/cx-cli
 * `skills/cx-cases/SKILL.md` @ 0b8785d; no spec states it):
 * PENDING_ACTIVATION → ACTIVE by Coralogix only; ACTIVE → ACKNOWLEDGED,
 * RESOLVED or CLOSED; ACKNOWLEDGED → ACTIVE (unacknowledge), RESOLVED or
 * CLOSED; RESOLVED → CLOSED only; CLOSED is final. A change to the status a
 * case already has is no change, never refused. An UNSPECIFIED (unknown)
 * status is left to Coralogix.
 */
import type { CaseStatusWire } from './enums.js';

/** The writes that move a case's status. */
export type LifecycleAction = 'acknowledge' | 'unacknowledge' | 'resolve' | 'close';

const TARGET: Record<LifecycleAction, CaseStatusWire> = {
  acknowledge: 'CASE_STATUS_ACKNOWLEDGED',
  unacknowledge: 'CASE_STATUS_ACTIVE',
  resolve: 'CASE_STATUS_RESOLVED',
  close: 'CASE_STATUS_CLOSED',
};

const NEXT: Record<CaseStatusWire, readonly CaseStatusWire[] | undefined> = {
  CASE_STATUS_UNSPECIFIED: undefined,
  CASE_STATUS_PENDING_ACTIVATION: [],
  CASE_STATUS_ACTIVE: ['CASE_STATUS_ACKNOWLEDGED', 'CASE_STATUS_RESOLVED', 'CASE_STATUS_CLOSED'],
  CASE_STATUS_ACKNOWLEDGED: ['CASE_STATUS_ACTIVE', 'CASE_STATUS_RESOLVED', 'CASE_STATUS_CLOSED'],
  CASE_STATUS_RESOLVED: ['CASE_STATUS_CLOSED'],
  CASE_STATUS_CLOSED: [],
};

const WHY: Partial<Record<CaseStatusWire, string>> = {
  CASE_STATUS_PENDING_ACTIVATION: 'a pending case is activated by Coralogix first',
  CASE_STATUS_RESOLVED: 'a resolved case can only be closed',
  CASE_STATUS_CLOSED: 'a closed case is final',
};

/** Why `action` is impossible for a case in `status`, or undefined when it may be tried. */
export function refusal(action: LifecycleAction, status: CaseStatusWire): string | undefined {
  const to = TARGET[action];
  const next = NEXT[status];
  if (to === status || next === undefined || next.includes(to)) return undefined;
  return WHY[status] ?? `it cannot go from ${status} to ${to}`;
}
