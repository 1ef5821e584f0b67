/**
 * Connection builders for the two upstream pagination styles (see pagination.ts).
 */
import type { GatewayContext } from '../context.js';
import type { Incident, IncidentQueryFilter, OrderBy } from '../upstreams/coralogix/types.js';
import type { OneUptimeResource, Query, RecordOf } from '../upstreams/oneuptime/types.js';
import {
  checkFirst,
  decodeCursor,
  encodeCursor,
  fingerprint,
  toPage,
  type Page,
} from './pagination.js';

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * Coralogix pages by token. To resume after edge k of a page that started at
 * token T, ask for T again with pageSize k + first and drop the first k. The
 * last edge of a page that ends where the upstream page ends points at the
 * next token instead, so walking with `endCursor` costs one call per page.
 */
export async function incidentPage(
  ctx: GatewayContext,
  filter: IncidentQueryFilter,
  orderBys: OrderBy[],
  args: PageArgs,
): Promise<Page<Incident>> {
  const first = checkFirst(args.first);
  const print = fingerprint({ filter, orderBys });
  const from = args.after ? decodeCursor(args.after, 'token', print) : undefined;
  const offset = from?.offset ?? 0;
  const response = await ctx.coralogix.list({
    filter,
    orderBys,
    pagination: {
      pageSize: Math.max(1, offset + first),
      ...(from?.token ? { pageToken: from.token } : {}),
    },
  });
  const upstream = response.incidents;
  const nodes = upstream.slice(offset, offset + first);
  const next = response.pagination.nextPageToken;
  const endsUpstreamPage = offset + nodes.length === upstream.length;
  return toPage(
    nodes,
    (i) =>
      encodeCursor(
        i === nodes.length - 1 && endsUpstreamPage && next
          ? { kind: 'token', token: next, offset: 0, fingerprint: print }
          : { kind: 'token', token: from?.token, offset: offset + i + 1, fingerprint: print },
      ),
    {
      hasNextPage: Boolean(next) || upstream.length > offset + first,
      hasPreviousPage: Boolean(args.after),
      totalCount: response.pagination.totalSize,
    },
  );
}

/** OneUptime pages by skip/limit; a cursor is the absolute skip after its edge. */
export async function recordPage<R extends OneUptimeResource>(
  ctx: GatewayContext,
  resource: R,
  query: Query,
  args: PageArgs,
): Promise<Page<RecordOf[R]>> {
  const first = checkFirst(args.first);
  const print = fingerprint({ resource, query });
  const skip = args.after ? decodeCursor(args.after, 'skip', print).skip : 0;
  const info = { hasPreviousPage: Boolean(args.after) };
  if (first === 0) {
    const totalCount = await ctx.oneuptime.count(resource, query);
    return toPage([], () => '', { ...info, hasNextPage: skip < totalCount, totalCount });
  }
  const response = await ctx.oneuptime.list(resource, { query, skip, limit: first });
  return toPage(
    response.data,
    (i) => encodeCursor({ kind: 'skip', skip: skip + i + 1, fingerprint: print }),
    {
      ...info,
      hasNextPage: skip + response.data.length < response.count,
      totalCount: response.count,
    },
  );
}
