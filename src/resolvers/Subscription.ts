import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import { GatewayError } from '../errors.js';
import { NOT_OVER_HTTP } from '../live/operations.js';
import type { Delivery } from '../live/access.js';
import { compileCaseFilter } from '../live/caseFilter.js';
import type { CaseChange, IncidentChange, LiveChange } from '../live/events.js';
import { compileIncidentFilter } from '../live/filter.js';

/**
 * An event is one delivery (src/live/operations.ts) of the subscription's own
 * family; a subscription posted as a plain HTTP operation has no event to resolve.
 */
function changeOf<C extends LiveChange>(event: unknown, member: string): C {
  const change =
    typeof event === 'object' && event !== null && 'change' in event
      ? (event as Delivery).change
      : undefined;
  if (!change || !(member in change)) throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
  return change as C;
}

export const Subscription: SubscriptionResolvers = {
  incidentChanged: {
    subscribe: (_, { filter }, ctx) => {
      if (!ctx.live) throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
      return ctx.live.changes(compileIncidentFilter(filter));
    },
    resolve: (event: unknown) => changeOf<IncidentChange>(event, 'incident'),
  },
  caseChanged: {
    subscribe: (_, { filter }, ctx) => {
      if (!ctx.live) throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
      return ctx.live.caseChanges(compileCaseFilter(filter));
    },
    resolve: (event: unknown) => changeOf<CaseChange>(event, 'case'),
  },
};
