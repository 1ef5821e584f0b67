/**
 * The one encoder of object-valued query parameters (Coralogix's event feed),
 * as the vendor's generated Go client writes them, and the emulator's reading
 * of exactly that form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventQuery } from '../../src/sandbox/coralogix/eventQuery.js';
import { RpcError } from '../../src/sandbox/coralogix/errors.js';
import { encodeObjectParams } from '../../src/upstreams/coralogix/queryParams.js';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
} from '../../src/upstreams/coralogix/incidents/types.js';

describe('encodeObjectParams', () => {
  it('writes fields in brackets, lists as repeated keys and lists of objects field by field', () => {
    expect(
      encodeObjectParams({
        filter: {
          status: ['INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED'],
          isMuted: false,
          timestamp: { startTime: '2026-01-01T00:00:00Z', endTime: '2026-01-02T00:00:00Z' },
          labels: {
            metaLabels: [
              { key: 'env', value: 'prod' },
              { key: 'team', value: 'sre' },
            ],
            operator: 'FILTER_OPERATOR_AND',
          },
        },
        pagination: { pageSize: 100 },
        order_by: undefined,
      }),
    ).toEqual([
      ['filter[status]', 'INCIDENT_STATUS_TRIGGERED'],
      ['filter[status]', 'INCIDENT_STATUS_ACKNOWLEDGED'],
      ['filter[isMuted]', 'false'],
      ['filter[timestamp][startTime]', '2026-01-01T00:00:00Z'],
      ['filter[timestamp][endTime]', '2026-01-02T00:00:00Z'],
      ['filter[labels][metaLabels][key]', 'env'],
      ['filter[labels][metaLabels][value]', 'prod'],
      ['filter[labels][metaLabels][key]', 'team'],
      ['filter[labels][metaLabels][value]', 'sre'],
      ['filter[labels][operator]', 'FILTER_OPERATOR_AND'],
      ['pagination[pageSize]', '100'],
    ]);
  });

  it('sends nothing for absent parameters and empty lists', () => {
    expect(encodeObjectParams({ filter: { status: [] }, pagination: undefined })).toEqual([]);
  });
});

describe('the emulator reads what the gateway sends', () => {
  const label = fc.record({
    key: fc.string({ minLength: 1, maxLength: 8 }),
    value: fc.string({ maxLength: 8 }),
  });
  const instant = fc
    .integer({ min: 0, max: 4_000_000_000_000 })
    .map((ms) => new Date(ms).toISOString());
  const filter = fc.record(
    {
      status: fc.subarray([...INCIDENT_STATUSES]),
      severity: fc.subarray([...INCIDENT_SEVERITIES]),
      name: fc.string({ maxLength: 20 }),
      isMuted: fc.boolean(),
      timestamp: fc.record({ startTime: instant, endTime: instant }),
      labels: fc.record({
        metaLabels: fc.array(label, { minLength: 1, maxLength: 4 }),
        operator: fc.constantFrom('FILTER_OPERATOR_OR_OR_UNSPECIFIED', 'FILTER_OPERATOR_AND'),
      }),
    },
    { requiredKeys: [] },
  );

  it('round-trips any event filter, page and order through the query string', () => {
    fc.assert(
      fc.property(filter, fc.integer({ min: 1, max: 1000 }), fc.boolean(), (f, size, asc) => {
        const query = new URLSearchParams(
          encodeObjectParams({
            filter: f,
            pagination: { pageSize: size },
            order_by: { direction: asc ? 'ORDER_BY_DIRECTION_ASC' : 'ORDER_BY_DIRECTION_DESC' },
          }),
        );
        // Through a real URL's encoding, as HTTP carries it.
        const parsed = parseEventQuery(new URL(`http://x/?${query.toString()}`).searchParams, true);
        expect(parsed.pageSize).toBe(size);
        expect(parsed.descending).toBe(!asc);
        expect(parsed.filter.incidents.status).toEqual(f.status ?? []);
        expect(parsed.filter.incidents.severity).toEqual(f.severity ?? []);
        expect(parsed.filter.name).toBe(f.name);
        expect(parsed.filter.incidents.isMuted).toBe(f.isMuted);
        expect(parsed.filter.incidents.metaLabels).toEqual(f.labels?.metaLabels ?? []);
        if (f.timestamp) {
          expect(parsed.filter.timestamp).toEqual({
            fromMs: Date.parse(f.timestamp.startTime),
            toMs: Date.parse(f.timestamp.endTime),
          });
        }
      }),
    );
  });

  it('refuses the dotted gRPC-gateway form', () => {
    const dotted = new URLSearchParams([['filter.status', 'INCIDENT_STATUS_TRIGGERED']]);
    expect(() => parseEventQuery(dotted, true)).toThrow(RpcError);
  });
});
