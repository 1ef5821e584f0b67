/**
 * `Case.timeline`, the merged timeline of a case (see timeline.ts): its
 * events (one ListEvents per case, shared with `Case.events`) and the state
 * changes and responders of the linked OneUptime incident. Every instant is
 * exact.
 */
import type { CaseResolvers, CaseTimelineItemResolvers } from '../__generated__/resolvers-types.js';
import { checkFirst } from './pagination.js';
import {
  linkedOneUptimeSide,
  mergeCaseTimeline,
  oneUptimeNodeType,
  timelineCursor,
  timelinePage,
} from './timeline.js';

/** Cursors of a case timeline are bound to the case (incident timelines use the bare id). */
const subjectOf = (caseId: string) => `case:${caseId}`;

export const timeline: Extract<
  NonNullable<CaseResolvers['timeline']>,
  (...args: never[]) => unknown
> = async (item, { first, after }, ctx, info) => {
  // Arguments are checked before any upstream call.
  const size = checkFirst(first, 50);
  const from = after ? timelineCursor(ctx, subjectOf(item.id), after) : undefined;
  const oneUptime = linkedOneUptimeSide(ctx, info, ctx.caseLinks.loader.load(item.id));
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

export const CaseTimelineItem: CaseTimelineItemResolvers = {
  __resolveType: (node) => ('eventId' in node ? 'CaseEvent' : oneUptimeNodeType(node)),
};
