/**
 * The cost model over the incident-screen fields: facet lists are costed at
 * an upper bound of their size, never the unbounded estimate where that could
 * under-count.
 */
import { Kind, isEnumType, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_COST } from '../../src/config.js';
import { fragmentsOf } from '../../src/graphql/selection.js';
import { ENUM_BOUNDED_LISTS, measureOperation } from '../../src/guard/limits.js';
import { createSchema } from '../../src/schema.js';

const schema = createSchema();
const cost = (source: string) => {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return measureOperation(schema, operation, fragmentsOf(document), {}).cost;
};

describe('cost of incident screens', () => {
  it('costs each enum-bounded facet list at its enum’s number of values', () => {
    for (const [field, enumName] of Object.entries(ENUM_BOUNDED_LISTS)) {
      const [parent, name] = field.split('.') as [string, string];
      const type = schema.getType(enumName);
      const values = isEnumType(type) ? type.getValues().length : 0;
      expect(values, enumName).toBeGreaterThan(0);
      expect(schema.getType(parent), parent).toBeDefined();
      // incidentFacets (1) + the list (1) + one `count` per value.
      expect(cost(`{ incidentFacets { ${name} { count } } }`), field).toBe(2 + values);
    }
    expect(cost('{ incidentFacets { severities { count } } }')).toBe(2 + 6);
  });

  it('costs the assignee and meta label facets by their first, up to 100', () => {
    expect(cost('{ incidentFacets { assignees(first: 100) { count } } }')).toBe(2 + 100);
    expect(cost('{ incidentFacets { metaLabels { count } } }')).toBe(2 + 20);
  });

  it('keeps the issue’s screen query and a dashboard well under the default limit', () => {
    const screen = cost(
      '{ incidents(first: 20) { edges { node { responders { user { id } role { name } } timeline(first: 10) { edges { node { __typename } } } } } } }',
    );
    const dashboard = cost(
      '{ incidentFacets { severities { severity count } assignees(first: 100) { user { id } count } } incidentEvents(first: 100) { edges { node { at incident { id name } } } } }',
    );
    expect(screen).toBeLessThan(DEFAULT_MAX_COST / 10);
    expect(dashboard).toBeLessThan(DEFAULT_MAX_COST / 10);
  });
});
