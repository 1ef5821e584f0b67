/**
 * The emulator's event feed and facet endpoints (openapi_v5.yaml e509de6):
 * `GET /incidents/events/v1` (ListIncidentEvents, line 8624),
 * `GET /incidents/events/v1/all/count` (ListIncidentEventsTotalCount, 8735),
 * `GET /incidents/events/v1/{event_id}` (GetIncidentByEventId, 8807) and
 * `POST /incidents/filter-values/v1` (GetFilterValues, 8939).
 *
 * Assumptions where the spec is silent (listed in the README): an item's
 * metadata describes its incident as it is now (not as it was at the event);
 * `filter[name]` is the incident's name, matched exactly; `filter[timestamp]`
 * is half-open; the default order is newest first; facet counts are over the
 * incidents matching the whole filter (a facet's own condition included),
 * most frequent first.
 */
import { createHash } from 'node:crypto';
import type { IncidentEvent } from '../../upstreams/coralogix/incidents/types.js';
import type {
  IncidentEventExtended,
  IncidentQueryFiltersValues,
} from '../../upstreams/coralogix/incidents/eventTypes.js';
import type { EmulatorRequest, EmulatorResponse } from '../http.js';
import { notFound } from './errors.js';
import type { EventFeed, FeedEntry } from './eventFeed.js';
import { parseEventQuery, type EventFilter } from './eventQuery.js';
import { compileFilter, decodePageToken, encodePageToken } from './list.js';
import type { ListFilter } from './list-query.js';
import { cloneJson, type IncidentStore, type StoredIncident } from './store.js';

interface Match {
  record: FeedEntry;
  incident: StoredIncident;
  event: IncidentEvent;
}

/** Deterministic ids for what the seed has no column for: one alert definition per incident name. */
function alertIdOf(incident: StoredIncident): string {
  const hex = createHash('sha256')
    .update(`alert:${incident.name ?? ''}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-b${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const METRIC_ALERT = /latency|traffic|disk usage|lag|backlog/i;

function extended({ record, incident, event }: Match): IncidentEventExtended {
  const subsystem = incident.contextualLabels.subsystem;
  return {
    cxEventKey: record.cxEventKey,
    incidentEvent: cloneJson(event),
    cxEventTimestamp: record.cxEventTimestamp,
    incidentEventExtendedMetadata: {
      incidentSeverity: incident.severity,
      alertId: alertIdOf(incident),
      incidentState: incident.state,
      alertName: incident.name ?? '',
      alertType: METRIC_ALERT.test(incident.name ?? '')
        ? 'INCIDENT_EVENT_ALERT_TYPE_METRIC'
        : 'INCIDENT_EVENT_ALERT_TYPE_STANDARD_OR_UNSPECIFIED',
      isMuted: incident.isMuted ?? false,
      incidentStatus: incident.status,
      alertGroupByFields: subsystem ? ['subsystem'] : [],
      alertLabels: cloneJson(incident.metaLabels ?? []),
      incidentPermutation: subsystem ? { subsystem } : {},
    },
  };
}

function fingerprintOf(filter: EventFilter, descending: boolean): string {
  return createHash('sha256')
    .update(JSON.stringify({ filter, descending }))
    .digest('base64url')
    .slice(0, 16);
}

/** Most frequent first, then by value: `[{<field>: value, count}]`. */
function counted<K extends string>(counts: Map<string, number>, field: K) {
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([value, count]) => ({ [field]: value, count }) as Record<K, string> & { count: number });
}

function tally(counts: Map<string, number>, value: string | undefined): void {
  if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
}

/** GetFilterValues over the incidents matching a filter (`IncidentQueryFiltersValues`). */
export function filterValues(
  incidents: readonly StoredIncident[],
  filter: ListFilter,
): IncidentQueryFiltersValues {
  const counter = () => new Map<string, number>();
  const [severity, status, state, assignee, meta] = [
    counter(),
    counter(),
    counter(),
    counter(),
    counter(),
  ];
  const contextual = new Map<string, Map<string, number>>();
  const display = new Map<string, Map<string, number>>();
  const labelTally = (into: Map<string, Map<string, number>>, labels: Record<string, string>) => {
    for (const [key, value] of Object.entries(labels)) {
      const values = into.get(key) ?? new Map<string, number>();
      into.set(key, values);
      tally(values, value);
    }
  };
  for (const incident of incidents) {
    tally(severity, incident.severity);
    tally(status, incident.status);
    tally(state, incident.state);
    // An incident counts once for each user it is assigned to.
    const users = new Set(incident.assignments.map((a) => a.assignedTo?.userId));
    for (const user of users) tally(assignee, user);
    for (const label of incident.metaLabels ?? [])
      tally(meta, JSON.stringify([label.key, label.value]));
    labelTally(contextual, incident.contextualLabels);
    labelTally(display, incident.displayLabels);
  }
  const labelValues = <K extends string>(from: Map<string, Map<string, number>>, field: K) =>
    Object.fromEntries(
      [...from].map(([key, values]) => [key, { valuesWithCount: counted(values, field) }]),
    );
  return {
    assigneeWithCount: counted(assignee, 'assignee'),
    statusWithCount: counted(status, 'status'),
    stateWithCount: counted(state, 'state'),
    severityWithCount: counted(severity, 'severity'),
    contextualLabels: labelValues(contextual, 'contextualLabelValue'),
    displayLabels: labelValues(display, 'displayLabelValue'),
    metaLabelsWithCount: counted(meta, 'label').map(({ label, count }) => {
      const [key, value] = JSON.parse(label) as [string, string];
      return { metaLabel: { key, value }, count };
    }),
    metaLabelsOp: filter.metaLabelsOp,
  } as IncidentQueryFiltersValues;
}

export function createEventRoutes(store: IncidentStore, feed: EventFeed) {
  const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });

  /** Feed records matching the filter, ascending by instant then arrival. */
  const matching = (filter: EventFilter): Match[] => {
    const predicate = compileFilter(filter.incidents);
    const range = filter.timestamp;
    const out: Match[] = [];
    for (const record of feed.all()) {
      if (range?.fromMs !== undefined && record.atMs < range.fromMs) continue;
      if (range?.toMs !== undefined && record.atMs >= range.toMs) continue;
      const incident = store.find(record.incidentId);
      if (!incident || !predicate(incident)) continue;
      if (filter.name !== undefined && incident.name !== filter.name) continue;
      const event = incident.events.find((e) => e.id === record.eventId);
      if (event) out.push({ record, incident, event });
    }
    return out;
  };

  return {
    list(req: EmulatorRequest): EmulatorResponse {
      const query = parseEventQuery(req.query, true);
      const print = fingerprintOf(query.filter, query.descending);
      const offset = query.pageToken ? decodePageToken(query.pageToken, print) : 0;
      const all = matching(query.filter);
      if (query.descending) all.reverse();
      const end = offset + query.pageSize;
      const pagination: { totalSize: number; nextPageToken?: string } = { totalSize: all.length };
      if (end < all.length) pagination.nextPageToken = encodePageToken(end, print);
      return ok({ items: all.slice(offset, end).map(extended), pagination });
    },

    /** `count` is a uint64, so protojson writes it as a string. */
    count(req: EmulatorRequest): EmulatorResponse {
      const { filter } = parseEventQuery(req.query, false);
      return ok({ count: String(matching(filter).length), reachedLimit: false });
    },

    incidentByEvent(eventKey: string): EmulatorResponse {
      const record = feed.find(eventKey);
      const incident = record && store.find(record.incidentId);
      if (!incident) throw notFound(`no incident has an event with key ${eventKey}`);
      return ok({ incident: cloneJson(incident) });
    },
  };
}
