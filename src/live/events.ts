/**
 * What flows through live updates: one change of one incident, and the batch
 * of changes one poll or one mutation produced. A batch is the unit of
 * delivery: its changes are resolved with one shared loader set per
 * credential scope, so their joins batch across incidents and subscribers.
 */
import type { IncidentAction } from '../upstreams/coralogix/incidents/client.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';

export type IncidentChangeKind = 'CREATED' | 'UPDATED' | 'CLOSED';

/** The payload of `Subscription.incidentChanged` (the `incident` is the Coralogix wire type). */
export interface IncidentChange {
  kind: IncidentChangeKind;
  /** GraphQL `Incident` field names. */
  changedFields: string[];
  incident: Incident;
}

/** The incident writes the gateway makes (each one a Mutation). */
export type IncidentWrite = 'assign' | IncidentAction;

export interface ChangeBatch {
  /**
   * Whose view this is: `server`, or (CREDENTIALS=forward) a hash of one set
   * of upstream keys. A batch reaches only subscribers of the same scope.
   */
  scope: string;
  /** The replica that made it (replicas skip their own batches coming back over Redis). */
  origin: string;
  source: 'poll' | 'mutation';
  changes: IncidentChange[];
}
