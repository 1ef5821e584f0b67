import type {
  IncidentRoleResolvers,
  IncidentSlaResolvers,
  StateTimelineResolvers,
} from '../__generated__/resolvers-types.js';
import { SLA_STATUSES, type SlaStatusWire } from '../upstreams/oneuptime/types.js';
import { columnsFor } from './columns.js';
import { caseOf, coralogixIncidentOf, projectRow } from './OneUptimeIncident.js';
import { required } from './required.js';

const SLA_TEXTS = new Set<string>(SLA_STATUSES);

export const IncidentRole: IncidentRoleResolvers = {
  id: (role) => role._id,
  name: (role) => required(role.name, 'incident role name'),
  slug: (role) => required(role.slug, 'incident role slug'),
  color: (role) => required(role.color, 'incident role color'),
};

export const IncidentSla: IncidentSlaResolvers = {
  id: (sla) => sla._id,
  oneUptimeIncidentId: (sla) => required(sla.incidentId, 'SLA incidentId'),
  oneUptimeIncident: (sla, _, ctx, info) =>
    sla.incidentId
      ? ctx.oneuptime.incidentById.load(sla.incidentId, columnsFor('incident', info))
      : null,
  incident: (sla, _, ctx) => coralogixIncidentOf(ctx, sla.incidentId),
  case: (sla, _, ctx) => caseOf(ctx, sla.incidentId),
  ruleId: (sla) => required(sla.incidentSlaRuleId, 'SLA incidentSlaRuleId'),
  status: (sla) => {
    const text = required(sla.status, 'SLA status');
    return SLA_TEXTS.has(text) ? (text as SlaStatusWire) : 'UNKNOWN';
  },
  statusText: (sla) => required(sla.status, 'SLA status'),
  slaStartedAt: (sla) => required(sla.slaStartedAt, 'SLA slaStartedAt'),
};

export const StateTimeline: StateTimelineResolvers = {
  id: (entry) => entry._id,
  oneUptimeIncidentId: (entry) => required(entry.incidentId, 'timeline incidentId'),
  oneUptimeIncident: (entry, _, ctx, info) =>
    entry.incidentId
      ? ctx.oneuptime.incidentById.load(entry.incidentId, columnsFor('incident', info))
      : null,
  incident: (entry, _, ctx) => coralogixIncidentOf(ctx, entry.incidentId),
  case: (entry, _, ctx) => caseOf(ctx, entry.incidentId),
  state: (entry, _, ctx) => projectRow(ctx.oneuptime.states.load('all'), entry.incidentStateId),
  incidentStateId: (entry) => required(entry.incidentStateId, 'timeline incidentStateId'),
  createdByUser: (entry) => (entry.createdByUserId ? { userId: entry.createdByUserId } : null),
};
