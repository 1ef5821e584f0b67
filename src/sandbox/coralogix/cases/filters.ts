/**
 * `CaseFilters` (S1 `specs/cases_service.json` at 4464b2b3), shared by
 * ListCases and GetFilterValues: validated into a normalized filter, then
 * compiled into a predicate over stored cases.
 *
 * From the spec: every list holds at most 1000 items; `textSearch` (1–4096)
 * applies to titles; `dateRange` needs `from` and `to`, and its mode is
 * ACTIVE_WINDOW ("cases active during the range", the default) or CREATED_AT
 * ("cases created within the range"); `alertFilters` and `impactedEntities`
 * match ANY of their entries; `impactedEntities` names match
 * case-insensitively; an absent `breached` applies no KPI filter.
 *
 * Sandbox readings (UNCONFIRMED, docs/sandbox.md): values within one field
 * are OR'd, different fields AND'd; text search is a case-insensitive
 * substring match; ranges are half-open `[from, to)`, and a case is active
 * from its creation until it was resolved (or closed unresolved), open cases
 * until now and beyond; a label or grouping group with no values matches on
 * its key; `caseLabelsFilter.flatLabels` matches a case holding ANY of those
 * labels; the sandbox has no notification connectors, so
 * `{noConnector: {}}` matches every case and a connector type none.
 */
import {
  CASE_CATEGORIES,
  CASE_LIMITS,
  CASE_PRIORITIES,
  CASE_STATUSES,
  CONNECTOR_TYPES,
  DATE_RANGE_MODES,
  INDICATOR_TYPES,
  KPI_FILTERS,
  type CaseCategoryWire,
  type CasePriorityWire,
  type CaseStatusWire,
  type IndicatorTypeWire,
  type KeyValue,
  type KpiFilterWire,
} from '../../../upstreams/coralogix/cases/types.js';
import { isPlainObject } from '../../http.js';
import { invalidArgument } from '../errors.js';
import { enumList, enumValue, requireObject, timestamp } from '../list-query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_TEXT = 4096;

export interface FilterGroup {
  key: string;
  values: string[];
}

/** A filter in normalized form (also the list's page-token fingerprint input). */
export interface CaseFilter {
  statuses: CaseStatusWire[];
  priorities: CasePriorityWire[];
  categories: CaseCategoryWire[];
  assignees: string[];
  unassigned: boolean;
  labels: FilterGroup[];
  groupings: FilterGroup[];
  flatLabels: KeyValue[];
  /** Lower-cased. */
  textSearch?: string;
  dateRange?: { fromMs: number; toMs: number; createdOnly: boolean };
  breached: KpiFilterWire[];
  /** Present when the request had `alertFilters` (it also turns on alertIdAggregations). */
  alerts?: { ids: string[]; versions: string[] };
  /** Present when the request had connector filters. */
  connectors?: { types: string[]; none: boolean };
  /** Lower-cased names. */
  entities: Array<{ kind: 'apmService' | 'apmDatabase'; name: string }>;
  indicatorTypes: IndicatorTypeWire[];
}

export function parseFilters(raw: unknown): CaseFilter {
  const f = raw == null ? {} : requireObject(raw, 'filters');
  const assigneeOptions = list(f.assignees, 'filters.assignees').map((item, i) =>
    assigneeOption(item, `filters.assignees[${i}]`),
  );
  const alertFilters =
    f.alertFilters == null ? undefined : requireObject(f.alertFilters, 'filters.alertFilters');
  const connectors = list(f.connectorTypeFilters, 'filters.connectorTypeFilters');
  return {
    statuses: enums(f.statuses, CASE_STATUSES, 'filters.statuses'),
    priorities: enums(f.priorities, CASE_PRIORITIES, 'filters.priorities'),
    categories: enums(f.categories, CASE_CATEGORIES, 'filters.categories'),
    assignees: assigneeOptions.filter((o): o is string => o !== null),
    unassigned: assigneeOptions.includes(null),
    labels: groups(f.labels, 'filters.labels'),
    groupings: groups(f.groupings, 'filters.groupings'),
    flatLabels: flatLabels(f.caseLabelsFilter),
    textSearch: text(f.textSearch, 'filters.textSearch', MAX_TEXT)?.toLowerCase(),
    dateRange: dateRange(f.dateRange),
    breached: enums(f.breached, KPI_FILTERS, 'filters.breached'),
    alerts: alertFilters && {
      ids: strings(alertFilters.alertIds, 'filters.alertFilters.alertIds', UUID, 36),
      versions: strings(
        alertFilters.alertVersions,
        'filters.alertFilters.alertVersions',
        undefined,
        64,
      ),
    },
    connectors:
      connectors.length === 0
        ? undefined
        : connectors.reduce<{ types: string[]; none: boolean }>(
            (acc, item, i) => connectorOption(acc, item, `filters.connectorTypeFilters[${i}]`),
            { types: [], none: false },
          ),
    entities: list(f.impactedEntities, 'filters.impactedEntities').map((item, i) =>
      entity(item, `filters.impactedEntities[${i}]`),
    ),
    indicatorTypes: enums(f.indicatorTypes, INDICATOR_TYPES, 'filters.indicatorTypes'),
  };
}

function list(raw: unknown, path: string): unknown[] {
  if (raw == null) return [];
  if (!Array.isArray(raw)) throw invalidArgument(`${path} must be an array`);
  if (raw.length > CASE_LIMITS.maxFilterValues) {
    throw invalidArgument(`${path}: at most ${CASE_LIMITS.maxFilterValues} items`);
  }
  return raw;
}

function enums<T extends string>(raw: unknown, allowed: readonly T[], path: string): T[] {
  return enumList(list(raw, path), allowed, path);
}

function text(raw: unknown, path: string, max: number, required = false): string | undefined {
  if (raw == null) {
    if (required) throw invalidArgument(`${path} is required`);
    return undefined;
  }
  if (typeof raw !== 'string') throw invalidArgument(`${path} must be a string`);
  if (raw.length < 1 || raw.length > max) {
    throw invalidArgument(`${path} must be 1 to ${max} characters`);
  }
  return raw;
}

function strings(raw: unknown, path: string, pattern: RegExp | undefined, max: number): string[] {
  return list(raw, path).map((item, i) => {
    const value = text(item, `${path}[${i}]`, max, true) as string;
    if (pattern && !pattern.test(value)) throw invalidArgument(`${path}[${i}] must be a UUID`);
    return value;
  });
}

/** `AssigneeOption` oneOf: a user id, or null for `{unassigned: {}}`. */
function assigneeOption(raw: unknown, path: string): string | null {
  const option = requireObject(raw, path);
  const hasUser = option.assignee != null;
  const hasNone = option.unassigned != null;
  if (hasUser === hasNone)
    throw invalidArgument(`${path}: set exactly one of assignee and unassigned`);
  if (hasNone) {
    requireObject(option.unassigned, `${path}.unassigned`);
    return null;
  }
  return text(option.assignee, `${path}.assignee`, 256, true) as string;
}

function groups(raw: unknown, path: string): FilterGroup[] {
  return list(raw, path).map((item, i) => {
    const group = requireObject(item, `${path}[${i}]`);
    return {
      key: text(group.key, `${path}[${i}].key`, MAX_TEXT, true) as string,
      values: strings(group.values, `${path}[${i}].values`, undefined, MAX_TEXT),
    };
  });
}

function flatLabels(raw: unknown): KeyValue[] {
  if (raw == null) return [];
  const filter = requireObject(raw, 'filters.caseLabelsFilter');
  const path = 'filters.caseLabelsFilter.flatLabels';
  return list(filter.flatLabels, path).map((item, i) => {
    const label = requireObject(item, `${path}[${i}]`);
    return {
      key: text(label.key, `${path}[${i}].key`, MAX_TEXT, true) as string,
      value: text(label.value, `${path}[${i}].value`, MAX_TEXT, true) as string,
    };
  });
}

function dateRange(raw: unknown): CaseFilter['dateRange'] {
  if (raw == null) return undefined;
  const range = requireObject(raw, 'filters.dateRange');
  if (range.from == null || range.to == null) {
    throw invalidArgument('filters.dateRange needs both from and to');
  }
  const fromMs = timestamp(range.from, 'filters.dateRange.from');
  const toMs = timestamp(range.to, 'filters.dateRange.to');
  if (fromMs > toMs) throw invalidArgument('filters.dateRange.from must not be after to');
  const mode = enumValue(range.mode, DATE_RANGE_MODES, 'filters.dateRange.mode');
  return { fromMs, toMs, createdOnly: mode === 'DATE_RANGE_MODE_CREATED_AT' };
}

function connectorOption(
  acc: { types: string[]; none: boolean },
  raw: unknown,
  path: string,
): { types: string[]; none: boolean } {
  const option = requireObject(raw, path);
  const hasType = option.connectorType != null;
  const hasNone = option.noConnector != null;
  if (hasType === hasNone)
    throw invalidArgument(`${path}: set exactly one of connectorType and noConnector`);
  if (hasNone) return { ...acc, none: true };
  const type = enumValue(option.connectorType, CONNECTOR_TYPES, `${path}.connectorType`);
  return { ...acc, types: [...acc.types, type] };
}

function entity(raw: unknown, path: string): CaseFilter['entities'][number] {
  const option = requireObject(raw, path);
  const kinds = (['apmService', 'apmDatabase'] as const).filter((k) => option[k] != null);
  if (kinds.length !== 1)
    throw invalidArgument(`${path}: set exactly one of apmService and apmDatabase`);
  const kind = kinds[0] as 'apmService' | 'apmDatabase';
  const inner = option[kind];
  const name = isPlainObject(inner) ? inner.name : undefined;
  return {
    kind,
    name: (text(name, `${path}.${kind}.name`, MAX_TEXT, true) as string).toLowerCase(),
  };
}
