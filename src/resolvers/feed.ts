/**
 * `Query.incidentEvents`: Coralogix's event feed as a Relay connection.
 * Coralogix pages it by token, like the incidents list (`tokenPage` in
 * lists.ts); `totalCount` is the page's `totalSize` when Coralogix sent one,
 * else one count call, made only when the field is selected.
 */
import type { GatewayContext } from '../context.js';
import type { CheckedEventItem } from '../upstreams/coralogix/check.js';
import type { IncidentEventQueryFilter } from '../upstreams/coralogix/eventTypes.js';
import type { OrderByDirectionWire } from '../upstreams/coralogix/types.js';
import { tokenPage } from './lists.js';
import type { Page } from './pagination.js';

/** The connection's mapper: a page whose total is read on demand. */
export interface EventConnection extends Omit<Page<CheckedEventItem>, 'totalCount'> {
  totalCount: () => Promise<number>;
}

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
