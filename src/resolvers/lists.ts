/**
 * Connection builders for the two upstream pagination styles (see pagination.ts).
 */
import type { GatewayContext } from '../context.js';
import { totalOf } from '../upstreams/coralogix/cases/facets.js';
import type { CaseFilters, CaseOrderBy } from '../upstreams/coralogix/cases/types.js';
import type {
  Incident,
  IncidentQueryFilter,
  OrderBy,
} from '../upstreams/coralogix/incidents/types.js';
import type { OneUptimeResource, Query, RecordOf } from '../upstreams/oneuptime/types.js';
import type { CaseConnectionPage } from './connections.js';
import type { IncidentScope } from './filters.js';
import { checkFirst, fingerprint, invalidCursor, toPage, type Page } from './pagination.js';

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * Largest Coralogix `pageSize` the gateway asks for. The gateway's own bound,
 * not the vendor's (ListIncidents accepts 1..10000, see
 * `src/sandbox/coralogix/list-query.ts`): it caps how many incidents one
 * GraphQL request can make Coralogix read and serialize (two list calls of at
 * most this size, below), and so how deep past its token a cursor may point.
 */
export const MAX_CORALOGIX_PAGE = 1000;

/**
 * Coralogix pages by token (`tokenPage`). To resume after edge k of a page that started at
 * token T, ask for T again with pageSize k + first and drop the first k. The
 * last edge of a page that ends where the upstream page ends points at the
 * next token instead, so walking with `endCursor` costs one call per page.
 *
 * How far one request may walk upstream: at most one hop over a whole page,
 * then the page itself, so two list calls of at most MAX_CORALOGIX_PAGE. The
 * bound holds because cursors are signed (pagination.ts) and every cursor the
 * gateway issues lies at most MAX_CORALOGIX_PAGE items past its token: when
 * offset + first would pass the page limit, the gateway first hops to the next
 * token (ask for `offset` items, keep only the token) and the cursors it then
 * issues count from there. A token cursor with a larger offset was not issued
 * by this API and is refused before any call; if a short upstream page leaves
 * the resume point deep after the hop, the page returns fewer than `first`
 * items rather than hopping again (its cursors stay within the bound).
 */
export function incidentPage(
  ctx: GatewayContext,
  filter: IncidentQueryFilter,
  orderBys: OrderBy[],
  args: PageArgs,
): Promise<Page<Incident>> {
  return tokenPage(ctx, { filter, orderBys }, args, async (pagination) => {
    const response = await ctx.coralogix.list({ filter, orderBys, pagination });
    return {
      items: response.incidents,
      totalSize: response.pagination.totalSize,
      ...(response.pagination.nextPageToken
        ? { nextPageToken: response.pagination.nextPageToken }
        : {}),
    };
  });
}

/**
 * Coralogix cases page by token too (ListCases `pagination.pageToken`,
 * 1..1000 per page), with no total: `totalCount` is one GetFilterValues call
 * with the same filters (`totalOf`), made only when selected and shared with
 * `caseFacets` of the same filter.
 */
export async function casePage(
  ctx: GatewayContext,
  filters: CaseFilters,
  orderBy: CaseOrderBy,
  args: PageArgs,
): Promise<CaseConnectionPage> {
  const page = await tokenPage(ctx, { cases: filters, orderBy }, args, async (pagination) => {
    const response = await ctx.cases.list({ filters, orderBy, pagination });
    return {
      items: response.cases,
      nextPageToken: response.pagination.nextPageToken,
      totalSize: 0,
    };
  });
  return {
    ...page,
    totalCount: async () => totalOf(await ctx.cases.facets.load(filters), filters.statuses),
  };
}

/** One upstream page of a token-paged Coralogix list. */
export interface TokenList<T> {
  items: T[];
  nextPageToken?: string | undefined;
  totalSize: number;
}

/**
 * A Relay page over a token-paged Coralogix list (incidents, cases, the event feed).
 * `shape` is what shaped the list (filter, order): cursors carry its fingerprint.
 */
export async function tokenPage<T>(
  ctx: GatewayContext,
  shape: unknown,
  args: PageArgs,
  fetchPage: (pagination: { pageSize: number; pageToken?: string }) => Promise<TokenList<T>>,
): Promise<Page<T>> {
  const first = checkFirst(args.first);
  const print = fingerprint(shape);
  const from = args.after ? ctx.cursors.decode(args.after, 'token', print) : undefined;
  if (from && from.offset > MAX_CORALOGIX_PAGE) throw invalidCursor();
  let token = from?.token;
  let offset = from?.offset ?? 0;
  const list = (pageSize: number) =>
    fetchPage({ pageSize, ...(token ? { pageToken: token } : {}) });

  let response: TokenList<T> | undefined;
  if (offset + first > MAX_CORALOGIX_PAGE) {
    const hop = await list(offset);
    const skipped = hop.items.length;
    if (!hop.nextPageToken || skipped === 0) {
      response = { items: [], totalSize: hop.totalSize };
      offset = 0;
    } else {
      token = hop.nextPageToken;
      offset -= skipped;
    }
  }
  response ??= await list(Math.max(1, Math.min(MAX_CORALOGIX_PAGE, offset + first)));

  const upstream = response.items;
  const nodes = upstream.slice(offset, offset + first);
  const next = response.nextPageToken;
  const endsUpstreamPage = offset + nodes.length === upstream.length;
  return toPage(
    nodes,
    (i) =>
      ctx.cursors.encode(
        i === nodes.length - 1 && endsUpstreamPage && next
          ? { kind: 'token', token: next, offset: 0, fingerprint: print }
          : { kind: 'token', token, offset: offset + i + 1, fingerprint: print },
      ),
    {
      hasNextPage: Boolean(next) || upstream.length > offset + first,
      hasPreviousPage: Boolean(args.after),
      totalCount: response.totalSize,
    },
  );
}

/** Where a OneUptime page starts, read (and its cursor checked) before any upstream call. */
interface PageStart {
  first: number;
  skip: number;
  /** The fingerprint of the arguments as given, so a cursor of another list is refused. */
  print: string;
  resumed: boolean;
}

function startOfPage(ctx: GatewayContext, args: PageArgs, shape: unknown): PageStart {
  const first = checkFirst(args.first);
  const print = fingerprint(shape);
  const skip = args.after ? ctx.cursors.decode(args.after, 'skip', print).skip : 0;
  return { first, skip, print, resumed: Boolean(args.after) };
}

async function fetchRecordPage<R extends OneUptimeResource>(
  ctx: GatewayContext,
  resource: R,
  query: Query,
  { first, skip, print, resumed }: PageStart,
  columns: readonly string[],
): Promise<Page<RecordOf<R>>> {
  const info = { hasPreviousPage: resumed };
  if (first === 0) {
    const totalCount = await ctx.oneuptime.count(resource, query);
    return toPage([], () => '', { ...info, hasNextPage: skip < totalCount, totalCount });
  }
  const response = await ctx.oneuptime.list(resource, { query, skip, limit: first }, columns);
  return toPage(
    response.data,
    (i) => ctx.cursors.encode({ kind: 'skip', skip: skip + i + 1, fingerprint: print }),
    {
      ...info,
      hasNextPage: skip + response.data.length < response.count,
      totalCount: response.count,
    },
  );
}

/** OneUptime pages by skip/limit; a cursor is the absolute skip after its edge. */
export function recordPage<R extends OneUptimeResource>(
  ctx: GatewayContext,
  resource: R,
  query: Query,
  args: PageArgs,
  columns: readonly string[],
): Promise<Page<RecordOf<R>>> {
  return fetchRecordPage(
    ctx,
    resource,
    query,
    startOfPage(ctx, args, { resource, query }),
    columns,
  );
}

/**
 * The OneUptime incident ids a scope allows: Coralogix ids through the link
 * (one link call for all of them), intersected with the OneUptime ids when
 * both are given. Undefined: no restriction; []: nothing can match.
 */
export async function scopedIncidentIds(
  ctx: GatewayContext,
  scope: IncidentScope | undefined,
): Promise<string[] | undefined> {
  if (!scope) return undefined;
  let ids = scope.oneUptimeIds;
  if (scope.coralogixIds) {
    const links = await ctx.links.loader.loadMany(scope.coralogixIds);
    const linked = new Set<string>();
    for (const link of links) {
      if (link instanceof Error) throw link;
      if (link.oneUptimeIncidentId) linked.add(link.oneUptimeIncidentId);
    }
    ids = ids ? ids.filter((id) => linked.has(id)) : [...linked];
  }
  return ids;
}

/**
 * A page of a OneUptime resource restricted to some OneUptime incidents
 * (`incidentId` IN …); with none to match, an empty page and no call.
 */
export async function incidentRecordPage<R extends 'incident-sla' | 'incident-state-timeline'>(
  ctx: GatewayContext,
  resource: R,
  query: Query,
  scope: IncidentScope | undefined,
  args: PageArgs,
  columns: readonly string[],
): Promise<Page<RecordOf<R>>> {
  // The cursor is checked against the filter as given, before the link is read:
  // a walk survives a link written between its pages, and a bad cursor costs no call.
  const start = startOfPage(ctx, args, { resource, query, scope });
  const ids = await scopedIncidentIds(ctx, scope);
  if (ids === undefined) return fetchRecordPage(ctx, resource, query, start, columns);
  if (ids.length === 0) return emptyPage(start.resumed);
  return fetchRecordPage(ctx, resource, { ...query, incidentId: ids }, start, columns);
}

export function emptyPage<T>(hasPreviousPage: boolean): Page<T> {
  return toPage<T>([], () => '', { hasNextPage: false, hasPreviousPage, totalCount: 0 });
}
