/**
 * GraphQL filter inputs → upstream filters. Enum values already arrive as
 * upstream wire strings (codegen `enumValues` + the enum resolvers).
 */
import type {
  IncidentEventFilter,
  IncidentFilter,
  IncidentOrderBy,
  IncidentSlaFilter,
  OneUptimeIncidentFilter,
  StateTimelineFilter,
} from '../__generated__/resolvers-types.js';
import { BadUserInputError } from '../errors.js';
import type {
  IncidentFieldWire,
  IncidentQueryFilter,
  OrderBy,
} from '../upstreams/coralogix/incidents/types.js';
import type { IncidentEventQueryFilter } from '../upstreams/coralogix/incidents/eventTypes.js';
import { SLA_STATUSES, type Query, type SlaStatusWire } from '../upstreams/oneuptime/types.js';
import { checkIdFilter, checkUuid } from './validate.js';

const EARLIEST = '1970-01-01T00:00:00.000Z';
const LATEST = '9999-12-31T23:59:59.999Z';

/**
 * A time range filter as Coralogix takes it (an incident's TimeRange, a case's
 * DateRangeFilter): both ends required, so an open end becomes the epoch or the
 * far future. Undefined when the client gave neither end; BAD_USER_INPUT naming
 * the two arguments when the start is later than the end.
 */
export function closedRange(
  after: string | null | undefined,
  before: string | null | undefined,
  [afterName, beforeName]: readonly [string, string],
): { from: string; to: string } | undefined {
  if (!after && !before) return undefined;
  const from = after ?? EARLIEST;
  const to = before ?? LATEST;
  if (Date.parse(from) > Date.parse(to)) {
    throw new BadUserInputError(`"${afterName}" must not be later than "${beforeName}".`, {
      argumentName: 'filter',
    });
  }
  return { from, to };
}

const nonEmpty = <T>(values: readonly T[] | null | undefined): values is readonly T[] =>
  Array.isArray(values) && values.length > 0;

export function toCoralogixFilter(filter: IncidentFilter | null | undefined): IncidentQueryFilter {
  if (!filter) return {};
  const out: IncidentQueryFilter = {};
  if (nonEmpty(filter.severities)) out.severity = [...filter.severities];
  if (nonEmpty(filter.states)) out.state = [...filter.states];
  if (nonEmpty(filter.statuses)) out.status = [...filter.statuses];
  if (nonEmpty(filter.assigneeUserIds)) out.assignee = [...new Set(filter.assigneeUserIds)];
  const search = filter.search?.trim();
  if (search) out.searchQuery = { query: search, incidentField: 'INCIDENTS_FIELDS_NAME' };
  const created = closedRange(filter.createdAfter, filter.createdBefore, [
    'createdAfter',
    'createdBefore',
  ]);
  if (created) out.createdAtRange = { startTime: created.from, endTime: created.to };
  if (typeof filter.isMuted === 'boolean') out.isMuted = filter.isMuted;
  if (nonEmpty(filter.metaLabels)) {
    out.metaLabels = filter.metaLabels.map(({ key, value }) => ({ key, value }));
    out.metaLabelsOp = filter.metaLabelsMatchAll
      ? 'FILTER_OPERATOR_AND'
      : 'FILTER_OPERATOR_OR_OR_UNSPECIFIED';
  }
  return out;
}

/** `incidentEvents` filter → Coralogix's event filter (`IncidentEventQueryFilter`). */
export function toEventFilter(
  filter: IncidentEventFilter | null | undefined,
): IncidentEventQueryFilter {
  if (!filter) return {};
  const out: IncidentEventQueryFilter = {};
  if (nonEmpty(filter.severities)) out.severity = [...filter.severities];
  if (nonEmpty(filter.statuses)) out.status = [...filter.statuses];
  const name = filter.name?.trim();
  if (name) out.name = name;
  if (typeof filter.isMuted === 'boolean') out.isMuted = filter.isMuted;
  if (nonEmpty(filter.metaLabels)) {
    out.labels = {
      metaLabels: filter.metaLabels.map(({ key, value }) => ({ key, value })),
      operator: filter.metaLabelsMatchAll
        ? 'FILTER_OPERATOR_AND'
        : 'FILTER_OPERATOR_OR_OR_UNSPECIFIED',
    };
  }
  const occurred = closedRange(filter.occurredAfter, filter.occurredBefore, [
    'occurredAfter',
    'occurredBefore',
  ]);
  if (occurred) out.timestamp = { startTime: occurred.from, endTime: occurred.to };
  return out;
}

const ORDER_FIELDS: Record<IncidentOrderBy['field'], IncidentFieldWire> = {
  CREATED_AT: 'INCIDENTS_FIELDS_CREATED_TIME',
  NAME: 'INCIDENTS_FIELDS_NAME',
  SEVERITY: 'INCIDENTS_FIELDS_SEVERITY',
  STATE: 'INCIDENTS_FIELDS_STATE',
  STATUS: 'INCIDENTS_FIELDS_STATUS',
  CLOSED_AT: 'INCIDENTS_FIELDS_CLOSED_TIME',
  LAST_STATE_UPDATE_TIME: 'INCIDENTS_FIELDS_LAST_STATE_UPDATE_TIME',
  DURATION: 'INCIDENTS_FIELDS_DURATION',
};

/**
 * Newest first unless asked otherwise, then by id: `orderBys` is a list
 * (`incidentsv1OrderBy[]`, ../shared/upstreams/coralogix.md, ListIncidents),
 * and many incidents share a severity, state or status. Without a unique last
 * key the upstream may order ties differently between two reads of one page
 * token, and a cursor inside a page (read again with a larger page, the first
 * items dropped: lists.ts `tokenPage`) would skip or repeat them.
 */
export function toCoralogixOrder(orderBy: IncidentOrderBy | null | undefined): OrderBy[] {
  const field = ORDER_FIELDS[orderBy?.field ?? 'CREATED_AT'];
  const direction =
    (orderBy?.direction ?? 'DESC') === 'ASC' ? 'ORDER_BY_DIRECTION_ASC' : 'ORDER_BY_DIRECTION_DESC';
  return [
    { incidentField: field, direction },
    { incidentField: 'INCIDENTS_FIELDS_ID', direction: 'ORDER_BY_DIRECTION_ASC' },
  ];
}

/**
 * The OneUptime incidents a filter names, checked before any call: Coralogix
 * ids (resolved through the link later) and OneUptime ids. Undefined when the
 * filter names none (no restriction).
 */
export interface IncidentScope {
  coralogixIds?: string[];
  oneUptimeIds?: string[];
}

export function toIncidentScope(
  filter:
    | { incidentIds?: readonly string[] | null; oneUptimeIncidentIds?: readonly string[] | null }
    | null
    | undefined,
): IncidentScope | undefined {
  const scope: IncidentScope = {};
  if (nonEmpty(filter?.incidentIds)) {
    scope.coralogixIds = checkIdFilter(filter.incidentIds, 'filter.incidentIds');
  }
  if (nonEmpty(filter?.oneUptimeIncidentIds)) {
    scope.oneUptimeIds = checkIdFilter(filter.oneUptimeIncidentIds, 'filter.oneUptimeIncidentIds');
  }
  return scope.coralogixIds || scope.oneUptimeIds ? scope : undefined;
}

/** The bare-array IN form (`{"col": [..]}`), which the spec prefers over `{"_type":"Includes"}`. */
export function toSlaQuery(filter: IncidentSlaFilter | null | undefined): Query {
  const query: Query = {};
  if (nonEmpty(filter?.statuses)) query.status = slaStatusQuery(filter.statuses);
  return query;
}

export function toTimelineQuery(filter: StateTimelineFilter | null | undefined): Query {
  const query: Query = {};
  if (filter?.incidentStateId)
    query.incidentStateId = checkUuid(filter.incidentStateId, 'filter.incidentStateId');
  return query;
}

/**
 * `oneUptimeIncidents` filter → OneUptime query; `null` when it cannot match
 * (only unlinked incidents that are linked to given ids). The link goes
 * through the JSON-column query on `customFields` (OneUptime
 * `Common/Server/Types/Database/JSONColumnQuery.ts`: `Includes`, `NotNull`, `IsNull`).
 */
export function toOneUptimeIncidentQuery(
  filter: OneUptimeIncidentFilter | null | undefined,
  linkField: string,
): Query | null {
  const query: Query = {};
  if (nonEmpty(filter?.stateIds)) {
    query.currentIncidentStateId = checkIdFilter(filter.stateIds, 'filter.stateIds');
  }
  if (nonEmpty(filter?.severityIds)) {
    query.incidentSeverityId = checkIdFilter(filter.severityIds, 'filter.severityIds');
  }
  const ids = nonEmpty(filter?.incidentIds)
    ? checkIdFilter(filter.incidentIds, 'filter.incidentIds')
    : undefined;
  if (ids && filter?.linked === false) return null;
  if (ids) query.customFields = { [linkField]: { _type: 'Includes', value: ids } };
  else if (filter?.linked === true) query.customFields = { [linkField]: { _type: 'NotNull' } };
  else if (filter?.linked === false) query.customFields = { [linkField]: { _type: 'IsNull' } };
  return query;
}

/**
 * Known statuses are a bare-array IN; `UNKNOWN` alone is "none of the known
 * five" (`IncludesNone`, OneUptime `Common/Types/BaseDatabase/IncludesNone.ts`).
 * One OneUptime condition cannot say both, so mixing them is refused.
 */
function slaStatusQuery(statuses: readonly SlaStatusWire[]): unknown {
  const wanted = [...new Set(statuses)];
  if (!wanted.includes('UNKNOWN')) return wanted;
  if (wanted.length > 1) {
    throw new BadUserInputError(
      '"filter.statuses" cannot combine UNKNOWN with other statuses; ask for them separately.',
      { argumentName: 'filter.statuses' },
    );
  }
  return { _type: 'IncludesNone', value: [...SLA_STATUSES] };
}
