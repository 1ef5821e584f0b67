/**
 * Wire types of the Coralogix Incidents management API (LTS path family,
 * `<base>/v1/incidents…`), as proto3 JSON: lowerCamelCase fields, enums as full
 * proto enum names, timestamps as RFC 3339 strings, Duration as `"<seconds>s"`.
 * protojson may omit default / empty fields, so everything the docs do not mark
 * required is optional here. These are also the codegen mapper targets.
 */

export const INCIDENT_STATES = [
  'INCIDENT_STATE_UNSPECIFIED',
  'INCIDENT_STATE_TRIGGERED',
  'INCIDENT_STATE_RESOLVED',
] as const;
export type IncidentStateWire = (typeof INCIDENT_STATES)[number];

export const INCIDENT_STATUSES = [
  'INCIDENT_STATUS_UNSPECIFIED',
  'INCIDENT_STATUS_TRIGGERED',
  'INCIDENT_STATUS_ACKNOWLEDGED',
  'INCIDENT_STATUS_RESOLVED',
] as const;
export type IncidentStatusWire = (typeof INCIDENT_STATUSES)[number];

/** LOW (5) was appended after CRITICAL (4): never order severities by number. */
export const INCIDENT_SEVERITIES = [
  'INCIDENT_SEVERITY_UNSPECIFIED',
  'INCIDENT_SEVERITY_INFO',
  'INCIDENT_SEVERITY_WARNING',
  'INCIDENT_SEVERITY_ERROR',
  'INCIDENT_SEVERITY_CRITICAL',
  'INCIDENT_SEVERITY_LOW',
] as const;
export type IncidentSeverityWire = (typeof INCIDENT_SEVERITIES)[number];

export const INCIDENT_EVENT_TYPES = [
  'INCIDENT_EVENT_TYPE_UNSPECIFIED',
  'INCIDENT_EVENT_TYPE_UPSERT_STATE',
  'INCIDENT_EVENT_TYPE_OPEN',
  'INCIDENT_EVENT_TYPE_CLOSE',
  'INCIDENT_EVENT_TYPE_SNOOZE_INDICATOR',
  'INCIDENT_EVENT_TYPE_ASSIGN',
  'INCIDENT_EVENT_TYPE_UNASSIGN',
  'INCIDENT_EVENT_TYPE_ACKNOWLEDGE',
] as const;
export type IncidentEventTypeWire = (typeof INCIDENT_EVENT_TYPES)[number];

export const ORIGINATOR_TYPES = [
  'ORIGINATOR_TYPE_UNSPECIFIED',
  'ORIGINATOR_TYPE_OPERATIONAL',
  'ORIGINATOR_TYPE_ADMINISTRATIVE',
] as const;
export type OriginatorTypeWire = (typeof ORIGINATOR_TYPES)[number];

export const UPSERT_STATE_TYPES = [
  'UPSERT_INCIDENT_STATE_TYPE_UNSPECIFIED',
  'UPSERT_INCIDENT_STATE_TYPE_TRIGGERED',
  'UPSERT_INCIDENT_STATE_TYPE_RESOLVED',
] as const;
export type UpsertStateTypeWire = (typeof UPSERT_STATE_TYPES)[number];

export const INCIDENT_FIELDS = [
  'INCIDENTS_FIELDS_UNSPECIFIED',
  'INCIDENTS_FIELDS_ID',
  'INCIDENTS_FIELDS_SEVERITY',
  'INCIDENTS_FIELDS_NAME',
  'INCIDENTS_FIELDS_CREATED_TIME',
  'INCIDENTS_FIELDS_CLOSED_TIME',
  'INCIDENTS_FIELDS_STATE',
  'INCIDENTS_FIELDS_STATUS',
  'INCIDENTS_FIELDS_LAST_STATE_UPDATE_TIME',
  'INCIDENTS_FIELDS_APPLICATION_NAME',
  'INCIDENTS_FIELDS_SUBSYSTEM_NAME',
  'INCIDENTS_FIELDS_DURATION',
] as const;
export type IncidentFieldWire = (typeof INCIDENT_FIELDS)[number];

export const ORDER_BY_DIRECTIONS = [
  'ORDER_BY_DIRECTION_UNSPECIFIED',
  'ORDER_BY_DIRECTION_ASC',
  'ORDER_BY_DIRECTION_DESC',
] as const;
export type OrderByDirectionWire = (typeof ORDER_BY_DIRECTIONS)[number];

/** proto `IncidentEventAlertType` (`incident_event_extended.proto`). */
export const ALERT_TYPES = [
  'INCIDENT_EVENT_ALERT_TYPE_STANDARD_OR_UNSPECIFIED',
  'INCIDENT_EVENT_ALERT_TYPE_METRIC',
  'INCIDENT_EVENT_ALERT_TYPE_NEW_VALUE',
  'INCIDENT_EVENT_ALERT_TYPE_RATIO',
  'INCIDENT_EVENT_ALERT_TYPE_TIME_RELATIVE',
  'INCIDENT_EVENT_ALERT_TYPE_UNIQUE_COUNT',
  'INCIDENT_EVENT_ALERT_TYPE_TRACING',
  'INCIDENT_EVENT_ALERT_TYPE_FLOW',
  'INCIDENT_EVENT_ALERT_TYPE_SLO',
] as const;
export type AlertTypeWire = (typeof ALERT_TYPES)[number];

export type FilterOperatorWire = 'FILTER_OPERATOR_OR_OR_UNSPECIFIED' | 'FILTER_OPERATOR_AND';

export type { Assignment, Incident, IncidentEvent, MetaLabel, UserRef } from './resources.js';
import type { Incident, IncidentEvent, MetaLabel, UserRef } from './resources.js';

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
