/**
 * GraphQL enum values → upstream wire strings (the runtime side of codegen
 * `enumValues`): arguments arrive as wire strings, wire strings serialize back.
 */
import type {
  AlertTypeResolvers,
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

/** A wire value the schema knows, or `fallback` for one a newer upstream added. */
export function known<T extends string>(
  value: string | undefined,
  values: readonly T[],
  fallback: T,
): T {
  return values.includes(value as T) ? (value as T) : fallback;
}
