/**
 * What the cross-vendor link (DESIGN 5a) resolves to: the OneUptime incidents
 * whose link custom field names a Coralogix incident, oldest first.
 */
import type { Case } from '../upstreams/coralogix/cases/types.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type { OneUptimeIncidentRecord } from '../upstreams/oneuptime/resources.js';

export type LinkStatus = 'LINKED' | 'NOT_LINKED' | 'CONFLICT';

export interface Link {
  status: LinkStatus;
  /** The linked OneUptime incident (with CONFLICT, the oldest claimant); undefined when not linked. */
  oneUptimeIncidentId?: string;
  /** Every OneUptime incident claiming the Coralogix incident, oldest first. */
  claimants: string[];
  /**
   * The claimants whose link field names this Coralogix id first, so their
   * reverse join (`OneUptimeIncident.incident`) reads it: the request that
   * resolved this link knows their Coralogix incident without reading them
   * again. A claimant missing here holds a multi-value field led by another id.
   * Absent from entries cached by an older gateway (then nothing is inferred).
   */
  namedFirstBy?: string[];
}

/** What a link write did, for any family (src/links/machine.ts). */
export interface LinkResult<R> {
  /** The Coralogix record. */
  record: R;
  /** The OneUptime incident linked now; for an unlink, the first one unlinked. */
  oneUptimeIncident: OneUptimeIncidentRecord | null;
  created: boolean;
  /** The OneUptime incidents whose link an unlink removed, as they are afterwards. */
  unlinked: OneUptimeIncidentRecord[];
}

/** `IncidentLinkPayload`'s mapper: the Coralogix incident and the OneUptime ones, as rows. */
export interface LinkPayload {
  incident: Incident;
  oneUptimeIncident: OneUptimeIncidentRecord | null;
  created: boolean;
  unlinked: OneUptimeIncidentRecord[];
}

/** `CaseLinkPayload`'s mapper: the Coralogix case and the OneUptime incidents, as rows. */
export interface CaseLinkPayload {
  case: Case;
  oneUptimeIncident: OneUptimeIncidentRecord | null;
  created: boolean;
  unlinked: OneUptimeIncidentRecord[];
}
