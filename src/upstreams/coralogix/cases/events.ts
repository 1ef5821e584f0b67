/**
 * Reading case events (S1 `specs/case_events_service.json`, coralogix-management-sdk
 * 4464b2b3): the API has no type field, so an event's kind is the one member
 * present in `eventData` (and an actor's kind the one member of `actor`);
 * ListEvents has no order the spec guarantees, so the gateway sorts.
 */
import { CASE_EVENT_KINDS, EVENT_ACTOR_KINDS } from './enums.js';
import type { CaseEventKindWire, EventActorKindWire } from './enums.js';
import type { CaseEvent, EventActor } from './types.js';

/** The member of a oneOf object that is present (set and not null), among `known`. */
function memberOf<K extends string>(value: object | undefined, known: readonly K[]): K | undefined {
  if (!value) return undefined;
  const record = value as Record<string, unknown>;
  return known.find((key) => record[key] !== undefined && record[key] !== null);
}

/** The event's kind, or undefined when `eventData` holds no member this gateway knows. */
export const eventKindOf = (event: Pick<CaseEvent, 'eventData'>): CaseEventKindWire | undefined =>
  memberOf(event.eventData, CASE_EVENT_KINDS);

/** The actor's kind, or undefined when it holds no member this gateway knows. */
export const actorKindOf = (actor: EventActor | undefined): EventActorKindWire | undefined =>
  memberOf(actor, EVENT_ACTOR_KINDS);

/** The members of an object set to something (to name what an unknown oneOf holds). */
export const presentKeys = (value: object | undefined): string[] =>
  Object.entries(value ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key]) => key);

const msOf = (value: string | undefined) => {
  const ms = Date.parse(value ?? '');
  return Number.isNaN(ms) ? 0 : ms;
};

/**
 * Oldest first: by `eventTime`, then by when Coralogix recorded it
 * (`createTime`), then by event id, so equal instants keep one stable order.
 */
export function oldestFirst(a: CaseEvent, b: CaseEvent): number {
  return (
    msOf(a.eventTime) - msOf(b.eventTime) ||
    msOf(a.createTime) - msOf(b.createTime) ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}
