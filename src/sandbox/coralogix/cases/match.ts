/**
 * A normalized `CaseFilters` (`filters.ts`) as a predicate over stored cases,
 * shared by ListCases and GetFilterValues. S1 (coralogix-management-sdk
 * 4464b2b3 `specs/cases_service.json`): ACTIVE_WINDOW returns "cases active
 * during the range", CREATED_AT "cases created within the range";
 * `alertFilters` and `impactedEntities` match ANY entry; an absent `breached`
 * applies no KPI filter. The sandbox's readings of what S1 leaves open are
 * listed in `filters.ts`.
 */
import type { KpiFilterWire } from '../../../upstreams/coralogix/cases/types.js';
import type { CaseFilter, FilterGroup } from './filters.js';
import type { CaseRecord } from './store.js';

export type CasePredicate = (record: CaseRecord) => boolean;

/** Every constraint must hold; an absent or empty field is no constraint. */
export function compileFilters(filter: CaseFilter): CasePredicate {
  const checks: CasePredicate[] = [];
  const oneOf = <T>(values: readonly T[], read: (r: CaseRecord) => T) => {
    if (values.length === 0) return;
    const allowed = new Set(values);
    checks.push((r) => allowed.has(read(r)));
  };
  oneOf(filter.statuses, (r) => r.case.status);
  oneOf(filter.priorities, (r) => r.case.priority);
  oneOf(filter.categories, (r) => r.case.category);
  if (filter.assignees.length > 0 || filter.unassigned) {
    const users = new Set(filter.assignees);
    checks.push((r) => {
      const userId = r.case.assignee?.userId;
      return userId === undefined ? filter.unassigned : users.has(userId);
    });
  }
  for (const group of filter.labels) checks.push(groupMatch(group, (r) => r.case.labels));
  for (const group of filter.groupings) checks.push(groupMatch(group, (r) => r.case.groupings));
  if (filter.flatLabels.length > 0) {
    checks.push((r) =>
      filter.flatLabels.some((w) =>
        r.case.labels.some((l) => l.key === w.key && l.value === w.value),
      ),
    );
  }
  const search = filter.textSearch;
  if (search !== undefined) checks.push((r) => r.case.title.toLowerCase().includes(search));
  if (filter.dateRange) checks.push(within(filter.dateRange));
  if (filter.breached.length > 0) checks.push(breachMatch(filter.breached));
  if (filter.alerts && (filter.alerts.ids.length > 0 || filter.alerts.versions.length > 0)) {
    const ids = new Set(filter.alerts.ids);
    const versions = new Set(filter.alerts.versions);
    checks.push((r) =>
      (r.case.caseIndicators?.alertIndicators ?? []).some(
        (a) =>
          (a.alertId !== undefined && ids.has(a.alertId)) ||
          (a.alertVersions ?? []).some((v) => versions.has(v)),
      ),
    );
  }
  const connectors = filter.connectors;
  if (connectors) checks.push(() => connectors.none);
  if (filter.entities.length > 0) {
    checks.push((r) =>
      r.case.impactedEntities.some((e) =>
        filter.entities.some((w) => e[w.kind]?.name?.toLowerCase() === w.name),
      ),
    );
  }
  if (filter.indicatorTypes.length > 0) {
    const wanted = new Set(filter.indicatorTypes);
    checks.push((r) => {
      const indicators = r.case.caseIndicators;
      return (
        (wanted.has('INDICATOR_TYPE_ALERT') && (indicators?.alertIndicators?.length ?? 0) > 0) ||
        (wanted.has('INDICATOR_TYPE_PROMETHEUS_ALERTMANAGER') &&
          (indicators?.prometheusAlertIndicators?.length ?? 0) > 0) ||
        (wanted.has('INDICATOR_TYPE_ERROR_TRACKING') &&
          (indicators?.genericIndicators?.length ?? 0) > 0)
      );
    });
  }
  return (record) => checks.every((check) => check(record));
}

function groupMatch(
  group: FilterGroup,
  read: (r: CaseRecord) => ReadonlyArray<{ key?: string; value?: string }>,
): CasePredicate {
  return (r) =>
    read(r).some(
      (l) =>
        l.key === group.key &&
        (group.values.length === 0 || (l.value !== undefined && group.values.includes(l.value))),
    );
}

function within(range: NonNullable<CaseFilter['dateRange']>): CasePredicate {
  return (r) => {
    const created = Date.parse(r.case.createTime);
    if (range.createdOnly) return created >= range.fromMs && created < range.toMs;
    const ended = r.endedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(r.endedAt);
    return created < range.toMs && ended >= range.fromMs;
  };
}

const KPI_OF: Partial<Record<KpiFilterWire, string>> = {
  KPI_FILTER_TIME_TO_ACKNOWLEDGE_BREACHED: 'KPI_TYPE_TIME_TO_ACKNOWLEDGE',
  KPI_FILTER_TIME_TO_RESOLVE_BREACHED: 'KPI_TYPE_TIME_TO_RESOLVE',
  KPI_FILTER_TIME_TO_UPDATE_BREACHED: 'KPI_TYPE_TIME_TO_UPDATE',
};

function breachMatch(filters: KpiFilterWire[]): CasePredicate {
  return (r) => {
    const breaches = r.case.kpiBreaches?.breachedKpis ?? [];
    return filters.some((f) =>
      f === 'KPI_FILTER_NOT_BREACHED'
        ? breaches.length === 0
        : breaches.some((b) => b.kpiType !== undefined && b.kpiType === KPI_OF[f]),
    );
  };
}
