import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_COST } from '../../src/config.js';
import { loadExamples } from '../../src/graphiql.js';
import { measureOperation, UNBOUNDED_LIST_ESTIMATE } from '../../src/limits.js';
import { createSchema } from '../../src/schema.js';

const schema = createSchema();

function measure(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return measureOperation(schema, operation, fragments, variables);
}

describe('measureOperation', () => {
  it('counts a connection by first, without counting its edges again', () => {
    expect(measure('{ incidents(first: 5) { edges { node { id } } } }').cost).toBe(1 + 5 + 5 + 5);
  });

  it('uses the default first of 20 when none is given', () => {
    expect(measure('{ incidents { totalCount } }').cost).toBe(1 + 20);
  });

  it('multiplies nested lists without first by the estimate', () => {
    const { cost } = measure('{ incident(id: "x") { events { id } } }');
    expect(cost).toBe(1 + 1 + UNBOUNDED_LIST_ESTIMATE);
  });

  it('reads first from variables', () => {
    const query = 'query($n: Int) { incidentRoles(first: $n) { edges { node { id } } } }';
    expect(measure(query, { n: 2 }).cost).toBe(1 + 2 + 2 + 2);
  });

  it('counts depth and aliases through fragments', () => {
    const result = measure(
      '{ a: incident(id: "x") { ...F } b: incident(id: "y") { id } } fragment F on Incident { slas { incident { id } } }',
    );
    expect(result.depth).toBe(4);
    expect(result.aliases).toBe(2);
  });

  it('keeps the representative queries of the README and the issues under the default MAX_COST', () => {
    const representative = [
      '{ incidents(first: 50) { edges { node { stateTimeline { id } slas { id } } } } }',
      '{ incidentSlas(first: 50) { edges { node { incident { name } } } } }',
      '{ incidentSlas(first: 50) { edges { node { incident { slas { incident { id } } } } } } }',
      '{ incidents(first: 100) { edges { node { id name assignments { assignedTo { id } } slas { status } stateTimeline { startsAt } } } } }',
      ...loadExamples().map((example) => example.query),
    ];
    for (const query of representative)
      expect(measure(query).cost).toBeLessThanOrEqual(DEFAULT_MAX_COST);
  });
});
