/**
 * Selection pushdown: which OneUptime columns a GraphQL selection needs, read
 * from the resolve info (aliases, fragments and inline fragments included),
 * so `select` asks for those and nothing more.
 */
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { fieldsOf } from '../graphql/selection.js';

type RecordType = 'IncidentSla' | 'StateTimeline' | 'IncidentRole';

/** GraphQL field → the columns it reads. `id` is `_id`, which OneUptime always sends. */
const FIELD_COLUMNS: Record<RecordType, Record<string, readonly string[]>> = {
  IncidentSla: {
    incidentId: ['incidentId'],
    incident: ['incidentId'],
    ruleId: ['incidentSlaRuleId'],
    status: ['status'],
    statusText: ['status'],
    responseDeadline: ['responseDeadline'],
    resolutionDeadline: ['resolutionDeadline'],
    respondedAt: ['respondedAt'],
    resolvedAt: ['resolvedAt'],
    slaStartedAt: ['slaStartedAt'],
    breachNotificationSentAt: ['breachNotificationSentAt'],
    createdAt: ['createdAt'],
    updatedAt: ['updatedAt'],
  },
  StateTimeline: {
    incidentId: ['incidentId'],
    incident: ['incidentId'],
    incidentStateId: ['incidentStateId'],
    startsAt: ['startsAt'],
    endsAt: ['endsAt'],
    rootCause: ['rootCause'],
    stateChangeLog: ['stateChangeLog'],
    createdByUser: ['createdByUserId'],
    shouldStatusPageSubscribersBeNotified: ['shouldStatusPageSubscribersBeNotified'],
    subscriberNotificationStatus: ['subscriberNotificationStatus'],
    createdAt: ['createdAt'],
  },
  IncidentRole: {
    name: ['name'],
    slug: ['slug'],
    description: ['description'],
    color: ['color'],
    roleIcon: ['roleIcon'],
    isPrimaryRole: ['isPrimaryRole'],
    isDeleteable: ['isDeleteable'],
    canAssignMultipleUsers: ['canAssignMultipleUsers'],
    createdAt: ['createdAt'],
    updatedAt: ['updatedAt'],
  },
};

/** Field names selected below this resolver's field, after following `path` (e.g. edges → node). */
export function selectedFields(
  info: GraphQLResolveInfo,
  path: readonly string[] = [],
): Set<string> {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const step of path) {
    sets = sets.flatMap((set) =>
      fieldsOf(set, info.fragments)
        .filter((field) => field.name.value === step && field.selectionSet)
        .map((field) => field.selectionSet as SelectionSetNode),
    );
  }
  return new Set(
    sets.flatMap((set) => fieldsOf(set, info.fragments).map((field) => field.name.value)),
  );
}

export function columnsFor(type: RecordType, info: GraphQLResolveInfo, path?: readonly string[]) {
  const columns = new Set<string>();
  for (const field of selectedFields(info, path)) {
    for (const column of FIELD_COLUMNS[type][field] ?? []) columns.add(column);
  }
  return [...columns];
}
