/**
 * The Coralogix incident as the gateway reads it: one declaration of the wire
 * shape (checked on every incident Coralogix sends, see `checkIncident`) from
 * which its TypeScript types are inferred. Everything is optional because
 * protojson omits defaults; `Incident` is the type after `checkIncident`
 * filled them.
 */
import { s, type Infer } from '../../shape.js';
import {
  ALERT_TYPES,
  INCIDENT_EVENT_TYPES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
  ORIGINATOR_TYPES,
  UPSERT_STATE_TYPES,
} from './enums.js';

const USER_REF = s.object({ userId: s.string });
const ASSIGNMENT = s.object({ assignedTo: USER_REF, assignedBy: USER_REF });
const META_LABEL = s.object({ key: s.string, value: s.string });

/** One incident event: exactly one payload field is set, matching `incidentEventType`. */
export const INCIDENT_EVENT = s.object({
  id: s.string,
  incidentEventType: s.oneOf(INCIDENT_EVENT_TYPES),
  originatorType: s.oneOf(ORIGINATOR_TYPES),
  administrativeEvent: USER_REF,
  operationalEvent: s.object({ systemName: s.string }),
  snoozeIndicator: s.object({ startTime: s.string, durationMinutes: s.int, userId: s.string }),
  assignment: s.object({ assignment: ASSIGNMENT }),
  unassign: s.object({}),
  upsertState: s.object({
    stateType: s.oneOf(UPSERT_STATE_TYPES),
    payload: s.object({ cxEventKey: s.string }),
    isMuted: s.boolean,
  }),
  acknowledge: s.object({ acknowledgedBy: USER_REF }),
  close: s.object({ closedBy: USER_REF }),
});

export const INCIDENT = s.object({
  id: s.string,
  name: s.string,
  description: s.string,
  state: s.oneOf(INCIDENT_STATES),
  status: s.oneOf(INCIDENT_STATUSES),
  severity: s.oneOf(INCIDENT_SEVERITIES),
  assignments: s.array(ASSIGNMENT),
  contextualLabels: s.record(s.string),
  displayLabels: s.record(s.string),
  events: s.array(INCIDENT_EVENT),
  createdAt: s.string,
  closedAt: s.string,
  lastStateUpdateTime: s.string,
  lastStateUpdateKey: s.string,
  /** protobuf Duration, e.g. `"3600s"`. */
  duration: s.string,
  isMuted: s.boolean,
  metaLabels: s.array(META_LABEL),
});

/**
 * One event of the cross-incident feed (`ListIncidentEvents` items, schema
 * `IncidentEventExtended` in openapi_v5.yaml e509de6 line 33284): the event,
 * the only instant Coralogix gives an event, its key, and metadata about its
 * incident and alert. No incident id.
 */
export const INCIDENT_EVENT_EXTENDED = s.object({
  cxEventKey: s.string,
  incidentEvent: INCIDENT_EVENT,
  cxEventTimestamp: s.string,
  incidentEventExtendedMetadata: s.object({
    incidentSeverity: s.oneOf(INCIDENT_SEVERITIES),
    alertId: s.string,
    incidentState: s.oneOf(INCIDENT_STATES),
    alertName: s.string,
    alertType: s.oneOf(ALERT_TYPES),
    isMuted: s.boolean,
    incidentStatus: s.oneOf(INCIDENT_STATUSES),
    alertGroupByFields: s.array(s.string),
    alertLabels: s.array(META_LABEL),
    incidentPermutation: s.record(s.string),
  }),
});

/** An int32 count: a number, though a proxy may send a numeric string (read with `readCount`). */
const COUNT = s.unknown;

/**
 * GetFilterValues' `filtersValues` (schema `IncidentQueryFiltersValues`, line
 * 33916; proto `incident_query_filters_values.proto`): counts per value for
 * the incidents matching a filter.
 */
export const FILTERS_VALUES = s.object({
  assigneeWithCount: s.array(s.object({ assignee: s.string, count: COUNT })),
  statusWithCount: s.array(s.object({ status: s.oneOf(INCIDENT_STATUSES), count: COUNT })),
  stateWithCount: s.array(s.object({ state: s.oneOf(INCIDENT_STATES), count: COUNT })),
  severityWithCount: s.array(s.object({ severity: s.oneOf(INCIDENT_SEVERITIES), count: COUNT })),
  contextualLabels: s.record(
    s.object({
      valuesWithCount: s.array(s.object({ contextualLabelValue: s.string, count: COUNT })),
    }),
  ),
  displayLabels: s.record(
    s.object({ valuesWithCount: s.array(s.object({ displayLabelValue: s.string, count: COUNT })) }),
  ),
  metaLabelsWithCount: s.array(s.object({ metaLabel: META_LABEL, count: COUNT })),
  metaLabelsOp: s.string,
});

/** A user the gateway shows (`User`): only references that name a user become one. */
export type UserRef = Required<Infer<typeof USER_REF>>;
export type Assignment = Infer<typeof ASSIGNMENT>;
export type MetaLabel = Required<Infer<typeof META_LABEL>>;
export type IncidentEvent = Infer<typeof INCIDENT_EVENT>;
export type IncidentEventExtendedWire = Infer<typeof INCIDENT_EVENT_EXTENDED>;
export type FiltersValuesWire = Infer<typeof FILTERS_VALUES>;

/** Members `checkIncident` always fills (an id, or protojson's omitted defaults). */
type Filled =
  | 'id'
  | 'state'
  | 'status'
  | 'severity'
  | 'assignments'
  | 'contextualLabels'
  | 'displayLabels'
  | 'events';
/** An incident after `checkIncident`: the codegen mapper target of `Incident`. */
export type Incident = Omit<Infer<typeof INCIDENT>, Filled> &
  Required<Pick<Infer<typeof INCIDENT>, Filled>>;
