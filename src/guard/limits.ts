/**
 * Operation limits checked after parsing and validation, before any resolver
 * (so before any upstream call): depth, aliases, top-level fields, an
 * estimated cost that multiplies by list sizes (`first`), and an upper bound
 * on the upstream calls the operation can cause (callCount.ts, from the call
 * model in upstreamCalls.ts).
 *
 * The whole operation is measured, introspection included, with variables and
 * their defaults applied. Each fragment is measured once and its measure
 * reused at every spread, so a fragment spread again and again deeper in the
 * operation counts every time (the response grows with each spread) while the
 * checker stays linear in the size of the document. Upstream calls are
 * counted only once the other limits pass.
 */
import {
  Kind,
  getNamedType,
  isCompositeType,
  isIntrospectionType,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { requestError } from '../errors.js';
import type { Fragments } from '../graphql/selection.js';
import { isMetaField } from '../graphql/selection.js';
import { countUpstreamCalls, type CallCountOptions } from './callCount.js';
import {
  createReader,
  inlineFragmentType,
  walkFragmentsOnce,
  type OperationReader,
} from './operationReader.js';
import { factsOf } from './schemaFacts.js';

export { UNBOUNDED_LIST_ESTIMATE } from './operationReader.js';
export { ENUM_BOUNDED_LISTS } from './schemaFacts.js';

export interface OperationLimits extends Pick<CallCountOptions, 'batching'> {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxCost: number;
  maxUpstreamCalls: number;
}

export interface OperationShape {
  depth: number;
  aliases: number;
  /** Top-level fields: each is at least one upstream call, or one write for a mutation. */
  rootFields: number;
  cost: number;
}

export interface OperationMeasure extends OperationShape {
  /** The most upstream calls (attempts without retries) the operation can cause. */
  upstreamCalls: number;
}

/** A selection set's measure for one instance of its parent (cost is linear in the multiplier). */
interface SetMeasure {
  /** Levels below the parent; introspection levels do not count (see `measureShape`). */
  depth: number;
  aliases: number;
  cost: number;
}

const EMPTY: SetMeasure = { depth: 0, aliases: 0, cost: 0 };

/** Depth, alias count and cost of one operation, following fragments. */
function measureShape(
  reader: OperationReader,
  operation: OperationDefinitionNode,
  fragments: Fragments,
): OperationShape {
  const { schema } = reader;
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, aliases: 0, rootFields: 0, cost: 0 };
  const facts = factsOf(schema);
  const measureFragment = walkFragmentsOnce(schema, fragments, EMPTY, (set, type, wraps) =>
    measureSet(set, type, false, wraps),
  );

  /** `wraps`: how many `ofType` levels of a type reference lie above this selection set. */
  const measureSet = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    isRoot: boolean,
    wraps: number,
  ): SetMeasure => {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of set.selections) {
      let inner: SetMeasure;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases += 1;
        const name = selection.name.value;
        if (name === '__typename') continue;
        const field = reader.fieldDef(parent, name, isRoot);
        if (!field) continue;
        // Each resolved field costs 1 per parent instance; lists multiply what is below them.
        const child = getNamedType(field.type);
        const ofType = parent.name === '__Type' && name === 'ofType';
        const childWraps = ofType ? wraps + 1 : 0;
        const below =
          selection.selectionSet && isCompositeType(child) && childWraps <= facts.deepestWrapping
            ? measureSet(selection.selectionSet, child, false, childWraps)
            : EMPTY;
        const factor = reader.listFactor(parent, field, selection);
        // Introspection's nesting (ofType, fields → type → fields) is bounded by the schema
        // and paid for in cost, so it adds no depth: GraphiQL's standard query stays allowed.
        const introspection = isMetaField(name) || isIntrospectionType(parent);
        inner = {
          depth: introspection ? below.depth : 1 + below.depth,
          aliases: below.aliases,
          cost: 1 + factor * below.cost,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const target = inlineFragmentType(schema, selection, parent);
        inner = measureSet(selection.selectionSet, target, isRoot, wraps);
      } else {
        inner = measureFragment(selection.name.value, wraps);
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      cost += inner.cost;
    }
    return { depth, aliases, cost };
  };

  const rootFields = countRootFields(operation.selectionSet, fragments);
  const measure = measureSet(operation.selectionSet, root, true, 0);
  return {
    depth: measure.depth,
    aliases: measure.aliases,
    rootFields,
    cost: Math.ceil(measure.cost),
  };
}

function upstreamCallsOf(
  reader: OperationReader,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  options: CallCountOptions,
): number {
  const root = reader.schema.getRootType(operation.operation);
  return root ? countUpstreamCalls(reader, root, operation.selectionSet, fragments, options) : 0;
}

/** Depth, alias count, cost and upstream calls of one operation, following fragments. */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  variables: Record<string, unknown>,
  options: CallCountOptions = {},
): OperationMeasure {
  const reader = createReader(schema, operation, variables);
  return {
    ...measureShape(reader, operation, fragments),
    upstreamCalls: upstreamCallsOf(reader, operation, fragments, options),
  };
}

/** Top-level fields other than `__typename`, counted at every spread of a root fragment. */
function countRootFields(set: SelectionSetNode, fragments: Fragments): number {
  const counts = new Map<string, number>();
  const count = (current: SelectionSetNode): number => {
    let total = 0;
    for (const selection of current.selections) {
      if (selection.kind === Kind.FIELD) total += selection.name.value === '__typename' ? 0 : 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += count(selection.selectionSet);
      else {
        const name = selection.name.value;
        if (!counts.has(name)) {
          counts.set(name, 0);
          const fragment = fragments[name];
          counts.set(name, fragment ? count(fragment.selectionSet) : 0);
        }
        total += counts.get(name) ?? 0;
      }
    }
    return total;
  };
  return count(set);
}

export function enforceLimits(
  limits: OperationLimits,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  variables: Record<string, unknown>,
): OperationMeasure {
  const reader = createReader(schema, operation, variables);
  const shape = measureShape(reader, operation, fragments);
  const tooComplex = (message: string, measure: object = shape) =>
    requestError('QUERY_TOO_COMPLEX', message, { ...measure });
  if (shape.depth > limits.maxDepth) {
    throw tooComplex(`Query depth ${shape.depth} exceeds the limit of ${limits.maxDepth}.`);
  }
  if (shape.aliases > limits.maxAliases) {
    throw tooComplex(`Query uses ${shape.aliases} aliases; the limit is ${limits.maxAliases}.`);
  }
  if (shape.rootFields > limits.maxRootFields) {
    throw tooComplex(
      `Query has ${shape.rootFields} top-level fields; the limit is ${limits.maxRootFields}.`,
    );
  }
  if (shape.cost > limits.maxCost) {
    throw tooComplex(
      `Query cost ${shape.cost} exceeds the limit of ${limits.maxCost}; ask for fewer items (lower "first") or fewer nested lists.`,
    );
  }
  // Counted only now: the checks above bound the size of the walk.
  const measure = {
    ...shape,
    upstreamCalls: upstreamCallsOf(reader, operation, fragments, limits),
  };
  if (measure.upstreamCalls > limits.maxUpstreamCalls) {
    throw tooComplex(
      `Query could make up to ${measure.upstreamCalls} upstream calls; the limit is ${limits.maxUpstreamCalls}. Ask for fewer items (lower "first"), fewer joins per item, or fewer copies of a list.`,
      measure,
    );
  }
  return measure;
}
