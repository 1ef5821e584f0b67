/**
 * `CaseFilter` applied in process to a published case, with the meaning it
 * has on `Query.cases` (where Coralogix applies it): the GraphQL filter goes
 * through the same `toCaseFilters` mapping (and its validation), and the
 * Coralogix `CaseFilters` are evaluated here as the sandbox emulator evaluates
 * them (src/sandbox/coralogix/cases/filters.ts): OR within a field, AND across
 * fields, the text search a case-insensitive substring of the title, the
 * creation range half-open.
 */
import type { CaseFilter } from '../__generated__/resolvers-types.js';
import { toCaseFilters } from '../resolvers/caseInputs.js';
import type { Case } from '../upstreams/coralogix/cases/types.js';
import type { CaseMatcher } from './access.js';
import { oneOf } from './filter.js';

type Check = CaseMatcher;

/** Throws BAD_USER_INPUT for a filter `Query.cases` would refuse. */
export function compileCaseFilter(filter: CaseFilter | null | undefined): CaseMatcher {
  const wire = toCaseFilters(filter);
  const checks: Check[] = [
    ...oneOf(wire.statuses, (c: Case) => c.status),
    ...oneOf(wire.priorities, (c: Case) => c.priority),
    ...oneOf(wire.categories, (c: Case) => c.category),
  ];
  if (wire.assignees?.length) {
    const users = new Set(wire.assignees.flatMap((o) => ('assignee' in o ? [o.assignee] : [])));
    const unassigned = wire.assignees.some((o) => 'unassigned' in o);
    checks.push((c) => {
      const user = c.assignee?.userId;
      return user === undefined ? unassigned : users.has(user);
    });
  }
  if (wire.textSearch) {
    const needle = wire.textSearch.toLowerCase();
    checks.push((c) => c.title.toLowerCase().includes(needle));
  }
  if (wire.dateRange) {
    const from = Date.parse(wire.dateRange.from);
    const to = Date.parse(wire.dateRange.to);
    checks.push((c) => {
      const created = Date.parse(c.createTime);
      return created >= from && created < to;
    });
  }
  return (item) => checks.every((check) => check(item));
}
