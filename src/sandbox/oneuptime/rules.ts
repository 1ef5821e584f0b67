/**
 * Resource-specific behaviour of OneUptime's services, by resource: defaults,
 * checks and side effects on other rows (`hooks.ts` describes the shape).
 * Checks throw before anything is written.
 */
import { badRequest } from './errors.js';
import type { Hooks } from './hooks.js';
import { incidentHooks } from './incidentRules.js';
import { orderedHooks } from './orderedRules.js';
import type { EmulatedResource } from './schema.js';
import { serverSlug } from './slug.js';
import { timelineHooks } from './timelineRules.js';

/**
 * `IncidentRoleService.ts`. The slug is the server's: `IncidentRole.ts` line 78
 * declares `@SlugifyColumn("name", "slug")`, so `DatabaseService.ts`
 * `generateSlug` (lines 615–627, called on create at line 986) stores
 * `Slug.getSlug(name)`, the name slugified plus `-` and 10 random digits
 * (OneUptime/oneuptime ab6f40993700e5d472c23e52913ef2fe5d117f66; `./slug.ts`).
 */
const roleHooks: Hooks = {
  beforeCreate(row) {
    row.slug = serverSlug(row.name);
    row.isPrimaryRole = false;
    row.isDeleteable = true;
    row.canAssignMultipleUsers ??= false;
  },
  beforeUpdate(row, changes) {
    if (row.isPrimaryRole === true && changes.canAssignMultipleUsers === true) {
      throw badRequest('A primary role cannot have multiple users assigned.');
    }
  },
  beforeDelete(row) {
    if (row.isDeleteable === false) throw badRequest('This role cannot be deleted');
  },
};

/** `IncidentSla.ts`: `status` defaults to "On Track". */
const slaHooks: Hooks = {
  beforeCreate(row) {
    row.status ??= 'On Track';
  },
};

/**
 * `IncidentMemberService.ts` `onBeforeCreate`: the three ids are required and a
 * user holds a role on an incident at most once. `canAssignMultipleUsers` is
 * enforced only by the dashboard (`IncidentRoleFormField.tsx`), not the API.
 */
const memberHooks: Hooks = {
  beforeCreate(row, ctx) {
    for (const column of ['incidentId', 'userId', 'incidentRoleId']) {
      if (!row[column]) throw badRequest(`${column} is required`);
    }
    const duplicate = ctx.db.tables['incident-member']
      .forIncident(String(row.incidentId))
      .some((m) => m.userId === row.userId && m.incidentRoleId === row.incidentRoleId);
    if (duplicate) throw badRequest('This user is already assigned to this role for this incident');
    row.isMemberNotified = false;
  },
};

export const HOOKS: Readonly<Record<EmulatedResource, Hooks>> = {
  incident: incidentHooks,
  'incident-state': orderedHooks('incident-state'),
  'incident-severity': orderedHooks('incident-severity'),
  'incident-state-timeline': timelineHooks,
  'incident-role': roleHooks,
  'incident-sla': slaHooks,
  'incident-member': memberHooks,
};
