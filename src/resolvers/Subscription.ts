import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import { GatewayError } from '../errors.js';
import { NOT_OVER_HTTP } from '../live/operations.js';
import type { Delivery } from '../live/access.js';
import { compileIncidentFilter } from '../live/filter.js';

const isDelivery = (value: unknown): value is Delivery =>
  typeof value === 'object' && value !== null && 'change' in value;

export const Subscription: SubscriptionResolvers = {
  incidentChanged: {
    subscribe: (_, { filter }, ctx) => {
      if (!ctx.live) throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
      return ctx.live.changes(compileIncidentFilter(filter));
    },
    // An event is one delivery (src/live/operations.ts); a subscription posted as a plain
    // HTTP operation has no event to resolve.
    resolve: (event: unknown) => {
      if (!isDelivery(event)) throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
      return event.change;
    },
  },
};
