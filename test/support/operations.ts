/** What the operation limits measure of a document, against the gateway's schema. */
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { fragmentsOf } from '../../src/graphql/selection.js';
import { measureOperation } from '../../src/guard/limits.js';
import { createSchema } from '../../src/schema.js';

export const schema = createSchema();

/** The measure of `source`'s (first) operation with these variables. */
export function measure(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return measureOperation(schema, operation, fragmentsOf(document), variables);
}
