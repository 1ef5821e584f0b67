/**
 * The enum values of the Coralogix Cases wire types (proto3 JSON: full proto
 * enum names), in the specs' order: S1 = coralogix/coralogix-management-sdk
 * 4464b2b3 `specs/cases_service.json` and `specs/case_events_service.json`
 * (last changed in 47bbf001); S2 = coralogix/cx-api-docs e509de6
 * `openapi_v5.yaml`. Values only S1 has are marked; a newer server may send
 * values neither lists, so readers map unknown ones to UNSPECIFIED.
 */

export const CASE_STATUSES = [
  'CASE_STATUS_UNSPECIFIED',
  'CASE_STATUS_PENDING_ACTIVATION',
  'CASE_STATUS_ACTIVE',
  'CASE_STATUS_ACKNOWLEDGED',
  'CASE_STATUS_RESOLVED',
  'CASE_STATUS_CLOSED',
] as const;
export type CaseStatusWire = (typeof CASE_STATUSES)[number];

/** P1 is the most urgent; the enum number runs the other way (P1 = 1). */
export const CASE_PRIORITIES = [
  'CASE_PRIORITY_UNSPECIFIED',
  'CASE_PRIORITY_P1',
  'CASE_PRIORITY_P2',
  'CASE_PRIORITY_P3',
  'CASE_PRIORITY_P4',
  'CASE_PRIORITY_P5',
] as const;
export type CasePriorityWire = (typeof CASE_PRIORITIES)[number];

export const CASE_CATEGORIES = [
  'CASE_CATEGORY_UNSPECIFIED',
  'CASE_CATEGORY_SECURITY',
  'CASE_CATEGORY_AVAILABILITY',
] as const;
export type CaseCategoryWire = (typeof CASE_CATEGORIES)[number];

export const INDICATOR_PRIORITIES = [
  'INDICATOR_PRIORITY_UNSPECIFIED',
  'INDICATOR_PRIORITY_P1',
  'INDICATOR_PRIORITY_P2',
  'INDICATOR_PRIORITY_P3',
  'INDICATOR_PRIORITY_P4',
  'INDICATOR_PRIORITY_P5',
] as const;
export type IndicatorPriorityWire = (typeof INDICATOR_PRIORITIES)[number];

/** The specs' examples say `ALERT_INDICATOR_STATE_*`; the enum (trusted) says this. */
export const INDICATOR_STATES = [
  'INDICATOR_STATE_UNSPECIFIED',
  'INDICATOR_STATE_TRIGGERED',
  'INDICATOR_STATE_RESOLVED',
  'INDICATOR_STATE_NO_DATA',
] as const;
export type IndicatorStateWire = (typeof INDICATOR_STATES)[number];

/** S1 only. */
export const INDICATOR_TYPES = [
  'INDICATOR_TYPE_UNSPECIFIED',
  'INDICATOR_TYPE_ALERT',
  'INDICATOR_TYPE_PROMETHEUS_ALERTMANAGER',
  'INDICATOR_TYPE_ERROR_TRACKING',
] as const;
export type IndicatorTypeWire = (typeof INDICATOR_TYPES)[number];

export const ALERT_GROUPING_TYPES = [
  'GROUPING_TYPE_UNSPECIFIED',
  'GROUPING_TYPE_COMPOSITE_ALERT',
  'GROUPING_TYPE_COMBINATION_ALERT',
  'GROUPING_TYPE_NONE',
] as const;
export type AlertGroupingTypeWire = (typeof ALERT_GROUPING_TYPES)[number];

/** `KPI_TYPE_TIME_TO_UPDATE` is S1 only. */
export const KPI_TYPES = [
  'KPI_TYPE_UNSPECIFIED',
  'KPI_TYPE_TIME_TO_ACKNOWLEDGE',
  'KPI_TYPE_TIME_TO_RESOLVE',
  'KPI_TYPE_TIME_TO_UPDATE',
] as const;
export type KpiTypeWire = (typeof KPI_TYPES)[number];

export const KPI_PRIORITIES = [
  'KPI_PRIORITY_UNSPECIFIED',
  'KPI_PRIORITY_P1',
  'KPI_PRIORITY_P2',
  'KPI_PRIORITY_P3',
  'KPI_PRIORITY_P4',
  'KPI_PRIORITY_P5',
] as const;
export type KpiPriorityWire = (typeof KPI_PRIORITIES)[number];

export const BREACH_STATUSES = [
  'BREACH_STATUS_UNSPECIFIED',
  'BREACH_STATUS_BREACHED',
  'BREACH_STATUS_MITIGATED',
] as const;
export type BreachStatusWire = (typeof BREACH_STATUSES)[number];

/** `KPI_FILTER_TIME_TO_UPDATE_BREACHED` is S1 only. */
export const KPI_FILTERS = [
  'KPI_FILTER_UNSPECIFIED',
  'KPI_FILTER_TIME_TO_ACKNOWLEDGE_BREACHED',
  'KPI_FILTER_TIME_TO_RESOLVE_BREACHED',
  'KPI_FILTER_NOT_BREACHED',
  'KPI_FILTER_TIME_TO_UPDATE_BREACHED',
] as const;
export type KpiFilterWire = (typeof KPI_FILTERS)[number];

export const CASE_ORDER_BY_FIELDS = [
  'CASE_ORDER_BY_FIELD_UNSPECIFIED',
  'CASE_ORDER_BY_FIELD_PRIORITY',
  'CASE_ORDER_BY_FIELD_STATUS',
  'CASE_ORDER_BY_FIELD_UPDATED_AT',
  'CASE_ORDER_BY_FIELD_CATEGORY',
  'CASE_ORDER_BY_FIELD_DURATION',
  'CASE_ORDER_BY_FIELD_CREATED_AT',
] as const;
export type CaseOrderByFieldWire = (typeof CASE_ORDER_BY_FIELDS)[number];

export const CASE_ORDER_BY_DIRECTIONS = [
  'CASE_ORDER_BY_DIRECTION_UNSPECIFIED',
  'CASE_ORDER_BY_DIRECTION_ASCENDING',
  'CASE_ORDER_BY_DIRECTION_DESCENDING',
] as const;
export type CaseOrderByDirectionWire = (typeof CASE_ORDER_BY_DIRECTIONS)[number];

/** UNSPECIFIED means ACTIVE_WINDOW (S1 `DateRangeFilter.mode`: "ACTIVE_WINDOW (default)"). */
export const DATE_RANGE_MODES = [
  'DATE_RANGE_MODE_UNSPECIFIED',
  'DATE_RANGE_MODE_ACTIVE_WINDOW',
  'DATE_RANGE_MODE_CREATED_AT',
] as const;
export type DateRangeModeWire = (typeof DATE_RANGE_MODES)[number];

/** `v1.ConnectorType`; `CONNECTOR_TYPE_MICROSOFT_TEAMS` is S1 only. */
export const CONNECTOR_TYPES = [
  'CONNECTOR_TYPE_UNSPECIFIED',
  'CONNECTOR_TYPE_SLACK',
  'CONNECTOR_TYPE_SERVICE_NOW',
  'CONNECTOR_TYPE_PAGER_DUTY',
  'CONNECTOR_TYPE_EMAIL',
  'CONNECTOR_TYPE_GENERIC_HTTPS',
  'CONNECTOR_TYPE_MICROSOFT_TEAMS',
] as const;
export type ConnectorTypeWire = (typeof CONNECTOR_TYPES)[number];

/** S1 only. */
export const GENERIC_INDICATOR_TYPES = [
  'GENERIC_INDICATOR_TYPE_UNSPECIFIED',
  'GENERIC_INDICATOR_TYPE_ERROR_TRACKING',
] as const;
export type GenericIndicatorTypeWire = (typeof GENERIC_INDICATOR_TYPES)[number];

/** S1 only. */
export const GENERIC_INDICATOR_STATUSES = [
  'GENERIC_INDICATOR_STATUS_UNSPECIFIED',
  'GENERIC_INDICATOR_STATUS_TRIGGERED',
  'GENERIC_INDICATOR_STATUS_RESOLVED',
] as const;
export type GenericIndicatorStatusWire = (typeof GENERIC_INDICATOR_STATUSES)[number];

/** S1 only (`OllyAnalysisStatus`). */
export const OLLY_ANALYSIS_STATUSES = [
  'STATUS_UNSPECIFIED',
  'STATUS_OK',
  'STATUS_CAPACITY_REACHED',
  'STATUS_FAILED',
] as const;
export type OllyAnalysisStatusWire = (typeof OLLY_ANALYSIS_STATUSES)[number];

/** S1 only. */
export const OLLY_ROOT_CAUSE_CONFIDENCES = [
  'OLLY_ANALYSIS_ROOT_CAUSE_CONFIDENCE_UNSPECIFIED',
  'OLLY_ANALYSIS_ROOT_CAUSE_CONFIDENCE_LOW',
  'OLLY_ANALYSIS_ROOT_CAUSE_CONFIDENCE_MEDIUM',
  'OLLY_ANALYSIS_ROOT_CAUSE_CONFIDENCE_HIGH',
] as const;
export type OllyRootCauseConfidenceWire = (typeof OLLY_ROOT_CAUSE_CONFIDENCES)[number];

/**
 * The keys of `CaseEventData` (a oneOf: the one key present is the event's
 * kind; there is no type field). An empty or unknown object is allowed too.
 */
export const CASE_EVENT_KINDS = [
  'assigned',
  'unassigned',
  'comment',
  'statusChanged',
  'notificationSent',
  'notificationFailed',
  'created',
  'priorityDetailsChanged',
  'titleChangedEvent',
  'resolutionReasonChangedEvent',
  'changeAssigneeFailed',
  'kpiBreached',
] as const;
export type CaseEventKindWire = (typeof CASE_EVENT_KINDS)[number];

/** The keys of `EventActor` (a oneOf); `microsoftTeams` is S1 only. */
export const EVENT_ACTOR_KINDS = [
  'system',
  'user',
  'apiKey',
  'slack',
  'serviceNow',
  'pagerDuty',
  'prometheusAlertManager',
  'microsoftTeams',
] as const;
export type EventActorKindWire = (typeof EVENT_ACTOR_KINDS)[number];

/** The keys of `CaseResolver` (a oneOf of empty marker objects); `microsoftTeams` is S1 only. */
export const CASE_RESOLVER_KINDS = [
  'system',
  'cxUser',
  'serviceNow',
  'apiKey',
  'slack',
  'prometheusAlertManager',
  'pagerDuty',
  'microsoftTeams',
] as const;
export type CaseResolverKindWire = (typeof CASE_RESOLVER_KINDS)[number];
