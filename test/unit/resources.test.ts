/**
 * Each upstream resource is declared once (src/upstreams/<vendor>/resources.ts);
 * these tests prove that what is derived from a declaration agrees with it and
 * with the GraphQL schema, so adding a column in one place is enough.
 */
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../src/schema.js';
import { INCIDENT } from '../../src/upstreams/coralogix/incidents/resources.js';
import { decodeRecord } from '../../src/upstreams/oneuptime/client.js';
import {
  ONEUPTIME_RESOURCES,
  RESOURCES,
  resourceOf,
  type Column,
  type Relation,
  type Resource,
  selectOf,
} from '../../src/upstreams/oneuptime/resources.js';
import { fits } from '../../src/upstreams/shape.js';

const schema = createSchema();

const fieldsOfType = (name: string) => {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
  return Object.keys(type.getFields());
};

/** A valid decoded value of each column kind, and one of the wrong type. */
const SAMPLE = {
  id: ['0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10', 42],
  date: ['2026-01-01T00:00:00.000Z', true],
  color: ['#3498DB', 7],
  text: ['text', false],
  bool: [true, 'yes'],
  int: [3, 2.5],
  json: [{ any: 'thing' }, undefined],
} as const;

describe.each(ONEUPTIME_RESOURCES)('OneUptime resource %s', (resource) => {
  const declared = RESOURCES[resource] as Resource;

  it('selects exactly the declared columns', () => {
    expect(Object.keys(selectOf(resource))).toEqual(declared.columnNames);
  });

  it('checks every declared column, and only those, in each row', () => {
    const shape = declared.shape as { fields: Record<string, unknown> };
    expect(Object.keys(shape.fields)).toEqual(['_id', ...declared.columnNames]);
  });

  it('accepts a row with every column at its kind and refuses each column at another type', () => {
    const valid = (columns: Record<string, Column | Relation>) => {
      const row: Record<string, unknown> = { _id: 'a' };
      for (const [name, column] of Object.entries(columns)) {
        row[name] = column.kind === 'relation' ? valid(column.columns) : SAMPLE[column.kind][0];
      }
      return row;
    };
    const row = valid(declared.columns);
    expect(decodeRecord(row, resource)).toEqual(row);
    for (const [name, column] of Object.entries(declared.columns)) {
      if (column.kind === 'json') continue;
      const wrong = column.kind === 'relation' ? 'not an object' : SAMPLE[column.kind][1];
      expect(() => decodeRecord({ ...row, [name]: wrong }, resource), name).toThrow(/cannot read/);
    }
  });

  it('maps only fields its GraphQL type has, and serves every field of that type', () => {
    const graphqlFields = fieldsOfType(declared.graphqlType);
    const served = Object.keys(declared.fieldColumns);
    for (const field of served) expect(graphqlFields, field).toContain(field);
    // `id` is `_id`, which OneUptime always sends; joined fields are other resources' rows.
    const unserved = graphqlFields.filter(
      (f) => f !== 'id' && !served.includes(f) && !declared.joined.includes(f),
    );
    expect(unserved).toEqual([]);
    expect(resourceOf(declared.graphqlType)).toBe(resource);
  });
});

describe('Coralogix incident declaration', () => {
  const wireFields = Object.keys((INCIDENT as { fields: Record<string, unknown> }).fields);
  /** Incident fields that do not come from the Coralogix incident itself. */
  const JOINED = [
    'stateTimeline',
    'slas',
    'linkStatus',
    'oneUptimeIncident',
    'responders',
    'timeline',
  ];

  it('declares a wire field for every Incident field that is not joined from OneUptime', () => {
    const missing = fieldsOfType('Incident').filter(
      (field) => !JOINED.includes(field) && !wireFields.includes(field),
    );
    expect(missing).toEqual([]);
  });

  it('refuses an incident whose events have the wrong types', () => {
    expect(fits({ id: 'x', events: [{ id: 'e', incidentEventType: 3 }] }, INCIDENT)).toBe(false);
    expect(fits({ id: 'x', events: [{ id: 'e', incidentEventType: 'X' }] }, INCIDENT)).toBe(true);
  });
});
