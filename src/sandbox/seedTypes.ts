/**
 * The shapes of the seeded OneUptime rows the gateway's own declarations do
 * not cover (yet): incidents, incident states and severities, incident
 * members. Columns follow `Common/Models/DatabaseModels/*.ts` at ab6f409.
 */
import type {
  IncidentRoleRecord,
  IncidentSlaRecord,
  StateTimelineRecord,
} from '../upstreams/oneuptime/types.js';
import type { CaseRecord } from './coralogix/cases/store.js';
import type { FeedRecord } from './coralogix/eventFeed.js';
import type { StoredIncident } from './coralogix/store.js';

export interface SeedUser {
  id: string;
  email: string;
  name: string;
}

/** A seeded OneUptime row: the columns the gateway reads plus the ones the server sets. */
export type SeedRow<R> = R & {
  _id: string;
  projectId: string;
  createdAt: string;
  updatedAt: string;
  createdByUserId?: string | null;
  [column: string]: unknown;
};

export interface IncidentStateColumns {
  name: string;
  slug: string;
  description: string;
  color: string;
  order: number;
  isCreatedState: boolean;
  isAcknowledgedState: boolean;
  isResolvedState: boolean;
}

export interface IncidentSeverityColumns {
  name: string;
  slug: string;
  description: string;
  color: string;
  order: number;
}

export interface OneUptimeIncidentColumns {
  title: string;
  description: string | null;
  declaredAt: string;
  impactStartedAt: string | null;
  slug: string;
  currentIncidentStateId: string;
  incidentSeverityId: string;
  /** The JSON column; the link to Coralogix is its `coralogixIncidentId` key. */
  customFields: Record<string, unknown> | null;
  rootCause: string | null;
  postmortemNote: string | null;
  remediationNotes: string | null;
  incidentNumber: number;
  incidentNumberWithPrefix: string;
  shouldStatusPageSubscribersBeNotifiedOnIncidentCreated: boolean;
  isVisibleOnStatusPage: boolean;
  isPrivate: boolean;
}

export interface IncidentMemberColumns {
  userId: string;
  incidentId: string;
  incidentRoleId: string;
  notes: string | null;
  isMemberNotified: boolean;
}

/** Everything the sandbox is seeded with (`generateSeed` in seed.ts). */
export interface SeedData {
  projectId: string;
  users: SeedUser[];
  /**
   * The project's incident states, in `order` (Created … Resolved). `id` repeats
   * `_id` for callers of the earlier `{id, name, order}` shape; it is not a column.
   */
  incidentStates: Array<SeedRow<IncidentStateColumns> & { id: string }>;
  /** The project's incident severities, in `order` (Critical … Low). */
  incidentSeverities: Array<SeedRow<IncidentSeverityColumns>>;
  slaRuleIds: string[];
  /** Coralogix incidents. */
  incidents: StoredIncident[];
  /** When each Coralogix event happened (the event feed), oldest first. */
  eventFeed: FeedRecord[];
  /** Coralogix cases, each with its Activity timeline (`seedCases.ts`). */
  cases: CaseRecord[];
  /** OneUptime incidents (`/api/incident`). */
  oneUptimeIncidents: Array<SeedRow<OneUptimeIncidentColumns>>;
  stateTimelines: Array<SeedRow<StateTimelineRecord>>;
  slas: Array<SeedRow<IncidentSlaRecord>>;
  roles: Array<SeedRow<IncidentRoleRecord>>;
  members: Array<SeedRow<IncidentMemberColumns>>;
}
