/**
 * What flows through live updates: one change of one Coralogix record (an
 * incident or a case), and the batch of changes one poll or one mutation
 * produced. A batch is the unit of delivery: its changes are resolved with
 * one shared loader set per credential scope, so their joins batch across
 * records and subscribers. A batch holds changes of one family.
 */
import type { CaseWriteAction } from '../upstreams/coralogix/cases/client.js';
import type { Case } from '../upstreams/coralogix/cases/types.js';
import type { IncidentAction } from '../upstreams/coralogix/incidents/client.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'CLOSED';
export type IncidentChangeKind = ChangeKind;

/** The families of records live updates follow (`incidentChanged`, `caseChanged`). */
export type LiveFamilyName = 'incident' | 'case';

/** The payload of `Subscription.incidentChanged` (the `incident` is the Coralogix wire type). */
export interface IncidentChange {
  kind: ChangeKind;
  /** GraphQL `Incident` field names. */
  changedFields: string[];
  incident: Incident;
}

/** The payload of `Subscription.caseChanged` (the `case` is the checked wire case). */
export interface CaseChange {
  kind: ChangeKind;
  /** GraphQL `Case` field names. */
  changedFields: string[];
  case: Case;
}

export type LiveChange = IncidentChange | CaseChange;

/** The incident writes the gateway makes (each one a Mutation). */
export type IncidentWrite = 'assign' | IncidentAction;
/** The case writes the gateway makes that change a case (comments do not). */
export type CaseWrite = CaseWriteAction | 'unacknowledge' | 'update';

export interface ChangeBatch {
  /**
   * Whose view this is: `server`, or (CREDENTIALS=forward) a hash of one set
   * of upstream keys. A batch reaches only subscribers of the same scope.
   */
  scope: string;
  /** The replica that made it (replicas skip their own batches coming back over Redis). */
  origin: string;
  source: 'poll' | 'mutation';
  /** Whose changes these are; absent (a replica of an older version) means incidents. */
  family?: LiveFamilyName;
  changes: LiveChange[];
}
