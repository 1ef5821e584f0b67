/**
 * OneUptime incidents, their states and severities, and the joins that start
 * from a OneUptime record: back to its incident and, through the link custom
 * fields, to the Coralogix incident or case.
 */
import type {
  OneUptimeIncidentResolvers,
  OneUptimeIncidentSeverityResolvers,
  OneUptimeIncidentStateResolvers,
} from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import type { Case } from '../upstreams/coralogix/cases/types.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type {
  IncidentSeverityRecord,
  IncidentStateRecord,
  OneUptimeIncidentRecord,
} from '../upstreams/oneuptime/resources.js';
import { columnsFor } from './columns.js';
import { required } from './required.js';

/** The project's state (or severity) with this id, from the one list read per request. */
async function projectRow<T extends { _id: string }>(
  rows: Promise<T[]>,
  id: string | null | undefined,
): Promise<T | null> {
  if (!id) return null;
  return (await rows).find((row) => row._id === id) ?? null;
}

/** The Coralogix incident a OneUptime incident's link field names, or null. */
export async function linkedCoralogixIncident(
  ctx: GatewayContext,
  row: Pick<OneUptimeIncidentRecord, 'customFields'> | null,
): Promise<Incident | null> {
  const id = row ? ctx.links.coralogixIdOf(row) : undefined;
  return id ? ctx.coralogix.incident.load(id) : null;
}

/**
 * The Coralogix incident a OneUptime record's own incident (`incidentId`)
 * links to: known from this request's links, else read from its custom field.
 */
export async function coralogixIncidentOf(
  ctx: GatewayContext,
  oneUptimeIncidentId: string | null | undefined,
): Promise<Incident | null> {
  if (!oneUptimeIncidentId) return null;
  const id = await ctx.links.reverse.load(oneUptimeIncidentId);
  return id ? ctx.coralogix.incident.load(id) : null;
}

/** The Coralogix case a OneUptime incident's case link field names, or null. */
export async function linkedCase(
  ctx: GatewayContext,
  row: Pick<OneUptimeIncidentRecord, 'customFields'> | null,
): Promise<Case | null> {
  const id = row ? ctx.caseLinks.coralogixIdOf(row) : undefined;
  return id ? ctx.cases.case.load(id) : null;
}

/** A OneUptime record's own incident (`incidentId`), then the case it is linked to. */
export async function caseOf(
  ctx: GatewayContext,
  oneUptimeIncidentId: string | null | undefined,
): Promise<Case | null> {
  if (!oneUptimeIncidentId) return null;
  const row = await ctx.oneuptime.incidentById.load(oneUptimeIncidentId, ['customFields']);
  return linkedCase(ctx, row);
}

export const OneUptimeIncident: OneUptimeIncidentResolvers = {
  id: (row) => row._id,
  number: (row) => row.incidentNumber ?? null,
  title: (row) => required(row.title, 'incident title'),
  state: (row, _, ctx) =>
    (row.currentIncidentState as IncidentStateRecord | null | undefined) ??
    projectRow(ctx.oneuptime.states.load('all'), row.currentIncidentStateId),
  severity: (row, _, ctx) =>
    (row.incidentSeverity as IncidentSeverityRecord | null | undefined) ??
    projectRow(ctx.oneuptime.severities.load('all'), row.incidentSeverityId),
  customFields: (row) => row.customFields ?? null,
  incident: (row, _, ctx) => linkedCoralogixIncident(ctx, row),
  case: (row, _, ctx) => linkedCase(ctx, row),
  stateTimeline: (row, _, ctx, info) =>
    ctx.oneuptime.timelinesByIncident.load(row._id, columnsFor('incident-state-timeline', info)),
  slas: (row, _, ctx, info) =>
    ctx.oneuptime.slasByIncident.load(row._id, columnsFor('incident-sla', info)),
  responders: (row, _, ctx, info) =>
    ctx.oneuptime.membersByIncident.load(row._id, columnsFor('incident-member', info)),
};

export const OneUptimeIncidentState: OneUptimeIncidentStateResolvers = {
  id: (row) => row._id,
  name: (row) => required(row.name, 'incident state name'),
};

export const OneUptimeIncidentSeverity: OneUptimeIncidentSeverityResolvers = {
  id: (row) => row._id,
  name: (row) => required(row.name, 'incident severity name'),
};

export { projectRow };
