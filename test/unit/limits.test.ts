import { getIntrospectionQuery, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_COST } from '../../src/config.js';
import { loadExamples } from '../../src/http/graphiql.js';
import { UNBOUNDED_LIST_ESTIMATE } from '../../src/guard/limits.js';
import { measure, schema } from '../support/operations.js';

describe('measureOperation', () => {
  it('counts a connection by first, without counting its edges again', () => {
    expect(measure('{ incidents(first: 5) { edges { node { id } } } }').cost).toBe(1 + 5 + 5 + 5);
  });

  it('counts the fields of a connection asked for with first: 0, which still resolve once', () => {
    // Found by the cost property (test/integration/cost-fuzz.test.ts): 3 resolver calls, cost 1.
    expect(measure('{ incidents(first: 0) { pageInfo { hasPreviousPage } } }').cost).toBe(3);
    // 3 calls (incidentRoles, totalCount, edges); an edge's cursor is counted as if one came back.
    expect(measure('{ incidentRoles(first: 0) { totalCount edges { cursor } } }').cost).toBe(4);
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

  it('counts a fragment at every spread, so fragments that spread each other twice cannot hide an exponential response', () => {
    let fragments = 'fragment F0 on Incident { id }';
    for (let i = 1; i <= 20; i++) {
      fragments += ` fragment F${i} on Incident { ...F${i - 1} slas { incident { ...F${i - 1} } } }`;
    }
    const result = measure(`{ incident(id: "x") { ...F20 } } ${fragments}`);
    expect(result.depth).toBe(2 + 2 * 20);
    expect(result.cost).toBeGreaterThan(3 ** 20);
  });

  it('counts a fragment spread again deeper in the operation at both places', () => {
    const once = measure(
      '{ incident(id: "x") { ...F } } fragment F on Incident { name slas { id } }',
    );
    const twice = measure(
      '{ incident(id: "x") { ...F slas { incident { ...F } } } } fragment F on Incident { name slas { id } }',
    );
    expect(once.cost).toBe(1 + 1 + 1 + UNBOUNDED_LIST_ESTIMATE);
    // The second spread sits under slas (× 10) → incident.
    expect(twice.cost).toBe(once.cost + 1 + UNBOUNDED_LIST_ESTIMATE * (1 + once.cost - 1));
    expect(twice.depth).toBe(5);
  });

  it("takes first from a variable's default when the request leaves the variable out", () => {
    const query = 'query($n: Int = 100) { incidents(first: $n) { edges { node { id } } } }';
    expect(measure(query).cost).toBe(1 + 100 + 100 + 100);
    expect(measure(query, { n: 3 }).cost).toBe(1 + 3 + 3 + 3);
  });

  it("takes first from the argument's schema default when the variable is null or absent", () => {
    const query = 'query($n: Int) { incidents(first: $n) { totalCount } }';
    expect(measure(query).cost).toBe(1 + 20);
  });

  it('counts introspection: aliases of __schema and their cost', () => {
    const one = measure('{ __schema { types { name fields { name } } } }');
    const aliased = measure(
      `{ ${Array.from({ length: 5 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ')} }`,
    );
    expect(one.cost).toBeGreaterThan(Object.keys(schema.getTypeMap()).length);
    expect(aliased.aliases).toBe(5);
    expect(aliased.cost).toBe(5 * one.cost);
  });

  it("lets GraphiQL's standard introspection query through the default limits", () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const result = measure(query);
    expect(result.depth).toBeLessThanOrEqual(12);
    expect(result.cost).toBeLessThanOrEqual(DEFAULT_MAX_COST);
  });
});

describe('arguments costed as they run', () => {
  /** A query reaching each field that takes `first`, with `FIRST` where its arguments go. */
  const FIRST_FIELDS: Record<string, string> = {
    'Query.incidents': '{ incidents(FIRST) { edges { cursor } } }',
    'Query.oneUptimeIncidents': '{ oneUptimeIncidents(FIRST) { edges { cursor } } }',
    'Query.incidentRoles': '{ incidentRoles(FIRST) { edges { cursor } } }',
    'Query.incidentSlas': '{ incidentSlas(FIRST) { edges { cursor } } }',
    'Query.stateTimelines': '{ stateTimelines(FIRST) { edges { cursor } } }',
    'Query.incidentEvents': '{ incidentEvents(FIRST) { edges { cursor } } }',
    'Incident.timeline': '{ incident(id: "x") { timeline(FIRST) { edges { cursor } } } }',
    'IncidentFacets.assignees': '{ incidentFacets { assignees(FIRST) { count } } }',
    'IncidentFacets.metaLabels': '{ incidentFacets { metaLabels(FIRST) { count } } }',
    'Query.cases': '{ cases(FIRST) { edges { cursor } } }',
    'Case.timeline': '{ case(id: "x") { timeline(FIRST) { edges { cursor } } } }',
    'CaseFacets.assignees': '{ caseFacets { assignees(FIRST) { count } } }',
  };

  it('knows every field that takes `first`', () => {
    const withFirst = Object.values(schema.getTypeMap()).flatMap((type) =>
      isObjectType(type)
        ? Object.values(type.getFields())
            .filter((field) => field.args.some((arg) => arg.name === 'first'))
            .map((field) => `${type.name}.${field.name}`)
        : [],
    );
    expect(withFirst.sort()).toEqual(Object.keys(FIRST_FIELDS).sort());
  });

  it.each(Object.entries(FIRST_FIELDS))(
    'costs %s with an explicit null `first` as it runs: with the default',
    (_, template) => {
      const at = (args: string) => measure(template.replace('(FIRST)', args)).cost;
      expect(at('(first: null)')).toBe(at(''));
      const query = `query($n: Int) ${template.replace('FIRST', 'first: $n')}`;
      expect(measure(query, { n: null }).cost).toBe(at(''));
    },
  );

  it('costs Incident.timeline(first: null) at the 50 it runs with, not at 20', () => {
    const at = (first: string) =>
      measure(`{ incident(id: "x") { timeline${first} { edges { cursor } } } }`).cost;
    expect(at('(first: null)')).toBe(at('(first: 50)'));
    expect(at('(first: null)')).toBeGreaterThan(at('(first: 20)'));
  });
});
