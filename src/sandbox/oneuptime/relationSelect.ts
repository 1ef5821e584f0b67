/**
 * The checks OneUptime makes on a nested (relation) `select`, after the
 * top-level keys pass: `QueryPermission.checkRelationQueryPermission`
 * (`Common/Server/Types/Database/Permissions/QueryPermission.ts` lines 41–162,
 * called from `BasePermission.ts` line 196 for every read with a `select`),
 * OneUptime/oneuptime ab6f40993700e5d472c23e52913ef2fe5d117f66. For each key
 * whose value is an object, in key order:
 * - a column that is not a relation: 400 "Select not supported on …" (line 65);
 * - every key inside it, whatever its value: an object is 400 "You cannot
 *   query deep relations" (line 83), a name the related model lacks is 400
 *   "Column X not found on Y" (line 92), and a column without
 *   `canReadOnRelationQuery: true` is 400 "Column X on Y does not support
 *   read on relation query" (line 124), except the base columns of
 *   `ColumnPermission.ts` `getExcludedColumnNames` (lines 31–41), which fall
 *   through to the model's read permissions (the sandbox key has them).
 * The emulator knows only the columns it models (a subset of Incident's, none
 * of User's, Project's or IncidentSlaRule's beyond the readable ones below):
 * a real but unreadable column it does not model reads as "not found" where
 * the server says "does not support read"; both are 400.
 */
import { isPlainObject } from '../http.js';
import { badRequest } from './errors.js';
import { EMULATED_RESOURCES, MODELS, type EmulatedResource, type ModelDef } from './models.js';
import type { RefTable } from './schema.js';

const EXCLUDED = new Set(['_id', 'createdAt', 'deletedAt', 'updatedAt', 'version']);

/**
 * The columns with `canReadOnRelationQuery: true` in each related model's
 * `@TableColumn` (`Common/Models/DatabaseModels/<Model>.ts` at ab6f409).
 */
const READABLE_ON_RELATION: Readonly<Record<RefTable, ReadonlySet<string>>> = {
  incident: new Set([
    'projectId',
    'title',
    'currentIncidentStateId',
    'createdByProbeId',
    'incidentNumber',
    'incidentNumberWithPrefix',
  ]),
  'incident-state': new Set([
    'projectId',
    'name',
    'color',
    'isCreatedState',
    'isAcknowledgedState',
    'isResolvedState',
    'order',
  ]),
  'incident-severity': new Set(['projectId', 'name', 'color', 'order']),
  'incident-state-timeline': new Set(['projectId']),
  'incident-role': new Set(['projectId', 'name', 'color', 'roleIcon']),
  'incident-sla': new Set(['projectId', 'incidentId', 'incidentSlaRuleId']),
  'incident-member': new Set(['projectId', 'userId', 'incidentId', 'incidentRoleId']),
  user: new Set(['name', 'email', 'profilePictureId', 'twoFactorAuthEnabled']),
  'incident-sla-rule': new Set([
    'projectId',
    'name',
    'description',
    'responseTimeInMinutes',
    'resolutionTimeInMinutes',
    'atRiskThresholdInPercentage',
    'internalNoteReminderIntervalInMinutes',
    'publicNoteReminderIntervalInMinutes',
  ]),
  project: new Set([
    'name',
    'alertInvestigationMinimumSeverityId',
    'planName',
    'resellerId',
    'resellerPlanId',
    'resellerLicenseId',
  ]),
};

/** `singularName` of the related models the emulator does not serve. */
const OTHER_SINGULAR_NAMES: Readonly<Record<Exclude<RefTable, EmulatedResource>, string>> = {
  user: 'User',
  project: 'Project',
  'incident-sla-rule': 'Incident SLA Rule',
};

const isEmulated = (target: RefTable): target is EmulatedResource =>
  (EMULATED_RESOURCES as readonly string[]).includes(target);

function hasColumn(target: RefTable, name: string): boolean {
  if (READABLE_ON_RELATION[target].has(name) || EXCLUDED.has(name)) return true;
  if (!isEmulated(target)) return false;
  return MODELS[target].columns.has(name) || MODELS[target].relations.has(name);
}

const singularName = (target: RefTable): string =>
  isEmulated(target) ? MODELS[target].singularName : OTHER_SINGULAR_NAMES[target];

/** Throws the server's 400 for the first nested select key it would refuse. */
export function checkRelationSelects(def: ModelDef, select: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(select)) {
    if (!isPlainObject(value)) continue;
    const relation = def.relations.get(key);
    if (!relation) {
      throw badRequest(
        `Select not supported on ${key} of ${def.singularName} because this column modelType is not found.`,
      );
    }
    const target = relation.target;
    for (const [inner, innerValue] of Object.entries(value)) {
      if (isPlainObject(innerValue)) {
        throw badRequest(
          'You cannot query deep relations. Querying deep relations is not supported.',
        );
      }
      if (!hasColumn(target, inner)) {
        throw badRequest(`Column ${inner} not found on ${singularName(target)}`);
      }
      if (!READABLE_ON_RELATION[target].has(inner) && !EXCLUDED.has(inner)) {
        throw badRequest(
          `Column ${inner} on ${singularName(target)} does not support read on relation query.`,
        );
      }
    }
  }
}
