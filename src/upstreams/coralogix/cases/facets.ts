/**
 * GetFilterValues (`POST /cases/filter-values/v1`) as the gateway serves it:
 * counts per status, priority, category and assignee of the cases matching a
 * filter, int64 counts (decimal strings in protojson) read as numbers, each
 * list most frequent first, then by value. Unknown enum values count under
 * UNSPECIFIED (the checker warned about them).
 */
import { facetCounts, type ValueCount } from '../facetCounts.js';
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

export type CaseStatusFacet = ValueCount<CaseStatusWire>;
export type CasePriorityFacet = ValueCount<CasePriorityWire>;
export type CaseCategoryFacet = ValueCount<CaseCategoryWire>;
/** `value` is the Coralogix user id. */
export type CaseAssigneeFacet = ValueCount;

/** `CaseFacets`' mapper. */
export interface CaseFacetCounts {
  statuses: CaseStatusFacet[];
  priorities: CasePriorityFacet[];
  categories: CaseCategoryFacet[];
  assignees: CaseAssigneeFacet[];
  unassignedCount: number;
}

export function readFacets(wire: FilterValuesWire): CaseFacetCounts {
  return {
    statuses: facetCounts(wire.statusAggregations, 'status', CASE_STATUSES),
    priorities: facetCounts(wire.priorityAggregations, 'priority', CASE_PRIORITIES),
    categories: facetCounts(wire.categoryAggregations, 'category', CASE_CATEGORIES),
    assignees: facetCounts(wire.assigneeAggregations?.assignedCounts, 'assignee', undefined).filter(
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
