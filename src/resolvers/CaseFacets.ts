/**
 * `CaseFacets` (one GetFilterValues call per filter per request) and the
 * case connection's lazy total, both read from the same call.
 */
import type {
  CaseAssigneeCountResolvers,
  CaseCategoryCountResolvers,
  CaseConnectionResolvers,
  CaseFacetsResolvers,
  CasePriorityCountResolvers,
  CaseStatusCountResolvers,
} from '../__generated__/resolvers-types.js';
import { checkFirst } from './pagination.js';

export const CaseConnection: CaseConnectionResolvers = {
  totalCount: (page) => page.totalCount(),
};

export const CaseFacets: CaseFacetsResolvers = {
  assignees: (facets, { first }) => facets.assignees.slice(0, checkFirst(first, 10)),
};

export const CaseStatusCount: CaseStatusCountResolvers = { status: (row) => row.value };
export const CasePriorityCount: CasePriorityCountResolvers = { priority: (row) => row.value };
export const CaseCategoryCount: CaseCategoryCountResolvers = { category: (row) => row.value };
export const CaseAssigneeCount: CaseAssigneeCountResolvers = {
  user: (row) => ({ userId: row.value }),
};
