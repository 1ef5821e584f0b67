/**
 * Deterministic sandbox data: the same seed always yields the same incidents,
 * timelines, SLAs and roles. OneUptime `incidentId` is the Coralogix incident
 * `id` (the identity link the gateway joins on).
 */
import type { Assignment, IncidentEvent } from '../upstreams/coralogix/types.js';
import type { StoredIncident } from './coralogix/store.js';
import type {
  IncidentRoleRecord,
  IncidentSlaRecord,
  SlaStatusWire,
  StateTimelineRecord,
} from '../upstreams/oneuptime/types.js';
import {
  ENVS,
  PROBLEMS,
  REGIONS,
  ROLE_ICONS,
  ROLES,
  SERVICES,
  SEVERITIES,
  STATE_NAMES,
  TEAMS,
} from './seedVocabulary.js';
import { slaInstants } from './seedSla.js';

export const DEFAULT_SEED = 20261123;

export interface SeedUser {
  id: string;
  email: string;
}

export interface IncidentStateDef {
  id: string;
  name: string;
  order: number;
}

/** A seeded OneUptime row: the columns the gateway reads plus the ones the server sets. */
export type SeedRow<R> = R & {
  projectId: string;
  createdAt: string;
  updatedAt: string;
  createdByUserId?: string | null;
  [column: string]: unknown;
};

export interface SeedData {
  projectId: string;
  users: SeedUser[];
  incidentStates: IncidentStateDef[];
  slaRuleIds: string[];
  incidents: StoredIncident[];
  stateTimelines: Array<SeedRow<StateTimelineRecord>>;
  slas: Array<SeedRow<IncidentSlaRecord>>;
  roles: Array<SeedRow<IncidentRoleRecord>>;
}

/** mulberry32: small, fast, good enough for fixtures. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return { next, int, pick, uuid };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | undefined) => (ms === undefined ? null : iso(ms));
const MINUTE = 60_000;

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Every instant is an offset back from `nowMs` (the sandbox's start time by
 * default), so ages, durations and SLA states read true on any day, next to
 * the current time that writes stamp; the random draws, and so every id, name
 * and state, depend on `seed` alone. Pass a fixed `nowMs` for fixed instants.
 */
export function generateSeed(
  seed = DEFAULT_SEED,
  incidentCount = 300,
  nowMs = Date.now(),
): SeedData {
  const r = createRandom(seed);
  const projectId = r.uuid();
  const users = Array.from({ length: 12 }, (_, i) => ({
    id: r.uuid(),
    email: `${['alex', 'sam', 'kim', 'ana', 'lee', 'noor', 'ivan', 'mia', 'omar', 'zoe', 'raj', 'eva'][i]}@example.com`,
  }));
  const incidentStates = STATE_NAMES.map((name, i) => ({ id: r.uuid(), name, order: i + 1 }));
  const slaRuleIds = [r.uuid(), r.uuid(), r.uuid()];
  const roles: SeedData['roles'] = ROLES.map(
    ([name, description, color, primary, deleteable], i) => {
      const createdAt = iso(nowMs - (400 - i) * 24 * 60 * MINUTE);
      return {
        _id: r.uuid(),
        projectId,
        name,
        slug: slugify(name),
        description,
        color,
        roleIcon: ROLE_ICONS[i] ?? null,
        isPrimaryRole: primary,
        isDeleteable: deleteable,
        canAssignMultipleUsers: !primary && i % 2 === 0,
        createdAt,
        updatedAt: createdAt,
        createdByUserId: users[0]!.id,
      };
    },
  );

  const incidents: StoredIncident[] = [];
  const stateTimelines: SeedData['stateTimelines'] = [];
  const slas: SeedData['slas'] = [];
  const slaCycle: SlaStatusWire[] = [
    'On Track',
    'At Risk',
    'Response Breached',
    'Resolution Breached',
    'Met',
  ];
  let slaTurn = 0;

  for (let n = 0; n < incidentCount; n++) {
    const id = r.uuid();
    const svc = r.pick(SERVICES);
    const [title, text] = r.pick(PROBLEMS);
    const ageMs = r.int(10, 60 * 24 * 60) * MINUTE;
    const resolved = r.next() < 0.45;
    const acknowledged = resolved || r.next() < 0.4;
    const team = r.pick(TEAMS);
    const env = r.pick(ENVS);
    const timelineLength = resolved ? r.int(2, 6) : r.int(1, 5);
    const stateIdx = pickStates(r, timelineLength, resolved);
    let at = 0;
    const entryOffsets = stateIdx.map((_, i) => (i === 0 ? 0 : (at += r.int(3, 240) * MINUTE)));
    // Opened `ageMs` ago, or earlier when its timeline would otherwise end less than
    // ten minutes ago (or in the future).
    const createdMs = nowMs - Math.max(ageMs, (entryOffsets.at(-1) as number) + 10 * MINUTE);
    const entryTimes = entryOffsets.map((offset) => createdMs + offset);
    const closedMs = resolved ? (entryTimes.at(-1) as number) : undefined;
    const lastUpdate = closedMs ?? (entryTimes.at(-1) as number);
    const events: IncidentEvent[] = [];
    const assignments: Assignment[] = [];
    const systemEvent = (type: IncidentEvent['incidentEventType'], extra: Partial<IncidentEvent>) =>
      events.push({
        id: r.uuid(),
        incidentEventType: type,
        originatorType: 'ORIGINATOR_TYPE_OPERATIONAL',
        operationalEvent: { systemName: 'alerts' },
        ...extra,
      });
    const userEvent = (
      type: IncidentEvent['incidentEventType'],
      userId: string,
      extra: Partial<IncidentEvent>,
    ) =>
      events.push({
        id: r.uuid(),
        incidentEventType: type,
        originatorType: 'ORIGINATOR_TYPE_ADMINISTRATIVE',
        administrativeEvent: { userId },
        ...extra,
      });
    systemEvent('INCIDENT_EVENT_TYPE_OPEN', {});
    systemEvent('INCIDENT_EVENT_TYPE_UPSERT_STATE', {
      upsertState: {
        stateType: 'UPSERT_INCIDENT_STATE_TYPE_TRIGGERED',
        payload: { cxEventKey: r.uuid() },
        isMuted: false,
      },
    });
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
          startTime: iso(createdMs + 5 * MINUTE),
          durationMinutes: r.pick([15, 30, 60, 120]),
          userId,
        },
      });
    }
    if (acknowledged) {
      const userId = assignments[0]?.assignedTo?.userId ?? r.pick(users).id;
      userEvent('INCIDENT_EVENT_TYPE_ACKNOWLEDGE', userId, {
        acknowledge: { acknowledgedBy: { userId } },
      });
    }
    if (resolved) {
      systemEvent('INCIDENT_EVENT_TYPE_UPSERT_STATE', {
        upsertState: {
          stateType: 'UPSERT_INCIDENT_STATE_TYPE_RESOLVED',
          payload: { cxEventKey: r.uuid() },
          isMuted: false,
        },
      });
      const userId = r.pick(users).id;
      userEvent('INCIDENT_EVENT_TYPE_CLOSE', userId, { close: { closedBy: { userId } } });
    }
    const incident: StoredIncident = {
      id,
      name: title.replaceAll('{svc}', svc),
      description: text.replaceAll('{svc}', svc),
      state: resolved ? 'INCIDENT_STATE_RESOLVED' : 'INCIDENT_STATE_TRIGGERED',
      status: resolved
        ? 'INCIDENT_STATUS_RESOLVED'
        : acknowledged
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
      createdAt: iso(createdMs),
      lastStateUpdateTime: iso(lastUpdate),
      lastStateUpdateKey: r.uuid(),
      duration: `${Math.round(((closedMs ?? nowMs) - createdMs) / 1000)}s`,
      isMuted: r.next() < 0.1,
      metaLabels: [
        { key: 'team', value: team },
        { key: 'env', value: env },
        { key: 'region', value: r.pick(REGIONS) },
      ],
    };
    if (closedMs !== undefined) incident.closedAt = iso(closedMs);
    incidents.push(incident);

    stateIdx.forEach((s, i) => {
      const startsAt = entryTimes[i] as number;
      const next = entryTimes[i + 1];
      const byUser = i > 0 && r.next() < 0.7 ? r.pick(users).id : null;
      const state = incidentStates[s]!;
      stateTimelines.push({
        _id: r.uuid(),
        projectId,
        incidentId: id,
        incidentStateId: state.id,
        startsAt: iso(startsAt),
        endsAt: next === undefined ? null : iso(next),
        rootCause: i === 0 ? null : `Moved to ${state.name} after review of ${svc} dashboards.`,
        stateChangeLog: {
          from: i === 0 ? null : incidentStates[stateIdx[i - 1]!]!.name,
          to: state.name,
        },
        shouldStatusPageSubscribersBeNotified: env === 'production',
        subscriberNotificationStatus: env === 'production' ? 'Success' : 'Skipped',
        createdByUserId: byUser,
        createdAt: iso(startsAt),
        updatedAt: iso(next ?? startsAt),
      });
    });

    const slaCount = r.int(0, 3);
    for (let k = 0; k < slaCount; k++) {
      const status = slaStatusFor(resolved, slaCycle[slaTurn++ % slaCycle.length]!);
      const startedMs = createdMs;
      const responseWindowMs = r.pick([15, 30, 60]) * MINUTE;
      const resolutionWindowMs = r.pick([4, 8, 24]) * 60 * MINUTE;
      // Drawn in the order the fields were before, so the fixed seed keeps its ids.
      const slaId = r.uuid();
      const times = slaInstants(status, {
        startedMs,
        nowMs,
        closedMs,
        respondedAfterMs: acknowledged ? r.int(2, 90) * MINUTE : undefined,
        responseWindowMs,
        resolutionWindowMs,
      });
      slas.push({
        _id: slaId,
        projectId,
        incidentId: id,
        incidentSlaRuleId: slaRuleIds[k % slaRuleIds.length]!,
        status,
        slaStartedAt: iso(startedMs),
        responseDeadline: iso(times.responseDeadline),
        resolutionDeadline: iso(times.resolutionDeadline),
        respondedAt: isoOrNull(times.respondedAt),
        resolvedAt: isoOrNull(closedMs),
        breachNotificationSentAt: isoOrNull(times.breachNotificationSentAt),
        lastInternalNoteReminderSentAt: null,
        lastPublicNoteReminderSentAt: null,
        createdAt: iso(startedMs),
        updatedAt: iso(lastUpdate),
      });
    }
  }
  return { projectId, users, incidentStates, slaRuleIds, incidents, stateTimelines, slas, roles };
}

/** Strictly increasing state indexes (OneUptime rejects going backwards), ending in Resolved when resolved. */
function pickStates(
  r: ReturnType<typeof createRandom>,
  length: number,
  resolved: boolean,
): number[] {
  const last = STATE_NAMES.length - 1;
  const middle = [1, 2, 3, 4]
    .filter(() => r.next() < 0.6)
    .slice(0, Math.max(0, length - (resolved ? 2 : 1)));
  const states = [0, ...middle];
  if (resolved) states.push(last);
  return states;
}

/** SLA statuses that fit the incident: resolved ones are Met or breached, open ones not Met. */
function slaStatusFor(resolved: boolean, wanted: SlaStatusWire): SlaStatusWire {
  if (resolved) return wanted === 'Met' || wanted.includes('Breached') ? wanted : 'Met';
  return wanted === 'Met' ? 'On Track' : wanted;
}
