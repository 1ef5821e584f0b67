/**
 * The Coralogix Case, its filter values and the Cases responses as the
 * gateway reads them: one declaration of each wire shape (checked with
 * `mismatch` from `../../shape.ts`) from which the TypeScript types are
 * inferred (`types.ts`). The case event is in `eventResources.ts`.
 *
 * Sources: S1 = coralogix/coralogix-management-sdk 4464b2b3,
 * `specs/cases_service.json` and `specs/case_events_service.json` (last changed
 * in 47bbf001, facade 080f2f9); S2 = coralogix/cx-api-docs e509de6
 * `openapi_v5.yaml` (last changed in 39c17e2d). Field names are the specs'
 * lowerCamelCase JSON names. Everything is optional because protojson omits
 * defaults, though S1 marks `id`, `title`, `status`, `priority`, `category`,
 * `createTime`, `labels`, `groupings` and `impactedEntities` of a Case
 * required. int64 members (`duration`, aggregation counts) travel as strings
 * in proto3 JSON and are declared as such or as `COUNT`.
 *
 * oneOf objects (`CaseResolver`, `ImpactedEntity`, `AlertSuppression`, …) are declared with every variant
 * key optional: exactly one is set, and the specs allow an empty or unknown
 * object too (forward compatibility).
 */
import { s, type Infer } from '../../shape.js';
import {
  ALERT_GROUPING_TYPES,
  BREACH_STATUSES,
  CASE_CATEGORIES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  GENERIC_INDICATOR_STATUSES,
  GENERIC_INDICATOR_TYPES,
  INDICATOR_PRIORITIES,
  INDICATOR_STATES,
  KPI_PRIORITIES,
  KPI_TYPES,
  OLLY_ANALYSIS_STATUSES,
  OLLY_ROOT_CAUSE_CONFIDENCES,
} from './enums.js';

/** An int64 count: protojson writes a numeric string; a number is accepted too. */
const COUNT = s.unknown;
const MARKER = s.object({});

/** `v1.KeyValue`: labels, groupings and flat labels (both members 1–4096, required). */
export const KEY_VALUE = s.object({ key: s.string, value: s.string });
/** `cases.v1.UserDetails`: a Coralogix user id (UUID), no name or e-mail. */
export const USER_DETAILS = s.object({ userId: s.string });
/** `PriorityDetails`: the computed priority and the user's override. */
export const PRIORITY_DETAILS = s.object({
  system: s.oneOf(CASE_PRIORITIES),
  override: s.oneOf(CASE_PRIORITIES),
});

/** `CaseResolver`: who resolved, as empty markers (no user id: that is the event's actor). */
export const CASE_RESOLVER = s.object({
  system: MARKER,
  cxUser: MARKER,
  serviceNow: MARKER,
  apiKey: MARKER,
  slack: MARKER,
  prometheusAlertManager: MARKER,
  pagerDuty: MARKER,
  microsoftTeams: MARKER,
});

export const RESOLUTION_DETAILS = s.object({
  /** 1–4096 here; 1–500 when set through ResolveCase / UpdateCase. */
  reason: s.string,
  resolveTime: s.string,
  resolvedBy: CASE_RESOLVER,
});

/** `AlertIndicator`: the alert definition (stable across versions) behind a case. */
export const ALERT_INDICATOR = s.object({
  alertId: s.string,
  latestAlertVersion: s.string,
  alertVersions: s.array(s.string),
  priority: s.oneOf(INDICATOR_PRIORITIES),
  groupingType: s.oneOf(ALERT_GROUPING_TYPES),
  state: s.oneOf(INDICATOR_STATES),
  triggerTime: s.string,
  resolveTime: s.string,
  resolveWithSignal: s.boolean,
  permutations: s.array(s.object({ permutation: s.record(s.string) })),
  /** S1 only. */
  customDataprimeQueries: s.array(s.string),
  suppression: s.object({
    activeSuppressionRules: s.object({ suppressionRuleIds: s.array(s.string) }),
    alertDefinitionMuted: MARKER,
    suppressedTime: s.string,
  }),
});

const PROMETHEUS_STATUS = s.object({
  triggered: s.object({ triggeredAt: s.string }),
  resolved: s.object({ triggeredAt: s.string, resolvedAt: s.string }),
});

export const PROMETHEUS_ALERT_INDICATOR = s.object({
  alertGroupId: s.string,
  status: PROMETHEUS_STATUS,
  priority: s.oneOf(INDICATOR_PRIORITIES),
  groupLabels: s.record(s.string),
  receiver: s.string,
  externalUrl: s.string,
  receivedAt: s.string,
  updatedAt: s.string,
  alerts: s.array(
    s.object({
      alertGroupId: s.string,
      alertName: s.string,
      fingerprint: s.string,
      priority: s.oneOf(INDICATOR_PRIORITIES),
      labels: s.record(s.string),
      annotations: s.record(s.string),
      status: PROMETHEUS_STATUS,
      generatorUrl: s.string,
      query: s.object({ promql: s.string }),
      createdAt: s.string,
      updatedAt: s.string,
    }),
  ),
});

/** S1 only (error tracking). */
export const GENERIC_INDICATOR = s.object({
  id: s.string,
  externalId: s.string,
  indicatorType: s.oneOf(GENERIC_INDICATOR_TYPES),
  status: s.oneOf(GENERIC_INDICATOR_STATUSES),
  priority: s.oneOf(INDICATOR_PRIORITIES),
  lastTriggeredAt: s.string,
  lastResolvedAt: s.string,
  labels: s.array(KEY_VALUE),
  entityLinks: s.array(s.object({ url: s.string })),
});

export const CASE_INDICATORS = s.object({
  /** Required inside `caseIndicators` (S1). */
  alertIndicators: s.array(ALERT_INDICATOR),
  prometheusAlertIndicators: s.array(PROMETHEUS_ALERT_INDICATOR),
  genericIndicators: s.array(GENERIC_INDICATOR),
});

/** `ImpactedEntity` oneOf. */
export const IMPACTED_ENTITY = s.object({
  apmService: s.object({ name: s.string, language: s.string }),
  apmDatabase: s.object({ name: s.string, system: s.string }),
});

export const BREACHED_KPI = s.object({
  id: s.string,
  createdAt: s.string,
  kpiType: s.oneOf(KPI_TYPES),
  casePriority: s.oneOf(KPI_PRIORITIES),
  breachedAt: s.string,
  breachStatus: s.oneOf(BREACH_STATUSES),
});

/** S1 only. */
export const OLLY_ANALYSIS = s.object({
  status: s.oneOf(OLLY_ANALYSIS_STATUSES),
  completedAt: s.string,
  payload: s.object({
    generatedAt: s.string,
    investigationSummary: s.string,
    remediationRecommendations: s.array(s.string),
    rootCause: s.string,
    rootCauseConfidence: s.oneOf(OLLY_ROOT_CAUSE_CONFIDENCES),
  }),
});

/** S1 `Case`. No `closeTime`, `severity` or `description` in v5 (S1 and S2). */
export const CASE = s.object({
  /** UUID, lower-case. */
  id: s.string,
  /** `^[A-Z]+-[0-9]+$`, only on cases that became Active. */
  readableId: s.string,
  /** Trimmed, 1–512 (S1; 4096 in S2). */
  title: s.string,
  status: s.oneOf(CASE_STATUSES),
  /** The effective priority: the override when set, else the system's. */
  priority: s.oneOf(CASE_PRIORITIES),
  priorityDetails: PRIORITY_DETAILS,
  category: s.oneOf(CASE_CATEGORIES),
  /** A single assignee. */
  assignee: USER_DETAILS,
  labels: s.array(KEY_VALUE),
  groupings: s.array(KEY_VALUE),
  createTime: s.string,
  updateTime: s.string,
  acknowledgeTime: s.string,
  resolutionDetails: RESOLUTION_DETAILS,
  /** How long the case is or was open, in milliseconds, as a digit string (S1 `^[0-9]+$`). */
  duration: s.string,
  caseIndicators: CASE_INDICATORS,
  impactedEntities: s.array(IMPACTED_ENTITY),
  kpiBreaches: s.object({ breachedKpis: s.array(BREACHED_KPI) }),
  /** 1–10000 (S1; 4096 in S2). */
  aiSummary: s.string,
  ollyAnalysis: OLLY_ANALYSIS,
});

const GROUP_COUNT = s.object({
  key: s.string,
  valueCounts: s.array(s.object({ value: s.string, count: COUNT })),
});

/** `cases.v1.GetFilterValuesResponse`: case counts per value for the cases matching a filter. */
export const FILTER_VALUES = s.object({
  priorityAggregations: s.array(s.object({ priority: s.oneOf(CASE_PRIORITIES), count: COUNT })),
  categoryAggregations: s.array(s.object({ category: s.oneOf(CASE_CATEGORIES), count: COUNT })),
  statusAggregations: s.array(s.object({ status: s.oneOf(CASE_STATUSES), count: COUNT })),
  groupingAggregations: s.array(GROUP_COUNT),
  labelAggregations: s.array(GROUP_COUNT),
  flatLabelsAggregation: s.array(s.object({ filter: KEY_VALUE, count: COUNT })),
  assigneeAggregations: s.object({
    assignedCounts: s.array(s.object({ assignee: s.string, count: COUNT })),
    unassignedCount: COUNT,
  }),
  /** Only filled when the request's `filters.alertFilters` is set. */
  alertIdAggregations: s.array(s.object({ alertId: s.string, count: COUNT })),
});

/** `ListCasesResponse`: no total (counts come from GetFilterValues). */
export const LIST_CASES_RESPONSE = s.object({
  cases: s.array(CASE),
  pagination: s.object({ nextPageToken: s.string }),
  /** S1 only: access control may have hidden matching cases. */
  pbacTruncated: s.boolean,
});

/** Every single-case write (and GetCase) answers `{case}`. */
export const CASE_RESPONSE = s.object({ case: CASE });
/** Every bulk write answers `{cases}`: no per-case error, no `notFoundIds`. */
export const CASES_RESPONSE = s.object({ cases: s.array(CASE) });
export const GROUPING_KEYS_RESPONSE = s.object({ groupingKeys: s.array(s.string) });

export type KeyValue = Required<Infer<typeof KEY_VALUE>>;
export type UserDetails = Infer<typeof USER_DETAILS>;
export type PriorityDetails = Infer<typeof PRIORITY_DETAILS>;
export type CaseResolver = Infer<typeof CASE_RESOLVER>;
export type ResolutionDetails = Infer<typeof RESOLUTION_DETAILS>;
export type AlertIndicator = Infer<typeof ALERT_INDICATOR>;
export type PrometheusAlertIndicator = Infer<typeof PROMETHEUS_ALERT_INDICATOR>;
export type GenericIndicator = Infer<typeof GENERIC_INDICATOR>;
export type CaseIndicators = Infer<typeof CASE_INDICATORS>;
export type ImpactedEntity = Infer<typeof IMPACTED_ENTITY>;
export type BreachedKpi = Infer<typeof BREACHED_KPI>;
export type OllyAnalysis = Infer<typeof OLLY_ANALYSIS>;
export type CaseWire = Infer<typeof CASE>;
export type FilterValuesWire = Infer<typeof FILTER_VALUES>;
export type ListCasesResponseWire = Infer<typeof LIST_CASES_RESPONSE>;
export type CaseResponseWire = Infer<typeof CASE_RESPONSE>;
export type CasesResponseWire = Infer<typeof CASES_RESPONSE>;
export type GroupingKeysResponseWire = Infer<typeof GROUPING_KEYS_RESPONSE>;
