/**
 * What the incident-screen tests expect, computed from the sandbox's seed
 * alone: links, responders and the merged timeline as the DESIGN and the
 * schema describe them.
 */
import type { SeedData } from '../../src/sandbox/seed.js';
import { LINK_FIELD } from '../../src/sandbox/seed.js';
import type { StoredIncident } from '../../src/sandbox/coralogix/store.js';
import { CORALOGIX_BASE } from './coralogix.js';

export const EVENTS_PATH = `${CORALOGIX_BASE}/incidents/events/v1`;
export const FILTER_VALUES_PATH = `${CORALOGIX_BASE}/incidents/filter-values/v1`;

/** The OneUptime incidents claiming a Coralogix incident, oldest first (the linked one first). */
export function claimantsOf(seed: SeedData, coralogixId: string) {
  return seed.oneUptimeIncidents
    .filter(
      (row) => (row.customFields as Record<string, unknown> | null)?.[LINK_FIELD] === coralogixId,
    )
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a._id < b._id ? -1 : 1));
}

export const linkedOf = (seed: SeedData, coralogixId: string) => claimantsOf(seed, coralogixId)[0];

export interface ExpectedItem {
  type: 'IncidentEvent' | 'StateTimeline' | 'IncidentMember';
  id: string;
  at: string;
  source: 'CORALOGIX' | 'ONEUPTIME';
}

/**
 * The timeline the schema promises, from the seed: every item by instant; on
 * equal instants Coralogix events first (in Coralogix's order), then state
 * changes, then responders (each by createdAt, then id).
 */
export function expectedTimeline(seed: SeedData, incident: StoredIncident): ExpectedItem[] {
  const instants = new Map(seed.eventFeed.map((r) => [r.eventId, r.cxEventTimestamp]));
  const linked = linkedOf(seed, incident.id);
  const rows: Array<ExpectedItem & { rank: number; tie: string }> = [
    ...incident.events.map((event, i) => ({
      type: 'IncidentEvent' as const,
      id: event.id!,
      at: instants.get(event.id!)!,
      source: 'CORALOGIX' as const,
      rank: 0,
      tie: String(i).padStart(6, '0'),
    })),
    ...seed.stateTimelines
      .filter((row) => linked && row.incidentId === linked._id)
      .map((row) => ({
        type: 'StateTimeline' as const,
        id: row._id,
        at: row.startsAt!,
        source: 'ONEUPTIME' as const,
        rank: 1,
        tie: `${row.createdAt}|${row._id}`,
      })),
    ...seed.members
      .filter((row) => linked && row.incidentId === linked._id)
      .map((row) => ({
        type: 'IncidentMember' as const,
        id: row._id,
        at: row.createdAt,
        source: 'ONEUPTIME' as const,
        rank: 2,
        tie: `${row.createdAt}|${row._id}`,
      })),
  ];
  return rows
    .sort(
      (a, b) =>
        Date.parse(a.at) - Date.parse(b.at) ||
        a.rank - b.rank ||
        (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0),
    )
    .map(({ type, id, at, source }) => ({ type, id, at: new Date(at).toISOString(), source }));
}

export const TIMELINE_NODE = `node {
  __typename
  ... on IncidentEvent { id type }
  ... on StateTimeline { id }
  ... on IncidentMember { id }
}`;
