/**
 * The payload of a write on several records holds one record per id its
 * input names (WRITTEN_RECORDS), so the limits measure it by that count, not
 * by the estimate for an unbounded list: assigning 25 cases with their events
 * is 1 write + 25 events GETs, refused before the write when that is over
 * MAX_UPSTREAM_CALLS.
 */
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { WRITTEN_RECORDS } from '../../src/guard/operationReader.js';
import { measure, schema } from '../support/operations.js';

const uuids = (n: number) =>
  Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const USER = '0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10';

describe('the payload of a write is measured by the ids its input names', () => {
  const assign = `mutation ($input: AssignCasesInput!) { assignCases(input: $input) { cases { events { id } } } }`;

  it('counts one events GET per assigned case, after the one write', () => {
    for (const n of [1, 25, 1000]) {
      const { upstreamCalls } = measure(assign, { input: { caseIds: uuids(n), userId: USER } });
      expect(upstreamCalls).toBe(1 + n);
    }
  });

  it('reads the ids from a literal input and from a variable inside it', () => {
    const literal = `mutation { closeCases(input: { caseIds: ${JSON.stringify(uuids(30))} }) { cases { events { id } } } }`;
    expect(measure(literal).upstreamCalls).toBe(1 + 30);
    const inner = `mutation ($ids: [ID!]!) { clearCasePriority(input: { caseIds: $ids }) { cases { events { id } } } }`;
    expect(measure(inner, { ids: uuids(40) }).upstreamCalls).toBe(1 + 40);
  });

  it('counts through a fragment of the payload spread under writes of different sizes', () => {
    const query = `mutation ($a: [ID!]!, $b: [ID!]!) {
      a: closeCases(input: { caseIds: $a }) { ...P }
      b: unassignCases(input: { caseIds: $b }) { ...P }
    } fragment P on CasesPayload { cases { events { id } } }`;
    expect(measure(query, { a: uuids(3), b: uuids(50) }).upstreamCalls).toBe(1 + 3 + 1 + 50);
  });

  it('costs the payload by the ids (each case and its fields once per id)', () => {
    const query = `mutation ($ids: [ID!]!) { closeCases(input: { caseIds: $ids }) { cases { id title } } }`;
    // The field, then per id: the list field and two scalars.
    expect(measure(query, { ids: uuids(25) }).cost).toBe(1 + 25 * (1 + 2));
  });

  it('measures the incident writes by their incidentIds the same way', () => {
    const query = `mutation ($ids: [ID!]!) { closeIncidents(input: { incidentIds: $ids }) { incidents { id name } } }`;
    expect(measure(query, { ids: uuids(100) }).cost).toBe(1 + 100 * (1 + 2));
    expect(measure(query, { ids: uuids(1) }).cost).toBe(1 + 1 + 2);
  });

  it('declares payloads that only mutations return, hold only the list, and whose input names the ids', () => {
    for (const [payloadName, { list, ids }] of Object.entries(WRITTEN_RECORDS)) {
      const payload = schema.getType(payloadName);
      expect(isObjectType(payload) && Object.keys(payload.getFields())).toEqual([list]);
      const returning = Object.values(schema.getTypeMap())
        .filter(isObjectType)
        .flatMap((type) =>
          Object.values(type.getFields())
            .filter((field) => getNamedType(field.type).name === payloadName)
            .map((field) => ({ type, field })),
        );
      expect(returning.length).toBeGreaterThan(0);
      for (const { type, field } of returning) {
        expect(type).toBe(schema.getMutationType());
        const input = getNamedType(field.args.find((a) => a.name === 'input')?.type);
        const idList = isInputObjectType(input) ? input.getFields()[ids]?.type : undefined;
        expect(idList && isListType(getNullableType(idList)), `${field.name} input.${ids}`).toBe(
          true,
        );
      }
    }
  });
});
