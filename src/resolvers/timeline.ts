/**
 * The merged timeline of one incident (`Incident.timeline`): its Coralogix
 * events and the state changes and responders of its linked OneUptime
 * incident, in one order, as a Relay connection.
 *
 * Each entry's sort key is `[instant ms, rank, sequence, id]`: rank 0 for
 * Coralogix events (sequence = their index in Coralogix's order), 1 for
 * OneUptime state changes, 2 for responders (sequence 0, id = `createdAt|_id`,
 * so entries of one instant keep a stable order). A cursor is the key of its
 * edge, so a page resumes right after that entry even when entries were added
 * meanwhile. An event with no known instant takes the key instant of the
 * event before it in Coralogix's order (its index puts it right after).
 */
import type { GatewayContext } from '../context.js';
import type { EventInstant } from '../upstreams/coralogix/incidents/eventLoaders.js';
import type { Incident, IncidentEvent } from '../upstreams/coralogix/incidents/types.js';
import type { IncidentMemberRecord, StateTimelineRecord } from '../upstreams/oneuptime/types.js';
import { fingerprint, invalidCursor, toPage, type Page } from './pagination.js';

export type TimelineNode = IncidentEvent | StateTimelineRecord | IncidentMemberRecord;
export type TimelinePrecision = 'EXACT' | 'FROM_INCIDENT' | 'ORDER_ONLY';
type SortKey = [number, number, number, string];

export interface TimelineEntry {
  node: TimelineNode;
  at: string | null;
  precision: TimelinePrecision;
  source: 'CORALOGIX' | 'ONEUPTIME';
  key: SortKey;
}

export interface TimelineEdge extends Omit<TimelineEntry, 'key'> {
  cursor: string;
}

export interface TimelineConnection extends Omit<Page<TimelineEntry>, 'edges'> {
  edges: TimelineEdge[];
}

const RANK = { coralogix: 0, stateChange: 1, responder: 2 } as const;

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0;
}

const msOf = (value: string | null | undefined): number | undefined => {
  const ms = Date.parse(value ?? '');
  return Number.isNaN(ms) ? undefined : ms;
};

/** The instant the incident itself states for an event, if it states one. */
function statedInstant(incident: Incident, event: IncidentEvent): string | undefined {
  switch (event.incidentEventType) {
    case 'INCIDENT_EVENT_TYPE_OPEN':
      return incident.createdAt;
    case 'INCIDENT_EVENT_TYPE_CLOSE':
      return incident.closedAt;
    default: {
      const key = event.upsertState?.payload?.cxEventKey;
      return key && key === incident.lastStateUpdateKey ? incident.lastStateUpdateTime : undefined;
    }
  }
}

function coralogixEntries(
  incident: Incident,
  instants: ReadonlyMap<string, EventInstant>,
): TimelineEntry[] {
  let previous = msOf(incident.createdAt) ?? 0;
  return incident.events.map((event, index) => {
    const exact = event.id ? instants.get(event.id)?.at : undefined;
    const stated = exact === undefined ? statedInstant(incident, event) : undefined;
    const at = exact ?? (msOf(stated) === undefined ? undefined : stated);
    const precision: TimelinePrecision = exact
      ? 'EXACT'
      : at !== undefined
        ? 'FROM_INCIDENT'
        : 'ORDER_ONLY';
    const ms = msOf(at) ?? previous;
    previous = ms;
    return {
      node: event,
      at: at === undefined ? null : new Date(ms).toISOString(),
      precision,
      source: 'CORALOGIX',
      key: [ms, RANK.coralogix, index, event.id ?? ''],
    };
  });
}

/** A OneUptime row with its instant; rows without one are left out (nothing to place them by). */
function oneUptimeEntry(
  node: StateTimelineRecord | IncidentMemberRecord,
  instant: string | null | undefined,
  rank: number,
): TimelineEntry[] {
  const ms = msOf(instant);
  if (ms === undefined) return [];
  return [
    {
      node,
      at: new Date(ms).toISOString(),
      precision: 'EXACT',
      source: 'ONEUPTIME',
      key: [ms, rank, 0, `${node.createdAt ?? ''}|${node._id}`],
    },
  ];
}

export function mergeTimeline(
  incident: Incident,
  instants: ReadonlyMap<string, EventInstant>,
  stateChanges: readonly StateTimelineRecord[],
  responders: readonly IncidentMemberRecord[],
): TimelineEntry[] {
  return [
    ...coralogixEntries(incident, instants),
    ...stateChanges.flatMap((row) => oneUptimeEntry(row, row.startsAt, RANK.stateChange)),
    ...responders.flatMap((row) => oneUptimeEntry(row, row.createdAt, RANK.responder)),
  ].sort((a, b) => compareKeys(a.key, b.key));
}

/** The cursor's sort key, checked before any upstream call. */
export function timelineCursor(ctx: GatewayContext, incidentId: string, after: string): SortKey {
  const { key } = ctx.cursors.decode(after, 'key', fingerprint({ timeline: incidentId }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    throw invalidCursor();
  }
  const [ms, rank, seq, id] = Array.isArray(parsed) ? (parsed as unknown[]) : [];
  const numbers = [ms, rank, seq].every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!Array.isArray(parsed) || parsed.length !== 4 || !numbers || typeof id !== 'string') {
    throw invalidCursor();
  }
  return parsed as SortKey;
}

/** `first` entries after the cursor's key. */
export function timelinePage(
  ctx: GatewayContext,
  incidentId: string,
  entries: readonly TimelineEntry[],
  first: number,
  after: SortKey | undefined,
): TimelineConnection {
  const print = fingerprint({ timeline: incidentId });
  const found = after ? entries.findIndex((entry) => compareKeys(entry.key, after) > 0) : 0;
  const start = found === -1 ? entries.length : found;
  const slice = entries.slice(start, start + first);
  const cursorAt = (i: number) =>
    ctx.cursors.encode({
      kind: 'key',
      key: JSON.stringify((slice[i] as TimelineEntry).key),
      fingerprint: print,
    });
  const page = toPage(slice, cursorAt, {
    hasNextPage: start + slice.length < entries.length,
    hasPreviousPage: after !== undefined,
    totalCount: entries.length,
  });
  return {
    ...page,
    edges: page.edges.map(({ cursor, node: entry }) => ({
      cursor,
      node: entry.node,
      at: entry.at,
      precision: entry.precision,
      source: entry.source,
    })),
  };
}
