import type {
  IncidentRoleResolvers,
  IncidentSlaResolvers,
  StateTimelineResolvers,
} from '../__generated__/resolvers-types.js';
import { badResponse } from '../errors.js';
import { SLA_STATUSES, type SlaStatusWire } from '../upstreams/oneuptime/types.js';

const SLA_TEXTS = new Set<string>(SLA_STATUSES);

/** A column the schema declares non-null but OneUptime did not send. */
function required<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw badResponse('oneuptime', `missing ${what}`);
  return value;
}

export const IncidentRole: IncidentRoleResolvers = {
  id: (role) => role._id,
  name: (role) => required(role.name, 'incident role name'),
  slug: (role) => required(role.slug, 'incident role slug'),
  color: (role) => required(role.color, 'incident role color'),
};

export const IncidentSla: IncidentSlaResolvers = {
  id: (sla) => sla._id,
  incidentId: (sla) => required(sla.incidentId, 'SLA incidentId'),
  incident: (sla, _, ctx) => (sla.incidentId ? ctx.coralogix.incident.load(sla.incidentId) : null),
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
  incidentId: (entry) => required(entry.incidentId, 'timeline incidentId'),
  incident: (entry, _, ctx) =>
    entry.incidentId ? ctx.coralogix.incident.load(entry.incidentId) : null,
  incidentStateId: (entry) => required(entry.incidentStateId, 'timeline incidentStateId'),
  createdByUser: (entry) => (entry.createdByUserId ? { userId: entry.createdByUserId } : null),
};
