/**
 * The event-feed loaders against a tiny recording client: which calls find
 * the incidents of a page of feed items, and which feed query reads the
 * instants of a level of incidents.
 */
import { describe, expect, it } from 'vitest';
import {
  createEventLoaders,
  windowFilter,
  type EventRef,
} from '../../src/upstreams/coralogix/incidents/eventLoaders.js';
import type { CoralogixClient } from '../../src/upstreams/coralogix/incidents/client.js';
import type { Incident } from '../../src/upstreams/coralogix/incidents/types.js';
import type { ListIncidentEventsRequest } from '../../src/upstreams/coralogix/incidents/eventTypes.js';
import { readFilterValues } from '../../src/upstreams/coralogix/incidents/eventTypes.js';

const incident = (id: string, eventIds: string[], extra: Partial<Incident> = {}): Incident => ({
  id,
  name: 'Disk full',
  state: 'INCIDENT_STATE_TRIGGERED',
  status: 'INCIDENT_STATUS_TRIGGERED',
  severity: 'INCIDENT_SEVERITY_ERROR',
  assignments: [],
  contextualLabels: {},
  displayLabels: {},
  events: eventIds.map((id) => ({ id, incidentEventType: 'INCIDENT_EVENT_TYPE_OPEN' })),
  createdAt: '2026-11-30T10:00:00.000Z',
  ...extra,
});

/** A client that answers from a table and records what it was asked. */
function recordingClient(byKey: Record<string, Incident | null>) {
  const asked: string[] = [];
  const feeds: ListIncidentEventsRequest[] = [];
  const client = {
    incidentByEvent: async (key: string) => {
      asked.push(key);
      return byKey[key] ?? null;
    },
    listEvents: async (request: ListIncidentEventsRequest) => {
      feeds.push(request);
      return { items: [] };
    },
  } as unknown as CoralogixClient;
  return { client, asked, feeds };
}

const call = { apiKey: 'k' };
const ref = (cxEventKey: string, eventId: string, group: string): EventRef => ({
  cxEventKey,
  eventId,
  group,
});

describe('incidentByEvent', () => {
  it('asks once per alert permutation, then only for events the incidents found do not list', async () => {
    const a = incident('a', ['e1', 'e2']);
    const b = incident('b', ['e3']);
    const { client, asked } = recordingClient({ k1: a, k2: a, k3: b, k4: null });
    const primed: string[] = [];
    const loaders = createEventLoaders(client, call, {
      batch: true,
      remember: (found) => primed.push(...found.map((i) => i.id)),
      readFeed: () => undefined,
    });
    const found = await loaders.incidentByEvent.loadMany([
      ref('k1', 'e1', 'alert-x'),
      ref('k2', 'e2', 'alert-x'),
      ref('k3', 'e3', 'alert-x'),
      ref('k4', 'e4', 'alert-y'),
      ref('k1', 'e1', 'alert-x'),
    ]);
    expect(found.map((i) => (i as Incident | null)?.id ?? null)).toEqual([
      'a',
      'a',
      'b',
      null,
      'a',
    ]);
    // Round 1: k1 (alert-x), k4 (alert-y); round 2: k3, which incident a does not list.
    expect(asked).toEqual(['k1', 'k4', 'k3']);
    expect(primed).toEqual(['a', 'b']);
  });
});

describe('instants', () => {
  it('reads one feed window over the level, named when every incident shares the name', async () => {
    const { client, feeds } = recordingClient({});
    const loaders = createEventLoaders(client, call, {
      batch: true,
      remember: () => undefined,
      readFeed: () => undefined,
      now: () => Date.parse('2026-11-30T12:00:00.000Z'),
    });
    await Promise.all([
      loaders.instants.load(incident('a', ['e1'], { closedAt: '2026-11-30T11:00:00.000Z' })),
      loaders.instants.load(incident('b', ['e2'], { createdAt: '2026-11-29T10:00:00.000Z' })),
      loaders.instants.load(incident('c', [])),
    ]);
    expect(feeds).toEqual([
      {
        filter: {
          timestamp: { startTime: '2026-11-29T10:00:00.000Z', endTime: '2026-11-30T12:01:00.000Z' },
          name: 'Disk full',
        },
        pagination: { pageSize: 1000 },
        order_by: { direction: 'ORDER_BY_DIRECTION_ASC' },
      },
    ]);
  });

  it('makes no call for incidents without events, and no name filter across names', async () => {
    const { client, feeds } = recordingClient({});
    const loaders = createEventLoaders(client, call, {
      batch: true,
      remember: () => undefined,
      readFeed: () => undefined,
    });
    await loaders.instants.load(incident('a', []));
    expect(feeds).toEqual([]);
    const filter = windowFilter([incident('a', ['e']), incident('b', ['f'], { name: 'Other' })], 0);
    expect(filter.name).toBeUndefined();
  });
});

describe('readFilterValues', () => {
  it('reads counts sent as numbers or numeric strings and puts unknown values under UNSPECIFIED', () => {
    const values = readFilterValues(
      {
        severityWithCount: [
          { severity: 'INCIDENT_SEVERITY_ERROR', count: 3 },
          { severity: 'INCIDENT_SEVERITY_NEW' as 'INCIDENT_SEVERITY_LOW', count: '2' },
          { severity: 'INCIDENT_SEVERITY_UNSPECIFIED', count: 1 },
        ],
        assigneeWithCount: [
          { assignee: 'u1', count: 1 },
          { assignee: 'u2', count: 4 },
        ],
      },
      (_, raw) => Number(raw),
    );
    expect(values.severities).toEqual([
      { value: 'INCIDENT_SEVERITY_ERROR', count: 3 },
      { value: 'INCIDENT_SEVERITY_UNSPECIFIED', count: 3 },
    ]);
    expect(values.assignees).toEqual([
      { value: 'u2', count: 4 },
      { value: 'u1', count: 1 },
    ]);
    expect(values.statuses).toEqual([]);
  });
});
