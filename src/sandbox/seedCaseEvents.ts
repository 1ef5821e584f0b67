/**
 * A seeded case's Activity timeline (S1 `specs/case_events_service.json` at
 * 4464b2b3, `CaseEvent` / `CaseEventData` / `EventActor`), told from its plan:
 * created, activated, notified, assigned (and sometimes reassigned or
 * unassigned), priority changed by the system or overridden, acknowledged,
 * KPI breaches, comments (some from Slack, inserted minutes after they were
 * written), a title edit, resolved, the reason edited, closed. Every
 * `eventTime` lies between the case's creation and `now`; the timeline is
 * stored oldest first. The case fields those events leave behind (assignee,
 * title, acknowledgeTime, resolution, KPI breaches, updateTime) come back with it.
 */
import type {
  BreachedKpi,
  CaseEvent,
  CaseEventData,
  CasePriorityWire,
  CaseResolver,
  EventActor,
  KpiTypeWire,
  ResolutionDetails,
} from '../upstreams/coralogix/cases/types.js';
import type { CasePlan, ChangedBy } from './seedCasePlan.js';
import { CASE_COMMENTS, NOTIFICATION_ERRORS, RESOLUTION_REASONS } from './seedCaseWords.js';
import { iso, MINUTE, type Random } from './seedRandom.js';
import type { SeedUser } from './seedTypes.js';

export interface TimelineInput {
  plan: CasePlan;
  svc: string;
  team: string;
  title: string;
  /** A better title someone gave it later, if any. */
  retitle?: string;
  systemPriority: CasePriorityWire;
  /** The system's first priority, when it changed since. */
  firstSystemPriority?: CasePriorityWire;
  override?: CasePriorityWire;
  assignees: 'none' | 'one' | 'reassigned' | 'unassigned';
}

export interface Timeline {
  events: CaseEvent[];
  assignee?: string;
  title: string;
  acknowledgeTime?: string;
  resolution?: ResolutionDetails;
  breaches: BreachedKpi[];
  updateMs: number;
  /** Who acknowledged and who resolved (null: the system), for the OneUptime mirror. */
  ackUserId?: string;
  resolveUserId?: string | null;
  /** Who closed it (null: the system). */
  closeUserId?: string | null;
}

/** Time-to-acknowledge / time-to-resolve targets by priority, in minutes (P1 … P5). */
const TTA = [5, 15, 30, 60, 120];
const TTR = [4 * 60, 8 * 60, 24 * 60, 48 * 60, 96 * 60];
const priorityIndex = (p: CasePriorityWire) => Math.max(0, Number(p.slice(-1)) - 1 || 0);
const fill = (text: string, svc: string) => text.replaceAll('{svc}', svc);

export function caseTimeline(
  r: Random,
  users: readonly SeedUser[],
  input: TimelineInput,
): Timeline {
  const { plan, svc } = input;
  const events: CaseEvent[] = [];
  const system: EventActor = { system: {} };
  const user = (id = r.pick(users).id): EventActor => ({ user: { id } });
  const slack = (person: SeedUser): EventActor => ({
    slack: {
      slackUserId: `U0${person.id.slice(0, 8).toUpperCase()}`,
      displayName: person.name,
      userEmail: person.email,
      coralogixUserId: person.id,
    },
  });
  const push = (atMs: number, actor: EventActor, eventData: CaseEventData, insertedLagMs = 0) =>
    events.push({
      eventId: r.uuid(),
      eventData,
      actor,
      createTime: iso(atMs + insertedLagMs),
      eventTime: iso(atMs),
    });
  /** A random instant in `[from, to)`, on the second. */
  const between = (from: number, to: number) =>
    from + Math.floor((r.next() * Math.max(0, to - from)) / 1000) * 1000;

  const first = input.firstSystemPriority ?? input.systemPriority;
  push(plan.createdMs, system, { created: { priority: first } });
  const out: Timeline = { events, title: input.title, breaches: [], updateMs: plan.createdMs };
  const active = plan.activatedMs;
  if (active === undefined) return out;

  push(active, system, {
    statusChanged: { oldStatus: 'CASE_STATUS_PENDING_ACTIVATION', newStatus: 'CASE_STATUS_ACTIVE' },
  });
  const settled = plan.resolvedMs ?? plan.closedMs ?? plan.endMs;
  if (r.next() < 0.75) {
    push(active + r.int(2, 20) * 1000, system, {
      notificationSent: {
        notificationRequestId: r.uuid(),
        notifications: [{ token: `slack:#${input.team}-oncall` }],
      },
    });
  } else if (r.next() < 0.3) {
    push(active + r.int(2, 20) * 1000, system, {
      notificationFailed: { error: fill(r.pick(NOTIFICATION_ERRORS), svc) },
    });
  }

  // Assignment: before the acknowledgement when there is one.
  const ackMs = plan.ackMs;
  const assignBy = ackMs ?? Math.min(settled, active + 30 * MINUTE);
  if (input.assignees !== 'none') {
    const owner = r.pick(users).id;
    const at = between(active + 1000, assignBy);
    push(at, user(), { assigned: { assigneeUserId: owner } });
    out.assignee = owner;
    if (input.assignees === 'reassigned') {
      const next = r.pick(users.filter((u) => u.id !== owner)).id;
      push(between(at + 1000, Math.max(at + 2000, settled)), user(), {
        assigned: { assigneeUserId: next, previousAssigneeUserId: owner },
      });
      out.assignee = next;
    } else if (input.assignees === 'unassigned') {
      push(between(at + 1000, Math.max(at + 2000, plan.endMs)), user(owner), {
        unassigned: { previousAssigneeUserId: owner },
      });
      delete out.assignee;
    }
  }
  if (r.next() < 0.04) {
    push(
      between(active, assignBy),
      {
        pagerDuty: {
          pagerDutyUserId: 'PD1X2Y3',
          displayName: 'PagerDuty',
          userEmail: `oncall-${input.team}@example.com`,
        },
      },
      {
        changeAssigneeFailed: {
          unknownAssigneeError: { unknownAssigneeEmail: `oncall-${input.team}@example.com` },
        },
      },
    );
  }

  // The system re-computes the priority first; a user's override comes after it.
  let overrideFrom = active;
  if (input.firstSystemPriority !== undefined) {
    overrideFrom = between(active, settled);
    push(overrideFrom, system, {
      priorityDetailsChanged: { from: { system: first }, to: { system: input.systemPriority } },
    });
  }
  if (input.override !== undefined) {
    push(between(overrideFrom + 1000, Math.max(overrideFrom + 2000, settled)), user(out.assignee), {
      priorityDetailsChanged: {
        from: { system: input.systemPriority },
        to: { system: input.systemPriority, override: input.override },
      },
    });
  }

  const acker = out.assignee ?? r.pick(users).id;
  if (ackMs !== undefined) {
    push(ackMs, user(acker), {
      statusChanged: { oldStatus: 'CASE_STATUS_ACTIVE', newStatus: 'CASE_STATUS_ACKNOWLEDGED' },
    });
    out.acknowledgeTime = iso(ackMs);
    out.ackUserId = acker;
  }
  if (plan.reAck) {
    const [off, on] = plan.reAck;
    push(off, user(acker), {
      statusChanged: { oldStatus: 'CASE_STATUS_ACKNOWLEDGED', newStatus: 'CASE_STATUS_ACTIVE' },
    });
    push(on, user(acker), {
      statusChanged: { oldStatus: 'CASE_STATUS_ACTIVE', newStatus: 'CASE_STATUS_ACKNOWLEDGED' },
    });
    out.acknowledgeTime = iso(on);
  }

  // KPI breaches: a target missed while the case waited (S1 `BreachedKPI`, event `kpiBreached`).
  const effective = input.override ?? input.systemPriority;
  const p = priorityIndex(effective);
  const breach = (kpiType: KpiTypeWire, minutes: number, metMs: number | undefined) => {
    const at = plan.createdMs + minutes * MINUTE;
    if (at > plan.endMs || (metMs !== undefined && metMs <= at)) return;
    push(at, system, {
      kpiBreached: { kpiType, priority: effective, threshold: `${minutes * 60}s` },
    });
    out.breaches.push({
      id: r.uuid(),
      createdAt: iso(at),
      kpiType,
      casePriority: `KPI_PRIORITY_P${p + 1}` as BreachedKpi['casePriority'],
      breachedAt: iso(at),
      breachStatus: metMs === undefined ? 'BREACH_STATUS_BREACHED' : 'BREACH_STATUS_MITIGATED',
    });
  };
  breach(
    'KPI_TYPE_TIME_TO_ACKNOWLEDGE',
    TTA[p] as number,
    ackMs ?? plan.resolvedMs ?? plan.closedMs,
  );
  breach('KPI_TYPE_TIME_TO_RESOLVE', TTR[p] as number, plan.resolvedMs ?? plan.closedMs);

  if (input.retitle !== undefined) {
    push(between(active, settled), user(out.assignee), {
      titleChangedEvent: { from: input.title, to: input.retitle },
    });
    out.title = input.retitle;
  }

  const resolvedMs = plan.resolvedMs;
  if (resolvedMs !== undefined) {
    const from =
      plan.reAck || ackMs !== undefined ? 'CASE_STATUS_ACKNOWLEDGED' : 'CASE_STATUS_ACTIVE';
    const by = changer(r, plan.resolvedBy, out.assignee ?? acker, users, slack);
    push(resolvedMs, by.actor, {
      statusChanged: { oldStatus: from, newStatus: 'CASE_STATUS_RESOLVED' },
    });
    out.resolveUserId = by.userId;
    out.resolution = { resolveTime: iso(resolvedMs), resolvedBy: by.resolver };
    if (plan.resolvedBy !== 'system' && r.next() < 0.85) {
      out.resolution.reason = fill(r.pick(RESOLUTION_REASONS), svc);
      if (r.next() < 0.12) {
        const to = `${out.resolution.reason} Follow-up ticket OPS-${r.int(1000, 9999)}.`;
        push(between(resolvedMs + 1000, Math.max(resolvedMs + 2000, plan.endMs)), by.actor, {
          resolutionReasonChangedEvent: { from: out.resolution.reason, to },
        });
        out.resolution.reason = to;
      }
    }
  }
  if (plan.closedMs !== undefined) {
    const from =
      resolvedMs !== undefined
        ? 'CASE_STATUS_RESOLVED'
        : ackMs !== undefined
          ? 'CASE_STATUS_ACKNOWLEDGED'
          : 'CASE_STATUS_ACTIVE';
    const closer = plan.closedBy === 'system' ? null : (out.assignee ?? acker);
    const by = closer === null ? system : user(closer);
    out.closeUserId = closer;
    push(plan.closedMs, by, {
      statusChanged: { oldStatus: from, newStatus: 'CASE_STATUS_CLOSED' },
    });
  }

  // Comments: by people, between activation and the close (or now); Slack ones synced later.
  for (let n = r.next() < 0.3 ? 0 : r.int(1, 4); n > 0; n--) {
    const person = r.pick(users);
    const at = between(active + 1000, plan.endMs);
    const text = fill(r.pick(CASE_COMMENTS), svc);
    if (r.next() < 0.25) {
      push(
        at,
        slack(person),
        {
          comment: {
            unsafeText: text,
            slack: {
              workspaceId: 'T0EXAMPLE',
              channelId: `C0${input.team.toUpperCase().slice(0, 6)}`,
              threadId: `${r.int(1_700_000_000, 1_799_999_999)}.${String(r.int(0, 999_999)).padStart(6, '0')}`,
              userId: `U0${person.id.slice(0, 8).toUpperCase()}`,
              userEmail: person.email,
            },
          },
        },
        r.int(1, 5) * MINUTE,
      );
    } else {
      push(at, user(person.id), { comment: { unsafeText: text } });
    }
  }

  events.sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  for (const event of events) {
    const data = event.eventData;
    if (
      !data.comment &&
      !data.notificationSent &&
      !data.notificationFailed &&
      !data.changeAssigneeFailed
    ) {
      out.updateMs = Math.max(out.updateMs, Date.parse(event.eventTime));
    }
  }
  return out;
}

function changer(
  r: Random,
  by: ChangedBy | undefined,
  userId: string,
  users: readonly SeedUser[],
  slack: (person: SeedUser) => EventActor,
): { actor: EventActor; resolver: CaseResolver; userId: string | null } {
  if (by === 'system') return { actor: { system: {} }, resolver: { system: {} }, userId: null };
  if (by === 'slack') {
    const person = users.find((u) => u.id === userId) ?? r.pick(users);
    return { actor: slack(person), resolver: { slack: {} }, userId: person.id };
  }
  return { actor: { user: { id: userId } }, resolver: { cxUser: {} }, userId };
}
