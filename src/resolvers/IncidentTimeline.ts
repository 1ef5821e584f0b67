/**
 * `Incident.timeline`, the merged timeline (see timeline.ts), and the
 * union of what it holds.
 */
import type {
  IncidentResolvers,
  IncidentTimelineItemResolvers,
} from '../__generated__/resolvers-types.js';
import { checkFirst } from './pagination.js';
import {
  linkedOneUptimeSide,
  mergeTimeline,
  oneUptimeNodeType,
  timelineCursor,
  timelinePage,
} from './timeline.js';

export const timeline: NonNullable<IncidentResolvers['timeline']> = async (
  incident,
  { first, after },
  ctx,
  info,
) => {
  // Arguments are checked before any upstream call.
  const size = checkFirst(first, 50);
  const from = after ? timelineCursor(ctx, incident.id, after) : undefined;
  const oneUptime = linkedOneUptimeSide(ctx, info, ctx.links.loader.load(incident.id));
  const [instants, [changes, members]] = await Promise.all([
    ctx.coralogix.instants.load(incident),
    oneUptime,
  ]);
  return timelinePage(
    ctx,
    incident.id,
    mergeTimeline(incident, instants, changes, members),
    size,
    from,
  );
};

/** Which vendor record a timeline node is: the columns the timeline always selects tell. */
export const IncidentTimelineItem: IncidentTimelineItemResolvers = {
  __resolveType: (node) =>
    'incidentEventType' in node ? 'IncidentEvent' : oneUptimeNodeType(node),
};
