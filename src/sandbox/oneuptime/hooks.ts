/**
 * The shape of a resource's service hooks (OneUptime's `onBeforeCreate`,
 * `onCreateSuccess`, … in `Common/Server/Services/<Model>Service.ts`). A
 * `before*` hook checks and adjusts the write and may return the side effect
 * its `on*Success` counterpart applies once the row itself is written.
 */
import type { EmulatedResource } from './schema.js';
import type { Database, Row } from './store.js';

export type SideEffect = () => void;

export interface WriteContext {
  readonly db: Database;
  /** The instant of the request, ISO. */
  readonly now: string;
  /** Creates a row through the same path as `POST /api/<resource>` (hooks, checks, side effects). */
  insert(resource: EmulatedResource, data: Record<string, unknown>): Row;
}

export interface Hooks {
  /** `onBeforeCreate` and column defaults; runs before the required-column check. */
  beforeCreate?(row: Row, ctx: WriteContext): SideEffect | void;
  /** `onBeforeUpdate`; `changes` may be adjusted in place. */
  beforeUpdate?(row: Row, changes: Record<string, unknown>, ctx: WriteContext): SideEffect | void;
  /** `onBeforeDelete`; the returned effect runs after the row (and its cascade) is gone. */
  beforeDelete?(row: Row, ctx: WriteContext): SideEffect | void;
}
