/**
 * GraphQL enum values → upstream wire strings (the runtime side of codegen
 * `enumValues`): arguments arrive as wire strings, wire strings serialize back.
 */
import type {
  AlertTypeResolvers,
  CaseAlertStateResolvers,
  CaseCategoryResolvers,
  CaseOrderFieldResolvers,
  CasePriorityResolvers,
  CaseStatusResolvers,
  IncidentEventTypeResolvers,
  IncidentSeverityResolvers,
  IncidentStateResolvers,
  IncidentStatusResolvers,
  SlaStatusResolvers,
  UpsertStateTypeResolvers,
} from '../__generated__/resolvers-types.js';

export const IncidentState: IncidentStateResolvers = {
  UNSPECIFIED: 'INCIDENT_STATE_UNSPECIFIED',
  TRIGGERED: 'INCIDENT_STATE_TRIGGERED',
  RESOLVED: 'INCIDENT_STATE_RESOLVED',
};

export const IncidentStatus: IncidentStatusResolvers = {
  UNSPECIFIED: 'INCIDENT_STATUS_UNSPECIFIED',
  TRIGGERED: 'INCIDENT_STATUS_TRIGGERED',
  ACKNOWLEDGED: 'INCIDENT_STATUS_ACKNOWLEDGED',
  RESOLVED: 'INCIDENT_STATUS_RESOLVED',
};

export const IncidentSeverity: IncidentSeverityResolvers = {
  UNSPECIFIED: 'INCIDENT_SEVERITY_UNSPECIFIED',
  INFO: 'INCIDENT_SEVERITY_INFO',
  WARNING: 'INCIDENT_SEVERITY_WARNING',
  ERROR: 'INCIDENT_SEVERITY_ERROR',
  CRITICAL: 'INCIDENT_SEVERITY_CRITICAL',
  LOW: 'INCIDENT_SEVERITY_LOW',
};

export const IncidentEventType: IncidentEventTypeResolvers = {
  UNSPECIFIED: 'INCIDENT_EVENT_TYPE_UNSPECIFIED',
  UPSERT_STATE: 'INCIDENT_EVENT_TYPE_UPSERT_STATE',
  OPEN: 'INCIDENT_EVENT_TYPE_OPEN',
  CLOSE: 'INCIDENT_EVENT_TYPE_CLOSE',
  SNOOZE_INDICATOR: 'INCIDENT_EVENT_TYPE_SNOOZE_INDICATOR',
  ASSIGN: 'INCIDENT_EVENT_TYPE_ASSIGN',
  UNASSIGN: 'INCIDENT_EVENT_TYPE_UNASSIGN',
  ACKNOWLEDGE: 'INCIDENT_EVENT_TYPE_ACKNOWLEDGE',
};

export const UpsertStateType: UpsertStateTypeResolvers = {
  UNSPECIFIED: 'UPSERT_INCIDENT_STATE_TYPE_UNSPECIFIED',
  TRIGGERED: 'UPSERT_INCIDENT_STATE_TYPE_TRIGGERED',
  RESOLVED: 'UPSERT_INCIDENT_STATE_TYPE_RESOLVED',
};

export const AlertType: AlertTypeResolvers = {
  STANDARD: 'INCIDENT_EVENT_ALERT_TYPE_STANDARD_OR_UNSPECIFIED',
  METRIC: 'INCIDENT_EVENT_ALERT_TYPE_METRIC',
  NEW_VALUE: 'INCIDENT_EVENT_ALERT_TYPE_NEW_VALUE',
  RATIO: 'INCIDENT_EVENT_ALERT_TYPE_RATIO',
  TIME_RELATIVE: 'INCIDENT_EVENT_ALERT_TYPE_TIME_RELATIVE',
  UNIQUE_COUNT: 'INCIDENT_EVENT_ALERT_TYPE_UNIQUE_COUNT',
  TRACING: 'INCIDENT_EVENT_ALERT_TYPE_TRACING',
  FLOW: 'INCIDENT_EVENT_ALERT_TYPE_FLOW',
  SLO: 'INCIDENT_EVENT_ALERT_TYPE_SLO',
};

export const SlaStatus: SlaStatusResolvers = {
  ON_TRACK: 'On Track',
  AT_RISK: 'At Risk',
  RESPONSE_BREACHED: 'Response Breached',
  RESOLUTION_BREACHED: 'Resolution Breached',
  MET: 'Met',
  UNKNOWN: 'UNKNOWN',
};

export const CaseStatus: CaseStatusResolvers = {
  UNSPECIFIED: 'CASE_STATUS_UNSPECIFIED',
  PENDING_ACTIVATION: 'CASE_STATUS_PENDING_ACTIVATION',
  ACTIVE: 'CASE_STATUS_ACTIVE',
  ACKNOWLEDGED: 'CASE_STATUS_ACKNOWLEDGED',
  RESOLVED: 'CASE_STATUS_RESOLVED',
  CLOSED: 'CASE_STATUS_CLOSED',
};

export const CasePriority: CasePriorityResolvers = {
  UNSPECIFIED: 'CASE_PRIORITY_UNSPECIFIED',
  P1: 'CASE_PRIORITY_P1',
  P2: 'CASE_PRIORITY_P2',
  P3: 'CASE_PRIORITY_P3',
  P4: 'CASE_PRIORITY_P4',
  P5: 'CASE_PRIORITY_P5',
};

export const CaseCategory: CaseCategoryResolvers = {
  UNSPECIFIED: 'CASE_CATEGORY_UNSPECIFIED',
  SECURITY: 'CASE_CATEGORY_SECURITY',
  AVAILABILITY: 'CASE_CATEGORY_AVAILABILITY',
};

export const CaseAlertState: CaseAlertStateResolvers = {
  UNSPECIFIED: 'INDICATOR_STATE_UNSPECIFIED',
  TRIGGERED: 'INDICATOR_STATE_TRIGGERED',
  RESOLVED: 'INDICATOR_STATE_RESOLVED',
  NO_DATA: 'INDICATOR_STATE_NO_DATA',
};

export const CaseOrderField: CaseOrderFieldResolvers = {
  CREATED_AT: 'CASE_ORDER_BY_FIELD_CREATED_AT',
  UPDATED_AT: 'CASE_ORDER_BY_FIELD_UPDATED_AT',
  PRIORITY: 'CASE_ORDER_BY_FIELD_PRIORITY',
  STATUS: 'CASE_ORDER_BY_FIELD_STATUS',
  DURATION: 'CASE_ORDER_BY_FIELD_DURATION',
  CATEGORY: 'CASE_ORDER_BY_FIELD_CATEGORY',
};

/** A wire value the schema knows, or `fallback` for one a newer upstream added. */
export function known<T extends string>(
  value: string | undefined,
  values: readonly T[],
  fallback: T,
): T {
  return values.includes(value as T) ? (value as T) : fallback;
}
