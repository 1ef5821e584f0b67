/**
 * GetFilterValues (`POST /cases/filter-values/v1`) as the gateway serves it:
 * counts per status, priority, category and assignee of the cases matching a
 * filter, int64 counts (decimal strings in protojson) read as numbers, each
 * list most frequent first, then by value. Unknown enum values count under
 * UNSPECIFIED (the checker warned about them).
 */
import { readCount } from '../http.js';
import {
  CASE_CATEGORIES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  type CaseCategoryWire,
  type CasePriorityWire,
  type CaseStatusWire,
} from './enums.js';
import type { FilterValuesWire } from './resources.js';

export interface Count<V extends string = string> {
  value: V;
  count: number;
}
export type CaseStatusFacet = Count<CaseStatusWire>;
export type CasePriorityFacet = Count<CasePriorityWire>;
export type CaseCategoryFacet = Count<CaseCategoryWire>;
/** `value` is the Coralogix user id. */
export type CaseAssigneeFacet = Count;

/** `CaseFacets`' mapper. */
export interface CaseFacetCounts {
  statuses: CaseStatusFacet[];
  priorities: CasePriorityFacet[];
  categories: CaseCategoryFacet[];
  assignees: CaseAssigneeFacet[];
  unassignedCount: number;
}

const byCount = <T extends Count>(rows: T[]): T[] =>
  rows.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));

function facet<V extends string>(
  rows: ReadonlyArray<Record<string, unknown>> | undefined,
  field: string,
  known: readonly V[] | undefined,
): Array<Count<V>> {
  const totals = new Map<V, number>();
  for (const row of rows ?? []) {
    const raw = typeof row[field] === 'string' ? (row[field] as string) : '';
    const value = (known && !known.includes(raw as V) ? known[0] : raw) as V;
    totals.set(value, (totals.get(value) ?? 0) + readCount(row.count, `${field} count`));
  }
  return byCount([...totals].map(([value, count]) => ({ value, count })));
}

export function readFacets(wire: FilterValuesWire): CaseFacetCounts {
  return {
    statuses: facet(wire.statusAggregations, 'status', CASE_STATUSES),
    priorities: facet(wire.priorityAggregations, 'priority', CASE_PRIORITIES),
    categories: facet(wire.categoryAggregations, 'category', CASE_CATEGORIES),
    assignees: facet(wire.assigneeAggregations?.assignedCounts, 'assignee', undefined).filter(
      (row) => row.value !== '',
    ),
    unassignedCount: readCount(wire.assigneeAggregations?.unassignedCount, 'unassignedCount'),
  };
}

/**
 * How many cases a filter matches: the per-status counts of the statuses it
 * admits (all of them when it names none). Right whether Coralogix counts a
 * facet before or after applying the filter's own status condition.
 */
export function totalOf(facets: CaseFacetCounts, statuses: readonly CaseStatusWire[] = []): number {
  const admitted = new Set(statuses);
  return facets.statuses
    .filter((row) => admitted.size === 0 || admitted.has(row.value))
    .reduce((sum, row) => sum + row.count, 0);
}
