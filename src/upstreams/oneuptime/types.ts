/**
 * Wire types of the OneUptime generic CRUD API (`<base>/api/<resource>/…`).
 *
 * Real servers wrap ObjectID, Date and Color columns as
 * `{"_type":"ObjectID"|"DateTime"|"Color","value":…}`; the docs' examples send
 * plain values. The client decodes both into the plain shapes below, which are
 * also the codegen mapper targets. Only selected columns come back (plus
 * `_id`), so every other column is optional.
 */

export const ONEUPTIME_RESOURCES = [
  'incident-state-timeline',
  'incident-role',
  'incident-sla',
] as const;
export type OneUptimeResource = (typeof ONEUPTIME_RESOURCES)[number];

/** The value types of a column, which decide its JSON encoding on the wire. */
export type ColumnType = 'ObjectID' | 'DateTime' | 'Color' | 'Text' | 'Boolean' | 'Number' | 'JSON';

/** An encoded value as real servers send it. */
export interface ValueEnvelope {
  _type: 'ObjectID' | 'DateTime' | 'Color';
  value: string;
}

export interface BaseRecord {
  _id: string;
  projectId?: string;
  createdAt?: string;
  updatedAt?: string;
  createdByUserId?: string | null;
}

export interface StateTimelineRecord extends BaseRecord {
  incidentId?: string;
  incidentStateId?: string;
  startsAt?: string | null;
  endsAt?: string | null;
  rootCause?: string | null;
  stateChangeLog?: unknown;
  shouldStatusPageSubscribersBeNotified?: boolean | null;
  subscriberNotificationStatus?: string | null;
  subscriberNotificationStatusMessage?: string | null;
  isOwnerNotified?: boolean | null;
}

export interface IncidentRoleRecord extends BaseRecord {
  name?: string;
  slug?: string;
  description?: string | null;
  color?: string;
  roleIcon?: string | null;
  isPrimaryRole?: boolean;
  isDeleteable?: boolean;
  canAssignMultipleUsers?: boolean;
}

/**
 * The `status` strings OneUptime sends (`Common/Types/Incident/IncidentSlaStatus.ts`),
 * plus "Breached", which the model docs list ("On Track, At Risk, Breached, Met").
 */
export const SLA_STATUSES = [
  'On Track',
  'At Risk',
  'Breached',
  'Response Breached',
  'Resolution Breached',
  'Met',
] as const;
export type SlaStatusWire = (typeof SLA_STATUSES)[number];

export interface IncidentSlaRecord extends BaseRecord {
  incidentId?: string;
  incidentSlaRuleId?: string;
  status?: string;
  responseDeadline?: string | null;
  resolutionDeadline?: string | null;
  respondedAt?: string | null;
  resolvedAt?: string | null;
  breachNotificationSentAt?: string | null;
  lastInternalNoteReminderSentAt?: string | null;
  lastPublicNoteReminderSentAt?: string | null;
  slaStartedAt?: string;
}

export interface RecordOf {
  'incident-state-timeline': StateTimelineRecord;
  'incident-role': IncidentRoleRecord;
  'incident-sla': IncidentSlaRecord;
}

export type Select = Record<string, boolean>;
export type Sort = Record<string, 'ASC' | 'DESC' | 1 | -1>;
/** A OneUptime query: column → plain value, `null`, a bare array (IN), or a `{_type}` operator. */
export type Query = Record<string, unknown>;

export interface ListRequestBody {
  select?: Select;
  query?: Query;
  sort?: Sort;
}

export interface ListResponse<T> {
  data: T[];
  count: number;
  skip: number;
  limit: number;
}

export interface CountResponse {
  count: number;
}

/** OneUptime sends `{"error": …}` from its global handler and `{"message": …}` elsewhere. */
export interface OneUptimeErrorBody {
  error?: string;
  message?: string;
}
