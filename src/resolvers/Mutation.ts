import type {
  MutationResolvers,
  UpdateIncidentRoleInput,
} from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import { BadUserInputError, NotFoundError } from '../errors.js';
import type { IncidentWrite } from '../live/events.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import {
  checkStateId,
  ensureOneUptimeIncident,
  linkIncident,
  unlinkIncident,
  writeTarget,
} from '../links/writes.js';
import { addResponder, removeResponder } from '../links/responders.js';
import {
  TEXT_LIMITS,
  checkColor,
  checkIdList,
  checkLength,
  checkText,
  checkUuid,
  checksInOrder,
} from './validate.js';

/** Coralogix incident ids are UUIDs (the vendor SDK's spec: 36-character ids). */
const incidentIds = (ids: readonly string[]) =>
  checkIdList(ids, 'input.incidentIds', { uuid: true });

/** The payload, after telling live subscribers (here and on other replicas) what was written. */
const written = (ctx: GatewayContext, write: IncidentWrite, incidents: Incident[]) => {
  ctx.live?.written(write, incidents);
  return { incidents };
};

export const Mutation: MutationResolvers = {
  assignIncidents: async (_, { input }, ctx) => {
    const ids = incidentIds(input.incidentIds);
    const userId = checkText(input.userId, 'input.userId', TEXT_LIMITS.coralogixUserId);
    return written(ctx, 'assign', await ctx.coralogix.assign(ids, userId));
  },

  unassignIncidents: async (_, { input }, ctx) =>
    written(ctx, 'unassign', await ctx.coralogix.act('unassign', incidentIds(input.incidentIds))),

  acknowledgeIncidents: async (_, { input }, ctx) =>
    written(
      ctx,
      'acknowledge',
      await ctx.coralogix.act('acknowledge', incidentIds(input.incidentIds)),
    ),

  resolveIncidents: async (_, { input }, ctx) =>
    written(ctx, 'resolve', await ctx.coralogix.act('resolve', incidentIds(input.incidentIds))),

  closeIncidents: async (_, { input }, ctx) =>
    written(ctx, 'close', await ctx.coralogix.act('close', incidentIds(input.incidentIds))),

  createStateTimeline: async (_, { input }, ctx) => {
    const target = oneIncidentOf(input);
    const incidentStateId = checkUuid(input.incidentStateId, 'input.incidentStateId');
    if (input.rootCause != null) {
      checkLength(input.rootCause, 'input.rootCause', TEXT_LIMITS.oneUptimeMarkdown);
    }
    const [incidentId] = await checksInOrder([
      writeTarget(ctx, target),
      checkStateId(ctx, incidentStateId, 'input.incidentStateId'),
    ]);
    const data: Record<string, unknown> = { incidentId, incidentStateId };
    if (input.startsAt) data.startsAt = input.startsAt;
    if (input.rootCause != null) data.rootCause = input.rootCause;
    if (input.shouldStatusPageSubscribersBeNotified != null) {
      data.shouldStatusPageSubscribersBeNotified = input.shouldStatusPageSubscribersBeNotified;
    }
    return ctx.oneuptime.createTimeline(data);
  },

  linkIncident: (_, { input }, ctx) =>
    linkIncident(
      ctx,
      checkUuid(input.incidentId, 'input.incidentId'),
      checkUuid(input.oneUptimeIncidentId, 'input.oneUptimeIncidentId'),
    ),

  unlinkIncident: (_, { input }, ctx) =>
    unlinkIncident(ctx, checkUuid(input.incidentId, 'input.incidentId')),

  ensureOneUptimeIncident: (_, { input }, ctx) => {
    const incidentId = checkUuid(input.incidentId, 'input.incidentId');
    const choice: { severityId?: string; stateId?: string } = {};
    if (input.severityId != null)
      choice.severityId = checkUuid(input.severityId, 'input.severityId');
    if (input.stateId != null) choice.stateId = checkUuid(input.stateId, 'input.stateId');
    return ensureOneUptimeIncident(ctx, incidentId, choice);
  },

  createIncidentRole: (_, { input }, ctx) => {
    const data: Record<string, unknown> = {
      name: roleName(input.name),
      color: checkColor(input.color, 'input.color'),
    };
    if (input.description != null) data.description = roleDescription(input.description);
    if (input.roleIcon != null) data.roleIcon = roleIcon(input.roleIcon);
    if (input.canAssignMultipleUsers != null)
      data.canAssignMultipleUsers = input.canAssignMultipleUsers;
    return ctx.oneuptime.createRole(data);
  },

  updateIncidentRole: async (_, { id, input }, ctx) => {
    const roleId = checkUuid(id, 'id');
    const changes = roleChanges(input);
    // A missing id is 422 "…either does not exist or you do not have permissions…" (which
    // reads as a permission error), or 200 before OneUptime 11.7.2: look first, as delete does.
    if (!(await ctx.oneuptime.roleById.load(roleId))) {
      throw new NotFoundError(`No incident role has id "${roleId}".`, { argumentName: 'id' });
    }
    return ctx.oneuptime.updateRole(roleId, changes);
  },

  addIncidentResponder: (_, { input }, ctx) =>
    addResponder(ctx, {
      coralogixId: checkUuid(input.incidentId, 'input.incidentId'),
      userId: checkUuid(input.userId, 'input.userId'),
      roleId: checkUuid(input.roleId, 'input.roleId'),
      ...(input.notes == null
        ? {}
        : { notes: checkLength(input.notes, 'input.notes', TEXT_LIMITS.oneUptimeLongText) }),
    }),

  removeIncidentResponder: async (_, { id }, ctx) => {
    const memberId = checkUuid(id, 'id');
    await removeResponder(ctx, memberId);
    return { id: memberId };
  },

  deleteIncidentRole: async (_, { id }, ctx) => {
    const roleId = checkUuid(id, 'id');
    // OneUptime answers 200 {} for a missing id; DESIGN promises NOT_FOUND, so look first.
    if (!(await ctx.oneuptime.roleById.load(roleId))) {
      throw new NotFoundError(`No incident role has id "${roleId}".`, { argumentName: 'id' });
    }
    await ctx.oneuptime.deleteRole(roleId);
    return { id: roleId };
  },
};

/** A role's text fields, within OneUptime's column lengths (validate.ts TEXT_LIMITS). */
const roleName = (name: string) => checkText(name, 'input.name', TEXT_LIMITS.oneUptimeShortText);
const roleDescription = (description: string) =>
  checkLength(description, 'input.description', TEXT_LIMITS.oneUptimeLongText);
const roleIcon = (icon: string) =>
  checkLength(icon, 'input.roleIcon', TEXT_LIMITS.oneUptimeShortText);

/** Only the fields present in the input; null clears description / roleIcon only. */
function roleChanges(input: UpdateIncidentRoleInput): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const required = (key: 'name' | 'color' | 'canAssignMultipleUsers') => {
    if (input[key] === null) {
      throw new BadUserInputError(`"input.${key}" cannot be null.`, {
        argumentName: `input.${key}`,
      });
    }
  };
  if (input.name !== undefined) {
    required('name');
    data.name = roleName(input.name as string);
  }
  if (input.color !== undefined) {
    required('color');
    data.color = checkColor(input.color as string, 'input.color');
  }
  if (input.canAssignMultipleUsers !== undefined) {
    required('canAssignMultipleUsers');
    data.canAssignMultipleUsers = input.canAssignMultipleUsers;
  }
  if (input.description !== undefined) {
    data.description = input.description === null ? null : roleDescription(input.description);
  }
  if (input.roleIcon !== undefined) {
    data.roleIcon = input.roleIcon === null ? null : roleIcon(input.roleIcon);
  }
  if (Object.keys(data).length === 0) {
    throw new BadUserInputError('"input" must change at least one field.', {
      argumentName: 'input',
    });
  }
  return data;
}

/** Exactly one of the Coralogix incident (through the link) and the OneUptime incident. */
function oneIncidentOf(input: {
  incidentId?: string | null;
  oneUptimeIncidentId?: string | null;
}): { coralogixId: string } | { oneUptimeId: string } {
  const given = [input.incidentId, input.oneUptimeIncidentId].filter((id) => id != null);
  if (given.length !== 1) {
    throw new BadUserInputError(
      'Give exactly one of "input.incidentId" (Coralogix, through the link) and "input.oneUptimeIncidentId".',
      { argumentName: 'input' },
    );
  }
  return input.incidentId != null
    ? { coralogixId: checkUuid(input.incidentId, 'input.incidentId') }
    : { oneUptimeId: checkUuid(input.oneUptimeIncidentId as string, 'input.oneUptimeIncidentId') };
}
