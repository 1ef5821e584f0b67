import type {
  IncidentAssignmentResolvers,
  IncidentResolvers,
} from '../__generated__/resolvers-types.js';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
} from '../upstreams/coralogix/incidents/types.js';
import { known } from './enums.js';
import { timeline } from './IncidentTimeline.js';
import { linkedFields } from './LinkedToOneUptime.js';

const toLabels = (map: Record<string, string>) =>
  Object.entries(map).map(([key, value]) => ({ key, value: value ?? '' }));

export const Incident: IncidentResolvers = {
  name: (incident) => incident.name ?? '',
  description: (incident) => incident.description ?? null,
  state: (incident) => known(incident.state, INCIDENT_STATES, 'INCIDENT_STATE_UNSPECIFIED'),
  status: (incident) => known(incident.status, INCIDENT_STATUSES, 'INCIDENT_STATUS_UNSPECIFIED'),
  severity: (incident) =>
    known(incident.severity, INCIDENT_SEVERITIES, 'INCIDENT_SEVERITY_UNSPECIFIED'),
  contextualLabels: (incident) => toLabels(incident.contextualLabels),
  displayLabels: (incident) => toLabels(incident.displayLabels),
  metaLabels: (incident) =>
    (incident.metaLabels ?? []).map(({ key, value }) => ({ key: key ?? '', value: value ?? '' })),
  closedAt: (incident) => incident.closedAt ?? null,
  isMuted: (incident) => incident.isMuted ?? false,
  ...linkedFields((ctx) => ctx.links),
  timeline,
};

const user = (ref: { userId?: string } | undefined) =>
  ref?.userId ? { userId: ref.userId } : null;

export const IncidentAssignment: IncidentAssignmentResolvers = {
  assignedTo: (assignment) => user(assignment.assignedTo),
  assignedBy: (assignment) => user(assignment.assignedBy),
};
