/**
 * The merged timeline's order and precision (`mergeTimeline`), on small
 * hand-made incidents.
 */
import { describe, expect, it } from 'vitest';
import { mergeTimeline } from '../../src/resolvers/timeline.js';
import type { EventInstant } from '../../src/upstreams/coralogix/incidents/eventLoaders.js';
import type { Incident, IncidentEvent } from '../../src/upstreams/coralogix/incidents/types.js';
import type {
  IncidentMemberRecord,
  StateTimelineRecord,
} from '../../src/upstreams/oneuptime/types.js';

const T = (minute: number) => new Date(Date.UTC(2026, 10, 30, 12, minute)).toISOString();
const event = (id: string, type: string, extra: Partial<IncidentEvent> = {}): IncidentEvent => ({
  id,
  incidentEventType: `INCIDENT_EVENT_TYPE_${type}` as IncidentEvent['incidentEventType'],
  ...extra,
});

const incident: Incident = {
  id: 'i',
  state: 'INCIDENT_STATE_RESOLVED',
  status: 'INCIDENT_STATUS_RESOLVED',
  severity: 'INCIDENT_SEVERITY_ERROR',
  assignments: [],
  contextualLabels: {},
  displayLabels: {},
  createdAt: T(0),
  closedAt: T(30),
  lastStateUpdateTime: T(30),
  lastStateUpdateKey: 'k-close',
  events: [
    event('open', 'OPEN'),
    event('up', 'UPSERT_STATE', { upsertState: { payload: { cxEventKey: 'k-up' } } }),
    event('assign', 'ASSIGN'),
    event('ack', 'ACKNOWLEDGE'),
    event('close', 'CLOSE'),
  ],
};

const instants = (entries: Array<[string, string]>) =>
  new Map<string, EventInstant>(entries.map(([id, at]) => [id, { at, cxEventKey: `k-${id}` }]));
const change = (id: string, startsAt: string): StateTimelineRecord => ({
  _id: id,
  startsAt,
  createdAt: startsAt,
  incidentStateId: 's',
});
const member = (id: string, createdAt: string): IncidentMemberRecord => ({
  _id: id,
  createdAt,
  userId: 'u',
});

const ids = (entries: ReturnType<typeof mergeTimeline>) =>
  entries.map(
    (e) => (e.node as { id?: string; _id?: string }).id ?? (e.node as { _id: string })._id,
  );

describe('mergeTimeline', () => {
  it('orders by instant; on ties Coralogix events, then state changes, then responders', () => {
    const merged = mergeTimeline(
      incident,
      instants([
        ['open', T(0)],
        ['up', T(0)],
        ['assign', T(5)],
        ['ack', T(10)],
        ['close', T(30)],
      ]),
      [change('created', T(0)), change('acked', T(10)), change('resolved', T(30))],
      [member('m2', T(10)), member('m1', T(10)), member('m0', T(2))],
    );
    expect(ids(merged)).toEqual([
      'open',
      'up',
      'created',
      'm0',
      'assign',
      'ack',
      'acked',
      'm1',
      'm2',
      'close',
      'resolved',
    ]);
    expect(new Set(merged.map((e) => e.precision))).toEqual(new Set(['EXACT']));
  });

  it('takes stated instants for OPEN, CLOSE and the keyed state change, and places the rest by Coralogix’s order with no time', () => {
    const keyed = { ...incident, lastStateUpdateKey: 'k-up', lastStateUpdateTime: T(1) };
    const merged = mergeTimeline(keyed, instants([['ack', T(20)]]), [change('c', T(3))], []);
    expect(merged.map((e) => [(e.node as IncidentEvent).id ?? 'c', e.precision, e.at])).toEqual([
      ['open', 'FROM_INCIDENT', T(0)],
      ['up', 'FROM_INCIDENT', T(1)],
      // No instant: right after the event before it (at 1), before the OneUptime change at 3.
      ['assign', 'ORDER_ONLY', null],
      ['c', 'EXACT', T(3)],
      ['ack', 'EXACT', T(20)],
      ['close', 'FROM_INCIDENT', T(30)],
    ]);
  });

  it('leaves out OneUptime rows without an instant rather than inventing one', () => {
    const merged = mergeTimeline(
      { ...incident, events: [] },
      new Map(),
      [{ _id: 'x', startsAt: null }],
      [{ _id: 'y', createdAt: null, userId: 'u' }],
    );
    expect(merged).toEqual([]);
  });
});
