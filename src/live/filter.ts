/**
 * `IncidentFilter` applied in process to a published incident, with the
 * meaning it has on `Query.incidents` (where Coralogix applies it): the
 * GraphQL filter goes through the same `toCoralogixFilter` mapping (and its
 * validation), and the Coralogix list filter is evaluated here, as the
 * sandbox emulator evaluates it (src/sandbox/coralogix/list.ts).
 */
import type { IncidentFilter } from '../__generated__/resolvers-types.js';
import { toCoralogixFilter } from '../resolvers/filters.js';
import type { Incident, IncidentQueryFilter } from '../upstreams/coralogix/incidents/types.js';
import type { IncidentMatcher } from './access.js';

type Check = IncidentMatcher;

/** Throws BAD_USER_INPUT for a filter `Query.incidents` would refuse. */
export function compileIncidentFilter(filter: IncidentFilter | null | undefined): IncidentMatcher {
  const wire = toCoralogixFilter(filter);
  const checks: Check[] = [
    ...oneOf(wire.severity, (i: Incident) => i.severity),
    ...oneOf(wire.state, (i: Incident) => i.state),
    ...oneOf(wire.status, (i: Incident) => i.status),
    ...assignee(wire.assignee),
    ...search(wire.searchQuery?.query),
    ...createdWithin(wire.createdAtRange),
    ...(wire.isMuted === undefined ? [] : [(i: Incident) => (i.isMuted ?? false) === wire.isMuted]),
    ...metaLabels(wire),
  ];
  return (incident) => checks.every((check) => check(incident));
}

/** A record passes when `read` gives one of `values` (none given: no check). caseFilter.ts too. */
export function oneOf<R, T>(
  values: readonly T[] | undefined,
  read: (record: R) => T,
): Array<(record: R) => boolean> {
  if (!values?.length) return [];
  const allowed = new Set(values);
  return [(record) => allowed.has(read(record))];
}

function assignee(userIds: readonly string[] | undefined): Check[] {
  if (!userIds?.length) return [];
  const wanted = new Set(userIds);
  return [
    (incident) =>
      incident.assignments.some(
        (a) => a.assignedTo?.userId !== undefined && wanted.has(a.assignedTo.userId),
      ),
  ];
}

/** Coralogix free-text search on the name: a case-insensitive substring. */
function search(query: string | undefined): Check[] {
  if (!query) return [];
  const needle = query.toLowerCase();
  return [(incident) => (incident.name ?? '').toLowerCase().includes(needle)];
}

/** Half-open `[startTime, endTime)`, as Coralogix time ranges. */
function createdWithin(range: IncidentQueryFilter['createdAtRange']): Check[] {
  if (!range) return [];
  const from = Date.parse(range.startTime);
  const to = Date.parse(range.endTime);
  return [
    (incident) => {
      const created = Date.parse(incident.createdAt ?? '');
      return created >= from && created < to;
    },
  ];
}

/**
 * Any one label (or, with `metaLabelsMatchAll`, every label) by exact key and
 * value; a filter label with an empty value matches on the key alone (as the
 * emulator's list filter does).
 */
function metaLabels(wire: IncidentQueryFilter): Check[] {
  const wanted = wire.metaLabels;
  if (!wanted?.length) return [];
  const all = wire.metaLabelsOp === 'FILTER_OPERATOR_AND';
  return [
    (incident) => {
      const labels = incident.metaLabels ?? [];
      const has = (w: { key: string; value: string }) =>
        labels.some((l) => l.key === w.key && (w.value === '' || l.value === w.value));
      return all ? wanted.every(has) : wanted.some(has);
    },
  ];
}
