/**
 * GraphQL that several test files send, written once. Each is the exact text
 * those files compare answers against, so a file that needs more fields adds
 * them next to these (`${ROLE_FIELDS} createdAt updatedAt`) rather than
 * changing them here.
 */

/** Assigns incidents to a user; answers their ids. Variables: `{ input: { incidentIds, userId } }`. */
export const ASSIGN = `mutation Assign($input: AssignIncidentsInput!) {
  assignIncidents(input: $input) { incidents { id } }
}`;

/** Unassigns incidents; answers their ids. Variables: `{ input: { incidentIds } }`. */
export const UNASSIGN = `mutation Unassign($input: IncidentIdsInput!) {
  unassignIncidents(input: $input) { incidents { id } }
}`;

/** One incident with what a mutation changes and a OneUptime join (the shared-cache tests' read). */
export const INCIDENT = `query Incident($id: ID!) {
  incident(id: $id) { id state status assignments { assignedTo { id } } stateTimeline { id } }
}`;

/** An incident role's own fields (no timestamps). */
export const ROLE_FIELDS =
  'id name slug description color roleIcon isPrimaryRole isDeleteable canAssignMultipleUsers';

/** A state-timeline entry's own fields (no timestamps, no joins). */
export const TIMELINE_FIELDS =
  'id oneUptimeIncidentId incidentStateId startsAt endsAt rootCause stateChangeLog';
