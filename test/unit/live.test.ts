/**
 * The pure parts of live updates: change detection, the in-process filter,
 * the bounded view, the poller's paging and backoff (against a recording
 * list function), the subscriber's bounds and the lease timing.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import { changeByWrite, diffIncident, firstSight } from '../../src/live/diff.js';
import { canonicalJson } from '../../src/sharedCache/canonicalJson.js';
import { compileIncidentFilter } from '../../src/live/filter.js';
import { connectionHeaders, requestHeaders } from '../../src/live/headers.js';
import { INCIDENT_LIVE, INCIDENT_POLL_ORDER } from '../../src/live/families.js';
import {
  POLL_MAX_PAGES,
  POLL_PAGE_SIZE,
  Poller,
  backoffMs,
  familyFeed,
} from '../../src/live/poller.js';
import { leaseTiming } from '../../src/live/redis.js';
import type { Delivery } from '../../src/live/access.js';
import { Subscriber, type LiveConnection } from '../../src/live/subscriber.js';
import { IncidentView } from '../../src/live/view.js';
import { closeReason } from '../../src/live/ws.js';
import { generateSeed } from '../../src/sandbox/seed.js';
import type {
  Incident,
  ListIncidentsRequest,
} from '../../src/upstreams/coralogix/incidents/types.js';
import type { IncidentChange } from '../../src/live/events.js';
import { waitFor } from '../support/tools.js';

const seed = generateSeed();
/** An incident that is still open (the diff tests close it). */
const base = (): Incident =>
  structuredClone(seed.incidents.find((i) => i.closedAt === undefined && !('closedAt' in i))!);
const at = (ms: number) => new Date(ms).toISOString();
/** After every seeded incident was created. */
const T0 = Date.parse('2030-01-01T00:00:00Z');

describe('diffIncident', () => {
  it('names the GraphQL fields that changed and calls a newly set closedAt CLOSED', () => {
    const before = { ...base(), closedAt: undefined };
    const after = {
      ...before,
      status: 'INCIDENT_STATUS_RESOLVED' as const,
      closedAt: at(Date.parse(before.createdAt ?? '') + 1000),
    };
    expect(diffIncident(before, after)).toEqual({
      kind: 'CLOSED',
      changedFields: ['status', 'closedAt'],
      incident: after,
    });
    expect(diffIncident(after, { ...after, name: 'renamed' })).toMatchObject({
      kind: 'UPDATED',
      changedFields: ['name'],
    });
  });

  it('sees no change in the same data with keys in another order, or in duration alone', () => {
    const before = base();
    const reordered = {
      ...before,
      contextualLabels: Object.fromEntries(Object.entries(before.contextualLabels).reverse()),
    };
    expect(diffIncident(before, reordered)).toBeUndefined();
    expect(diffIncident(before, { ...before, duration: '999999s' })).toBeUndefined();
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it('reports duration along with a real change', () => {
    const before = base();
    expect(
      diffIncident(before, { ...before, duration: '999999s', isMuted: !before.isMuted })
        ?.changedFields,
    ).toEqual(['duration', 'isMuted']);
  });
});

describe('firstSight and changeByWrite (no previous view)', () => {
  it('calls an incident created or closed since the last look CREATED or CLOSED', () => {
    const incident = base();
    const created = Date.parse(incident.createdAt ?? '');
    expect(firstSight(incident, created).kind).toBe('CREATED');
    expect(firstSight({ ...incident, closedAt: at(created + 5000) }, created + 1).kind).toBe(
      'CLOSED',
    );
    expect(firstSight({ ...incident, closedAt: undefined }, created + 1)).toEqual({
      kind: 'UPDATED',
      changedFields: [],
      incident: { ...incident, closedAt: undefined },
    });
  });

  it('names what each gateway write changes', () => {
    const open = { ...base(), closedAt: undefined };
    expect(changeByWrite('assign', open)).toMatchObject({
      kind: 'UPDATED',
      changedFields: ['assignments', 'events'],
    });
    expect(changeByWrite('close', { ...open, closedAt: at(0) })).toMatchObject({
      kind: 'CLOSED',
      changedFields: ['state', 'status', 'closedAt', 'events'],
    });
    expect(changeByWrite('resolve', open).changedFields).toEqual(['state', 'status', 'events']);
  });
});

describe('compileIncidentFilter', () => {
  const incident: Incident = {
    ...base(),
    name: 'Checkout latency above 2s',
    severity: 'INCIDENT_SEVERITY_CRITICAL',
    state: 'INCIDENT_STATE_TRIGGERED',
    status: 'INCIDENT_STATUS_ACKNOWLEDGED',
    assignments: [{ assignedTo: { userId: 'u1' }, assignedBy: { userId: 'u2' } }],
    createdAt: '2024-05-01T10:00:00.000Z',
    isMuted: false,
    metaLabels: [
      { key: 'team', value: 'payments' },
      { key: 'tier', value: '1' },
    ],
  };
  const matches = (filter: Parameters<typeof compileIncidentFilter>[0]) =>
    compileIncidentFilter(filter)(incident);

  it('lets everything through without a filter', () => {
    expect(matches(undefined)).toBe(true);
    expect(matches(null)).toBe(true);
    expect(matches({})).toBe(true);
  });

  it('applies each condition, AND across conditions and OR within a list', () => {
    expect(matches({ severities: ['INCIDENT_SEVERITY_CRITICAL', 'INCIDENT_SEVERITY_LOW'] })).toBe(
      true,
    );
    expect(matches({ severities: ['INCIDENT_SEVERITY_INFO'] })).toBe(false);
    expect(matches({ states: ['INCIDENT_STATE_RESOLVED'] })).toBe(false);
    expect(matches({ statuses: ['INCIDENT_STATUS_ACKNOWLEDGED'] })).toBe(true);
    expect(matches({ assigneeUserIds: ['u9', 'u1'] })).toBe(true);
    expect(matches({ assigneeUserIds: ['u2'] })).toBe(false); // assignedBy is not the assignee
    expect(matches({ search: '  LATENCY ' })).toBe(true);
    expect(matches({ search: 'database' })).toBe(false);
    expect(matches({ search: '   ' })).toBe(true);
    expect(matches({ createdAfter: '2024-05-01T10:00:00.000Z' })).toBe(true);
    expect(matches({ createdBefore: '2024-05-01T10:00:00.000Z' })).toBe(false);
    expect(matches({ isMuted: true })).toBe(false);
    expect(matches({ isMuted: false })).toBe(true);
    expect(
      matches({
        severities: ['INCIDENT_SEVERITY_CRITICAL'],
        statuses: ['INCIDENT_STATUS_TRIGGERED'],
      }),
    ).toBe(false);
  });

  it('matches meta labels by any one, or all with metaLabelsMatchAll', () => {
    const labels = [
      { key: 'team', value: 'payments' },
      { key: 'tier', value: '2' },
    ];
    expect(matches({ metaLabels: labels })).toBe(true);
    expect(matches({ metaLabels: labels, metaLabelsMatchAll: true })).toBe(false);
    expect(matches({ metaLabels: [{ key: 'tier', value: '' }], metaLabelsMatchAll: true })).toBe(
      true,
    );
  });

  it('refuses what Query.incidents refuses', () => {
    expect(() =>
      compileIncidentFilter({
        createdAfter: '2024-05-02T00:00:00Z',
        createdBefore: '2024-05-01T00:00:00Z',
      }),
    ).toThrow(BadUserInputError);
  });
});

describe('IncidentView', () => {
  it('keeps the newest snapshot, ignores an older one, and drops the least recently changed', () => {
    const view = new IncidentView(2);
    const [a, b, c] = seed.incidents.slice(0, 3).map((i) => structuredClone(i));
    const first = (i: Incident): IncidentChange => ({
      kind: 'CREATED',
      changedFields: [],
      incident: i,
    });
    expect(view.observe({ ...a!, lastStateUpdateTime: at(2000) }, first, 'poll')?.kind).toBe(
      'CREATED',
    );
    expect(view.watermark).toBe(2000);
    // Older than what the view holds (a poll that overlapped a mutation): ignored.
    expect(view.observe({ ...a!, lastStateUpdateTime: at(1000), name: 'old' }, first, 'poll')).toBe(
      undefined,
    );
    expect(
      view.observe({ ...a!, lastStateUpdateTime: at(3000), name: 'new' }, first, 'poll')
        ?.changedFields,
    ).toEqual(['name', 'lastStateUpdateTime']);
    view.remember({ ...b!, lastStateUpdateTime: at(100) }, 'poll');
    view.remember({ ...c!, lastStateUpdateTime: at(100) }, 'poll');
    expect(view.size).toBe(2);
    expect(view.has(a!.id)).toBe(false);
    expect(view.watermark).toBe(3000);
  });

  it('moves its watermark only for what polls saw, not for a mutation’s snapshot', () => {
    const view = new IncidentView();
    const [a, b] = seed.incidents.slice(0, 2).map((i) => structuredClone(i));
    view.remember({ ...a!, lastStateUpdateTime: at(1000) }, 'poll');
    const byWrite = (i: Incident) => changeByWrite('acknowledge', i);
    expect(view.observe({ ...b!, lastStateUpdateTime: at(5000) }, byWrite, 'mutation')).toEqual(
      expect.objectContaining({ kind: 'UPDATED' }),
    );
    expect(view.has(b!.id)).toBe(true);
    expect(view.watermark).toBe(1000);
  });
});

describe('Poller', () => {
  /** Incidents by last state update, newest first, served in pages like Coralogix. */
  function upstream(count: number) {
    const incidents = seed.incidents
      .slice(0, count)
      .map((i, n) => ({ ...structuredClone(i), lastStateUpdateTime: at(T0 - n * 1000) }));
    const calls: ListIncidentsRequest[] = [];
    let failing = false;
    return {
      incidents,
      calls,
      fail: (on: boolean) => (failing = on),
      list: async (request: ListIncidentsRequest) => {
        calls.push(request);
        if (failing) throw new Error('down');
        const sorted = [...incidents].sort((x, y) =>
          y.lastStateUpdateTime.localeCompare(x.lastStateUpdateTime),
        );
        const offset = Number(request.pagination?.pageToken ?? 0);
        const size = request.pagination?.pageSize ?? 50;
        const next = offset + size < sorted.length ? String(offset + size) : undefined;
        return {
          incidents: sorted.slice(offset, offset + size),
          pagination: { totalSize: sorted.length, ...(next ? { nextPageToken: next } : {}) },
        };
      },
    };
  }

  function start(source: ReturnType<typeof upstream>) {
    const published: IncidentChange[][] = [];
    /** How many list calls had been made when each batch was published. */
    const callsAt: number[] = [];
    const view = new IncidentView();
    const logger = pino({ level: 'silent' });
    const poller = new Poller({
      intervalMs: 100,
      feeds: [
        familyFeed({
          family: INCIDENT_LIVE,
          view: () => view,
          page: async (pageSize, pageToken) => {
            const response = await source.list({
              orderBys: INCIDENT_POLL_ORDER,
              pagination: { pageSize, ...(pageToken ? { pageToken } : {}) },
            });
            return { records: response.incidents, ...response.pagination };
          },
          publish: (changes) => {
            published.push(changes);
            callsAt.push(source.calls.length);
          },
          active: () => true,
          leads: () => true,
          logger,
        }),
      ],
      onPolled: () => undefined,
      logger,
    });
    poller.start();
    return { poller, published, callsAt, view };
  }

  it('takes a baseline of every incident at the newest time, so a bulk change before it is no event', async () => {
    const source = upstream(300);
    // One bulk assign of 100 incidents just before the first subscriber: one timestamp for all.
    const assigned = seed.incidents.find((i) => i.assignments.length > 0)!;
    const bulk = source.incidents.slice(0, 100);
    for (const incident of bulk) {
      incident.assignments = structuredClone(assigned.assignments);
      incident.lastStateUpdateTime = at(T0 + 60_000);
    }
    const { poller, published } = start(source);
    try {
      await waitFor('the baseline', () => poller.health().lastSuccessAt !== undefined);
      const baseline = source.calls.length;
      // The baseline read every page tied at the newest time (two), and the one after.
      expect(baseline).toBe(3);
      await waitFor('two more looks', () => source.calls.length >= baseline + 6);
      expect(published).toEqual([]);

      // A real change of one of them afterwards is one event, with what changed
      // (a new object: the view holds the one the list returned).
      const acknowledged = {
        ...structuredClone(bulk[70]!),
        status: 'INCIDENT_STATUS_ACKNOWLEDGED' as const,
        lastStateUpdateTime: at(T0 + 61_000),
      };
      source.incidents[70] = acknowledged;
      await waitFor('the change', () => published.length >= 1);
      expect(published).toEqual([
        [expect.objectContaining({ kind: 'UPDATED', incident: acknowledged })],
      ]);
      expect(published[0]![0]!.changedFields).toEqual(['status', 'lastStateUpdateTime']);
    } finally {
      poller.stop();
    }
  });

  it('still reports a change made just before a gateway write to another incident', async () => {
    const source = upstream(300);
    const { poller, published, view } = start(source);
    try {
      await waitFor('the baseline', () => poller.health().lastSuccessAt !== undefined);
      // Someone changes an incident the view does not hold; then the gateway writes another.
      const other = source.incidents[200]!;
      other.isMuted = !other.isMuted;
      other.lastStateUpdateTime = at(T0 + 10_000);
      const written = source.incidents[5]!;
      written.status = 'INCIDENT_STATUS_ACKNOWLEDGED';
      written.lastStateUpdateTime = at(T0 + 20_000);
      view.observe(structuredClone(written), (i) => changeByWrite('acknowledge', i), 'mutation');

      const looked = source.calls.length;
      await waitFor('two more looks', () => source.calls.length >= looked + 2);
      expect(published).toEqual([[expect.objectContaining({ kind: 'UPDATED', incident: other })]]);
    } finally {
      poller.stop();
    }
  });

  it('takes one page as a baseline, then pages back only as far as its last look', async () => {
    const source = upstream(300);
    const { poller, published, callsAt } = start(source);
    try {
      await waitFor('the baseline', () => source.calls.length >= 1);
      expect(source.calls[0]).toMatchObject({
        orderBys: [
          {
            incidentField: 'INCIDENTS_FIELDS_LAST_STATE_UPDATE_TIME',
            direction: 'ORDER_BY_DIRECTION_DESC',
          },
        ],
        pagination: { pageSize: POLL_PAGE_SIZE },
      });
      // 60 incidents change at once: the next look reads two pages, then stops.
      for (const incident of source.incidents.slice(100, 160)) {
        incident.status = 'INCIDENT_STATUS_RESOLVED';
        incident.lastStateUpdateTime = at(T0 + 60_000 + source.incidents.indexOf(incident));
      }
      await waitFor('a look that published', () => published.length >= 1);
      expect(published).toHaveLength(1);
      const changed = published[0]!;
      expect(changed).toHaveLength(60);
      // Oldest change first; none of them was in the view, so nothing is known of what changed.
      expect(changed[0]!.incident.id).toBe(source.incidents[100]!.id);
      expect(changed.every((c) => c.kind === 'UPDATED' && c.changedFields.length === 0)).toBe(true);
      // That look: the first page, then the second (where older incidents begin), no third.
      const calls = source.calls.slice(0, callsAt[0]);
      expect(calls.at(-1)?.pagination?.pageToken).toBe('50');
      expect(calls.at(-2)?.pagination?.pageToken).toBeUndefined();
      // The baseline was one page.
      expect(source.calls[1]?.pagination?.pageToken).toBeUndefined();
    } finally {
      poller.stop();
    }
  });

  it('reads at most POLL_MAX_PAGES pages in one look', async () => {
    const source = upstream(300);
    const { poller, published } = start(source);
    try {
      await waitFor('the baseline', () => source.calls.length >= 1);
      for (const incident of source.incidents) {
        incident.lastStateUpdateTime = at(T0 + 60_000 + source.incidents.indexOf(incident));
        incident.isMuted = !incident.isMuted;
      }
      await waitFor('a look that published', () => published.length >= 1);
      expect(published[0]).toHaveLength(POLL_MAX_PAGES * POLL_PAGE_SIZE);
    } finally {
      poller.stop();
    }
  });

  it('backs off after failures and recovers without a restart', async () => {
    const source = upstream(10);
    const { poller } = start(source);
    try {
      await waitFor('the baseline', () => source.calls.length >= 1);
      source.fail(true);
      await waitFor('two failures', () => poller.health().consecutiveFailures >= 2);
      expect(poller.health()).toMatchObject({
        state: 'backing-off',
        lastErrorCode: 'INTERNAL_SERVER_ERROR',
      });
      source.fail(false);
      await waitFor('a success', () => poller.health().consecutiveFailures === 0);
      expect(poller.health().state).toBe('polling');
    } finally {
      poller.stop();
    }
    expect(poller.health().state).toBe('idle');
  });

  it('waits longer after each failure, up to a bound', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(5000, n))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(backoffMs(5000, 30)).toBe(60_000);
    expect(backoffMs(120_000, 3)).toBe(120_000);
  });
});

describe('Subscriber', () => {
  const delivery = (released: string[], name: string): Delivery => ({
    change: { kind: 'UPDATED', changedFields: [], incident: base() },
    context: () => {
      throw new Error('not needed');
    },
    release: () => released.push(name),
  });
  const connection = (backlog: () => number) => {
    const drops: string[] = [];
    const value: LiveConnection = {
      transport: 'ws',
      backlogBytes: backlog,
      drop: (r) => drops.push(r),
    };
    return { value, drops };
  };

  it('hands events to a waiting reader and ends on return()', async () => {
    const ended: boolean[] = [];
    const { value } = connection(() => 0);
    const subscriber = new Subscriber(
      () => true,
      value,
      { maxQueuedEvents: 2, maxBufferedBytes: 10 },
      (_, slow) => ended.push(slow),
    );
    const next = subscriber.next();
    const released: string[] = [];
    subscriber.push([delivery(released, 'a')]);
    expect((await next).value?.change.kind).toBe('UPDATED');
    const pending = subscriber.next();
    await subscriber.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    subscriber.push([delivery(released, 'late')]);
    expect(released).toEqual(['late']);
    expect(ended).toEqual([false]);
  });

  it('drops a slow consumer past the queue bound, releasing what waited', () => {
    const released: string[] = [];
    const ended: boolean[] = [];
    const { value, drops } = connection(() => 0);
    const subscriber = new Subscriber(
      () => true,
      value,
      { maxQueuedEvents: 2, maxBufferedBytes: 10 },
      (_, slow) => ended.push(slow),
    );
    for (const name of ['a', 'b', 'c', 'd']) subscriber.push([delivery(released, name)]);
    expect(drops).toEqual([
      'Slow consumer: 3 events waiting; read events as they come, then reconnect.',
    ]);
    expect(released).toEqual(['a', 'b', 'c', 'd']);
    expect(ended).toEqual([true]);
  });

  it('drops a slow consumer whose connection holds too many unsent bytes', () => {
    const { value, drops } = connection(() => 11);
    const subscriber = new Subscriber(
      () => true,
      value,
      { maxQueuedEvents: 100, maxBufferedBytes: 10 },
      () => undefined,
    );
    subscriber.push([delivery([], 'a')]);
    expect(drops[0]).toMatch(/^Slow consumer: over 10 bytes waiting/);
  });
});

describe('connection headers', () => {
  it('keeps only the token, forwarded keys and trace context; connection_init wins', () => {
    expect(
      connectionHeaders(
        { authorization: 'Bearer upgrade', cookie: 'secret=1', traceparent: 't' },
        { Authorization: 'Bearer init', headers: { 'X-Coralogix-Api-Key': 'cx' }, other: 'x' },
      ),
    ).toEqual({ authorization: 'Bearer init', 'x-coralogix-api-key': 'cx', traceparent: 't' });
    expect(requestHeaders({ authorization: 'Bearer a', cookie: 'c' })).toEqual({
      authorization: 'Bearer a',
    });
  });
});

describe('lease timing and close reasons', () => {
  it('lets another replica take a dead holder’s lease within two intervals', () => {
    for (const interval of [100, 150, 5000, 60_000]) {
      const { ttlMs, renewMs } = leaseTiming(interval);
      expect(ttlMs + renewMs).toBeLessThanOrEqual(2 * interval);
      // A holder renews at least twice per lifetime: one late renewal does not lose the lease.
      expect(renewMs * 2).toBeLessThan(ttlMs);
    }
  });

  it('keeps WebSocket close reasons within 123 bytes', () => {
    expect(closeReason('short')).toBe('short');
    expect(Buffer.byteLength(closeReason('é'.repeat(200)))).toBeLessThanOrEqual(123);
  });
});
