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
import type { Links } from '../links/index.js';
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

/** What the joins back from OneUptime need of a family (STYLE 17): its link, and its records. */
interface LinkedFamily<R> {
  links(ctx: GatewayContext): Links<R>;
  record(ctx: GatewayContext, id: string): Promise<R | null>;
}

const INCIDENTS: LinkedFamily<Incident> = {
  links: (ctx) => ctx.links,
  record: (ctx, id) => ctx.coralogix.incident.load(id),
};

const CASES: LinkedFamily<Case> = {
  links: (ctx) => ctx.caseLinks,
  record: (ctx, id) => ctx.cases.case.load(id),
};

/** The record a OneUptime incident's link field (of `family`) names, or null. */
async function namedBy<R>(
  family: LinkedFamily<R>,
  ctx: GatewayContext,
  row: Pick<OneUptimeIncidentRecord, 'customFields'> | null,
): Promise<R | null> {
  const id = row ? family.links(ctx).coralogixIdOf(row) : undefined;
  return id ? family.record(ctx, id) : null;
}

/**
 * The record of `family` a OneUptime record's own incident (`incidentId`)
 * links to: known from this request's links, else read from its custom field.
 */
async function reachedFrom<R>(
  family: LinkedFamily<R>,
  ctx: GatewayContext,
  oneUptimeIncidentId: string | null | undefined,
): Promise<R | null> {
  if (!oneUptimeIncidentId) return null;
  const id = await family.links(ctx).reverse.load(oneUptimeIncidentId);
  return id ? family.record(ctx, id) : null;
}

/** A OneUptime record's own incident, then the Coralogix incident it is linked to. */
export const coralogixIncidentOf = (ctx: GatewayContext, oneUptimeIncidentId?: string | null) =>
  reachedFrom(INCIDENTS, ctx, oneUptimeIncidentId);

/** A OneUptime record's own incident, then the Coralogix case it is linked to. */
export const caseOf = (ctx: GatewayContext, oneUptimeIncidentId?: string | null) =>
  reachedFrom(CASES, ctx, oneUptimeIncidentId);

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
  incident: (row, _, ctx) => namedBy(INCIDENTS, ctx, row),
  case: (row, _, ctx) => namedBy(CASES, ctx, row),
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
