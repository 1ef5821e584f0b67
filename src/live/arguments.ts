/**
 * The size bound on what a subscription keeps for as long as it runs: its
 * root field's arguments (the filter, as coerced, inline literals and
 * variables alike) and the variables it was sent with. A query's filter is
 * dropped when it is answered; a subscription's is held and matched against
 * every change, so a 946 KB filter of 30 000 labels cost 4.4 MB per
 * subscription and stalled the event loop on each change. Generic: any
 * subscription field, any argument.
 */
import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getVariableValues,
  type FragmentDefinitionNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { GatewayError } from '../errors.js';
import { jsonByteLength } from '../guard/responseSize.js';

/**
 * Bytes of JSON a subscription's arguments, and its variables, may take each:
 * room for about 100 ids or labels in a filter, while MAX_SUBSCRIPTIONS (2000)
 * subscriptions at the bound hold about 40 MB of filters (a filter costs
 * about 4.6 times its JSON once parsed, coerced and compiled).
 */
export const MAX_SUBSCRIPTION_ARGUMENT_BYTES = 4_096;

/** The one root field of a subscription (validation allows exactly one), through fragments. */
function rootField(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : fragments[selection.name.value]?.selectionSet;
    const field = inner && rootField(inner, fragments);
    if (field) return field;
  }
  return undefined;
}

/** graphql-js's coercion errors carry no code: they are the client's input. */
const userError = (error: GraphQLError) =>
  new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    extensions: { code: 'BAD_USER_INPUT' },
  });

const tooLarge = (what: string) =>
  new GatewayError(
    'BAD_USER_INPUT',
    `The subscription's ${what} take more than ${MAX_SUBSCRIPTION_ARGUMENT_BYTES} bytes as JSON: a subscription keeps its filter for as long as it runs. Filter on fewer values, or split the filter over several subscriptions.`,
    { limit: MAX_SUBSCRIPTION_ARGUMENT_BYTES },
  );

/**
 * The errors that refuse a subscription's arguments (too large, or variables
 * that do not coerce), or none.
 */
export function checkSubscriptionArguments(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): GraphQLError[] {
  if (jsonByteLength(variables, MAX_SUBSCRIPTION_ARGUMENT_BYTES) === undefined) {
    return [tooLarge('variables')];
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, {
    maxErrors: 10,
  });
  if (coerced.errors) return coerced.errors.map(userError);
  const node = rootField(operation.selectionSet, fragments);
  const field = node && schema.getSubscriptionType()?.getFields()[node.name.value];
  if (!node || !field) return [];
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, coerced.coerced);
  } catch (error) {
    if (error instanceof GraphQLError) return [userError(error)];
    throw error;
  }
  return jsonByteLength(args, MAX_SUBSCRIPTION_ARGUMENT_BYTES) === undefined
    ? [tooLarge('arguments')]
    : [];
}
