/**
 * Responder writes through the link: a member (`incident-member`) of the
 * OneUptime incident linked to a Coralogix incident. Every check reads
 * OneUptime afresh before anything is written. OneUptime's API accepts a
 * second user in a role with `canAssignMultipleUsers: false` (only its
 * dashboard refuses), so the check here is what keeps such a role single.
 */
import { BadUserInputError, ConflictError, NotFoundError } from '../errors.js';
import { checksInOrder } from '../resolvers/validate.js';
import type { IncidentMemberRecord } from '../upstreams/oneuptime/types.js';
import { writeTarget, type LinkWriteContext } from './writes.js';

export interface NewResponder {
  coralogixId: string;
  userId: string;
  roleId: string;
  notes?: string;
}

export async function addResponder(
  ctx: LinkWriteContext,
  input: NewResponder,
): Promise<IncidentMemberRecord> {
  ctx.oneuptime.roleById.clear(input.roleId);
  const [incidentId, role] = await checksInOrder([
    writeTarget(ctx, { coralogixId: input.coralogixId }),
    ctx.oneuptime.roleById.load(input.roleId),
  ]);
  if (!role) {
    throw new BadUserInputError(`The OneUptime project has no incident role "${input.roleId}".`, {
      argumentName: 'input.roleId',
    });
  }
  const holders = await ctx.oneuptime.holders(incidentId, input.roleId);
  const name = role.name ?? input.roleId;
  if (holders.some((member) => member.userId === input.userId)) {
    throw new ConflictError(
      `User "${input.userId}" already holds role "${name}" on this incident.`,
      {
        incidentId: input.coralogixId,
        roleId: input.roleId,
      },
    );
  }
  // OneUptime's default for the column is false: a role that does not say allows one user.
  const [holder] = holders;
  if (role.canAssignMultipleUsers !== true && holder) {
    throw new ConflictError(
      `Role "${name}" allows one user only and user "${holder.userId}" holds it on this incident; remove that responder first.`,
      { incidentId: input.coralogixId, roleId: input.roleId, memberId: holder._id },
    );
  }
  return ctx.oneuptime.createMember({
    incidentId,
    userId: input.userId,
    incidentRoleId: input.roleId,
    ...(input.notes === undefined ? {} : { notes: input.notes }),
  });
}

/** OneUptime answers 200 `{}` for a missing id: look first, so a missing one is NOT_FOUND. */
export async function removeResponder(ctx: LinkWriteContext, memberId: string): Promise<void> {
  ctx.oneuptime.memberById.clear(memberId);
  const member = await ctx.oneuptime.memberById.load(memberId, ['incidentId']);
  if (!member) {
    throw new NotFoundError(`No incident responder has id "${memberId}".`, { argumentName: 'id' });
  }
  await ctx.oneuptime.deleteMember(member);
}
