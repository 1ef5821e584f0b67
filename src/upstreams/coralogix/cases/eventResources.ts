/**
 * The Coralogix case event (an entry of a case's Activity timeline) as the
 * gateway reads it: one declaration of each wire shape, from which the types
 * are inferred. Source: S1 = coralogix/coralogix-management-sdk 4464b2b3
 * `specs/case_events_service.json` (last changed in 47bbf001), the same
 * shapes as S2 = coralogix/cx-api-docs e509de6 `openapi_v5.yaml` apart from
 * the members marked S1 only. The event has no type field: its kind is the
 * one key present in `eventData` (`CASE_EVENT_KINDS`); actors and
 * attachments are oneOf objects too, declared with every variant optional.
 */
import { s, type Infer } from '../../shape.js';
import { CASE_PRIORITIES, CASE_STATUSES, KPI_TYPES } from './enums.js';
import { PRIORITY_DETAILS } from './resources.js';

const MARKER = s.object({});

/** `EventActor` oneOf: who made an event. A write through the API is its key's user (or `apiKey` for a team key). */
export const EVENT_ACTOR = s.object({
  system: MARKER,
  user: s.object({ id: s.string }),
  apiKey: s.object({ id: s.string, name: s.string }),
  slack: s.object({
    slackUserId: s.string,
    displayName: s.string,
    userEmail: s.string,
    coralogixUserId: s.string,
  }),
  serviceNow: s.object({
    id: s.string,
    username: s.string,
    userEmail: s.string,
    coralogixUserId: s.string,
  }),
  pagerDuty: s.object({
    pagerDutyUserId: s.string,
    displayName: s.string,
    userEmail: s.string,
    coralogixUserId: s.string,
  }),
  prometheusAlertManager: s.object({ receiverName: s.string }),
  /** S1 only. */
  microsoftTeams: s.object({
    teamsUserId: s.string,
    displayName: s.string,
    userEmail: s.string,
    coralogixUserId: s.string,
  }),
});

const FILE_ATTACHMENT = s.object({ fileId: s.string, fileName: s.string, isDeleted: s.boolean });

/** `CommentAttachment` oneOf. */
export const COMMENT_ATTACHMENT = s.object({
  file: FILE_ATTACHMENT,
  log: s.object({
    logId: s.string,
    logTimestamp: s.string,
    logContent: s.string,
    queryLinkSuffix: s.string,
  }),
  customWidget: s.object({
    customDashboardId: s.string,
    widgetId: s.string,
    widgetScreenshot: FILE_ATTACHMENT,
    queryLinkSuffix: s.string,
  }),
});

/** `CommentCaseEvent`: the request's `text` is stored as `unsafeText`; `slack` / `microsoftTeams` say where it came from. */
export const COMMENT_EVENT = s.object({
  unsafeText: s.string,
  attachments: s.array(COMMENT_ATTACHMENT),
  slack: s.object({
    workspaceId: s.string,
    channelId: s.string,
    threadId: s.string,
    userId: s.string,
    userEmail: s.string,
  }),
  microsoftTeams: s.object({
    tenantId: s.string,
    teamId: s.string,
    channelId: s.string,
    messageId: s.string,
    messageUrl: s.string,
    userId: s.string,
    userEmail: s.string,
  }),
});

/** `CaseEventData` oneOf: the key present is the event's kind (`CASE_EVENT_KINDS`). */
export const CASE_EVENT_DATA = s.object({
  assigned: s.object({ assigneeUserId: s.string, previousAssigneeUserId: s.string }),
  unassigned: s.object({ previousAssigneeUserId: s.string }),
  comment: COMMENT_EVENT,
  statusChanged: s.object({
    oldStatus: s.oneOf(CASE_STATUSES),
    newStatus: s.oneOf(CASE_STATUSES),
  }),
  notificationSent: s.object({
    notificationRequestId: s.string,
    notifications: s.array(s.object({ token: s.string })),
  }),
  notificationFailed: s.object({ error: s.string }),
  created: s.object({ priority: s.oneOf(CASE_PRIORITIES) }),
  priorityDetailsChanged: s.object({ from: PRIORITY_DETAILS, to: PRIORITY_DETAILS }),
  titleChangedEvent: s.object({ from: s.string, to: s.string }),
  resolutionReasonChangedEvent: s.object({ from: s.string, to: s.string }),
  changeAssigneeFailed: s.object({
    unknownAssigneeError: s.object({ unknownAssigneeEmail: s.string }),
  }),
  /** `threshold` is a protobuf Duration string, e.g. `"300s"`. */
  kpiBreached: s.object({
    kpiType: s.oneOf(KPI_TYPES),
    priority: s.oneOf(CASE_PRIORITIES),
    threshold: s.string,
  }),
});

/** `CaseEvent`: an immutable entry of a case's Activity timeline (comments can be edited). */
export const CASE_EVENT = s.object({
  /** UUID (either case of hex digits in the spec's pattern). */
  eventId: s.string,
  eventData: CASE_EVENT_DATA,
  actor: EVENT_ACTOR,
  /** When the server inserted the event. */
  createTime: s.string,
  /** When the event logically happened: the instant to order a timeline by. */
  eventTime: s.string,
  /** Set when a comment was edited. */
  updateTime: s.string,
});

/** `v1.ListEventsResponse`: every event of one case, no paging. */
export const LIST_EVENTS_RESPONSE = s.object({ events: s.array(CASE_EVENT) });
/** GetEvent, CreateComment and UpdateComment answer `{event}`. */
export const EVENT_RESPONSE = s.object({ event: CASE_EVENT });

export type EventActor = Infer<typeof EVENT_ACTOR>;
export type CommentAttachment = Infer<typeof COMMENT_ATTACHMENT>;
export type CommentEvent = Infer<typeof COMMENT_EVENT>;
export type CaseEventData = Infer<typeof CASE_EVENT_DATA>;
export type CaseEventWire = Infer<typeof CASE_EVENT>;
export type ListEventsResponseWire = Infer<typeof LIST_EVENTS_RESPONSE>;
export type EventResponseWire = Infer<typeof EVENT_RESPONSE>;
