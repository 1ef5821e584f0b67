/**
 * A case write that persisted is never answered as if it had not (DESIGN 5c).
 * Its payload is read after the write: a case's events are one GET per case,
 * and `Case.events` is non-null, so one failing read (or the MAX_UPSTREAM_CALLS
 * counter stopping it) nulls the mutation field's whole payload. So every case
 * field that reads an upstream, under the payload of a case write that
 * persisted, fails with `extensions.applied.caseIds`: the ids the write named
 * (as the client gave them, UUIDs lower-cased), which it changed. The client
 * then re-reads instead of writing again.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import { restated } from '../errors.js';

/** The response key of the root field `info` is under. */
function rootField(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  return String(path.key);
}

/** Remembers that the mutation field being resolved wrote `caseIds`, and they persisted. */
export function notePersisted(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  caseIds: readonly string[],
): void {
  ctx.cases.notePersisted(rootField(info), { mutation: info.fieldName, caseIds });
}

const named = (ids: readonly string[]) =>
  ids.length === 1 ? `case "${ids[0]}"` : `${ids.length} cases`;

type Resolve<P, A, R> = (parent: P, args: A, ctx: GatewayContext, info: GraphQLResolveInfo) => R;

/**
 * `resolve`, whose failure under a persisted case write says what that write
 * applied. Queries (the hot path: a case screen resolves these fields for
 * every case) call `resolve` as it is.
 */
export function afterCaseWrite<P, A, R>(
  resolve: Resolve<P, A, R | Promise<R>>,
): Resolve<P, A, R | Promise<R>> {
  return (parent, args, ctx, info) =>
    info.operation.operation === 'mutation'
      ? underWrite(resolve, parent, args, ctx, info)
      : resolve(parent, args, ctx, info);
}

async function underWrite<P, A, R>(
  resolve: Resolve<P, A, R | Promise<R>>,
  ...[parent, args, ctx, info]: Parameters<Resolve<P, A, R>>
): Promise<R> {
  try {
    return await resolve(parent, args, ctx, info);
  } catch (error) {
    const write = ctx.cases.persisted(rootField(info));
    if (!write) throw error;
    throw restated(
      error,
      (message) =>
        `${write.mutation} was applied to ${named(write.caseIds)} (extensions.applied.caseIds); reading its answer failed: ${message} Re-read the cases rather than repeating the write.`,
      { applied: { caseIds: write.caseIds } },
    );
  }
}
