/**
 * Per-request loaders over Coralogix's event feed:
 *
 * - `incidentByEvent`: the incident of a feed item. Feed items carry no
 *   incident id, so this cannot be one call: each distinct event is looked up
 *   with `GET /incidents/events/v1/{cxEventKey}` (GetIncidentByEventId). Items
 *   of one alert permutation usually share an incident, so the first round
 *   asks once per (alertId, permutation); an item whose event the fetched
 *   incident lists needs no call of its own, the rest are asked in a second
 *   round. At most one call per distinct key of the page (≤ `first` ≤ 100),
 *   in at most two rounds. Every incident found primes the incident loader.
 * - `instants`: when the embedded events of incidents happened. One feed query
 *   covers the windows (`createdAt` … `closedAt` or now) of all incidents of
 *   one level, narrowed to their name when they share one, read oldest first
 *   and stopped as soon as every event is found, after at most
 *   MAX_INSTANT_PAGES pages of INSTANT_PAGE_SIZE items.
 */
import DataLoader from 'dataloader';
import type { CallOptions, CoralogixClient } from './client.js';
import type { CheckedEventItem } from './check.js';
import type { IncidentEventQueryFilter } from './eventTypes.js';
import type { Incident } from './types.js';

/** The most the feed answers per page for this operation (the SDK's doc comment). */
export const INSTANT_PAGE_SIZE = 1000;
/** Sequential feed pages one level's timelines may read. */
export const MAX_INSTANT_PAGES = 3;
/** Past `closedAt` / now, so clock skew and a half-open window never drop the last event. */
const WINDOW_MARGIN_MS = 60_000;
const EARLIEST = '1970-01-01T00:00:00.000Z';

/** A feed item, as far as finding its incident needs. */
export interface EventRef {
  cxEventKey: string;
  eventId: string;
  /** Items likely to share an incident share this (alert id and permutation). */
  group: string;
}

export function eventRefOf(item: CheckedEventItem): EventRef {
  const meta = item.incidentEventExtendedMetadata;
  const group = meta?.alertId
    ? JSON.stringify([meta.alertId, Object.entries(meta.incidentPermutation ?? {}).sort()])
    : item.cxEventKey;
  return { cxEventKey: item.cxEventKey, eventId: item.incidentEvent.id, group };
}

/** An event's instant and key, as the feed gave them. */
export interface EventInstant {
  at: string;
  cxEventKey: string;
}

export function createEventLoaders(
  client: CoralogixClient,
  call: CallOptions,
  options: {
    batch: boolean;
    remember: (incidents: Incident[]) => void;
    /** Called when the feed is read (for the shared response cache). */
    readFeed: () => void;
    now?: () => number;
  },
) {
  const now = options.now ?? Date.now;

  const incidentByEvent = new DataLoader<EventRef, Incident | null, string>(
    async (refs) => {
      const byKey = new Map<string, Incident | null>();
      const byEventId = new Map<string, Incident>();
      const fetch = async (key: string) => {
        const incident = await client.incidentByEvent(key, call);
        byKey.set(key, incident);
        if (!incident) return;
        options.remember([incident]);
        for (const event of incident.events) if (event.id) byEventId.set(event.id, incident);
      };
      const firstOfGroup = new Map<string, string>();
      for (const ref of refs)
        if (!firstOfGroup.has(ref.group)) firstOfGroup.set(ref.group, ref.cxEventKey);
      await Promise.all([...firstOfGroup.values()].map(fetch));
      const rest = new Set(
        refs
          .filter((ref) => !byKey.has(ref.cxEventKey) && !byEventId.has(ref.eventId))
          .map((ref) => ref.cxEventKey),
      );
      await Promise.all([...rest].map(fetch));
      return refs.map((ref) => byKey.get(ref.cxEventKey) ?? byEventId.get(ref.eventId) ?? null);
    },
    {
      batch: options.batch,
      cache: options.batch,
      cacheKeyFn: (ref) => ref.cxEventKey,
      maxBatchSize: 100,
    },
  );

  const instants = new DataLoader<Incident, Map<string, EventInstant>, string>(
    async (incidents) => {
      const wanted = new Map<string, string>();
      for (const incident of incidents) {
        for (const event of incident.events) if (event.id) wanted.set(event.id, incident.id);
      }
      const found = new Map<string, Map<string, EventInstant>>(
        incidents.map((incident) => [incident.id, new Map()]),
      );
      if (wanted.size > 0) {
        options.readFeed();
        const filter = windowFilter(
          incidents.filter((i) => i.events.length > 0),
          now(),
        );
        let remaining = wanted.size;
        let token: string | undefined;
        for (let page = 0; page < MAX_INSTANT_PAGES && remaining > 0; page++) {
          const response = await client.listEvents(
            {
              filter,
              pagination: { pageSize: INSTANT_PAGE_SIZE, ...(token ? { pageToken: token } : {}) },
              order_by: { direction: 'ORDER_BY_DIRECTION_ASC' },
            },
            call,
          );
          for (const item of response.items) {
            const owner = wanted.get(item.incidentEvent.id);
            const instants = owner ? found.get(owner) : undefined;
            if (!instants || instants.has(item.incidentEvent.id)) continue;
            instants.set(item.incidentEvent.id, {
              at: item.cxEventTimestamp,
              cxEventKey: item.cxEventKey,
            });
            remaining -= 1;
          }
          token = response.nextPageToken;
          if (!token) break;
        }
      }
      return incidents.map((incident) => found.get(incident.id) ?? new Map());
    },
    { batch: options.batch, cache: options.batch, cacheKeyFn: (incident) => incident.id },
  );

  return { incidentByEvent, instants };
}

/**
 * One window over all incidents: from the earliest `createdAt` to the latest
 * `closedAt` (now for an open one), plus a margin; their name when all share it.
 */
export function windowFilter(
  incidents: readonly Incident[],
  nowMs: number,
): IncidentEventQueryFilter {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const incident of incidents) {
    const created = Date.parse(incident.createdAt ?? '');
    start = Math.min(start, Number.isNaN(created) ? Date.parse(EARLIEST) : created);
    const closed = Date.parse(incident.closedAt ?? '');
    end = Math.max(end, Number.isNaN(closed) ? nowMs : closed);
  }
  const names = new Set(incidents.map((incident) => incident.name ?? ''));
  const [name] = names;
  return {
    timestamp: {
      startTime: new Date(start).toISOString(),
      endTime: new Date(end + WINDOW_MARGIN_MS).toISOString(),
    },
    ...(names.size === 1 && name ? { name } : {}),
  };
}
