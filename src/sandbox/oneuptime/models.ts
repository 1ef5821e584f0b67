/**
 * The OneUptime models the emulator serves: every column the docs list (plus
 * `deletedAt`, which every model has), its value type, how `data` may write it
 * and where its foreign key points. The incident, state, severity and member
 * models are in `incidentModels.ts`.
 *
 * Foreign keys follow the `@ManyToOne(…, { onDelete }) @JoinColumn` of each
 * model in `Common/Models/DatabaseModels/*.ts` at ab6f409.
 */
import { INCIDENT_MODELS } from './incidentModels.js';
import {
  ID_COLUMN,
  col,
  fk,
  model,
  rel,
  type ColumnDef,
  type EmulatedResource,
  type ModelDef,
} from './schema.js';

export {
  EMULATED_RESOURCES,
  ID_COLUMN,
  IGNORED_DATA_KEYS,
  type ColumnDef,
  type EmulatedResource,
  type ModelDef,
  type RelationDef,
  type WriteAccess,
} from './schema.js';

/** `IncidentStateTimeline.ts`: `incidentId` and `incidentStateId` cascade. */
const stateTimeline = model(
  'incident-state-timeline',
  'Incident State Timeline',
  {
    incidentId: fk('incident', 'cascade', 'createOnly', true),
    incidentStateId: fk('incident-state', 'cascade', 'createAndUpdate', true),
    startsAt: col('DateTime', 'createAndUpdate'),
    endsAt: col('DateTime', 'createAndUpdate'),
    rootCause: col('Text', 'createAndUpdate'),
    shouldStatusPageSubscribersBeNotified: col('Boolean', 'createAndUpdate'),
    // Filled by OneUptime's notification workers; the docs' update example writes one.
    subscriberNotificationStatus: col('Text', 'createAndUpdate'),
    subscriberNotificationStatusMessage: col('Text', 'createAndUpdate'),
    isOwnerNotified: col('Boolean', 'createAndUpdate'),
    stateChangeLog: col('JSON', 'server'),
  },
  {
    incident: rel('incidentId', 'incident'),
    incidentState: rel('incidentStateId', 'incident-state'),
  },
);

/** `IncidentRole.ts`. */
const incidentRole = model(
  'incident-role',
  'Incident Role',
  {
    name: col('Text', 'createAndUpdate', true),
    slug: col('Text', 'server', true),
    description: col('Text', 'createAndUpdate'),
    color: col('Color', 'createAndUpdate', true),
    roleIcon: col('Text', 'createAndUpdate'),
    isPrimaryRole: col('Boolean', 'server'),
    isDeleteable: col('Boolean', 'server'),
    canAssignMultipleUsers: col('Boolean', 'createAndUpdate'),
  },
  {},
);

/** `IncidentSla.ts`: `incidentId` and `incidentSlaRuleId` cascade. */
const incidentSla = model(
  'incident-sla',
  'Incident SLA',
  {
    incidentId: fk('incident', 'cascade', 'createOnly', true),
    incidentSlaRuleId: fk('incident-sla-rule', 'cascade', 'createOnly', true),
    slaStartedAt: col('DateTime', 'createOnly', true),
    status: col('Text', 'createAndUpdate', true),
    responseDeadline: col('DateTime', 'createAndUpdate'),
    resolutionDeadline: col('DateTime', 'createAndUpdate'),
    respondedAt: col('DateTime', 'createAndUpdate'),
    resolvedAt: col('DateTime', 'createAndUpdate'),
    breachNotificationSentAt: col('DateTime', 'createAndUpdate'),
    lastInternalNoteReminderSentAt: col('DateTime', 'createAndUpdate'),
    lastPublicNoteReminderSentAt: col('DateTime', 'createAndUpdate'),
  },
  {
    incident: rel('incidentId', 'incident'),
    incidentSlaRule: rel('incidentSlaRuleId', 'incident-sla-rule'),
  },
);

export const MODELS: Readonly<Record<EmulatedResource, ModelDef>> = {
  ...INCIDENT_MODELS,
  'incident-state-timeline': stateTimeline,
  'incident-role': incidentRole,
  'incident-sla': incidentSla,
};

/** A column by name, `_id` included; undefined for relations and unknown names. */
export function lookupColumn(def: ModelDef, name: string): ColumnDef | undefined {
  return name === '_id' ? ID_COLUMN : def.columns.get(name);
}
