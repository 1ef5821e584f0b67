import type { IncidentMemberResolvers } from '../__generated__/resolvers-types.js';
import { columnsFor } from './columns.js';
import { required } from './required.js';

export const IncidentMember: IncidentMemberResolvers = {
  id: (member) => member._id,
  user: (member) => ({ userId: required(member.userId, 'member userId') }),
  role: (member, _, ctx, info) =>
    member.incidentRoleId
      ? ctx.oneuptime.roleById.load(member.incidentRoleId, columnsFor('incident-role', info))
      : null,
  oneUptimeIncidentId: (member) => required(member.incidentId, 'member incidentId'),
  oneUptimeIncident: (member, _, ctx, info) =>
    member.incidentId
      ? ctx.oneuptime.incidentById.load(member.incidentId, columnsFor('incident', info))
      : null,
};
