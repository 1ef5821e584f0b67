/**
 * GetFilterValues (`POST /cases/filter-values/v1`) and GetGroupingKeys
 * (`GET /cases/grouping-keys/v1`), S1 `specs/cases_service.json` at 4464b2b3:
 * `cases.v1.GetFilterValuesResponse`, whose seven aggregation lists are
 * required (sent even when empty); `alertIdAggregations` is "only populated
 * when alert_filters is provided"; counts are int64, which proto3 JSON writes
 * as decimal strings (and omits when zero, as `unassignedCount`).
 *
 * Sandbox readings (UNCONFIRMED, docs/sandbox.md): every count is over the
 * cases matching the whole filter, a facet's own condition included (so
 * `statusAggregations` under `statuses: [ACTIVE]` counts ACTIVE cases only);
 * only values with a count appear, most frequent first, then by value;
 * `alertIdAggregations` counts every alert id of the matching cases;
 * `flatLabelsAggregation` counts the cases' labels; grouping keys are the
 * distinct keys of every case's groupings, sorted.
 */
import type {
  CaseCategoryWire,
  CasePriorityWire,
  CaseStatusWire,
  FilterValuesWire,
} from '../../../upstreams/coralogix/cases/types.js';
import type { CaseFilter } from './filters.js';
import { compileFilters } from './match.js';
import type { CaseRecord, CaseStore } from './store.js';

type Counts = Map<string, number>;

function tally(counts: Counts, value: string | undefined): void {
  if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
}

/** `[value, count]` pairs, most frequent first, then by value. */
function ranked(counts: Counts): Array<[string, string]> {
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([value, count]) => [value, String(count)]);
}

function byKey(
  records: readonly CaseRecord[],
  read: (r: CaseRecord) => ReadonlyArray<{ key?: string; value?: string }>,
) {
  const keys = new Map<string, Counts>();
  for (const record of records) {
    // A case counts once per key/value, however often it repeats a label.
    const seen = new Set<string>();
    for (const { key, value } of read(record)) {
      if (key === undefined || value === undefined) continue;
      const id = JSON.stringify([key, value]);
      if (seen.has(id)) continue;
      seen.add(id);
      const counts = keys.get(key) ?? new Map<string, number>();
      keys.set(key, counts);
      tally(counts, value);
    }
  }
  return [...keys]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, counts]) => ({
      key,
      valueCounts: ranked(counts).map(([value, count]) => ({ value, count })),
    }));
}

export function filterValues(store: CaseStore, filter: CaseFilter): FilterValuesWire {
  const records = store.all().filter(compileFilters(filter));
  const [priority, category, status, assignee, flat, alert] = Array.from(
    { length: 6 },
    () => new Map<string, number>(),
  ) as [Counts, Counts, Counts, Counts, Counts, Counts];
  let unassigned = 0;
  for (const { case: c } of records) {
    tally(priority, c.priority);
    tally(category, c.category);
    tally(status, c.status);
    if (c.assignee?.userId === undefined) unassigned += 1;
    else tally(assignee, c.assignee.userId);
    for (const label of new Set(c.labels.map((l) => JSON.stringify([l.key, l.value]))))
      tally(flat, label);
    for (const id of new Set((c.caseIndicators?.alertIndicators ?? []).map((a) => a.alertId)))
      tally(alert, id);
  }
  const assigneeAggregations: FilterValuesWire['assigneeAggregations'] = {
    assignedCounts: ranked(assignee).map(([value, count]) => ({ assignee: value, count })),
  };
  if (unassigned > 0) assigneeAggregations.unassignedCount = String(unassigned);
  return {
    priorityAggregations: ranked(priority).map(([value, count]) => ({
      priority: value as CasePriorityWire,
      count,
    })),
    categoryAggregations: ranked(category).map(([value, count]) => ({
      category: value as CaseCategoryWire,
      count,
    })),
    groupingAggregations: byKey(records, (r) => r.case.groupings),
    labelAggregations: byKey(records, (r) => r.case.labels),
    statusAggregations: ranked(status).map(([value, count]) => ({
      status: value as CaseStatusWire,
      count,
    })),
    flatLabelsAggregation: ranked(flat).map(([pair, count]) => {
      const [key, value] = JSON.parse(pair) as [string, string];
      return { filter: { key, value }, count };
    }),
    assigneeAggregations,
    alertIdAggregations: filter.alerts
      ? ranked(alert).map(([alertId, count]) => ({ alertId, count }))
      : [],
  };
}

export function groupingKeys(store: CaseStore): string[] {
  const keys = new Set<string>();
  for (const { case: c } of store.all()) for (const g of c.groupings) if (g.key) keys.add(g.key);
  return [...keys].sort();
}
