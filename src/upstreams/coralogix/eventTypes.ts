/**
 * Wire types of the Coralogix event feed, its count, incident-by-event and
 * filter values (openapi_v5.yaml e509de6 lines 8624–8990; proto
 * `incidents_service.proto` and `incident_event_query_filter.proto` in
 * coralogix-management-sdk 4464b2b3). Responses are declared once in
 * `resources.ts` and inferred here.
 */
import type { FiltersValuesWire, IncidentEventExtendedWire } from './resources.js';
import type {
  FilterOperatorWire,
  IncidentSeverityWire,
  IncidentStatusWire,
  MetaLabel,
  OrderByDirectionWire,
  TimeRange,
} from './types.js';

export type IncidentEventExtended = IncidentEventExtendedWire;
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
