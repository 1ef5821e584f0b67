/**
 * Wire types of the Coralogix Incidents management API (LTS path family,
 * `<base>/v1/incidents…`), as proto3 JSON: lowerCamelCase fields, enums as full
 * proto enum names, timestamps as RFC 3339 strings, Duration as `"<seconds>s"`.
 * protojson may omit default / empty fields, so everything the docs do not mark
 * required is optional here. These are also the codegen mapper targets.
 */
export * from './enums.js';

export type { Assignment, Incident, IncidentEvent, MetaLabel, UserRef } from './resources.js';
import type { Incident, IncidentEvent, MetaLabel, UserRef } from './resources.js';
import type {
  FilterOperatorWire,
  IncidentFieldWire,
  IncidentSeverityWire,
  IncidentStateWire,
  IncidentStatusWire,
  OrderByDirectionWire,
} from './enums.js';

export interface TimeRange {
  startTime: string;
  endTime: string;
}

export interface IncidentQueryFilter {
  assignee?: string[];
  status?: IncidentStatusWire[];
  state?: IncidentStateWire[];
  severity?: IncidentSeverityWire[];
  contextualLabels?: Record<string, { contextualLabelValues: string[] }>;
  displayLabels?: Record<string, { displayLabelValues: string[] }>;
  startTime?: string;
  endTime?: string;
  searchQuery?: { query: string; incidentField?: IncidentFieldWire; contextualLabel?: string };
  applicationName?: string[];
  subsystemName?: string[];
  isMuted?: boolean;
  createdAtRange?: TimeRange;
  incidentDurationRange?: TimeRange;
  metaLabels?: MetaLabel[];
  metaLabelsOp?: FilterOperatorWire;
}

export interface OrderBy {
  incidentField?: IncidentFieldWire;
  contextualLabel?: string;
  direction?: OrderByDirectionWire;
}

export interface ListIncidentsRequest {
  filter?: IncidentQueryFilter;
  pagination?: { pageSize: number; pageToken?: string };
  orderBys?: OrderBy[];
}

export interface ListIncidentsResponse {
  incidents: Incident[];
  pagination: { totalSize: number; nextPageToken?: string };
}

export interface GetIncidentResponse {
  incident: Incident;
}

export interface BatchGetIncidentsResponse {
  incidents: Record<string, Incident>;
  notFoundIds: string[];
}

export interface ListIncidentEventsResponse {
  incidentEvents: IncidentEvent[];
}

/** Response of assign / unassign / acknowledge / resolve / close. */
export interface IncidentsResponse {
  incidents: Incident[];
}

export interface IncidentIdsRequest {
  incidentIds: string[];
}

export interface AssignIncidentsRequest extends IncidentIdsRequest {
  assignedTo: UserRef;
}

/**
 * The v5 facade's error body (openapi_v5.yaml schema `Error`): `code` is the
 * HTTP status. Some answers are plain text instead (`Not Found: …`).
 */
export interface CoralogixErrorBody {
  code: number;
  message: string;
}
