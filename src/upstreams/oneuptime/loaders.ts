/**
 * Per-request OneUptime loaders. Joins by OneUptime incident id make one
 * `get-list` per resource per tick (`query: {"incidentId": [ids…]}`, chunked
 * at 100 ids and paged at 1000 rows); lookups by id use the same call with
 * `_id`. The project's states and severities are read once per request.
 */
import DataLoader from 'dataloader';
import { NotFoundError, readAfterWrite } from '../../errors.js';
import type { CallOptions, ListOptions, OneUptimeClient } from './client.js';
import { ColumnLoader } from './columnLoader.js';
import { NO_TAGS, TAG } from '../../sharedCache/cacheTags.js';
import type { LoaderOptions } from '../upstream.js';
import {
  RESOURCES,
  selectOf,
  type IncidentMemberRecord,
  type IncidentRoleRecord,
  type OneUptimeIncidentRecord,
  type OneUptimeResource,
  type RecordOf,
  type StateTimelineRecord,
} from './resources.js';
import type { Query } from './types.js';

const columnsOf = (resource: OneUptimeResource) => RESOURCES[resource].columnNames;
const sortOf = (resource: OneUptimeResource) => RESOURCES[resource].sort;

/** Resources read by id (the project-wide states and severities are read whole instead). */
const BY_ID = [
  'incident',
  'incident-state-timeline',
  'incident-role',
  'incident-sla',
  'incident-member',
] as const;
type ByIdResource = (typeof BY_ID)[number];
const isById = (resource: OneUptimeResource): resource is ByIdResource =>
  (BY_ID as readonly string[]).includes(resource);

/** Resources that belong to one OneUptime incident through `incidentId`. */
type ChildResource = 'incident-state-timeline' | 'incident-sla' | 'incident-member';
const isChild = (resource: OneUptimeResource): resource is ChildResource =>
  resource === 'incident-state-timeline' ||
  resource === 'incident-sla' ||
  resource === 'incident-member';

/** Most rows a project-wide list (states, severities) is read with. */
const PROJECT_LIST_LIMIT = 1000;

export type OneUptimeLoaders = ReturnType<typeof createOneUptimeLoaders>;

export function createOneUptimeLoaders(
  client: OneUptimeClient,
  call: CallOptions,
  options: LoaderOptions = {},
) {
  const batching = options.batch !== false;
  const tags = options.tags ?? NO_TAGS;
  /** Roles, states and severities are project-wide sets; the rest belong to an incident. */
  const readRows = (resource: OneUptimeResource, rows: ReadonlyArray<object>) => {
    if (!isChild(resource)) {
      if (resource !== 'incident') return tags.read(TAG.list(resource));
      for (const row of rows) tags.read(TAG.incident((row as { _id: string })._id));
      return;
    }
    for (const row of rows) {
      const { incidentId } = row as { incidentId?: string | null };
      if (incidentId) tags.read(TAG.incident(incidentId));
    }
  };

  /** Rows grouped by their OneUptime incident, one (possibly empty) list per id, in list order. */
  const byIncident = <R extends ChildResource>(resource: R) =>
    new ColumnLoader<Array<RecordOf<R>>>(
      async (ids, columns) => {
        for (const id of ids) tags.read(TAG.incident(id));
        const rows = await client.listByIds(
          resource,
          'incidentId',
          ids,
          // The join key is always selected: rows are grouped by it.
          { select: selectOf(resource, [...columns, 'incidentId']), sort: sortOf(resource) },
          call,
        );
        const groups = new Map<string, Array<RecordOf<R>>>(ids.map((id) => [id, []]));
        // Rows whose join value was not asked for are dropped (guards against an ignored IN query).
        for (const row of rows) groups.get(String(row.incidentId))?.push(row);
        return ids.map((id) => groups.get(id) ?? []);
      },
      { batch: batching, allColumns: columnsOf(resource) },
    );

  const byId = <R extends ByIdResource>(resource: R) =>
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

  const byIdLoaders = {
    incident: byId('incident'),
    'incident-state-timeline': byId('incident-state-timeline'),
    'incident-role': byId('incident-role'),
    'incident-sla': byId('incident-sla'),
    'incident-member': byId('incident-member'),
  };

  /** The whole project-wide list of a resource, read once per request. */
  const projectList = <R extends 'incident-state' | 'incident-severity'>(resource: R) =>
    new DataLoader<'all', Array<RecordOf<R>>>(
      async (keys) => {
        const { data } = await client.list(
          resource,
          { select: selectOf(resource), sort: sortOf(resource), limit: PROJECT_LIST_LIMIT },
          call,
        );
        readRows(resource, data);
        return keys.map(() => data);
      },
      { batch: batching, cache: batching },
    );

  const remember = <R extends ByIdResource>(
    resource: R,
    rows: Array<RecordOf<R>>,
    columns: readonly string[] = columnsOf(resource),
  ) => {
    const loader = byIdLoaders[resource] as ColumnLoader<RecordOf<R> | null>;
    for (const row of rows) loader.prime(row._id, row, columns);
  };

  /** Recorded before the call: a write that fails after reaching OneUptime may have applied. */
  const wrote = (...written: string[]) => {
    for (const tag of written) tags.wrote(tag);
  };

  return {
    timelinesByIncident: byIncident('incident-state-timeline'),
    slasByIncident: byIncident('incident-sla'),
    membersByIncident: byIncident('incident-member'),
    incidentById: byIdLoaders.incident,
    timelineById: byIdLoaders['incident-state-timeline'],
    roleById: byIdLoaders['incident-role'],
    slaById: byIdLoaders['incident-sla'],
    memberById: byIdLoaders['incident-member'],
    states: projectList('incident-state'),
    severities: projectList('incident-severity'),
    remember,

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
      if (isById(resource)) remember(resource, response.data as never[], columns);
      readRows(resource, response.data);
      return response;
    },

    count(resource: OneUptimeResource, query: Query): Promise<number> {
      tags.read(TAG.list(resource));
      return client.count(resource, query, call);
    },

    async createTimeline(data: Record<string, unknown>): Promise<StateTimelineRecord> {
      wrote(TAG.list('incident-state-timeline'), TAG.incident(String(data.incidentId)));
      const created = await client.create('incident-state-timeline', data, call);
      remember('incident-state-timeline', [created]);
      // OneUptime moves the incident's current state with the new entry.
      byIdLoaders.incident.clear(String(data.incidentId));
      return created;
    },

    async createIncident(data: Record<string, unknown>): Promise<OneUptimeIncidentRecord> {
      wrote(TAG.list('incident'));
      const created = await client.create('incident', data, call);
      remember('incident', [created]);
      return created;
    },

    /** PUT writes the whole `customFields` value: callers merge before they write. */
    async updateIncident(id: string, data: Record<string, unknown>): Promise<void> {
      wrote(TAG.list('incident'), TAG.incident(id));
      byIdLoaders.incident.clear(id);
      await client.update('incident', id, data, call);
    },

    /**
     * The members holding a role on an incident, as OneUptime has them now
     * (never a cached answer: checked before a write).
     */
    async holders(incidentId: string, incidentRoleId: string): Promise<IncidentMemberRecord[]> {
      return client.listAll(
        'incident-member',
        {
          select: selectOf('incident-member'),
          query: { incidentId, incidentRoleId },
          sort: sortOf('incident-member'),
        },
        call,
      );
    },

    async createMember(data: Record<string, unknown>): Promise<IncidentMemberRecord> {
      wrote(TAG.list('incident-member'), TAG.incident(String(data.incidentId)));
      const created = await client.create('incident-member', data, call);
      remember('incident-member', [created]);
      return created;
    },

    async deleteMember(member: IncidentMemberRecord): Promise<void> {
      wrote(TAG.list('incident-member'), TAG.incident(String(member.incidentId)));
      await client.delete('incident-member', member._id, call);
      byIdLoaders['incident-member'].clear(member._id);
    },

    async createRole(data: Record<string, unknown>): Promise<IncidentRoleRecord> {
      wrote(TAG.roles, TAG.list('incident-role'));
      const created = await client.create('incident-role', data, call);
      remember('incident-role', [created]);
      return created;
    },

    /**
     * PUT answers `{}`, so the updated role is read back fresh. The update has
     * persisted by then: a read-back that fails or finds no role says so
     * (`extensions.applied`), so a client does not take it for a failed update.
     */
    async updateRole(id: string, data: Record<string, unknown>): Promise<IncidentRoleRecord> {
      wrote(TAG.roles, TAG.list('incident-role'));
      await client.update('incident-role', id, data, call);
      byIdLoaders['incident-role'].clear(id);
      const fields = Object.keys(data);
      const written = `Incident role "${id}" was updated (${fields.join(', ')}).`;
      const applied = { updatedIncidentRoleId: id, updatedFields: fields };
      const role = await readAfterWrite(
        () => client.getItem('incident-role', id, selectOf('incident-role'), call),
        written,
        applied,
      );
      if (!role) {
        throw new NotFoundError(`${written} Reading it back found no role: it was deleted since.`, {
          applied,
        });
      }
      return role;
    },

    async deleteRole(id: string): Promise<void> {
      wrote(TAG.roles, TAG.list('incident-role'));
      await client.delete('incident-role', id, call);
      byIdLoaders['incident-role'].clear(id);
    },
  };
}
