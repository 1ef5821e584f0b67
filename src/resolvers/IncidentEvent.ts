import type {
  AcknowledgeDetailResolvers,
  AdministrativeOriginatorResolvers,
  AssignDetailResolvers,
  CloseDetailResolvers,
  EventOriginatorResolvers,
  IncidentEventDetailResolvers,
  IncidentEventResolvers,
  OperationalOriginatorResolvers,
  SnoozeDetailResolvers,
  UnassignDetailResolvers,
  UpsertStateDetailResolvers,
} from '../__generated__/resolvers-types.js';
import {
  INCIDENT_EVENT_TYPES,
  UPSERT_STATE_TYPES,
  type IncidentEvent as Event,
} from '../upstreams/coralogix/incidents/types.js';
import { known } from './enums.js';

type DetailType =
  | 'SnoozeDetail'
  | 'AssignDetail'
  | 'UnassignDetail'
  | 'UpsertStateDetail'
  | 'AcknowledgeDetail'
  | 'CloseDetail';

/** Which payload an event carries, from its type; null when the payload is missing. */
export function detailType(event: Event): DetailType | null {
  const type = known(
    event.incidentEventType,
    INCIDENT_EVENT_TYPES,
    'INCIDENT_EVENT_TYPE_UNSPECIFIED',
  );
  switch (type) {
    case 'INCIDENT_EVENT_TYPE_SNOOZE_INDICATOR':
      return event.snoozeIndicator ? 'SnoozeDetail' : null;
    case 'INCIDENT_EVENT_TYPE_ASSIGN':
      return event.assignment ? 'AssignDetail' : null;
    case 'INCIDENT_EVENT_TYPE_UNASSIGN':
      return 'UnassignDetail';
    case 'INCIDENT_EVENT_TYPE_UPSERT_STATE':
      return event.upsertState ? 'UpsertStateDetail' : null;
    case 'INCIDENT_EVENT_TYPE_ACKNOWLEDGE':
      return event.acknowledge ? 'AcknowledgeDetail' : null;
    case 'INCIDENT_EVENT_TYPE_CLOSE':
      return event.close ? 'CloseDetail' : null;
    case 'INCIDENT_EVENT_TYPE_OPEN':
    case 'INCIDENT_EVENT_TYPE_UNSPECIFIED':
      return null;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

type OriginatorType = 'OperationalOriginator' | 'AdministrativeOriginator';

export function originatorType(event: Event): OriginatorType | null {
  if (event.originatorType === 'ORIGINATOR_TYPE_ADMINISTRATIVE' || event.administrativeEvent) {
    return 'AdministrativeOriginator';
  }
  if (event.originatorType === 'ORIGINATOR_TYPE_OPERATIONAL' || event.operationalEvent) {
    return 'OperationalOriginator';
  }
  return null;
}

const user = (userId: string | undefined) => (userId ? { userId } : null);

export const IncidentEvent: IncidentEventResolvers = {
  type: (event) =>
    known(event.incidentEventType, INCIDENT_EVENT_TYPES, 'INCIDENT_EVENT_TYPE_UNSPECIFIED'),
  originator: (event) => (originatorType(event) ? event : null),
  detail: (event) => (detailType(event) ? event : null),
};

export const EventOriginator: EventOriginatorResolvers = {
  __resolveType: (event) => originatorType(event) ?? 'OperationalOriginator',
};

export const IncidentEventDetail: IncidentEventDetailResolvers = {
  __resolveType: (event) => detailType(event) ?? 'UnassignDetail',
};

export const OperationalOriginator: OperationalOriginatorResolvers = {
  systemName: (event) => event.operationalEvent?.systemName ?? null,
};

export const AdministrativeOriginator: AdministrativeOriginatorResolvers = {
  user: (event) => user(event.administrativeEvent?.userId),
};

export const SnoozeDetail: SnoozeDetailResolvers = {
  startTime: (event) => event.snoozeIndicator?.startTime ?? null,
  durationMinutes: (event) => event.snoozeIndicator?.durationMinutes ?? null,
  user: (event) => user(event.snoozeIndicator?.userId),
};

export const AssignDetail: AssignDetailResolvers = {
  assignedTo: (event) => user(event.assignment?.assignment?.assignedTo?.userId),
  assignedBy: (event) => user(event.assignment?.assignment?.assignedBy?.userId),
};

export const UnassignDetail: UnassignDetailResolvers = {
  unassigned: () => true,
};

export const UpsertStateDetail: UpsertStateDetailResolvers = {
  stateType: (event) =>
    known(
      event.upsertState?.stateType,
      UPSERT_STATE_TYPES,
      'UPSERT_INCIDENT_STATE_TYPE_UNSPECIFIED',
    ),
  cxEventKey: (event) => event.upsertState?.payload?.cxEventKey ?? null,
  isMuted: (event) => event.upsertState?.isMuted ?? null,
};

export const AcknowledgeDetail: AcknowledgeDetailResolvers = {
  acknowledgedBy: (event) => user(event.acknowledge?.acknowledgedBy?.userId),
};

export const CloseDetail: CloseDetailResolvers = {
  closedBy: (event) => user(event.close?.closedBy?.userId),
};
