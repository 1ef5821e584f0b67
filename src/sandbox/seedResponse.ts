/**
 * What happens on a seeded OneUptime incident after it is declared: its SLA
 * records (as the SLA rules, `markResponded`/`markResolved` and the breach
 * worker leave them) and its members (who holds which role).
 */
import type { IncidentSlaRecord, SlaStatusWire } from '../upstreams/oneuptime/types.js';
import { resolvedSlaStatus, type SlaTimes } from './oneuptime/slaTracking.js';
import type { Step } from './seedCoralogix.js';
import { iso, MINUTE, type Random } from './seedRandom.js';
import type { IncidentMemberColumns, SeedRow, SeedUser } from './seedTypes.js';
import { ACKNOWLEDGED_STATE, MEMBER_NOTES, RESOLVED_STATE } from './seedVocabulary.js';

/**
 * Response and resolution time of each seeded SLA rule, in minutes
 * (`IncidentSlaRule.responseTimeInMinutes` / `resolutionTimeInMinutes`). The
 * shortest resolution time is 5 hours, so an SLA still On Track (under 80 % of
 * it used) is more than an hour from its resolution deadline.
 */
const RULE_MINUTES: ReadonlyArray<[number, number]> = [
  [15, 5 * 60],
  [30, 8 * 60],
  [60, 24 * 60],
];
/** The rules keep `atRiskThresholdInPercentage` at its default (`Common/Models/DatabaseModels/IncidentSlaRule.ts`). */
const AT_RISK_PERCENT = 80;

export interface ResponseContext {
  r: Random;
  now: number;
  projectId: string;
  users: readonly SeedUser[];
  slaRuleIds: readonly string[];
  roles: ReadonlyArray<{
    _id: string;
    isPrimaryRole?: boolean | null;
    canAssignMultipleUsers?: boolean | null;
  }>;
}

/** An SLA's instants, as epoch milliseconds; `undefined` while it has not happened. */
interface SlaLife {
  start: number;
  responseDeadline: number;
  resolutionDeadline: number;
  respondedAt: number | undefined;
  resolvedAt: number | undefined;
}

/** What `CheckSlaBreaches` did to an SLA while it was open: when it flagged it At Risk or breached. */
interface WorkerMarks {
  status: 'On Track' | 'At Risk' | 'Response Breached' | 'Resolution Breached';
  atRiskAt: number | null;
  breachedAt: number | null;
}

/**
 * `App/FeatureSet/Workers/Jobs/IncidentSla/CheckSlaBreaches.ts`, replayed.
 * It runs every minute (`EVERY_MINUTE`); in the seed its runs are the minutes
 * before `now`, the last one at `now`, so they move with `now` like every
 * instant; incidents open half a minute off them (`OPENED_OFF_GRID`), so no
 * response, resolution or deadline falls on a run. Per run, on SLAs still On
 * Track or At Risk and not resolved
 * (`IncidentSlaService.getSlasNeedingBreachCheck`):
 * - no response yet and the response deadline passed: Response Breached;
 * - the resolution deadline passed: Resolution Breached (it wins in one run);
 * - else, while On Track, At Risk once `getDifferenceInMinutes` (whole
 *   minutes) shows 80 % of the response window used without a response, or
 *   80 % of the resolution window. Nothing moves an SLA back to On Track.
 * The first breach sets `breachNotificationSentAt` to the run's time; a
 * breached SLA is no longer checked, so a late resolution after a response
 * breach is only recorded by `markResolved`.
 */
function breachWorker(sla: SlaLife, now: number): WorkerMarks {
  const lastRun = sla.resolvedAt ?? now;
  /** The first run at or after `ms` while the SLA is open, if any. */
  const runFrom = (ms: number) => {
    const run = now - Math.floor((now - ms) / MINUTE) * MINUTE;
    return run <= lastRun ? run : null;
  };
  const unanswered = (run: number | null) =>
    run !== null && (sla.respondedAt === undefined || sla.respondedAt > run);
  const minutes = (deadline: number) => Math.floor((deadline - sla.start) / MINUTE);
  const riskRun = (deadline: number) => {
    const run = runFrom(
      sla.start + Math.ceil((minutes(deadline) * AT_RISK_PERCENT) / 100) * MINUTE,
    );
    return run !== null && run <= deadline ? run : null;
  };
  const responseBreach = runFrom(sla.responseDeadline + 1);
  const resolutionBreach = runFrom(sla.resolutionDeadline + 1);
  const responseRisk = riskRun(sla.responseDeadline);
  const risks = [unanswered(responseRisk) ? responseRisk : null, riskRun(sla.resolutionDeadline)];
  let status: WorkerMarks['status'] = 'On Track';
  let breachedAt: number | null = null;
  if (unanswered(responseBreach) && (resolutionBreach ?? Infinity) > responseBreach!) {
    [status, breachedAt] = ['Response Breached', responseBreach];
  } else if (resolutionBreach !== null) {
    [status, breachedAt] = ['Resolution Breached', resolutionBreach];
  }
  const before = risks.filter(
    (run): run is number => run !== null && run < (breachedAt ?? Infinity),
  );
  const atRiskAt = before.length > 0 ? Math.min(...before) : null;
  if (status === 'On Track' && atRiskAt !== null) status = 'At Risk';
  return { status, atRiskAt, breachedAt };
}

/**
 * 0–2 SLAs with distinct rules, as OneUptime (`Common/Server/Services/`, at
 * ab6f409) leaves them by `now`:
 * - started at `declaredAt`, each deadline the rule's minutes later
 *   (`IncidentSlaService.ts`, `createSlaForIncident`);
 * - responded at the first Acknowledged state, resolved at the Resolved one
 *   (`IncidentStateTimelineService.ts`, `trackSlaStateChange`, calling
 *   `markResponded` / `markResolved` in `IncidentSlaService.ts`);
 * - a resolved SLA's status is `markResolved`'s (`resolvedSlaStatus`), an
 *   open one's the breach worker's (`breachWorker`), and the notification and
 *   last update are the worker's and those calls'.
 */
export function seedSlas(
  ctx: ResponseContext,
  incidentId: string,
  steps: readonly Step[],
): Array<SeedRow<IncidentSlaRecord>> {
  const { r, now } = ctx;
  const declared = (steps[0] as Step).at;
  const respondedAt = steps.find((step) => step.state === ACKNOWLEDGED_STATE)?.at;
  const resolvedAt = steps.find((step) => step.state === RESOLVED_STATE)?.at;
  const count = r.int(0, 2);
  const firstRule = r.int(0, RULE_MINUTES.length - 1);
  return Array.from({ length: count }, (_, k) => {
    const rule = (firstRule + k) % RULE_MINUTES.length;
    const [response, resolution] = RULE_MINUTES[rule] as [number, number];
    const life: SlaLife = {
      start: declared,
      responseDeadline: declared + response * MINUTE,
      resolutionDeadline: declared + resolution * MINUTE,
      respondedAt,
      resolvedAt,
    };
    const times: SlaTimes = {
      slaStartedAt: iso(declared),
      responseDeadline: iso(life.responseDeadline),
      resolutionDeadline: iso(life.resolutionDeadline),
      respondedAt: respondedAt === undefined ? null : iso(respondedAt),
    };
    const marks = breachWorker(life, now);
    const status: SlaStatusWire =
      resolvedAt === undefined ? marks.status : resolvedSlaStatus(times, iso(resolvedAt));
    const changes = [declared, respondedAt, resolvedAt, marks.atRiskAt, marks.breachedAt];
    return {
      _id: r.uuid(),
      projectId: ctx.projectId,
      incidentId,
      incidentSlaRuleId: ctx.slaRuleIds[rule] as string,
      status,
      ...times,
      resolvedAt: resolvedAt === undefined ? null : iso(resolvedAt),
      breachNotificationSentAt: marks.breachedAt === null ? null : iso(marks.breachedAt),
      lastInternalNoteReminderSentAt: null,
      lastPublicNoteReminderSentAt: null,
      createdAt: iso(declared),
      updatedAt: iso(Math.max(...changes.map((at) => at ?? declared))),
    };
  });
}

/**
 * Members of one incident. The first user to change its state becomes
 * Incident Commander (as `autoAssignIncidentCommander` does), else sometimes
 * someone is named by hand; then a few responders in other roles. A role that
 * does not allow multiple users gets at most one, and every user holds one role.
 */
export function seedMembers(
  ctx: ResponseContext,
  incidentId: string,
  steps: readonly Step[],
): Array<SeedRow<IncidentMemberColumns>> {
  const { r, now } = ctx;
  const declared = (steps[0] as Step).at;
  const members: Array<SeedRow<IncidentMemberColumns>> = [];
  const add = (userId: string, roleId: string, atMs: number, byUserId: string | null) => {
    const at = iso(Math.min(atMs, now - MINUTE));
    members.push({
      _id: r.uuid(),
      projectId: ctx.projectId,
      userId,
      incidentId,
      incidentRoleId: roleId,
      notes: r.next() < 0.5 ? r.pick(MEMBER_NOTES) : null,
      isMemberNotified: true,
      createdByUserId: byUserId,
      createdAt: at,
      updatedAt: at,
    });
  };
  const primary = ctx.roles.find((role) => role.isPrimaryRole === true);
  const changer = steps.find((step, i) => i > 0 && step.byUserId !== null);
  if (primary && changer?.byUserId) add(changer.byUserId, primary._id, changer.at, null);
  else if (primary && r.next() < 0.5) {
    add(r.pick(ctx.users).id, primary._id, declared + r.int(1, 20) * MINUTE, r.pick(ctx.users).id);
  }
  const others = ctx.roles.filter((role) => role.isPrimaryRole !== true);
  for (let n = r.int(0, 3); n > 0; n--) {
    const role = r.pick(others);
    const user = r.pick(ctx.users);
    const taken = members.some((m) => m.incidentRoleId === role._id);
    if (members.some((m) => m.userId === user.id) || (taken && !role.canAssignMultipleUsers))
      continue;
    add(user.id, role._id, declared + r.int(2, 180) * MINUTE, r.pick(ctx.users).id);
  }
  return members;
}
