/**
 * What an operation's link reads select (src/links/readColumns.ts): the link's
 * own columns plus every OneUptime incident column the document can read.
 */
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LINK_COLUMNS, linkReadColumns } from '../../src/links/readColumns.js';
import { createSchema } from '../../src/schema.js';

const schema = createSchema();
const columnsOf = (source: string) => linkReadColumns(schema, parse(source));

describe('linkReadColumns', () => {
  it('an operation that shows no OneUptime incident column reads only the link', () => {
    expect(
      columnsOf(`{ cases(first: 50) { edges { node {
        id linkStatus stateTimeline { id startsAt } slas { id statusText }
      } } } }`),
    ).toEqual(['customFields', 'createdAt']);
    expect(LINK_COLUMNS).toEqual(['customFields', 'createdAt']);
  });

  it('adds the columns of every field on OneUptimeIncident, relations included', () => {
    expect(
      columnsOf(`{ incidents(first: 10) { edges { node {
        oneUptimeIncident { id title state { name color } }
      } } } }`),
    ).toEqual([
      'title',
      'currentIncidentStateId',
      'currentIncidentState',
      'customFields',
      'createdAt',
    ]);
  });

  it('finds them at any depth and through fragments', () => {
    expect(
      columnsOf(`
        query { incidents(first: 10) { edges { node { slas { oneUptimeIncident { ...Shown } } } } } }
        fragment Shown on OneUptimeIncident { number severity { name } }`),
    ).toEqual([
      'incidentNumber',
      'incidentSeverityId',
      'incidentSeverity',
      'customFields',
      'createdAt',
    ]);
  });

  it('counts a field asked for on an interface OneUptimeIncident implements', () => {
    const withInterface = buildSchema(`
      interface Titled { title: String }
      type OneUptimeIncident implements Titled { id: ID! title: String }
      type Query { titled: [Titled!]! }`);
    expect(linkReadColumns(withInterface, parse('{ titled { title } }'))).toEqual([
      'title',
      'customFields',
      'createdAt',
    ]);
  });

  it('is computed once per parsed document and schema', () => {
    const document = parse('{ incidents(first: 1) { edges { node { id } } } }');
    expect(linkReadColumns(schema, document)).toBe(linkReadColumns(schema, document));
    const titled = parse('{ titled { title } }');
    const incidents = buildSchema(`type OneUptimeIncident { id: ID! title: String }
      type Query { titled: [OneUptimeIncident!]! }`);
    const others = buildSchema(`type OneUptimeIncident { id: ID! title: String }
      type Other { title: String }
      type Query { titled: [Other!]! }`);
    expect(linkReadColumns(incidents, titled)).toEqual(['title', 'customFields', 'createdAt']);
    expect(linkReadColumns(others, titled)).toEqual(['customFields', 'createdAt']);
  });
});
