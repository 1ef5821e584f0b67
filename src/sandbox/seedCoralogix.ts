/**
 * One seeded Coralogix incident and its life: when it opened, which OneUptime
 * states it went through and when (a plan the OneUptime side turns into a
 * linked incident's timeline), so both vendors tell the same story.
 */
import type { Assignment, IncidentEvent } from '../upstreams/coralogix/incidents/types.js';
import type { StoredIncident } from './coralogix/store.js';
import { iso, MINUTE, type Random } from './seedRandom.js';
import type { SeedUser } from './seedTypes.js';
import {
  ACKNOWLEDGED_STATE,
  ENVS,
  PROBLEMS,
  REGIONS,
  RESOLVED_STATE,
  SERVICES,
  SEVERITIES,
  TEAMS,
} from './seedVocabulary.js';

export type Progress = 'triggered' | 'acknowledged' | 'resolved';

export interface Step {
  /** Index into `STATES`. */
  state: number;
  at: number;
  byUserId: string | null;
}

/** An incident's life: strictly increasing steps, the first at `openedMs`, none after `now`. */
export interface Lifecycle {
  openedMs: number;
  steps: Step[];
  progress: Progress;
  svc: string;
  env: string;
  team: string;
}

/**
 * States only move forward in order (OneUptime refuses going back). A
 * triggered incident stays before Acknowledged; an acknowledged one is in
 * Acknowledged or Monitoring; a resolved one ends in Resolved.
 */
function pickStates(r: Random, progress: Progress): number[] {
  const states = [0, ...[1, 2].filter(() => r.next() < 0.5)];
  if (progress === 'acknowledged' || (progress === 'resolved' && r.next() < 0.85)) {
    states.push(ACKNOWLEDGED_STATE);
  }
  if (progress !== 'triggered' && r.next() < 0.4) states.push(ACKNOWLEDGED_STATE + 1);
  if (progress === 'resolved') states.push(RESOLVED_STATE);
  return states;
}

/**
 * Step instants, whole minutes after `openedMs` and squeezed to end at least a
 * minute before `now`: minutes apart up to the acknowledgement, up to hours
 * apart after it. A squeezed step keeps a minute of its own plus its share of
 * the room left, so steps stay apart and on the minute of the opening.
 */
function stepTimes(r: Random, openedMs: number, states: number[], now: number): number[] {
  const gaps = states
    .slice(1)
    .map((state) => (state <= ACKNOWLEDGED_STATE ? r.int(1, 15) : r.int(15, 240)));
  const total = gaps.reduce((a, b) => a + b, 0);
  const room = Math.floor((now - MINUTE - openedMs) / MINUTE);
  const extra = total - gaps.length;
  let sum = 0;
  const offsets = gaps.map((gap, i) => {
    sum += gap - 1;
    return total <= room ? sum + i + 1 : i + 1 + Math.floor((sum * (room - gaps.length)) / extra);
  });
  return [openedMs, ...offsets.map((minutes) => openedMs + minutes * MINUTE)];
}

/**
 * Incidents open half a minute off the minute grid that ends at `now`, on
 * which the seed lets OneUptime's breach worker run (`seedSlas`): no SLA
 * event then falls on a run, and every SLA status has one reading.
 */
export const OPENED_OFF_GRID = MINUTE / 2;

export function lifecycle(r: Random, users: readonly SeedUser[], now: number): Lifecycle {
  const svc = r.pick(SERVICES);
  // Some are recent (under 12 hours old), so open SLAs are on track or at risk.
  const ageMinutes = r.next() < 0.15 ? r.int(10, 12 * 60) : r.int(10, 60 * 24 * 60);
  const openedMs = now - ageMinutes * MINUTE - OPENED_OFF_GRID;
  // Most incidents older than two days are over; recent ones are mostly still open.
  const resolvedShare = ageMinutes > 2 * 24 * 60 ? 0.8 : 0.35;
  const progress: Progress =
    r.next() < resolvedShare ? 'resolved' : r.next() < 0.4 ? 'acknowledged' : 'triggered';
  const states = pickStates(r, progress);
  const times = stepTimes(r, openedMs, states, now);
  const steps = states.map((state, i) => ({
    state,
    at: times[i] as number,
    byUserId: i > 0 && r.next() < 0.7 ? r.pick(users).id : null,
  }));
  return { openedMs, steps, progress, svc, env: r.pick(ENVS), team: r.pick(TEAMS) };
}

type EventType = IncidentEvent['incidentEventType'];

/** The Coralogix incident living `life`; its acknowledging and closing users match the steps'. */
export function coralogixIncident(
  r: Random,
  users: readonly SeedUser[],
  life: Lifecycle,
  now: number,
): StoredIncident {
  const { svc, openedMs, progress } = life;
  const [title, text] = r.pick(PROBLEMS);
  const last = life.steps.at(-1) as Step;
  const closedMs = progress === 'resolved' ? last.at : undefined;
  const events: IncidentEvent[] = [];
  const assignments: Assignment[] = [];
  const systemEvent = (type: EventType, extra: Partial<IncidentEvent>) =>
    events.push({
      id: r.uuid(),
      incidentEventType: type,
      originatorType: 'ORIGINATOR_TYPE_OPERATIONAL',
      operationalEvent: { systemName: 'alerts' },
      ...extra,
    });
  const userEvent = (type: EventType, userId: string, extra: Partial<IncidentEvent>) =>
    events.push({
      id: r.uuid(),
      incidentEventType: type,
      originatorType: 'ORIGINATOR_TYPE_ADMINISTRATIVE',
      administrativeEvent: { userId },
      ...extra,
    });
  const upsert = (
    stateType: 'UPSERT_INCIDENT_STATE_TYPE_TRIGGERED' | 'UPSERT_INCIDENT_STATE_TYPE_RESOLVED',
  ) =>
    systemEvent('INCIDENT_EVENT_TYPE_UPSERT_STATE', {
      upsertState: { stateType, payload: { cxEventKey: r.uuid() }, isMuted: false },
    });
  systemEvent('INCIDENT_EVENT_TYPE_OPEN', {});
  upsert('UPSERT_INCIDENT_STATE_TYPE_TRIGGERED');
  const assigneeCount = r.next() < 0.3 ? 0 : r.next() < 0.8 ? 1 : 2;
  for (let a = 0; a < assigneeCount; a++) {
    const assignment = {
      assignedTo: { userId: r.pick(users).id },
      assignedBy: { userId: r.pick(users).id },
    };
    if (assignments.some((x) => x.assignedTo?.userId === assignment.assignedTo.userId)) continue;
    assignments.push(assignment);
    userEvent('INCIDENT_EVENT_TYPE_ASSIGN', assignment.assignedBy.userId, {
      assignment: { assignment },
    });
  }
  if (r.next() < 0.15) {
    const userId = r.pick(users).id;
    userEvent('INCIDENT_EVENT_TYPE_SNOOZE_INDICATOR', userId, {
      snoozeIndicator: {
        startTime: iso(Math.min(openedMs + 5 * MINUTE, now)),
        durationMinutes: r.pick([15, 30, 60, 120]),
        userId,
      },
    });
  }
  if (progress !== 'triggered') {
    const ack = life.steps.find((step) => step.state === ACKNOWLEDGED_STATE);
    const userId = ack?.byUserId ?? assignments[0]?.assignedTo?.userId ?? r.pick(users).id;
    userEvent('INCIDENT_EVENT_TYPE_ACKNOWLEDGE', userId, {
      acknowledge: { acknowledgedBy: { userId } },
    });
  }
  if (progress === 'resolved') {
    upsert('UPSERT_INCIDENT_STATE_TYPE_RESOLVED');
    const userId = last.byUserId ?? r.pick(users).id;
    userEvent('INCIDENT_EVENT_TYPE_CLOSE', userId, { close: { closedBy: { userId } } });
  }
  const team = life.team;
  const env = life.env;
  const incident: StoredIncident = {
    id: r.uuid(),
    name: title.replaceAll('{svc}', svc),
    description: text.replaceAll('{svc}', svc),
    state: progress === 'resolved' ? 'INCIDENT_STATE_RESOLVED' : 'INCIDENT_STATE_TRIGGERED',
    status:
      progress === 'resolved'
        ? 'INCIDENT_STATUS_RESOLVED'
        : progress === 'acknowledged'
          ? 'INCIDENT_STATUS_ACKNOWLEDGED'
          : 'INCIDENT_STATUS_TRIGGERED',
    severity: r.pick(SEVERITIES),
    assignments,
    contextualLabels: {
      alert_name: title.replaceAll('{svc}', svc),
      application: svc,
      subsystem: `${svc}-api`,
    },
    displayLabels: { team, env },
    events,
    createdAt: iso(openedMs),
    lastStateUpdateTime: iso(last.at),
    lastStateUpdateKey: r.uuid(),
    duration: `${Math.round(((closedMs ?? now) - openedMs) / 1000)}s`,
    isMuted: r.next() < 0.1,
    metaLabels: [
      { key: 'team', value: team },
      { key: 'env', value: env },
      { key: 'region', value: r.pick(REGIONS) },
    ],
  };
  if (closedMs !== undefined) incident.closedAt = iso(closedMs);
  return incident;
}
