/**
 * `Case.timeline`, the merged timeline of a case (see timeline.ts): its
 * events (one ListEvents per case, shared with `Case.events`) and the state
 * changes and responders of the linked OneUptime incident. Every instant is
 * exact.
 */
import type { CaseResolvers, CaseTimelineItemResolvers } from '../__generated__/resolvers-types.js';
import type { IncidentMemberRecord, StateTimelineRecord } from '../upstreams/oneuptime/types.js';
import { columnsFor } from './columns.js';
import { checkFirst } from './pagination.js';
import { mergeCaseTimeline, timelineCursor, timelinePage } from './timeline.js';

const NODE = ['edges', 'node'];

/** Cursors of a case timeline are bound to the case (incident timelines use the bare id). */
const subjectOf = (caseId: string) => `case:${caseId}`;

export const timeline: NonNullable<CaseResolvers['timeline']> = async (
  item,
  { first, after },
  ctx,
  info,
) => {
  // Arguments are checked before any upstream call.
  const size = checkFirst(first, 50);
  const from = after ? timelineCursor(ctx, subjectOf(item.id), after) : undefined;
  const changeColumns = [
    ...columnsFor('incident-state-timeline', info, NODE),
    'startsAt',
    'createdAt',
    'incidentStateId',
  ];
  const memberColumns = [...columnsFor('incident-member', info, NODE), 'createdAt', 'userId'];
  // Started as soon as the link is known, in the tick `responders` of the same level loads.
  const oneUptime = ctx.caseLinks.loader
    .load(item.id)
    .then(
      ({ oneUptimeIncidentId: id }): Promise<[StateTimelineRecord[], IncidentMemberRecord[]]> =>
        id
          ? Promise.all([
              ctx.oneuptime.timelinesByIncident.load(id, changeColumns),
              ctx.oneuptime.membersByIncident.load(id, memberColumns),
            ])
          : Promise.resolve([[], []]),
    );
  const [events, [changes, members]] = await Promise.all([
    ctx.cases.events.load(item.id),
    oneUptime,
  ]);
  return timelinePage(
    ctx,
    subjectOf(item.id),
    mergeCaseTimeline(events, changes, members),
    size,
    from,
  );
};

/** Which record a case timeline node is: the columns the timeline always selects tell. */
export const CaseTimelineItem: CaseTimelineItemResolvers = {
  __resolveType: (node) => {
    if ('eventId' in node) return 'CaseEvent';
    if ('userId' in node || 'incidentRoleId' in node) return 'IncidentMember';
    return 'StateTimeline';
  },
};
