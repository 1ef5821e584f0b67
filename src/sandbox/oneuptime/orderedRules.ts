/**
 * Incident states and severities: both keep a per-project `order`
 * (`Common/Server/Services/IncidentStateService.ts` and
 * `IncidentSeverityService.ts` at ab6f409). Creating one at an order shifts
 * those at or after it up by one (`rearrangeOrder`, done in `onBeforeCreate`,
 * so before the required-column check); deleting one shifts those after it
 * back; `order` cannot be changed by an update.
 */
import { badRequest } from './errors.js';
import type { Hooks } from './hooks.js';
import { serverSlug } from './slug.js';
import type { Row, Table } from './store.js';

type Ordered = 'incident-state' | 'incident-severity';

const MESSAGES: Readonly<Record<Ordered, { required: string; noUpdate: string }>> = {
  'incident-state': {
    required: 'Incident State order is required',
    noUpdate:
      'Incident State order should not be updated. Delete this incident state and create a new state with the right order.',
  },
  'incident-severity': {
    required: 'Incident severity order is required',
    noUpdate:
      'Incident Severity order should not be updated. Delete this incident state and create a new state with the right order.',
  },
};

/** Every row at or after `order` moves one step (`rearrangeOrder`). */
function shift(table: Table, from: number, by: 1 | -1, now: string): void {
  for (const row of [...table.values()]) {
    if (typeof row.order === 'number' && row.order >= from) {
      table.patch(row, { order: row.order + by, updatedAt: now });
    }
  }
}

export function orderedHooks(resource: Ordered): Hooks {
  const messages = MESSAGES[resource];
  return {
    beforeCreate(row: Row, ctx) {
      if (!row.order) throw badRequest(messages.required);
      shift(ctx.db.tables[resource], row.order as number, 1, ctx.now);
      row.slug = serverSlug(row.name);
      if (resource === 'incident-state') {
        row.isCreatedState ??= false;
        row.isAcknowledgedState ??= false;
        row.isResolvedState ??= false;
      }
    },
    beforeUpdate(_row, changes) {
      if (changes.order) throw badRequest(messages.noUpdate);
    },
    beforeDelete(row, ctx) {
      return () => {
        if (typeof row.order === 'number') shift(ctx.db.tables[resource], row.order, -1, ctx.now);
      };
    },
  };
}
