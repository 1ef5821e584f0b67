/**
 * What happens on a seeded OneUptime incident after it is declared: its SLA
 * records (as the SLA rules, `markResponded`/`markResolved` and the breach
 * worker leave them) and its members (who holds which role).
 */
import type { IncidentSlaRecord, SlaStatusWire } from '../upstreams/oneuptime/types.js';
import { openSlaStatus, resolvedSlaStatus, type SlaTimes } from './oneuptime/slaTracking.js';
import type { Step } from './seedCoralogix.js';
import { iso, MINUTE, type Random } from './seedRandom.js';
import type { IncidentMemberColumns, SeedRow, SeedUser } from './seedTypes.js';
import { ACKNOWLEDGED_STATE, MEMBER_NOTES, RESOLVED_STATE } from './seedVocabulary.js';

/** Response and resolution time of each seeded SLA rule, in minutes. */
const RULE_MINUTES: ReadonlyArray<[number, number]> = [
  [15, 4 * 60],
  [30, 8 * 60],
  [60, 24 * 60],
];

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

/** The breach worker runs every minute: a breach is noticed at the next minute boundary. */
const noticed = (deadline: number) => deadline + (MINUTE - (deadline % MINUTE));

/** When `CheckSlaBreaches` first saw a breach before `end` (and sent the notification), if ever. */
function breachNoticedAt(times: SlaTimes, end: number): number | null {
  const response = times.responseDeadline ? Date.parse(times.responseDeadline) : Infinity;
  const resolution = times.resolutionDeadline ? Date.parse(times.resolutionDeadline) : Infinity;
  const respondedAt = times.respondedAt ? Date.parse(times.respondedAt) : Infinity;
  const first = Math.min(respondedAt > response ? response : Infinity, resolution);
  return first < Infinity && noticed(first) <= end ? noticed(first) : null;
}

/** 0–2 SLAs with distinct rules, started at `declaredAt`, followed through the incident's steps. */
export function seedSlas(
  ctx: ResponseContext,
  incidentId: string,
  steps: readonly Step[],
): Array<SeedRow<IncidentSlaRecord>> {
  const { r, now } = ctx;
  const declared = (steps[0] as Step).at;
  const acknowledged = steps.find((step) => step.state === ACKNOWLEDGED_STATE);
  const resolved = steps.find((step) => step.state === RESOLVED_STATE);
  const count = r.int(0, 2);
  const firstRule = r.int(0, RULE_MINUTES.length - 1);
  return Array.from({ length: count }, (_, k) => {
    const rule = (firstRule + k) % RULE_MINUTES.length;
    const [response, resolution] = RULE_MINUTES[rule] as [number, number];
    const times: SlaTimes = {
      slaStartedAt: iso(declared),
      responseDeadline: iso(declared + response * MINUTE),
      resolutionDeadline: iso(declared + resolution * MINUTE),
      respondedAt: acknowledged ? iso(acknowledged.at) : null,
    };
    const status: SlaStatusWire = resolved
      ? resolvedSlaStatus(times, iso(resolved.at))
      : openSlaStatus(times, iso(now));
    const breach = breachNoticedAt(times, resolved?.at ?? now);
    const updated = Math.max(declared, acknowledged?.at ?? 0, resolved?.at ?? 0, breach ?? 0);
    return {
      _id: r.uuid(),
      projectId: ctx.projectId,
      incidentId,
      incidentSlaRuleId: ctx.slaRuleIds[rule] as string,
      status,
      ...times,
      resolvedAt: resolved ? iso(resolved.at) : null,
      breachNotificationSentAt: breach === null ? null : iso(breach),
      lastInternalNoteReminderSentAt: null,
      lastPublicNoteReminderSentAt: null,
      createdAt: iso(declared),
      updatedAt: iso(updated),
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
