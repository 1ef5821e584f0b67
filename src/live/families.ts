/**
 * The two families live updates follow, described once each (STYLE 17): how
 * a record is identified and ordered by its last change, which GraphQL fields
 * a change compares, when it counts as closed, what each gateway write
 * changes, and how the poller reads the newest changes first. The view
 * (view.ts), the diff (diff.ts) and the poller (poller.ts) are written once
 * over this description.
 */
import type { Case, CaseOrderBy, CaseStatusWire } from '../upstreams/coralogix/cases/types.js';
import type { Incident, ListIncidentsRequest } from '../upstreams/coralogix/incidents/types.js';
import type { LiveContext } from './access.js';
import type {
  CaseChange,
  CaseWrite,
  ChangeKind,
  IncidentChange,
  IncidentWrite,
  LiveChange,
  LiveFamilyName,
} from './events.js';

export interface LiveFamily<R, C extends LiveChange, W extends string> {
  name: LiveFamilyName;
  /** How logs name the records: `incidents`, `cases`. */
  plural: string;
  id(record: R): string;
  /** When the record last changed (ms; 0 when unknown): the poll's order and the view's watermark. */
  changedAt(record: R): number;
  /** The GraphQL fields with a value of their own on the record, in schema order. */
  fields: Readonly<Record<string, (record: R) => unknown>>;
  /** Fields that may differ on every read: alone, they are no change. */
  notAChangeAlone: ReadonlySet<string>;
  isClosed(record: R): boolean;
  /** When the record was created, or undefined. */
  createdAt(record: R): string | undefined;
  /** Whether a record first seen now was closed since `sinceMs`. */
  closedSince(record: R, sinceMs: number): boolean;
  /** The fields each gateway write changes, for a record the gateway had no view of. */
  writeFields: Readonly<Record<W, readonly string[]>>;
  change(kind: ChangeKind, changedFields: string[], record: R): C;
  recordOf(change: C): R;
  /** One page of the newest changes first (the poll). */
  page(
    ctx: LiveContext,
    pageSize: number,
    pageToken: string | undefined,
  ): Promise<{ records: R[]; nextPageToken?: string | undefined }>;
}

const ms = (time: string | undefined) => Date.parse(time ?? '') || 0;
const after = (time: string | undefined, sinceMs: number) =>
  time !== undefined && Date.parse(time) >= sinceMs;

/** The incident poll's order: the incidents that changed last come first. */
export const INCIDENT_POLL_ORDER: ListIncidentsRequest['orderBys'] = [
  {
    incidentField: 'INCIDENTS_FIELDS_LAST_STATE_UPDATE_TIME',
    direction: 'ORDER_BY_DIRECTION_DESC',
  },
];

export const INCIDENT_LIVE: LiveFamily<Incident, IncidentChange, IncidentWrite> = {
  name: 'incident',
  plural: 'incidents',
  id: (i) => i.id,
  changedAt: (i) => ms(i.lastStateUpdateTime),
  fields: {
    name: (i) => i.name ?? '',
    description: (i) => i.description ?? null,
    state: (i) => i.state,
    status: (i) => i.status,
    severity: (i) => i.severity,
    assignments: (i) => i.assignments,
    contextualLabels: (i) => i.contextualLabels,
    displayLabels: (i) => i.displayLabels,
    metaLabels: (i) => i.metaLabels ?? [],
    events: (i) => i.events,
    createdAt: (i) => i.createdAt ?? null,
    closedAt: (i) => i.closedAt ?? null,
    lastStateUpdateTime: (i) => i.lastStateUpdateTime ?? null,
    lastStateUpdateKey: (i) => i.lastStateUpdateKey ?? null,
    duration: (i) => i.duration ?? null,
    isMuted: (i) => i.isMuted ?? false,
  },
  // Coralogix may recompute `duration` of an open incident on every read.
  notAChangeAlone: new Set(['duration']),
  isClosed: (i) => Boolean(i.closedAt),
  createdAt: (i) => i.createdAt,
  closedSince: (i, sinceMs) => after(i.closedAt, sinceMs),
  writeFields: {
    assign: ['assignments', 'events'],
    unassign: ['assignments', 'events'],
    acknowledge: ['status', 'events'],
    resolve: ['state', 'status', 'closedAt', 'events'],
    close: ['state', 'status', 'closedAt', 'events'],
  },
  change: (kind, changedFields, incident) => ({ kind, changedFields, incident }),
  recordOf: (change) => change.incident,
  page: async (ctx, pageSize, pageToken) => {
    const response = await ctx.coralogix.list({
      orderBys: INCIDENT_POLL_ORDER,
      pagination: { pageSize, ...(pageToken ? { pageToken } : {}) },
    });
    return { records: response.incidents, nextPageToken: response.pagination.nextPageToken };
  },
};

/** The case poll's order: ListCases by `UPDATED_AT`, newest first. */
export const CASE_POLL_ORDER: CaseOrderBy = {
  field: 'CASE_ORDER_BY_FIELD_UPDATED_AT',
  direction: 'CASE_ORDER_BY_DIRECTION_DESCENDING',
};

const CLOSED: CaseStatusWire = 'CASE_STATUS_CLOSED';

export const CASE_LIVE: LiveFamily<Case, CaseChange, CaseWrite> = {
  name: 'case',
  plural: 'cases',
  id: (c) => c.id,
  // Comments do not change `updateTime`: a comment alone is not seen by the poll.
  changedAt: (c) => ms(c.updateTime ?? c.createTime),
  fields: {
    readableId: (c) => c.readableId ?? null,
    title: (c) => c.title,
    status: (c) => c.status,
    priority: (c) => c.priority,
    systemPriority: (c) => c.priorityDetails?.system ?? null,
    priorityOverride: (c) => c.priorityDetails?.override ?? null,
    category: (c) => c.category,
    assignee: (c) => c.assignee?.userId ?? null,
    labels: (c) => c.labels,
    groupings: (c) => c.groupings,
    createdAt: (c) => c.createTime || null,
    updatedAt: (c) => c.updateTime ?? null,
    acknowledgedAt: (c) => c.acknowledgeTime ?? null,
    resolution: (c) => c.resolutionDetails ?? null,
    durationMs: (c) => c.duration ?? null,
    aiSummary: (c) => c.aiSummary ?? null,
    alerts: (c) => c.caseIndicators?.alertIndicators ?? [],
  },
  // An open case's duration grows on every read.
  notAChangeAlone: new Set(['durationMs']),
  isClosed: (c) => c.status === CLOSED,
  createdAt: (c) => c.createTime || undefined,
  // Cases carry no close time: a closed case the poll sees changed since the last look.
  closedSince: (c, sinceMs) => c.status === CLOSED && ms(c.updateTime) >= sinceMs,
  writeFields: {
    assign: ['assignee', 'updatedAt'],
    unassign: ['assignee', 'updatedAt'],
    acknowledge: ['status', 'acknowledgedAt', 'updatedAt'],
    unacknowledge: ['status', 'acknowledgedAt', 'updatedAt'],
    resolve: ['status', 'resolution', 'updatedAt'],
    close: ['status', 'updatedAt'],
    setPriority: ['priority', 'priorityOverride', 'updatedAt'],
    clearPriority: ['priority', 'priorityOverride', 'updatedAt'],
    update: ['title', 'resolution', 'updatedAt'],
  },
  change: (kind, changedFields, record) => ({ kind, changedFields, case: record }),
  recordOf: (change) => change.case,
  page: async (ctx, pageSize, pageToken) => {
    const response = await ctx.cases.list({
      orderBy: CASE_POLL_ORDER,
      pagination: { pageSize, ...(pageToken ? { pageToken } : {}) },
    });
    return { records: response.cases, nextPageToken: response.pagination.nextPageToken };
  },
};
