/**
 * Connection types that codegen maps GraphQL connections to. A leaf module
 * (no context, no generated types), so the generated resolver types can
 * import it without an import cycle.
 */
import type { Case } from '../upstreams/coralogix/cases/types.js';
import type { CheckedEventItem } from '../upstreams/coralogix/incidents/eventTypes.js';
import type { Page } from './pagination.js';

/** A page whose total is read on demand: a separate upstream call, made only when selected. */
export interface LazyTotalPage<T> extends Omit<Page<T>, 'totalCount'> {
  totalCount: () => Promise<number>;
}

/** `IncidentEventConnection`'s mapper. */
export type EventConnection = LazyTotalPage<CheckedEventItem>;

/** `CaseConnection`'s mapper: the total is one GetFilterValues call, made only when selected. */
export type CaseConnectionPage = LazyTotalPage<Case>;
