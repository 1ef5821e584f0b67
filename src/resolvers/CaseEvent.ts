/**
 * `CaseEvent` (an entry of a case's Activity timeline) and `CaseActor`. The
 * API has no type fields: an event's kind is the one member of `eventData`
 * present, an actor's the one member of `actor` (the checker logged the
 * members it did not know).
 */
import type {
  CaseActorKind,
  CaseActorResolvers,
  CaseEventKind,
  CaseEventResolvers,
} from '../__generated__/resolvers-types.js';
import { actorKindOf, eventKindOf } from '../upstreams/coralogix/cases/events.js';
import type {
  CaseEventKindWire,
  EventActor,
  EventActorKindWire,
} from '../upstreams/coralogix/cases/types.js';

const KINDS: Record<CaseEventKindWire, CaseEventKind> = {
  created: 'CREATED',
  statusChanged: 'STATUS_CHANGED',
  assigned: 'ASSIGNED',
  unassigned: 'UNASSIGNED',
  comment: 'COMMENT',
  priorityDetailsChanged: 'PRIORITY_CHANGED',
  titleChangedEvent: 'TITLE_CHANGED',
  resolutionReasonChangedEvent: 'RESOLUTION_REASON_CHANGED',
  notificationSent: 'NOTIFICATION_SENT',
  notificationFailed: 'NOTIFICATION_FAILED',
  kpiBreached: 'KPI_BREACHED',
  changeAssigneeFailed: 'CHANGE_ASSIGNEE_FAILED',
};

const ACTORS: Record<EventActorKindWire, CaseActorKind> = {
  system: 'SYSTEM',
  user: 'USER',
  apiKey: 'API_KEY',
  slack: 'SLACK',
  serviceNow: 'SERVICE_NOW',
  pagerDuty: 'PAGER_DUTY',
  prometheusAlertManager: 'PROMETHEUS_ALERT_MANAGER',
  microsoftTeams: 'MICROSOFT_TEAMS',
};

export const CaseEvent: CaseEventResolvers = {
  id: (event) => event.eventId,
  at: (event) => event.eventTime,
  kind: (event) => {
    const kind = eventKindOf(event);
    return kind ? KINDS[kind] : 'UNKNOWN';
  },
  actor: (event) => (Object.keys(event.actor).length > 0 ? event.actor : null),
  text: (event) => event.eventData.comment?.unsafeText ?? null,
  detail: (event) => {
    const kind = eventKindOf(event);
    return kind ? event.eventData[kind] : event.eventData;
  },
  recordedAt: (event) => event.createTime || null,
  editedAt: (event) => event.updateTime ?? null,
};

/** The Coralogix user, name and e-mail an actor names, whatever its kind. */
function describe(actor: EventActor) {
  const external = actor.slack ?? actor.serviceNow ?? actor.pagerDuty ?? actor.microsoftTeams;
  const userId = actor.user?.id ?? external?.coralogixUserId;
  return {
    user: userId ? { userId } : null,
    name:
      actor.apiKey?.name ??
      actor.slack?.displayName ??
      actor.serviceNow?.username ??
      actor.pagerDuty?.displayName ??
      actor.microsoftTeams?.displayName ??
      actor.prometheusAlertManager?.receiverName ??
      null,
    email: external?.userEmail ?? null,
  };
}

export const CaseActor: CaseActorResolvers = {
  kind: (actor) => {
    const kind = actorKindOf(actor);
    return kind ? ACTORS[kind] : 'UNKNOWN';
  },
  user: (actor) => describe(actor).user,
  name: (actor) => describe(actor).name,
  email: (actor) => describe(actor).email,
};
