/**
 * Selection pushdown: which OneUptime columns a GraphQL selection needs, read
 * from the resolve info (aliases, fragments and inline fragments included),
 * so `select` asks for those and nothing more.
 */
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { fieldsOf } from '../graphql/selection.js';
import { RESOURCES, type OneUptimeResource } from '../upstreams/oneuptime/resources.js';

/** Field names selected below this resolver's field, after following `path` (e.g. edges → node). */
export function selectedFields(
  info: GraphQLResolveInfo,
  path: readonly string[] = [],
): Set<string> {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const step of path) {
    sets = sets.flatMap((set) =>
      fieldsOf(set, info.fragments)
        .filter((field) => field.name.value === step && field.selectionSet)
        .map((field) => field.selectionSet as SelectionSetNode),
    );
  }
  return new Set(
    sets.flatMap((set) => fieldsOf(set, info.fragments).map((field) => field.name.value)),
  );
}

/**
 * Per field of the operation: graphql-js hands every parent of a list the
 * same `fieldNodes` array, so the selection is read once, not once per parent.
 */
const memo = new WeakMap<object, Map<string, string[]>>();

/** The OneUptime columns a selection of `resource` rows reads (see `RESOURCES`). */
export function columnsFor(
  resource: OneUptimeResource,
  info: GraphQLResolveInfo,
  path: readonly string[] = [],
): string[] {
  let byResource = memo.get(info.fieldNodes);
  if (!byResource) memo.set(info.fieldNodes, (byResource = new Map()));
  const key = `${resource}/${path.join('/')}`;
  const known = byResource.get(key);
  if (known) return known;
  const { fieldColumns } = RESOURCES[resource];
  const columns = new Set<string>();
  for (const field of selectedFields(info, path)) {
    for (const column of fieldColumns[field] ?? []) columns.add(column);
  }
  const result = [...columns];
  byResource.set(key, result);
  return result;
}
