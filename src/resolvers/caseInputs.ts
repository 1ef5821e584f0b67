/**
 * Case arguments → Cases API requests, checked before any upstream call
 * (DESIGN 5c): case ids (a UUID or a readable id), the filter and the order.
 * Enum values arrive as wire strings (codegen `enumValues` + enums.ts).
 */
import type { CaseFilter, CaseOrder } from '../__generated__/resolvers-types.js';
import { BadUserInputError, quote } from '../errors.js';
import {
  CASE_LIMITS,
  READABLE_ID_PATTERN,
  type AssigneeOption,
  type CaseFilters,
  type CaseOrderBy,
} from '../upstreams/coralogix/cases/types.js';
import { closedRange } from './filters.js';
import { checkText, isUuid } from './validate.js';

/** A case id as the API takes it: a UUID (lower-cased) or a readable id such as `CASE-123`. */
export function checkCaseId(value: string, argumentName: string): string {
  if (isUuid(value)) return value.toLowerCase();
  // A readable id as the path pattern takes it (upper-case letters, 1–64 characters).
  if (READABLE_ID_PATTERN.test(value) && value.length <= 64) return value;
  throw new BadUserInputError(
    `"${argumentName}" must be a case UUID or a readable id such as CASE-123 (got ${quote(value)}).`,
    { argumentName },
  );
}

/** 1..1000 distinct case ids (the bulk calls' own bound: a write is never split). */
export function checkCaseIds(ids: readonly string[], argumentName: string): string[] {
  if (ids.length === 0 || ids.length > CASE_LIMITS.maxBulkIds) {
    throw new BadUserInputError(
      `"${argumentName}" must list 1 to ${CASE_LIMITS.maxBulkIds} case ids (got ${ids.length}).`,
      { argumentName },
    );
  }
  const checked = ids.map((id) => checkCaseId(id, argumentName));
  if (new Set(checked).size !== checked.length) {
    throw new BadUserInputError(`"${argumentName}" must not repeat a case id.`, { argumentName });
  }
  return checked;
}

const nonEmpty = <T>(values: readonly T[] | null | undefined): values is readonly T[] =>
  Array.isArray(values) && values.length > 0;

function bounded<T>(values: readonly T[], argumentName: string): T[] {
  if (values.length > CASE_LIMITS.maxFilterValues) {
    throw new BadUserInputError(
      `"${argumentName}" accepts at most ${CASE_LIMITS.maxFilterValues} values (got ${values.length}).`,
      { argumentName },
    );
  }
  return [...new Set(values)];
}

/** `CaseFilter` → Coralogix `CaseFilters` (OR within a field, AND across fields). */
export function toCaseFilters(filter: CaseFilter | null | undefined): CaseFilters {
  if (!filter) return {};
  const out: CaseFilters = {};
  if (nonEmpty(filter.statuses)) out.statuses = bounded(filter.statuses, 'filter.statuses');
  if (nonEmpty(filter.priorities)) out.priorities = bounded(filter.priorities, 'filter.priorities');
  if (nonEmpty(filter.categories)) out.categories = bounded(filter.categories, 'filter.categories');
  const assignees: AssigneeOption[] = [];
  if (nonEmpty(filter.assigneeUserIds)) {
    for (const id of bounded(filter.assigneeUserIds, 'filter.assigneeUserIds')) {
      if (id.trim() === '' || id.length > 256) {
        throw new BadUserInputError('"filter.assigneeUserIds" holds an empty or too long id.', {
          argumentName: 'filter.assigneeUserIds',
        });
      }
      assignees.push({ assignee: id });
    }
  }
  if (filter.unassigned === true) assignees.push({ unassigned: {} });
  if (assignees.length > 0) out.assignees = assignees;
  const search = filter.search?.trim();
  if (search) out.textSearch = checkText(search, 'filter.search', CASE_LIMITS.maxTextSearchLength);
  const created = closedRange(filter.createdAfter, filter.createdBefore, [
    'createdAfter',
    'createdBefore',
  ]);
  if (created) out.dateRange = { ...created, mode: 'DATE_RANGE_MODE_CREATED_AT' };
  return out;
}

/** Newest first unless asked otherwise (Coralogix's own default, said explicitly). */
export function toCaseOrder(order: CaseOrder | null | undefined): CaseOrderBy {
  return {
    field: order?.field ?? 'CASE_ORDER_BY_FIELD_CREATED_AT',
    direction:
      (order?.direction ?? 'DESC') === 'ASC'
        ? 'CASE_ORDER_BY_DIRECTION_ASCENDING'
        : 'CASE_ORDER_BY_DIRECTION_DESCENDING',
  };
}
