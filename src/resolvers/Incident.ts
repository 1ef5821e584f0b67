import type {
  IncidentAssignmentResolvers,
  IncidentResolvers,
} from '../__generated__/resolvers-types.js';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
} from '../upstreams/coralogix/incidents/types.js';
import type { GatewayContext } from '../context.js';
import { columnsFor } from './columns.js';
import { known } from './enums.js';
import { timeline } from './IncidentTimeline.js';

/** The linked OneUptime incident's id (the oldest claimant on a conflict), if any. */
const linkedId = async (ctx: GatewayContext, incident: { id: string }) =>
  (await ctx.links.loader.load(incident.id)).oneUptimeIncidentId;

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
  linkStatus: async (incident, _, ctx) => (await ctx.links.loader.load(incident.id)).status,
  oneUptimeIncident: async (incident, _, ctx, info) => {
    const id = await linkedId(ctx, incident);
    return id ? ctx.oneuptime.incidentById.load(id, columnsFor('incident', info)) : null;
  },
  stateTimeline: async (incident, _, ctx, info) => {
    const id = await linkedId(ctx, incident);
    const columns = columnsFor('incident-state-timeline', info);
    return id ? ctx.oneuptime.timelinesByIncident.load(id, columns) : [];
  },
  slas: async (incident, _, ctx, info) => {
    const id = await linkedId(ctx, incident);
    return id ? ctx.oneuptime.slasByIncident.load(id, columnsFor('incident-sla', info)) : [];
  },
  responders: async (incident, _, ctx, info) => {
    const id = await linkedId(ctx, incident);
    return id ? ctx.oneuptime.membersByIncident.load(id, columnsFor('incident-member', info)) : [];
  },
  timeline,
};

const user = (ref: { userId?: string } | undefined) =>
  ref?.userId ? { userId: ref.userId } : null;

export const IncidentAssignment: IncidentAssignmentResolvers = {
  assignedTo: (assignment) => user(assignment.assignedTo),
  assignedBy: (assignment) => user(assignment.assignedBy),
};
