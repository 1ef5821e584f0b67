/**
 * `Incident.timeline`, the merged timeline (see timeline.ts), and the
 * union of what it holds.
 */
import type {
  IncidentResolvers,
  IncidentTimelineItemResolvers,
} from '../__generated__/resolvers-types.js';
import type { IncidentMemberRecord, StateTimelineRecord } from '../upstreams/oneuptime/types.js';
import { columnsFor } from './columns.js';
import { checkFirst } from './pagination.js';
import {
  mergeTimeline,
  timelineCursor,
  timelinePage,
  type IncidentTimelineNode,
} from './timeline.js';

const NODE = ['edges', 'node'];

/** Which vendor record a timeline node is: the columns the timeline always selects tell. */
export function timelineType(node: IncidentTimelineNode) {
  if ('incidentEventType' in node) return 'IncidentEvent' as const;
  if ('userId' in node || 'incidentRoleId' in node) return 'IncidentMember' as const;
  return 'StateTimeline' as const;
}

export const timeline: NonNullable<IncidentResolvers['timeline']> = async (
  incident,
  { first, after },
  ctx,
  info,
) => {
  // Arguments are checked before any upstream call.
  const size = checkFirst(first, 50);
  const from = after ? timelineCursor(ctx, incident.id, after) : undefined;
  const changeColumns = [
    ...columnsFor('incident-state-timeline', info, NODE),
    'startsAt',
    'createdAt',
    'incidentStateId',
  ];
  const memberColumns = [...columnsFor('incident-member', info, NODE), 'createdAt', 'userId'];
  // OneUptime loads start as soon as the link is known, in the same tick as
  // `responders` of the same level, so both share one incident-member call.
  const oneUptime = ctx.links.loader
    .load(incident.id)
    .then(
      ({ oneUptimeIncidentId: id }): Promise<[StateTimelineRecord[], IncidentMemberRecord[]]> =>
        id
          ? Promise.all([
              ctx.oneuptime.timelinesByIncident.load(id, changeColumns),
              ctx.oneuptime.membersByIncident.load(id, memberColumns),
            ])
          : Promise.resolve([[], []]),
    );
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

export const IncidentTimelineItem: IncidentTimelineItemResolvers = {
  __resolveType: (node) => timelineType(node),
};
