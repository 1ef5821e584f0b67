import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { decodeRecord, decodeValue } from '../../src/upstreams/oneuptime/client.js';
import type { StateTimelineRecord } from '../../src/upstreams/oneuptime/types.js';

const ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const INCIDENT = '9b2c1a4e-7d3f-4e8a-b1c2-d3e4f5a6b7c8';

describe('decodeValue', () => {
  it.each([
    [{ _type: 'ObjectID', value: ID }, ID],
    [{ _type: 'DateTime', value: '2024-01-15T13:15:00.000Z' }, '2024-01-15T13:15:00.000Z'],
    [{ _type: 'Color', value: '#E74C3C' }, '#E74C3C'],
  ])('unwraps the %j envelope', (envelope, plain) => {
    expect(decodeValue(envelope)).toBe(plain);
  });

  it.each([
    ['a plain string', ID],
    ['a number', 42],
    ['a boolean', false],
    ['null', null],
    ['undefined', undefined],
    ['an array', [ID]],
    ['a JSON object', { from: 'Created', to: 'Investigating' }],
    ['an object with an unknown _type', { _type: 'Search', value: 'x' }],
    ['an object with a non-string _type', { _type: 1, value: 'x' }],
  ])('keeps %s as it is', (_name, value) => {
    expect(decodeValue(value)).toBe(value);
  });
});

describe('decodeRecord', () => {
  it('decodes the envelopes real servers send', () => {
    const record = decodeRecord<StateTimelineRecord>(
      {
        _id: ID,
        incidentId: { _type: 'ObjectID', value: INCIDENT },
        startsAt: { _type: 'DateTime', value: '2026-10-01T10:00:00.000Z' },
        endsAt: null,
        rootCause: 'Deploy rolled back',
        shouldStatusPageSubscribersBeNotified: true,
        stateChangeLog: { from: 'Created', to: 'Resolved' },
      },
      'incident-state-timeline',
    );
    expect(record).toEqual({
      _id: ID,
      incidentId: INCIDENT,
      startsAt: '2026-10-01T10:00:00.000Z',
      endsAt: null,
      rootCause: 'Deploy rolled back',
      shouldStatusPageSubscribersBeNotified: true,
      stateChangeLog: { from: 'Created', to: 'Resolved' },
    });
  });

  it('reads plain values as the docs show them', () => {
    const raw = { _id: ID, incidentId: INCIDENT, startsAt: '2026-10-01T10:00:00.000Z' };
    expect(decodeRecord(raw, 'incident-state-timeline')).toEqual(raw);
  });

  it('accepts an _id sent as an ObjectID envelope', () => {
    expect(decodeRecord({ _id: { _type: 'ObjectID', value: ID } }, 'incident-role')).toEqual({
      _id: ID,
    });
  });

  it.each([
    ['an object without _id', { name: 'Scribe' }],
    ['a numeric _id', { _id: 7 }],
    ['a null _id', { _id: null }],
    ['an array', [{ _id: ID }]],
    ['null', null],
    ['a string', ID],
  ])('refuses %s as UPSTREAM_BAD_RESPONSE from OneUptime', (_name, raw) => {
    let caught: unknown;
    try {
      decodeRecord(raw, 'incident-role');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UpstreamError);
    expect((caught as UpstreamError).extensions).toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      upstream: 'oneuptime',
    });
    expect((caught as UpstreamError).message).toContain('incident-role');
  });
});
