import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { checkCaseId, toCaseFilters, toCaseOrder } from './caseInputs.js';
import { casePage, emptyPage, incidentPage, incidentRecordPage, recordPage } from './lists.js';
import { eventPage } from './feed.js';
import {
  toEventFilter,
  toCoralogixFilter,
  toCoralogixOrder,
  toIncidentScope,
  toOneUptimeIncidentQuery,
  toSlaQuery,
  toTimelineQuery,
} from './filters.js';
import { checkFirst } from './pagination.js';
import { checkUuid } from './validate.js';
import { columnsFor } from './columns.js';

/** Where a connection's records sit in its selection. */
const NODE = ['edges', 'node'];

export const Query: QueryResolvers = {
  incident: (_, { id }, ctx) => ctx.coralogix.incident.load(checkUuid(id, 'id')),

  incidents: (_, { filter, orderBy, first, after }, ctx) =>
    incidentPage(ctx, toCoralogixFilter(filter), toCoralogixOrder(orderBy), { first, after }),

  incidentRole: (_, { id }, ctx, info) =>
    ctx.oneuptime.roleById.load(checkUuid(id, 'id'), columnsFor('incident-role', info)),

  incidentRoles: (_, { first, after }, ctx, info) =>
    recordPage(ctx, 'incident-role', {}, { first, after }, columnsFor('incident-role', info, NODE)),

  incidentSla: (_, { id }, ctx, info) =>
    ctx.oneuptime.slaById.load(checkUuid(id, 'id'), columnsFor('incident-sla', info)),

  incidentSlas: (_, { filter, first, after }, ctx, info) =>
    incidentRecordPage(
      ctx,
      'incident-sla',
      toSlaQuery(filter),
      toIncidentScope(filter),
      { first, after },
      columnsFor('incident-sla', info, NODE),
    ),

  stateTimeline: (_, { id }, ctx, info) =>
    ctx.oneuptime.timelineById.load(
      checkUuid(id, 'id'),
      columnsFor('incident-state-timeline', info),
    ),

  stateTimelines: (_, { filter, first, after }, ctx, info) =>
    incidentRecordPage(
      ctx,
      'incident-state-timeline',
      toTimelineQuery(filter),
      toIncidentScope(filter),
      { first, after },
      columnsFor('incident-state-timeline', info, NODE),
    ),

  oneUptimeIncident: (_, { id }, ctx, info) =>
    ctx.oneuptime.incidentById.load(checkUuid(id, 'id'), columnsFor('incident', info)),

  oneUptimeIncidents: (_, { filter, first, after }, ctx, info) => {
    const query = toOneUptimeIncidentQuery(filter, ctx.links.field);
    if (!query) {
      checkFirst(first);
      return emptyPage(Boolean(after));
    }
    return recordPage(ctx, 'incident', query, { first, after }, columnsFor('incident', info, NODE));
  },

  oneUptimeIncidentStates: (_, __, ctx) => ctx.oneuptime.states.load('all'),

  oneUptimeIncidentSeverities: (_, __, ctx) => ctx.oneuptime.severities.load('all'),

  incidentEvents: (_, { filter, order, first, after }, ctx) =>
    eventPage(
      ctx,
      toEventFilter(filter),
      order === 'ASC' ? 'ORDER_BY_DIRECTION_ASC' : 'ORDER_BY_DIRECTION_DESC',
      { first, after },
    ),

  incidentFacets: (_, { filter }, ctx) => ctx.coralogix.filterValues(toCoralogixFilter(filter)),

  case: (_, { id }, ctx) => ctx.cases.case.load(checkCaseId(id, 'id')),

  cases: (_, { filter, orderBy, first, after }, ctx) =>
    casePage(ctx, toCaseFilters(filter), toCaseOrder(orderBy), { first, after }),

  caseFacets: (_, { filter }, ctx) => ctx.cases.facets.load(toCaseFilters(filter)),
};
