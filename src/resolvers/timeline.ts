/**
 * The merged timeline of one incident (`Incident.timeline`) or case
 * (`Case.timeline`): its Coralogix events and the state changes and
 * responders of its linked OneUptime incident, in one order, as a Relay
 * connection.
 *
 * Each entry's sort key is `[instant ms, rank, sequence, id]`: rank 0 for
 * Coralogix events (sequence = their index in Coralogix's order), 1 for
 * OneUptime state changes, 2 for responders (sequence 0, id = `createdAt|_id`,
 * so entries of one instant keep a stable order). A cursor is the key of its
 * edge, so a page resumes right after that entry even when entries were added
 * meanwhile. An event with no known instant takes the key instant of the
 * event before it in Coralogix's order (its index puts it right after).
 * Case events all carry their instant (`eventTime`): sequence = their index
 * oldest first.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { Link } from '../links/index.js';
import type { CaseEvent } from '../upstreams/coralogix/cases/types.js';
import type { EventInstant } from '../upstreams/coralogix/incidents/eventLoaders.js';
import type { Incident, IncidentEvent } from '../upstreams/coralogix/incidents/types.js';
import type { IncidentMemberRecord, StateTimelineRecord } from '../upstreams/oneuptime/types.js';
import { columnsFor } from './columns.js';
import { fingerprint, invalidCursor, toPage, type Page } from './pagination.js';

type OneUptimeNode = StateTimelineRecord | IncidentMemberRecord;
export type IncidentTimelineNode = IncidentEvent | OneUptimeNode;
export type CaseTimelineNode = CaseEvent | OneUptimeNode;
export type TimelineNode = IncidentTimelineNode | CaseTimelineNode;
export type TimelinePrecision = 'EXACT' | 'FROM_INCIDENT' | 'ORDER_ONLY';
type SortKey = [number, number, number, string];

export interface TimelineEntry<N extends TimelineNode = TimelineNode> {
  node: N;
  at: string | null;
  precision: TimelinePrecision;
  source: 'CORALOGIX' | 'ONEUPTIME';
  key: SortKey;
}

export interface TimelineEdge<N extends TimelineNode = TimelineNode> extends Omit<
  TimelineEntry<N>,
  'key'
> {
  cursor: string;
}

export interface TimelineConnection<N extends TimelineNode = TimelineNode> extends Omit<
  Page<TimelineEntry<N>>,
  'edges'
> {
  edges: Array<TimelineEdge<N>>;
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
): Array<TimelineEntry<IncidentEvent>> {
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
  node: OneUptimeNode,
  instant: string | null | undefined,
  rank: number,
): Array<TimelineEntry<OneUptimeNode>> {
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

/** The OneUptime side of a timeline: state changes by `startsAt`, responders by `createdAt`. */
function oneUptimeEntries(
  stateChanges: readonly StateTimelineRecord[],
  responders: readonly IncidentMemberRecord[],
): Array<TimelineEntry<OneUptimeNode>> {
  return [
    ...stateChanges.flatMap((row) => oneUptimeEntry(row, row.startsAt, RANK.stateChange)),
    ...responders.flatMap((row) => oneUptimeEntry(row, row.createdAt, RANK.responder)),
  ];
}

export function mergeTimeline(
  incident: Incident,
  instants: ReadonlyMap<string, EventInstant>,
  stateChanges: readonly StateTimelineRecord[],
  responders: readonly IncidentMemberRecord[],
): Array<TimelineEntry<IncidentTimelineNode>> {
  return [
    ...coralogixEntries(incident, instants),
    ...oneUptimeEntries(stateChanges, responders),
  ].sort((a, b) => compareKeys(a.key, b.key));
}

/** A case's timeline: `events` oldest first (as the case loader gives them), all exact. */
export function mergeCaseTimeline(
  events: readonly CaseEvent[],
  stateChanges: readonly StateTimelineRecord[],
  responders: readonly IncidentMemberRecord[],
): Array<TimelineEntry<CaseTimelineNode>> {
  const caseEntries = events.flatMap((event, index): Array<TimelineEntry<CaseEvent>> => {
    const ms = msOf(event.eventTime);
    if (ms === undefined) return [];
    return [
      {
        node: event,
        at: new Date(ms).toISOString(),
        precision: 'EXACT',
        source: 'CORALOGIX',
        key: [ms, RANK.coralogix, index, event.eventId],
      },
    ];
  });
  const entries: Array<TimelineEntry<CaseTimelineNode>> = [
    ...caseEntries,
    ...oneUptimeEntries(stateChanges, responders),
  ];
  return entries.sort((a, b) => compareKeys(a.key, b.key));
}

const NODE = ['edges', 'node'];

/**
 * The linked OneUptime incident's state changes and responders (none when not
 * linked), with the columns the selection needs plus those the timeline sorts
 * and tells node types by. The loads start as soon as `link` settles, in the
 * same tick as `responders` of the same level, so both share one
 * incident-member call.
 */
export function linkedOneUptimeSide(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  link: Promise<Link>,
): Promise<[StateTimelineRecord[], IncidentMemberRecord[]]> {
  const changeColumns = [
    ...columnsFor('incident-state-timeline', info, NODE),
    'startsAt',
    'createdAt',
    'incidentStateId',
  ];
  const memberColumns = [...columnsFor('incident-member', info, NODE), 'createdAt', 'userId'];
  return link.then(({ oneUptimeIncidentId: id }) =>
    id
      ? Promise.all([
          ctx.oneuptime.timelinesByIncident.load(id, changeColumns),
          ctx.oneuptime.membersByIncident.load(id, memberColumns),
        ])
      : [[], []],
  );
}

/** Which OneUptime record a (non-Coralogix) timeline node is: the columns always selected tell. */
export const oneUptimeNodeType = (node: TimelineNode) =>
  'userId' in node || 'incidentRoleId' in node
    ? ('IncidentMember' as const)
    : ('StateTimeline' as const);

/**
 * The cursor's sort key, checked before any upstream call. `subject` names the
 * timeline (an incident id, or `case:<id>`): a cursor of another is refused.
 */
export function timelineCursor(ctx: GatewayContext, subject: string, after: string): SortKey {
  const { key } = ctx.cursors.decode(after, 'key', fingerprint({ timeline: subject }));
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
export function timelinePage<N extends TimelineNode>(
  ctx: GatewayContext,
  subject: string,
  entries: ReadonlyArray<TimelineEntry<N>>,
  first: number,
  after: SortKey | undefined,
): TimelineConnection<N> {
  const print = fingerprint({ timeline: subject });
  const found = after ? entries.findIndex((entry) => compareKeys(entry.key, after) > 0) : 0;
  const start = found === -1 ? entries.length : found;
  const slice = entries.slice(start, start + first);
  const cursorAt = (i: number) =>
    ctx.cursors.encode({
      kind: 'key',
      key: JSON.stringify((slice[i] as TimelineEntry<N>).key),
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
