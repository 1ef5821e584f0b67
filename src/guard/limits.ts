/**
 * Operation limits checked after parsing and validation, before any resolver
 * (so before any upstream call): depth, aliases, top-level fields and an
 * estimated cost that multiplies by list sizes (`first`).
 *
 * The whole operation is measured, introspection included, with variables and
 * their defaults applied. Each fragment is measured once and its measure
 * reused at every spread, so a fragment spread again and again deeper in the
 * operation counts every time (the response grows with each spread) while the
 * checker stays linear in the size of the document.
 */
import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isIntrospectionType,
  isInputType,
  isListType,
  typeFromAST,
  valueFromAST,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { requestError } from '../errors.js';
import type { Fragments } from '../graphql/selection.js';
import { isMetaField } from '../graphql/selection.js';

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

/**
 * Lists without `first` that hold at most one entry per value of an enum (facet
 * counts): costed at that many values, an upper bound, where the estimate of
 * 10 could under-count a larger enum. Facet lists that can be longer
 * (assignees, meta labels) take `first` instead.
 */
export const ENUM_BOUNDED_LISTS: Readonly<Record<string, string>> = {
  'IncidentFacets.severities': 'IncidentSeverity',
  'IncidentFacets.statuses': 'IncidentStatus',
  'IncidentFacets.states': 'IncidentState',
};
const DEFAULT_FIRST = 20;

/** A selection set's measure for one instance of its parent (cost is linear in the multiplier). */
interface SetMeasure {
  /** Levels below the parent; introspection levels do not count (see `measureOperation`). */
  depth: number;
  aliases: number;
  cost: number;
}

const EMPTY: SetMeasure = { depth: 0, aliases: 0, cost: 0 };

/**
 * The average size of each introspection list in this schema. A query walking
 * types → fields → args is then costed at the schema's real totals (types ×
 * fields per type = all fields), so the standard introspection query costs
 * what it returns, and every extra level or alias of it costs as much again.
 */
function introspectionListSizes(schema: GraphQLSchema): Record<string, number> {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  const average = (sizes: number[], over = sizes.length) =>
    Math.max(1, sizes.reduce((sum, n) => sum + n, 0) / Math.max(1, over));
  const fieldsOf = (type: GraphQLNamedType) =>
    'getFields' in type ? Object.values(type.getFields()) : [];
  const fields = types.flatMap(fieldsOf);
  return {
    '__Schema.types': types.length,
    '__Schema.directives': directives.length,
    '__Type.fields': average(types.map((t) => fieldsOf(t).length)),
    '__Type.inputFields': average(types.map((t) => fieldsOf(t).length)),
    '__Type.interfaces': average(
      types.map((t) => ('getInterfaces' in t ? t.getInterfaces().length : 0)),
    ),
    '__Type.possibleTypes': average(types.map((t) => ('getTypes' in t ? t.getTypes().length : 0))),
    '__Type.enumValues': average(types.map((t) => ('getValues' in t ? t.getValues().length : 0))),
    '__Field.args': average(fields.map((f) => ('args' in f ? f.args.length : 0))),
    '__Directive.args': average(directives.map((d) => d.args.length)),
    '__Directive.locations': average(directives.map((d) => d.locations.length)),
  };
}

/** The size of each ENUM_BOUNDED_LISTS list: its enum's number of values. */
function enumBoundedSizes(schema: GraphQLSchema): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [field, enumName] of Object.entries(ENUM_BOUNDED_LISTS)) {
    const type = schema.getType(enumName);
    if (type && 'getValues' in type) sizes[field] = type.getValues().length;
  }
  return sizes;
}

/** How many List / NonNull wrappers the most wrapped type reference of the schema has. */
function deepestWrapping(schema: GraphQLSchema): number {
  const wrappers = (type: GraphQLType): number =>
    'ofType' in type && type.ofType ? 1 + wrappers(type.ofType as GraphQLType) : 0;
  let deepest = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!('getFields' in type)) continue;
    for (const field of Object.values(type.getFields())) {
      deepest = Math.max(deepest, wrappers(field.type));
      for (const arg of 'args' in field ? field.args : []) {
        deepest = Math.max(deepest, wrappers(arg.type));
      }
    }
  }
  return deepest;
}

interface SchemaFacts {
  listSizes: Record<string, number>;
  /** `ofType` below this many levels is null in every answer: what it selects is never resolved. */
  deepestWrapping: number;
}

const schemaFacts = new WeakMap<GraphQLSchema, SchemaFacts>();

function factsOf(schema: GraphQLSchema): SchemaFacts {
  let facts = schemaFacts.get(schema);
  if (!facts) {
    facts = {
      listSizes: { ...introspectionListSizes(schema), ...enumBoundedSizes(schema) },
      deepestWrapping: deepestWrapping(schema),
    };
    schemaFacts.set(schema, facts);
  }
  return facts;
}

/** The operation's variables with the defaults of the ones the request left out. */
function variablesWithDefaults(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = { ...given };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (values[name] !== undefined || !definition.defaultValue || !isInputType(type)) continue;
    values[name] = valueFromAST(definition.defaultValue, type);
  }
  return values;
}

/** Depth, alias count and cost of one operation, following fragments. */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  variables: Record<string, unknown>,
): OperationMeasure {
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, aliases: 0, rootFields: 0, cost: 0 };
  const facts = factsOf(schema);
  const sizes = facts.listSizes;
  const values = variablesWithDefaults(schema, operation, variables);
  const fragmentMeasures = new Map<string, SetMeasure | 'measuring'>();

  const argument = (node: FieldNode, field: GraphQLField<unknown, unknown>, name: string) => {
    const definition = field.args.find((a) => a.name === name);
    const arg = node.arguments?.find((a) => a.name.value === name);
    if (!definition) return undefined;
    if (!arg) return definition.defaultValue;
    if (arg.value.kind === Kind.VARIABLE) {
      const value = values[arg.value.name.value];
      return value === undefined ? definition.defaultValue : value;
    }
    return valueFromAST(arg.value, definition.type, values);
  };

  /** How many instances of the field's type one instance of its parent yields. */
  const listFactor = (
    parent: GraphQLCompositeType,
    field: GraphQLField<unknown, unknown>,
    node: FieldNode,
  ) => {
    // A connection's `first` already counted its edges.
    if (parent.name.endsWith('Connection') && field.name === 'edges') return 1;
    if (field.args.some((a) => a.name === 'first')) {
      const first = argument(node, field, 'first');
      // Even `first: 0` resolves the connection's own fields (totalCount, pageInfo…) once.
      return Math.max(1, typeof first === 'number' && first >= 0 ? first : DEFAULT_FIRST);
    }
    if (!isListType(getNullableType(field.type))) return 1;
    return sizes[`${parent.name}.${field.name}`] ?? UNBOUNDED_LIST_ESTIMATE;
  };

  const fieldDef = (parent: GraphQLCompositeType, name: string, isRoot: boolean) => {
    if (isRoot && name === '__schema') return SchemaMetaFieldDef;
    if (isRoot && name === '__type') return TypeMetaFieldDef;
    return 'getFields' in parent ? parent.getFields()[name] : undefined;
  };

  const measureFragment = (name: string, wraps: number): SetMeasure => {
    const key = `${name}@${wraps}`;
    const known = fragmentMeasures.get(key);
    if (known === 'measuring') {
      // Validation refuses fragment cycles before this runs; stay safe anyway.
      throw requestError('QUERY_TOO_COMPLEX', `Fragment "${name}" spreads itself.`);
    }
    if (known) return known;
    const fragment = fragments[name];
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || !type || !isCompositeType(type)) return EMPTY;
    fragmentMeasures.set(key, 'measuring');
    const measure = measureSet(fragment.selectionSet, type, false, wraps);
    fragmentMeasures.set(key, measure);
    return measure;
  };

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
        const field = fieldDef(parent, name, isRoot);
        if (!field) continue;
        // Each resolved field costs 1 per parent instance; lists multiply what is below them.
        const child = getNamedType(field.type);
        const ofType = parent.name === '__Type' && name === 'ofType';
        const childWraps = ofType ? wraps + 1 : 0;
        const below =
          selection.selectionSet && isCompositeType(child) && childWraps <= facts.deepestWrapping
            ? measureSet(selection.selectionSet, child, false, childWraps)
            : EMPTY;
        const factor = listFactor(parent, field, selection);
        // Introspection's nesting (ofType, fields → type → fields) is bounded by the schema
        // and paid for in cost, so it adds no depth: GraphiQL's standard query stays allowed.
        const introspection = isMetaField(name) || isIntrospectionType(parent);
        inner = {
          depth: introspection ? below.depth : 1 + below.depth,
          aliases: below.aliases,
          cost: 1 + factor * below.cost,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        const target = condition && isCompositeType(condition) ? condition : parent;
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
  const measure = measureOperation(schema, operation, fragments, variables);
  const tooComplex = (message: string) =>
    requestError('QUERY_TOO_COMPLEX', message, { ...measure });
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
