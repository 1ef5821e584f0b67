/**
 * Per-request Coralogix loaders: incidents by id through `incidents:batchGet`
 * (one call per tick, ≤ 100 ids each), plus list and write helpers that keep
 * the loader's cache in step with what they return.
 */
import DataLoader from 'dataloader';
import type { CallOptions, CoralogixClient, IncidentAction } from './client.js';
import type { Incident, ListIncidentsRequest, ListIncidentsResponse } from './types.js';

export interface LoaderOptions {
  /** `false` turns batching and caching off (the naive baseline of the bench). */
  batch?: boolean;
}

export type CoralogixLoaders = ReturnType<typeof createCoralogixLoaders>;

export function createCoralogixLoaders(
  client: CoralogixClient,
  call: CallOptions,
  options: LoaderOptions = {},
) {
  const batching = options.batch !== false;
  const incident = new DataLoader<string, Incident | null>(
    async (ids) => {
      const { incidents } = await client.batchGet([...ids], call);
      // The response is a map keyed by id; ids in `notFoundIds` (or simply absent) are null.
      return ids.map((id) => (Object.hasOwn(incidents, id) ? (incidents[id] ?? null) : null));
    },
    { batch: batching, cache: batching, maxBatchSize: 1000 },
  );

  const remember = (incidents: Incident[]) => {
    if (!batching) return;
    for (const item of incidents) incident.clear(item.id).prime(item.id, item);
  };

  return {
    incident,

    async list(request: ListIncidentsRequest): Promise<ListIncidentsResponse> {
      const response = await client.list(request, call);
      remember(response.incidents);
      return response;
    },

    async assign(incidentIds: string[], userId: string): Promise<Incident[]> {
      const incidents = await client.assign({ incidentIds, assignedTo: { userId } }, call);
      remember(incidents);
      return incidents;
    },

    async act(action: IncidentAction, incidentIds: string[]): Promise<Incident[]> {
      const incidents = await client.act(action, incidentIds, call);
      remember(incidents);
      return incidents;
    },
  };
}
