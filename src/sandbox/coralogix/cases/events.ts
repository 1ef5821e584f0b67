/**
 * The Activity timeline of the Cases emulator (CaseEventsService, S1
 * `specs/case_events_service.json` at 4464b2b3): ListEvents
 * (`GET /cases/cases/v1/{case_id}/events`, no query parameters, every event
 * of the case), GetEvent (`GET /cases/events/v1/{event_id}`, 404 "Event not
 * found"), CreateComment (`POST /cases/cases/v1/{case_id}/comments`),
 * UpdateComment and DeleteComment (`PUT|DELETE
 * /cases/events/v1/{event_id}/comments`, 404 "Event not found"; delete
 * answers `{}`). A comment's request `text` is stored as `unsafeText`,
 * trimmed, 1–10000; up to 100 attachments.
 *
 * Sandbox readings (UNCONFIRMED, docs/sandbox.md): ListEvents answers newest
 * first by `eventTime` (ties: the later write first); clients must not rely
 * on any order. Comments do not change the case (no `updateTime`). Updating
 * a comment replaces its text and attachments (absent attachments: none) and
 * sets the event's `updateTime`; anyone may edit or delete any comment; an
 * event that is not a comment is refused (400). Comments may be added in
 * every status. A deleted comment is gone from ListEvents and GetEvent.
 */
import { randomUUID } from 'node:crypto';
import {
  CASE_LIMITS,
  EVENT_ID_PATTERN,
  type CaseEvent,
  type CommentAttachment,
  type EventActor,
} from '../../../upstreams/coralogix/cases/types.js';
import { invalidArgument, notFound } from '../errors.js';
import { requireObject, timestamp } from '../list-query.js';
import { cloneJson } from '../store.js';
import { trimmedText } from './request.js';
import type { CaseRecord, CaseStore } from './store.js';

/** Every event of a case, newest first by `eventTime`, later insertions first on ties. */
export function timeline(record: CaseRecord): CaseEvent[] {
  return record.events
    .map((event, i) => ({ event, i, at: Date.parse(event.eventTime) }))
    .sort((a, b) => b.at - a.at || b.i - a.i)
    .map(({ event }) => cloneJson(event));
}

export function findEvent(
  store: CaseStore,
  eventId: string,
): { record: CaseRecord; event: CaseEvent } {
  const record = store.ownerOfEvent(eventId);
  const event = record?.events.find((e) => e.eventId === eventId);
  if (!record || !event) throw notFound(`Event not found: ${eventId}`);
  return { record, event };
}

export interface CommentInput {
  text: string;
  attachments?: CommentAttachment[];
}

export function parseComment(body: Record<string, unknown>): CommentInput {
  const text = trimmedText(body.text, 'text', CASE_LIMITS.maxCommentLength);
  if (text === undefined) throw invalidArgument('text is required');
  if (body.attachments == null) return { text };
  if (!Array.isArray(body.attachments)) throw invalidArgument('attachments must be an array');
  if (body.attachments.length > CASE_LIMITS.maxCommentAttachments) {
    throw invalidArgument(`attachments: at most ${CASE_LIMITS.maxCommentAttachments}`);
  }
  return { text, attachments: body.attachments.map((a, i) => attachment(a, `attachments[${i}]`)) };
}

export function addComment(
  store: CaseStore,
  record: CaseRecord,
  input: CommentInput,
  actor: EventActor,
  nowMs: number,
): CaseEvent {
  const at = new Date(nowMs).toISOString();
  const event: CaseEvent = {
    eventId: randomUUID(),
    eventData: { comment: commentData(input) },
    actor: cloneJson(actor),
    createTime: at,
    eventTime: at,
  };
  store.addEvent(record, event);
  store.touch();
  return cloneJson(event);
}

export function updateComment(
  store: CaseStore,
  eventId: string,
  input: CommentInput,
  nowMs: number,
): CaseEvent {
  const { event } = findEvent(store, eventId);
  requireComment(event);
  event.eventData = { comment: { ...event.eventData.comment, ...commentData(input) } };
  if (input.attachments === undefined) delete event.eventData.comment?.attachments;
  event.updateTime = new Date(nowMs).toISOString();
  store.touch();
  return cloneJson(event);
}

export function deleteComment(store: CaseStore, eventId: string): void {
  const { record, event } = findEvent(store, eventId);
  requireComment(event);
  store.removeEvent(record, event.eventId);
  store.touch();
}

function requireComment(event: CaseEvent): void {
  if (!event.eventData.comment) {
    throw invalidArgument(`event ${event.eventId} is not a comment`);
  }
}

function commentData(input: CommentInput) {
  return input.attachments === undefined
    ? { unsafeText: input.text }
    : { unsafeText: input.text, attachments: input.attachments };
}

const UUID_OF = (raw: unknown, path: string): string => {
  if (typeof raw !== 'string' || !EVENT_ID_PATTERN.test(raw))
    throw invalidArgument(`${path} must be a UUID`);
  return raw;
};

const required = (raw: unknown, path: string, max: number): string => {
  const text = trimmedText(raw, path, max);
  if (text === undefined) throw invalidArgument(`${path} is required`);
  return text;
};

const optionalSuffix = (raw: unknown, path: string): { queryLinkSuffix?: string } => {
  if (raw == null) return {};
  if (typeof raw !== 'string' || raw.length > 4096) {
    throw invalidArgument(`${path} must be a string of at most 4096 characters`);
  }
  return { queryLinkSuffix: raw };
};

function file(raw: unknown, path: string) {
  const f = requireObject(raw, path);
  if (typeof f.isDeleted !== 'boolean') throw invalidArgument(`${path}.isDeleted is required`);
  return {
    fileId: UUID_OF(f.fileId, `${path}.fileId`),
    fileName: required(f.fileName, `${path}.fileName`, 4096),
    isDeleted: f.isDeleted,
  };
}

/** `CommentAttachment` oneOf: exactly one of file, log and customWidget, each with its required members. */
function attachment(raw: unknown, path: string): CommentAttachment {
  const a = requireObject(raw, path);
  const kinds = (['file', 'log', 'customWidget'] as const).filter((k) => a[k] != null);
  if (kinds.length !== 1)
    throw invalidArgument(`${path}: set exactly one of file, log and customWidget`);
  if (a.file != null) return { file: file(a.file, `${path}.file`) };
  if (a.log != null) {
    const log = requireObject(a.log, `${path}.log`);
    timestamp(log.logTimestamp, `${path}.log.logTimestamp`);
    return {
      log: {
        logId: UUID_OF(log.logId, `${path}.log.logId`),
        logTimestamp: log.logTimestamp as string,
        logContent: required(log.logContent, `${path}.log.logContent`, 10_000),
        ...optionalSuffix(log.queryLinkSuffix, `${path}.log.queryLinkSuffix`),
      },
    };
  }
  const widget = requireObject(a.customWidget, `${path}.customWidget`);
  return {
    customWidget: {
      customDashboardId: required(
        widget.customDashboardId,
        `${path}.customWidget.customDashboardId`,
        4096,
      ),
      widgetId: required(widget.widgetId, `${path}.customWidget.widgetId`, 4096),
      widgetScreenshot: file(widget.widgetScreenshot, `${path}.customWidget.widgetScreenshot`),
      ...optionalSuffix(widget.queryLinkSuffix, `${path}.customWidget.queryLinkSuffix`),
    },
  };
}
