/**
 * Facts about the schema the operation limits need, computed once per schema:
 * the sizes of the introspection lists and of facet lists bounded by an enum,
 * and how deeply type references are wrapped.
 */
import type { GraphQLNamedType, GraphQLSchema, GraphQLType } from 'graphql';

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

export interface SchemaFacts {
  listSizes: Record<string, number>;
  /** `ofType` below this many levels is null in every answer: what it selects is never resolved. */
  deepestWrapping: number;
}

const schemaFacts = new WeakMap<GraphQLSchema, SchemaFacts>();

export function factsOf(schema: GraphQLSchema): SchemaFacts {
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
