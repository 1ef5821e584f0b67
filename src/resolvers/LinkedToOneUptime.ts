/**
 * `LinkedToOneUptime` (STYLE 17): the fields `Incident` and `Case` both serve
 * through their family's link (`ctx.links` / `ctx.caseLinks`), written once
 * here and spread into each type's resolvers.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { LinkedToOneUptimeResolvers } from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import type { Links } from '../links/index.js';
import { columnsFor } from './columns.js';

type LinksOf = (ctx: GatewayContext) => Pick<Links<unknown>, 'loader'>;
type Field<T> = (
  parent: { id: string },
  args: unknown,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
) => Promise<T>;

/** The link fields of a family whose records are keyed by `id` in `linksOf(ctx)`. */
export function linkedFields(linksOf: LinksOf) {
  /** The linked OneUptime incident's id (the oldest claimant on a conflict), if any. */
  const linkedId = async (ctx: GatewayContext, parent: { id: string }) =>
    (await linksOf(ctx).loader.load(parent.id)).oneUptimeIncidentId;

  const linkStatus: Field<'LINKED' | 'NOT_LINKED' | 'CONFLICT'> = async (parent, _, ctx) =>
    (await linksOf(ctx).loader.load(parent.id)).status;

  const oneUptimeIncident = (async (parent, _, ctx, info) => {
    const id = await linkedId(ctx, parent);
    return id ? ctx.oneuptime.incidentById.load(id, columnsFor('incident', info)) : null;
  }) satisfies Field<unknown>;

  const stateTimeline = (async (parent, _, ctx, info) => {
    const id = await linkedId(ctx, parent);
    const columns = columnsFor('incident-state-timeline', info);
    return id ? ctx.oneuptime.timelinesByIncident.load(id, columns) : [];
  }) satisfies Field<unknown>;

  const slas = (async (parent, _, ctx, info) => {
    const id = await linkedId(ctx, parent);
    return id ? ctx.oneuptime.slasByIncident.load(id, columnsFor('incident-sla', info)) : [];
  }) satisfies Field<unknown>;

  const responders = (async (parent, _, ctx, info) => {
    const id = await linkedId(ctx, parent);
    return id ? ctx.oneuptime.membersByIncident.load(id, columnsFor('incident-member', info)) : [];
  }) satisfies Field<unknown>;

  return { linkStatus, oneUptimeIncident, stateTimeline, slas, responders };
}

/** Only cases have a priority. */
export const LinkedToOneUptime: LinkedToOneUptimeResolvers = {
  __resolveType: (parent) => ('priority' in parent ? 'Case' : 'Incident'),
};
