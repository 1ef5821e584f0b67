/**
 * All resolvers, one file per GraphQL type (or family), typed as the generated
 * `Resolvers`. Fields whose names match the wire type need no resolver.
 */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Case, CaseAlert, CaseResolution } from './Case.js';
import { CaseActor, CaseEvent } from './CaseEvent.js';
import * as caseFacets from './CaseFacets.js';
import { CaseMutation } from './CaseMutation.js';
import { CaseTimelineItem } from './CaseTimeline.js';
import { Incident, IncidentAssignment } from './Incident.js';
import * as events from './IncidentEvent.js';
import * as feed from './IncidentFeedEvent.js';
import { IncidentMember } from './IncidentMember.js';
import { IncidentTimelineItem } from './IncidentTimeline.js';
import { LinkedToOneUptime } from './LinkedToOneUptime.js';
import { Mutation } from './Mutation.js';
import { IncidentRole, IncidentSla, StateTimeline } from './OneUptime.js';
import {
  OneUptimeIncident,
  OneUptimeIncidentSeverity,
  OneUptimeIncidentState,
} from './OneUptimeIncident.js';
import { Query } from './Query.js';
import { Subscription } from './Subscription.js';
import * as enums from './enums.js';
import { DateTime, JSONScalar } from './scalars.js';

export const resolvers: Resolvers = {
  DateTime,
  JSON: JSONScalar,
  IncidentState: enums.IncidentState,
  IncidentStatus: enums.IncidentStatus,
  IncidentSeverity: enums.IncidentSeverity,
  IncidentEventType: enums.IncidentEventType,
  UpsertStateType: enums.UpsertStateType,
  SlaStatus: enums.SlaStatus,
  AlertType: enums.AlertType,
  CaseStatus: enums.CaseStatus,
  CasePriority: enums.CasePriority,
  CaseCategory: enums.CaseCategory,
  CaseAlertState: enums.CaseAlertState,
  CaseOrderField: enums.CaseOrderField,
  Query,
  Mutation: { ...Mutation, ...CaseMutation },
  Subscription,
  Incident,
  IncidentAssignment,
  IncidentRole,
  IncidentSla,
  StateTimeline,
  OneUptimeIncident,
  OneUptimeIncidentState,
  OneUptimeIncidentSeverity,
  User: { id: (user) => user.userId },
  IncidentEvent: events.IncidentEvent,
  EventOriginator: events.EventOriginator,
  IncidentEventDetail: events.IncidentEventDetail,
  OperationalOriginator: events.OperationalOriginator,
  AdministrativeOriginator: events.AdministrativeOriginator,
  SnoozeDetail: events.SnoozeDetail,
  AssignDetail: events.AssignDetail,
  UnassignDetail: events.UnassignDetail,
  UpsertStateDetail: events.UpsertStateDetail,
  AcknowledgeDetail: events.AcknowledgeDetail,
  CloseDetail: events.CloseDetail,
  IncidentMember,
  IncidentTimelineItem,
  IncidentFeedEvent: feed.IncidentFeedEvent,
  IncidentEventConnection: feed.IncidentEventConnection,
  IncidentFacets: feed.IncidentFacets,
  IncidentSeverityCount: feed.IncidentSeverityCount,
  IncidentStatusCount: feed.IncidentStatusCount,
  IncidentStateCount: feed.IncidentStateCount,
  IncidentAssigneeCount: feed.IncidentAssigneeCount,
  IncidentMetaLabelCount: feed.IncidentMetaLabelCount,
  LinkedToOneUptime,
  Case,
  CaseAlert,
  CaseResolution,
  CaseEvent,
  CaseActor,
  CaseTimelineItem,
  CaseConnection: caseFacets.CaseConnection,
  CaseFacets: caseFacets.CaseFacets,
  CaseStatusCount: caseFacets.CaseStatusCount,
  CasePriorityCount: caseFacets.CasePriorityCount,
  CaseCategoryCount: caseFacets.CaseCategoryCount,
  CaseAssigneeCount: caseFacets.CaseAssigneeCount,
};
