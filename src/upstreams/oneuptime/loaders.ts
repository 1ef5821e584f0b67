/**
 * Per-request OneUptime loaders. Joins by incident id make one `get-list` per
 * resource per tick (`query: {"incidentId": [ids…]}`, chunked at 100 ids and
 * paged at 100 rows); lookups by id use the same call with `_id`.
 */
import type { CallOptions, ListOptions, OneUptimeClient } from './client.js';
import { ColumnLoader } from './columnLoader.js';
import { NO_TAGS, TAG } from '../../sharedCache/cacheTags.js';
import type { LoaderOptions } from '../upstream.js';
import {
  RESOURCES,
  selectOf,
  type IncidentRoleRecord,
  type OneUptimeResource,
  type RecordOf,
  type StateTimelineRecord,
} from './resources.js';
import type { Query } from './types.js';

const columnsOf = (resource: OneUptimeResource) => RESOURCES[resource].columnNames;
const sortOf = (resource: OneUptimeResource) => RESOURCES[resource].sort;

export type OneUptimeLoaders = ReturnType<typeof createOneUptimeLoaders>;

export function createOneUptimeLoaders(
  client: OneUptimeClient,
  call: CallOptions,
  options: LoaderOptions = {},
) {
  const batching = options.batch !== false;
  const tags = options.tags ?? NO_TAGS;
  /** Roles are one project-wide set; timeline entries and SLAs belong to an incident. */
  const readRows = (resource: OneUptimeResource, rows: ReadonlyArray<object>) => {
    if (resource === 'incident-role') return tags.read(TAG.roles);
    for (const row of rows) {
      const { incidentId } = row as { incidentId?: string };
      if (incidentId) tags.read(TAG.incident(incidentId));
    }
  };

  /** Rows grouped by a join column, one (possibly empty) list per key, in the list order. */
  const byColumn = <R extends 'incident-state-timeline' | 'incident-sla'>(
    resource: R,
    column: 'incidentId',
  ) =>
    new ColumnLoader<Array<RecordOf<R>>>(
      async (ids, columns) => {
        for (const id of ids) tags.read(TAG.incident(id));
        const rows = await client.listByIds(
          resource,
          column,
          ids,
          // The join key is always selected: rows are grouped by it.
          { select: selectOf(resource, [...columns, column]), sort: sortOf(resource) },
          call,
        );
        const groups = new Map<string, Array<RecordOf<R>>>(ids.map((id) => [id, []]));
        // Rows whose join value was not asked for are dropped (guards against an ignored IN query).
        for (const row of rows) {
          groups.get(String((row as { incidentId?: string })[column]))?.push(row);
        }
        return ids.map((id) => groups.get(id) ?? []);
      },
      { batch: batching, allColumns: columnsOf(resource) },
    );

  const byId = <R extends OneUptimeResource>(resource: R) =>
    new ColumnLoader<RecordOf<R> | null>(
      async (ids, columns) => {
        const select = selectOf(resource, columns);
        const rows = await client.listByIds(resource, '_id', ids, { select }, call);
        // A missing id stays missing (ids are assigned on create); found rows tag what they belong to.
        readRows(resource, rows);
        const found = new Map(rows.map((row) => [row._id, row]));
        return ids.map((id) => found.get(id) ?? null);
      },
      { batch: batching, allColumns: columnsOf(resource) },
    );

  const timelineById = byId('incident-state-timeline');
  const roleById = byId('incident-role');
  const slaById = byId('incident-sla');
  const remember = <T extends { _id: string }>(
    loader: ColumnLoader<T | null>,
    rows: T[],
    columns: readonly string[],
  ) => {
    for (const row of rows) loader.prime(row._id, row, columns);
  };

  return {
    timelinesByIncident: byColumn('incident-state-timeline', 'incidentId'),
    slasByIncident: byColumn('incident-sla', 'incidentId'),
    timelineById,
    roleById,
    slaById,

    /** One page of a resource with the given columns (all by default), priming the by-id loader. */
    async list<R extends OneUptimeResource>(
      resource: R,
      page: Pick<ListOptions, 'query' | 'skip' | 'limit'>,
      columns: readonly string[] = columnsOf(resource),
    ) {
      tags.read(TAG.list(resource));
      const response = await client.list(
        resource,
        { select: selectOf(resource, columns), sort: sortOf(resource), ...page },
        call,
      );
      const loader = {
        'incident-state-timeline': timelineById,
        'incident-role': roleById,
        'incident-sla': slaById,
      }[resource] as ColumnLoader<RecordOf<R> | null>;
      remember(loader, response.data, columns);
      readRows(resource, response.data);
      return response;
    },

    count(resource: OneUptimeResource, query: Query): Promise<number> {
      tags.read(TAG.list(resource));
      return client.count(resource, query, call);
    },

    async createTimeline(data: Record<string, unknown>): Promise<StateTimelineRecord> {
      tags.wrote(TAG.list('incident-state-timeline'));
      tags.wrote(TAG.incident(String(data.incidentId)));
      const created = await client.create('incident-state-timeline', data, call);
      remember(timelineById, [created], columnsOf('incident-state-timeline'));
      return created;
    },

    async createRole(data: Record<string, unknown>): Promise<IncidentRoleRecord> {
      tags.wrote(TAG.roles);
      tags.wrote(TAG.list('incident-role'));
      const created = await client.create('incident-role', data, call);
      remember(roleById, [created], columnsOf('incident-role'));
      return created;
    },

    /** PUT answers `{}`, so the updated role is read back fresh. */
    async updateRole(
      id: string,
      data: Record<string, unknown>,
    ): Promise<IncidentRoleRecord | null> {
      tags.wrote(TAG.roles);
      tags.wrote(TAG.list('incident-role'));
      await client.update('incident-role', id, data, call);
      roleById.clear(id);
      return client.getItem('incident-role', id, selectOf('incident-role'), call);
    },

    async deleteRole(id: string): Promise<void> {
      tags.wrote(TAG.roles);
      tags.wrote(TAG.list('incident-role'));
      await client.delete('incident-role', id, call);
      roleById.clear(id);
    },
  };
}
