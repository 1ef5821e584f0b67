/**
 * Per-request Coralogix loaders: incidents by id through the batch get
 * (one call per tick, chunked by URL length), plus list and write helpers that keep
 * the loader's cache in step with what they return, and the event feed's
 * loaders (`eventLoaders.ts`).
 */
import DataLoader from 'dataloader';
import type { CallOptions, CoralogixClient, IncidentAction } from './client.js';
import { NO_TAGS, TAG } from '../../../sharedCache/cacheTags.js';
import type { LoaderOptions } from '../../upstream.js';
import { createEventLoaders } from './eventLoaders.js';
import type {
  EventFeed,
  FilterValues,
  IncidentEventQueryFilter,
  ListIncidentEventsRequest,
} from './eventTypes.js';
import type {
  Incident,
  IncidentQueryFilter,
  ListIncidentsRequest,
  ListIncidentsResponse,
} from './types.js';

export type CoralogixLoaders = ReturnType<typeof createCoralogixLoaders>;

export function createCoralogixLoaders(
  client: CoralogixClient,
  call: CallOptions,
  options: LoaderOptions = {},
) {
  const batching = options.batch !== false;
  const tags = options.tags ?? NO_TAGS;
  const incident = new DataLoader<string, Incident | null>(
    async (ids) => {
      for (const id of ids) tags.read(TAG.incident(id));
      const { incidents } = await client.batchGet([...ids], call);
      // The answer is a map keyed by (lower-cased) id; ids in `notFoundIds` are null.
      return ids.map((id) => {
        const key = id.toLowerCase();
        return Object.hasOwn(incidents, key) ? (incidents[key] ?? null) : null;
      });
    },
    { batch: batching, cache: batching, maxBatchSize: 1000 },
  );

  const remember = (incidents: Incident[]) => {
    for (const item of incidents) tags.read(TAG.incident(item.id));
    if (!batching) return;
    for (const item of incidents) incident.clear(item.id).prime(item.id, item);
  };

  /** Recorded before the call: a write that fails after reaching Coralogix may still have applied. */
  const wrote = (incidentIds: string[]) => {
    tags.wrote(TAG.incidentLists);
    for (const id of incidentIds) tags.wrote(TAG.incident(id));
  };

  return {
    incident,
    ...createEventLoaders(client, call, {
      batch: batching,
      remember,
      readFeed: () => tags.read(TAG.incidentLists),
    }),

    /** One page of the event feed; any Coralogix write may change it. */
    eventPage(request: ListIncidentEventsRequest): Promise<EventFeed> {
      tags.read(TAG.incidentLists);
      return client.listEvents(request, call);
    },

    eventCount(filter: IncidentEventQueryFilter): Promise<number> {
      tags.read(TAG.incidentLists);
      return client.countEvents(filter, call);
    },

    filterValues(filter: IncidentQueryFilter): Promise<FilterValues> {
      tags.read(TAG.incidentLists);
      return client.filterValues(filter, call);
    },

    async list(request: ListIncidentsRequest): Promise<ListIncidentsResponse> {
      tags.read(TAG.incidentLists);
      const response = await client.list(request, call);
      remember(response.incidents);
      return response;
    },

    async assign(incidentIds: string[], userId: string): Promise<Incident[]> {
      wrote(incidentIds);
      const incidents = await client.assign({ incidentIds, assignedTo: { userId } }, call);
      remember(incidents);
      return incidents;
    },

    async act(action: IncidentAction, incidentIds: string[]): Promise<Incident[]> {
      wrote(incidentIds);
      const incidents = await client.act(action, incidentIds, call);
      remember(incidents);
      return incidents;
    },
  };
}
