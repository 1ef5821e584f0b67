/**
 * Coralogix's event feed and facets: `IncidentFeedEvent` (a feed item),
 * `IncidentEventConnection.totalCount`, and `IncidentFacets` with its counts.
 */
import type {
  IncidentAssigneeCountResolvers,
  IncidentEventConnectionResolvers,
  IncidentFacetsResolvers,
  IncidentFeedEventResolvers,
  IncidentMetaLabelCountResolvers,
  IncidentSeverityCountResolvers,
  IncidentStateCountResolvers,
  IncidentStatusCountResolvers,
} from '../__generated__/resolvers-types.js';
import { eventRefOf } from '../upstreams/coralogix/incidents/eventLoaders.js';
import { checkFirst } from './pagination.js';

const labels = (pairs: Iterable<[string, string]>) =>
  [...pairs].map(([key, value]) => ({ key, value: value ?? '' }));

export const IncidentFeedEvent: IncidentFeedEventResolvers = {
  event: (item) => item.incidentEvent,
  at: (item) => item.cxEventTimestamp,
  alertId: (item) => item.incidentEventExtendedMetadata?.alertId ?? null,
  alertName: (item) => item.incidentEventExtendedMetadata?.alertName ?? null,
  alertType: (item) =>
    item.incidentEventExtendedMetadata?.alertType ??
    'INCIDENT_EVENT_ALERT_TYPE_STANDARD_OR_UNSPECIFIED',
  severity: (item) =>
    item.incidentEventExtendedMetadata?.incidentSeverity ?? 'INCIDENT_SEVERITY_UNSPECIFIED',
  state: (item) =>
    item.incidentEventExtendedMetadata?.incidentState ?? 'INCIDENT_STATE_UNSPECIFIED',
  status: (item) =>
    item.incidentEventExtendedMetadata?.incidentStatus ?? 'INCIDENT_STATUS_UNSPECIFIED',
  isMuted: (item) => item.incidentEventExtendedMetadata?.isMuted ?? false,
  alertLabels: (item) =>
    labels(
      (item.incidentEventExtendedMetadata?.alertLabels ?? []).map((l): [string, string] => [
        l.key ?? '',
        l.value ?? '',
      ]),
    ),
  alertGroupByFields: (item) => item.incidentEventExtendedMetadata?.alertGroupByFields ?? [],
  incidentPermutation: (item) =>
    labels(Object.entries(item.incidentEventExtendedMetadata?.incidentPermutation ?? {})),
  incident: (item, _, ctx) => ctx.coralogix.incidentByEvent.load(eventRefOf(item)),
};

export const IncidentEventConnection: IncidentEventConnectionResolvers = {
  totalCount: (page) => page.totalCount(),
};

export const IncidentFacets: IncidentFacetsResolvers = {
  assignees: (facets, { first }) => facets.assignees.slice(0, checkFirst(first)),
  metaLabels: (facets, { first }) => facets.metaLabels.slice(0, checkFirst(first)),
};

export const IncidentSeverityCount: IncidentSeverityCountResolvers = {
  severity: (row) => row.value,
};

export const IncidentStatusCount: IncidentStatusCountResolvers = {
  status: (row) => row.value,
};

export const IncidentStateCount: IncidentStateCountResolvers = {
  state: (row) => row.value,
};

export const IncidentAssigneeCount: IncidentAssigneeCountResolvers = {
  user: (row) => ({ userId: row.value }),
};

export const IncidentMetaLabelCount: IncidentMetaLabelCountResolvers = {
  label: (row) => ({ key: row.key, value: row.value }),
};
