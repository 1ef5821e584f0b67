/**
 * Wire types of the Coralogix Cases management API (v5 facade,
 * `…/mgmt/openapi/5/cases/…`), as proto3 JSON. Responses are declared once in
 * `resources.ts` and inferred; requests are written out here, member for
 * member as S1 (coralogix/coralogix-management-sdk 4464b2b3
 * `specs/cases_service.json`, `specs/case_events_service.json`) declares
 * them, with the limits the specs put on them.
 */
export * from './enums.js';
export type {
  AlertIndicator,
  BreachedKpi,
  CaseIndicators,
  CaseResolver,
  FilterValuesWire,
  GenericIndicator,
  ImpactedEntity,
  KeyValue,
  OllyAnalysis,
  PrometheusAlertIndicator,
  PriorityDetails,
  ResolutionDetails,
  UserDetails,
} from './resources.js';
export type {
  CaseEventData,
  CommentAttachment,
  CommentEvent,
  EventActor,
} from './eventResources.js';
import type { CaseEventWire, CommentAttachment } from './eventResources.js';
import type { CaseWire, FilterValuesWire, KeyValue } from './resources.js';
import type {
  CaseCategoryWire,
  CaseOrderByDirectionWire,
  CaseOrderByFieldWire,
  CasePriorityWire,
  CaseStatusWire,
  ConnectorTypeWire,
  DateRangeModeWire,
  IndicatorTypeWire,
  KpiFilterWire,
} from './enums.js';

/** Members S1 marks required on a Case (protojson may still omit empty lists). */
type CaseFilled =
  | 'id'
  | 'title'
  | 'status'
  | 'priority'
  | 'category'
  | 'createTime'
  | 'labels'
  | 'groupings'
  | 'impactedEntities';
/** A case with its required members present (what a checked answer holds). */
export type Case = Omit<CaseWire, CaseFilled> & Required<Pick<CaseWire, CaseFilled>>;

type EventFilled = 'eventId' | 'eventData' | 'actor' | 'createTime' | 'eventTime';
/** An event with its required members present. */
export type CaseEvent = Omit<CaseEventWire, EventFilled> &
  Required<Pick<CaseEventWire, EventFilled>>;

/** The `{id}` / `{case_id}` path pattern (1–64 chars): a case UUID or a readable id. */
export const CASE_ID_PATTERN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Z]+-[0-9]+)$/;
/** The `{event_id}` path pattern: a UUID, hex digits of either case. */
export const EVENT_ID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A readable id, e.g. `CASE-123`. */
export const READABLE_ID_PATTERN = /^[A-Z]+-[0-9]+$/;

/** Limits of the Cases requests (S1). */
export const CASE_LIMITS = {
  /** `ids` of every bulk call, `caseIds` of notification deliveries. */
  maxBulkIds: 1000,
  maxPageSize: 1000,
  maxSkip: 1_000_000,
  maxPageTokenLength: 4096,
  /** UpdateCase `title`, trimmed first. */
  maxTitleLength: 512,
  /** ResolveCase `reason` and UpdateCase `resolutionReason`, trimmed first. */
  maxResolutionReasonLength: 500,
  /** BulkResolve `reason`. */
  maxBulkResolutionReasonLength: 4096,
  /** Comment `text`, trimmed first. */
  maxCommentLength: 10_000,
  maxCommentAttachments: 100,
  maxTextSearchLength: 4096,
  /** Every list inside `CaseFilters`. */
  maxFilterValues: 1000,
} as const;

/** `AssigneeOption` oneOf: a user id, or the unassigned cases. */
export type AssigneeOption = { assignee: string } | { unassigned: Record<string, never> };

/** `FilterGroup`: a key and the values it may have (any of them). */
export interface FilterGroup {
  key: string;
  values: string[];
}

/** `DateRangeFilter`: both ends required; mode ACTIVE_WINDOW unless said otherwise. */
export interface DateRangeFilter {
  from: string;
  to: string;
  mode?: DateRangeModeWire;
}

export type ConnectorTypeFilter =
  { connectorType: ConnectorTypeWire } | { noConnector: Record<string, never> };

export type ImpactedEntityFilter =
  { apmService: { name: string } } | { apmDatabase: { name: string } };

/** `CaseFilters`: every member optional, lists of up to 1000. */
export interface CaseFilters {
  statuses?: CaseStatusWire[];
  priorities?: CasePriorityWire[];
  categories?: CaseCategoryWire[];
  assignees?: AssigneeOption[];
  labels?: FilterGroup[];
  groupings?: FilterGroup[];
  caseLabelsFilter?: { flatLabels?: KeyValue[] };
  /** 1–4096, applied to titles. */
  textSearch?: string;
  dateRange?: DateRangeFilter;
  breached?: KpiFilterWire[];
  alertFilters?: { alertIds?: string[]; alertVersions?: string[] };
  connectorTypeFilters?: ConnectorTypeFilter[];
  /** S1 only. */
  impactedEntities?: ImpactedEntityFilter[];
  /** S1 only. */
  indicatorTypes?: IndicatorTypeWire[];
}

/** One field only; without it, creation time and id descending. */
export interface CaseOrderBy {
  field?: CaseOrderByFieldWire;
  direction?: CaseOrderByDirectionWire;
}

/** `cases.v1.PaginationRequest` (int64 members: numbers, or decimal strings in protojson). */
export interface CasesPaginationRequest {
  /** 1–1000. */
  pageSize?: number;
  /** Opaque, 1–4096 characters. */
  pageToken?: string;
  /** 0–1,000,000 items skipped before the page. */
  skip?: number;
}

export interface ListCasesRequest {
  filters?: CaseFilters;
  orderBy?: CaseOrderBy;
  pagination?: CasesPaginationRequest;
}

export interface ListCasesResponse {
  cases: Case[];
  pagination: { nextPageToken?: string };
  pbacTruncated?: boolean;
}

export interface GetFilterValuesRequest {
  filters?: CaseFilters;
}
export type GetFilterValuesResponse = FilterValuesWire;

/** GetCase and every single-case write. */
export interface CaseResponse {
  case: Case;
}
/** Every bulk write: the cases as they are after it, nothing more. */
export interface CasesResponse {
  cases: Case[];
}

export interface UpdateCaseRequest {
  /** 1–512 after trimming. */
  title?: string;
  /** 1–500 after trimming. */
  resolutionReason?: string;
}
export interface AssignCaseRequest {
  assignee: { userId: string };
}
export interface BulkAssignRequest {
  ids: string[];
  assignee: { userId: string };
}
/** The bulk form needs the acting user; the single form has no body. */
export interface BulkAcknowledgeRequest {
  ids: string[];
  actor: { userId: string };
}
export interface ResolveCaseRequest {
  /** 1–500. */
  reason?: string;
}
export interface BulkResolveRequest {
  ids: string[];
  /** 1–4096. */
  reason?: string;
}
export interface BulkIdsRequest {
  ids: string[];
}
export interface SetPriorityOverrideRequest {
  priority: CasePriorityWire;
}
export interface BulkSetPriorityOverrideRequest {
  ids: string[];
  priority: CasePriorityWire;
}
export interface GroupingKeysResponse {
  groupingKeys: string[];
}

export interface ListEventsResponse {
  events: CaseEvent[];
}
/** GetEvent, CreateComment and UpdateComment. */
export interface EventResponse {
  event: CaseEvent;
}
/** CreateComment and UpdateComment: `text` 1–10000 after trimming, up to 100 attachments. */
export interface CommentRequest {
  text: string;
  attachments?: CommentAttachment[];
}
/** DeleteComment: an empty object (the status says it worked). */
export type DeleteCommentResponse = Record<string, never>;

/** The v5 facade's error body (S1 `Error`): `code` is the HTTP status, `message` ≤ 4096. */
export interface CoralogixErrorBody {
  code: number;
  message: string;
}
