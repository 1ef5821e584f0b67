/**
 * What the operation limits read from an operation before it runs: field
 * definitions, argument values with variables and defaults applied exactly as
 * graphql-js will hand them to the resolvers, and how many instances of a
 * field's type one parent instance yields (`first`, the ids a write names, or
 * an estimate for lists without either). The cost walk (limits.ts) and the upstream-call walk
 * (callCount.ts) both read through one reader, so they cannot disagree.
 */
import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputType,
  isListType,
  typeFromAST,
  valueFromAST,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { requestError } from '../errors.js';
import type { Fragments } from '../graphql/selection.js';
import { factsOf } from './schemaFacts.js';

/** Assumed size of a list field without `first` (an incident's events, SLAs, timeline entries…). */
export const UNBOUNDED_LIST_ESTIMATE = 10;
/** `first` when the schema gives the argument no default. */
const DEFAULT_FIRST = 20;

/**
 * Payloads that hold the records their mutation wrote, and nothing else: one
 * record per id of the mutation's `input.<ids>` list (`CasesPayload.cases`
 * holds the cases of `input.caseIds`, 1..1000), not UNBOUNDED_LIST_ESTIMATE.
 * The limits run before the write, so a payload read that cannot fit is
 * refused before anything is written, never stopped after it.
 *
 * The count is taken at the mutation field (its payload is measured once per
 * record, and the payload's list then yields 1): below it a fragment is
 * measured once per multiplier, so the list itself cannot look up at the
 * mutation's input. The payload has no other field, so this over-counts only
 * the list field itself.
 */
export const WRITTEN_RECORDS: Readonly<Record<string, { list: string; ids: string }>> = {
  CasesPayload: { list: 'cases', ids: 'caseIds' },
  IncidentsPayload: { list: 'incidents', ids: 'incidentIds' },
};

export type Field = GraphQLField<unknown, unknown>;

export interface OperationReader {
  readonly schema: GraphQLSchema;
  fieldDef(parent: GraphQLCompositeType, name: string, isRoot: boolean): Field | undefined;
  /**
   * An argument's value as the resolver receives it: the literal, the
   * variable's value (or its default), else the argument's schema default;
   * an explicit null stays null, as graphql-js passes it.
   */
  argument(node: FieldNode, field: Field, name: string): unknown;
  /** How many instances of the field's type one instance of its parent yields. */
  listFactor(parent: GraphQLCompositeType, field: Field, node: FieldNode): number;
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

export function createReader(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): OperationReader {
  const sizes = factsOf(schema).listSizes;
  const values = variablesWithDefaults(schema, operation, variables);

  const argument = (node: FieldNode, field: Field, name: string): unknown => {
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

  /**
   * `first` as the resolver runs with it. An explicit null runs with the
   * schema's default (`checkFirst(first, <default>)` in the resolvers; the
   * test in test/unit/limits.test.ts holds every `first` to it), so it is
   * costed at that default, not at DEFAULT_FIRST.
   */
  const firstOf = (node: FieldNode, field: Field): number => {
    const value = argument(node, field, 'first');
    if (typeof value === 'number' && value >= 0) return value;
    const fallback = field.args.find((a) => a.name === 'first')?.defaultValue;
    return typeof fallback === 'number' && fallback >= 0 ? fallback : DEFAULT_FIRST;
  };

  /** How many ids `input.<ids>` names, as graphql-js coerces it (a single value is a list of one). */
  const idCount = (node: FieldNode, field: Field, ids: string): number => {
    const input = argument(node, field, 'input');
    const value =
      typeof input === 'object' && input !== null
        ? (input as Record<string, unknown>)[ids]
        : undefined;
    if (Array.isArray(value)) return Math.max(1, value.length);
    return value == null ? UNBOUNDED_LIST_ESTIMATE : 1;
  };

  return {
    schema,
    fieldDef(parent, name, isRoot) {
      if (isRoot && name === '__schema') return SchemaMetaFieldDef;
      if (isRoot && name === '__type') return TypeMetaFieldDef;
      return 'getFields' in parent ? parent.getFields()[name] : undefined;
    },
    argument,
    listFactor(parent, field, node) {
      const written = WRITTEN_RECORDS[getNamedType(field.type).name];
      if (written) return idCount(node, field, written.ids);
      if (WRITTEN_RECORDS[parent.name]?.list === field.name) return 1;
      // A connection's `first` already counted its edges.
      if (parent.name.endsWith('Connection') && field.name === 'edges') return 1;
      // Even `first: 0` resolves the connection's own fields (totalCount, pageInfo…) once.
      if (field.args.some((a) => a.name === 'first')) return Math.max(1, firstOf(node, field));
      if (!isListType(getNullableType(field.type))) return 1;
      return sizes[`${parent.name}.${field.name}`] ?? UNBOUNDED_LIST_ESTIMATE;
    },
  };
}

/** The type an inline fragment's selections apply to: its condition, else the parent's. */
export function inlineFragmentType(
  schema: GraphQLSchema,
  node: InlineFragmentNode,
  parent: GraphQLCompositeType,
): GraphQLCompositeType {
  const condition = node.typeCondition ? schema.getType(node.typeCondition.name.value) : parent;
  return condition && isCompositeType(condition) ? condition : parent;
}

/**
 * `walk` over a named fragment's selection set, once per (fragment, `variant`) and reused at
 * every spread of it, so a walk stays linear in the document however often fragments spread
 * each other. A fragment that names no known type gives `empty`; one that reaches itself is
 * QUERY_TOO_COMPLEX (validation refuses fragment cycles before this runs; stay safe anyway).
 */
export function walkFragmentsOnce<T>(
  schema: GraphQLSchema,
  fragments: Fragments,
  empty: T,
  walk: (set: SelectionSetNode, type: GraphQLCompositeType, variant: number) => T,
): (name: string, variant: number) => T {
  const walked = new Map<string, T | 'walking'>();
  return (name, variant) => {
    const key = `${name}@${variant}`;
    const known = walked.get(key);
    if (known === 'walking') {
      throw requestError('QUERY_TOO_COMPLEX', `Fragment "${name}" spreads itself.`);
    }
    if (known !== undefined) return known;
    const fragment = fragments[name];
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || !type || !isCompositeType(type)) return empty;
    walked.set(key, 'walking');
    const result = walk(fragment.selectionSet, type, variant);
    walked.set(key, result);
    return result;
  };
}
