/**
 * `Query.incidentEvents`: Coralogix's event feed as a Relay connection.
 * Coralogix pages it by token, like the incidents list (`tokenPage` in
 * lists.ts); `totalCount` is the page's `totalSize` when Coralogix sent one,
 * else one count call, made only when the field is selected.
 */
import type { GatewayContext } from '../context.js';
import type { IncidentEventQueryFilter } from '../upstreams/coralogix/incidents/eventTypes.js';
import type { OrderByDirectionWire } from '../upstreams/coralogix/incidents/types.js';
import { tokenPage } from './lists.js';
import type { EventConnection } from './connections.js';

export async function eventPage(
  ctx: GatewayContext,
  filter: IncidentEventQueryFilter,
  direction: OrderByDirectionWire,
  args: { first?: number | null; after?: string | null },
): Promise<EventConnection> {
  let total: number | undefined;
  const page = await tokenPage(ctx, { filter, direction }, args, async (pagination) => {
    const response = await ctx.coralogix.eventPage({
      filter,
      pagination,
      order_by: { direction },
    });
    total ??= response.totalSize;
    return { items: response.items, nextPageToken: response.nextPageToken, totalSize: 0 };
  });
  let counted: Promise<number> | undefined;
  return {
    ...page,
    totalCount: () => {
      if (total !== undefined) return Promise.resolve(total);
      counted ??= ctx.coralogix.eventCount(filter);
      return counted;
    },
  };
}
