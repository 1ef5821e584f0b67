/**
 * OneUptime's incident, incident state, incident severity and incident member
 * models, as the emulator knows them (`Common/Models/DatabaseModels/{Incident,
 * IncidentState,IncidentSeverity,IncidentMember}.ts` at ab6f409). Write access
 * follows each column's `@ColumnAccessControl` (`create: []` → server-set,
 * `update: []` → create-only); foreign keys follow `@ManyToOne(… onDelete …)`.
 * The incident model declares the columns an integration uses, not all ~70.
 */
import { col, fk, model, rel, type ModelDef } from './schema.js';

/**
 * `Incident.ts`. `currentIncidentStateId` and `incidentSeverityId` have no
 * `onDelete` (NO ACTION: a state or severity in use cannot be deleted).
 * `slug`, `incidentNumber`, `incidentNumberWithPrefix` are server-set.
 */
const incident = model(
  'incident',
  'Incident',
  {
    title: col('Text', 'createAndUpdate', true),
    description: col('Text', 'createAndUpdate'),
    declaredAt: col('DateTime', 'createAndUpdate', true),
    impactStartedAt: col('DateTime', 'createAndUpdate'),
    slug: col('Text', 'server', true),
    currentIncidentStateId: fk('incident-state', 'noAction', 'createAndUpdate', true),
    incidentSeverityId: fk('incident-severity', 'noAction', 'createAndUpdate', true),
    customFields: col('JSON', 'createAndUpdate'),
    rootCause: col('Text', 'createAndUpdate'),
    postmortemNote: col('Text', 'createAndUpdate'),
    remediationNotes: col('Text', 'createAndUpdate'),
    incidentNumber: col('Number', 'server'),
    incidentNumberWithPrefix: col('Text', 'server'),
    shouldStatusPageSubscribersBeNotifiedOnIncidentCreated: col('Boolean', 'createOnly'),
    isVisibleOnStatusPage: col('Boolean', 'createAndUpdate'),
    isPrivate: col('Boolean', 'createAndUpdate'),
  },
  {
    currentIncidentState: rel('currentIncidentStateId', 'incident-state'),
    incidentSeverity: rel('incidentSeverityId', 'incident-severity'),
  },
);

/** `IncidentState.ts` (`@SlugifyColumn("name", "slug")`). */
const incidentState = model(
  'incident-state',
  'Incident State',
  {
    name: col('Text', 'createAndUpdate', true),
    slug: col('Text', 'server', true),
    description: col('Text', 'createAndUpdate'),
    color: col('Color', 'createAndUpdate', true),
    isCreatedState: col('Boolean', 'createAndUpdate'),
    isAcknowledgedState: col('Boolean', 'createAndUpdate'),
    isResolvedState: col('Boolean', 'createAndUpdate'),
    order: col('Number', 'createAndUpdate'),
  },
  {},
);

/** `IncidentSeverity.ts` (`@SlugifyColumn("name", "slug")`). */
const incidentSeverity = model(
  'incident-severity',
  'Incident Severity',
  {
    name: col('Text', 'createAndUpdate', true),
    slug: col('Text', 'server', true),
    description: col('Text', 'createAndUpdate'),
    color: col('Color', 'createAndUpdate', true),
    order: col('Number', 'createAndUpdate'),
  },
  {},
);

/**
 * `IncidentMember.ts` (release 9.5.0+): `userId`, `incidentId`, `incidentRoleId`
 * all cascade; `userId` and `incidentId` cannot be updated; `isMemberNotified`
 * is server-set (default false).
 */
const incidentMember = model(
  'incident-member',
  'Incident Member',
  {
    userId: fk('user', 'cascade', 'createOnly', true),
    incidentId: fk('incident', 'cascade', 'createOnly', true),
    incidentRoleId: fk('incident-role', 'cascade', 'createAndUpdate', true),
    notes: col('Text', 'createAndUpdate'),
    isMemberNotified: col('Boolean', 'server'),
  },
  {
    user: rel('userId', 'user'),
    incident: rel('incidentId', 'incident'),
    incidentRole: rel('incidentRoleId', 'incident-role'),
  },
);

export const INCIDENT_MODELS = {
  incident,
  'incident-state': incidentState,
  'incident-severity': incidentSeverity,
  'incident-member': incidentMember,
} satisfies Record<string, ModelDef>;
