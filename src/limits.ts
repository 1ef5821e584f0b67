/**
 * Operation limits checked after parsing and validation, before any resolver
 * (so before any upstream call): depth, aliases, top-level fields and an estimated cost that
 * multiplies by list sizes (`first`). The introspection query is exempt.
 */
import {
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  isCompositeType,
} from 'graphql';
import { GatewayError } from './errors.js';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxCost: number;
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  /** Top-level fields: each is at least one upstream call, or one write for a mutation. */
  rootFields: number;
  cost: number;
}

/** Assumed size of a list field without `first` (an incident's events, SLAs, timeline entries…). */
export const UNBOUNDED_LIST_ESTIMATE = 10;
const DEFAULT_FIRST = 20;

function isIntrospectionOnly(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.every(
    (s) =>
      s.kind === Kind.FIELD &&
      (s.name.value === '__schema' || s.name.value === '__type' || s.name.value === '__typename'),
  );
}

function argumentValue(node: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  if (arg.value.kind === Kind.INT) return Number(arg.value.value);
  if (arg.value.kind === Kind.VARIABLE) return variables[arg.value.name.value];
  return undefined;
}

function listFactor(
  parent: GraphQLCompositeType,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
) {
  // A connection's `first` already counted its edges.
  if (parent.name.endsWith('Connection') && field.name === 'edges') return 1;
  if (field.args.some((a) => a.name === 'first')) {
    const first = argumentValue(node, 'first', variables);
    return typeof first === 'number' && first >= 0 ? first : DEFAULT_FIRST;
  }
  return isListType(getNullableType(field.type)) ? UNBOUNDED_LIST_ESTIMATE : 1;
}

/** Depth, alias count and cost of one operation, following fragments. */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): OperationMeasure {
  let aliases = 0;
  let rootFields = 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, aliases: 0, rootFields: 0, cost: 0 };

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    depth: number,
    multiplier: number,
    seen: Set<string>,
  ): { depth: number; cost: number } => {
    let maxDepth = depth;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases += 1;
        if (selection.name.value.startsWith('__')) continue;
        if (depth === 1) rootFields += 1;
        // Unions have no fields of their own (only __typename, skipped above).
        const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        // Each resolved field costs 1 per parent instance; lists multiply what is below them.
        cost += multiplier;
        const child = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(child)) {
          const inner = walk(
            selection.selectionSet,
            child,
            depth + 1,
            multiplier * listFactor(parent, field, selection, variables),
            seen,
          );
          maxDepth = Math.max(maxDepth, inner.depth);
          cost += inner.cost;
        }
        continue;
      }
      const typeCondition =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.typeCondition
          : fragments[selection.name.value]?.typeCondition;
      const fragmentSet =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet
          : fragments[selection.name.value]?.selectionSet;
      if (!fragmentSet) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (seen.has(selection.name.value)) continue; // validation already rejects cycles; stay safe
        seen = new Set(seen).add(selection.name.value);
      }
      const conditionType = typeCondition ? schema.getType(typeCondition.name.value) : parent;
      const target = conditionType && isCompositeType(conditionType) ? conditionType : parent;
      const inner = walk(fragmentSet, target, depth, multiplier, seen);
      maxDepth = Math.max(maxDepth, inner.depth);
      cost += inner.cost;
    }
    return { depth: maxDepth, cost };
  };

  const result = walk(operation.selectionSet, root, 1, 1, new Set());
  return { depth: result.depth, aliases, rootFields, cost: result.cost };
}

export function enforceLimits(
  limits: OperationLimits,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): OperationMeasure | undefined {
  if (isIntrospectionOnly(operation.selectionSet)) return undefined;
  const measure = measureOperation(schema, operation, fragments, variables);
  const tooComplex = (message: string) =>
    new GatewayError('QUERY_TOO_COMPLEX', message, { ...measure, http: { status: 400 } });
  if (measure.depth > limits.maxDepth) {
    throw tooComplex(`Query depth ${measure.depth} exceeds the limit of ${limits.maxDepth}.`);
  }
  if (measure.aliases > limits.maxAliases) {
    throw tooComplex(`Query uses ${measure.aliases} aliases; the limit is ${limits.maxAliases}.`);
  }
  if (measure.rootFields > limits.maxRootFields) {
    throw tooComplex(
      `Query has ${measure.rootFields} top-level fields; the limit is ${limits.maxRootFields}.`,
    );
  }
  if (measure.cost > limits.maxCost) {
    throw tooComplex(
      `Query cost ${measure.cost} exceeds the limit of ${limits.maxCost}; ask for fewer items (lower "first") or fewer nested lists.`,
    );
  }
  return measure;
}
