/**
 * Wire types of the Coralogix event feed, its count, incident-by-event and
 * filter values (openapi_v5.yaml e509de6 lines 8624–8990; proto
 * `incidents_service.proto` and `incident_event_query_filter.proto` in
 * coralogix-management-sdk 4464b2b3). Responses are declared once in
 * `resources.ts` and inferred here.
 */
import {
  byCount,
  facetCounts,
  protojsonCount,
  type CountReader,
  type ValueCount,
} from '../facetCounts.js';
import type { FiltersValuesWire, IncidentEventExtendedWire } from './resources.js';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
  type FilterOperatorWire,
  type IncidentSeverityWire,
  type IncidentStateWire,
  type IncidentStatusWire,
  type IncidentEvent,
  type MetaLabel,
  type OrderByDirectionWire,
  type TimeRange,
} from './types.js';

export type IncidentEventExtended = IncidentEventExtendedWire;

/** An event of the feed after the check: its key, instant and event are there. */
export type CheckedEventItem = IncidentEventExtended &
  Required<Pick<IncidentEventExtended, 'cxEventKey' | 'cxEventTimestamp'>> & {
    incidentEvent: IncidentEvent & { id: string };
  };
export type IncidentQueryFiltersValues = FiltersValuesWire;

/** proto `IncidentEventQueryFilter`: no incident id, no event type. */
export interface IncidentEventQueryFilter {
  status?: IncidentStatusWire[];
  severity?: IncidentSeverityWire[];
  contextualLabels?: Record<string, { contextualLabelValues: string[] }>;
  displayLabels?: Record<string, { displayLabelValues: string[] }>;
  /** "The name of the incident". */
  name?: string;
  isMuted?: boolean;
  /** Both ends required (proto TimeRange). */
  timestamp?: TimeRange;
  labels?: { metaLabels: MetaLabel[]; operator?: FilterOperatorWire };
}

/** `GET /incidents/events/v1`: every member travels in the query string. */
export interface ListIncidentEventsRequest {
  filter?: IncidentEventQueryFilter;
  /** 1..1000 for this operation (the SDK's doc comment); 100 when omitted. */
  pagination?: { pageSize: number; pageToken?: string };
  order_by?: {
    field?: 'INCIDENT_EVENT_ORDER_BY_FIELD_TYPE_TIMESTAMP_OR_UNSPECIFIED';
    direction?: OrderByDirectionWire;
  };
}

/** The vendor's `ListIncidentEventsResponse` (the name is taken here by GetIncidentEvents' answer). */
export interface EventFeedPage {
  items: IncidentEventExtended[];
  /** Optional in the spec; `totalSize` required inside it. */
  pagination?: { totalSize?: number; nextPageToken?: string };
}

/** One page of the feed as the client returns it: items checked, counts read. */
export interface EventFeed {
  items: CheckedEventItem[];
  /** `pagination.totalSize` when Coralogix sent one. */
  totalSize?: number;
  nextPageToken?: string;
}

export type { ValueCount } from '../facetCounts.js';
export type SeverityCount = ValueCount<IncidentSeverityWire>;
export type StatusCount = ValueCount<IncidentStatusWire>;
export type StateCount = ValueCount<IncidentStateWire>;
export type MetaLabelCount = ValueCount & { key: string };

/** GetFilterValues as the gateway serves it: each facet most frequent first, then by value. */
export interface FilterValues {
  severities: SeverityCount[];
  statuses: StatusCount[];
  states: StateCount[];
  /** Coralogix user ids (or e-mail addresses, as the assignee filter takes them). */
  assignees: ValueCount[];
  metaLabels: MetaLabelCount[];
}

/**
 * Facet rows by value, counts read with `count` (protojson's by default:
 * int32 numbers, numeric strings accepted). A value this gateway does not
 * know joins UNSPECIFIED.
 */
export function readFilterValues(
  wire: FiltersValuesWire,
  count: CountReader = protojsonCount,
): FilterValues {
  return {
    severities: facetCounts(wire.severityWithCount, 'severity', INCIDENT_SEVERITIES, count),
    statuses: facetCounts(wire.statusWithCount, 'status', INCIDENT_STATUSES, count),
    states: facetCounts(wire.stateWithCount, 'state', INCIDENT_STATES, count),
    assignees: facetCounts(wire.assigneeWithCount, 'assignee', undefined, count).filter(
      (row) => row.value,
    ),
    metaLabels: byCount(
      (wire.metaLabelsWithCount ?? []).map((row) => ({
        key: row.metaLabel?.key ?? '',
        value: row.metaLabel?.value ?? '',
        count: count('meta label count', row.count),
      })),
    ),
  };
}
