import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { incidentPage, recordPage } from './lists.js';
import { toCoralogixFilter, toCoralogixOrder, toSlaQuery, toTimelineQuery } from './filters.js';
import { checkUuid } from './validate.js';

export const Query: QueryResolvers = {
  incident: (_, { id }, ctx) => (id.trim() === '' ? null : ctx.coralogix.incident.load(id)),

  incidents: (_, { filter, orderBy, first, after }, ctx) =>
    incidentPage(ctx, toCoralogixFilter(filter), toCoralogixOrder(orderBy), { first, after }),

  incidentRole: (_, { id }, ctx) => ctx.oneuptime.roleById.load(checkUuid(id, 'id')),

  incidentRoles: (_, { first, after }, ctx) =>
    recordPage(ctx, 'incident-role', {}, { first, after }),

  incidentSla: (_, { id }, ctx) => ctx.oneuptime.slaById.load(checkUuid(id, 'id')),

  incidentSlas: (_, { filter, first, after }, ctx) =>
    recordPage(ctx, 'incident-sla', toSlaQuery(filter), { first, after }),

  stateTimeline: (_, { id }, ctx) => ctx.oneuptime.timelineById.load(checkUuid(id, 'id')),

  stateTimelines: (_, { filter, first, after }, ctx) =>
    recordPage(ctx, 'incident-state-timeline', toTimelineQuery(filter), { first, after }),
};
