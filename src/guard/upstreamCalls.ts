/**
 * The upstream-call model of the operation limits (MAX_UPSTREAM_CALLS): for
 * each field that reaches an upstream, how many calls it may cause. limits.ts
 * walks the operation once and adds these up into an upper bound, checked
 * before any resolver runs; the per-operation counter (callBudget.ts) is the
 * run-time backstop for what the model assumes.
 *
 * Contract of UPSTREAM_CALLS (`'Type.field': [rules]`, one line per field):
 * - A field that makes no upstream call has no entry (it costs 0).
 * - Every rule of a field applies each time the field is selected; list every
 *   call the resolver can make (e.g. the link, then the joined rows).
 * - `perParent(n)`: n calls for every parent instance, never shared (a page of
 *   a list, a count, a write). `n` may be a function of the field's arguments
 *   (variables and defaults applied).
 * - `batched(loader)`: a per-request loader that sends the keys of one level
 *   together, `keysPerCall` per call, each call followed through `pages` pages
 *   (ceil(keysPerCall × rowsPerKey / rows per page)). The fields of one
 *   selection set that name the same loader share its calls (DataLoader
 *   batches a level, and its cache hits resolve with the level's fetch), and
 *   ask for one key per parent instance (the key comes from the parent).
 * - `perItem(name)`: one call per key: the upstream has no batch get (one GET
 *   per event, per Coralogix case). Fields naming the same loader on one
 *   parent share the call (the loader's cache), so a child that needs one GET
 *   per distinct parent (`IncidentSla.case`) is `perItem` too.
 * - `batchedById(loader)` / `perItemById(name)`: the same, for a lookup whose
 *   key is the field's argument (`incident(id:)`): each selection of it
 *   (response key) asks for a key of its own.
 * - `perRequest(loader)`: read once per operation whatever asks (the
 *   project's incident states).
 * - With batching off (the bench's naive baseline: dataloader `batch: false,
 *   cache: false`) every `batched`, `perItem` and `perRequest` call is one per
 *   key: the model counts them per parent instance.
 * Child lists without `first` are assumed to hold ROWS_PER_PARENT rows per
 * parent (the cost model's estimate); past it the run-time counter decides.
 */
import { MAX_QUERY_CHARS } from '../upstreams/coralogix/incidents/client.js';
import { MAX_INSTANT_PAGES } from '../upstreams/coralogix/incidents/eventLoaders.js';
import { IDS_PER_CALL, PAGE_LIMIT } from '../upstreams/oneuptime/client.js';
import { LINK_IDS_PER_CALL } from '../links/loader.js';

/** Rows per parent the model assumes for a child list without `first` (see the contract). */
export const ROWS_PER_PARENT = 10;

export interface Loader {
  /** Fields naming one loader on one parent share its calls. */
  name: string;
  /** Keys one call carries (Infinity: one call whatever the number of keys). */
  keysPerCall: number;
  /** Sequential or skip pages one call may be followed through. */
  pages: number;
}

/** The field's arguments, variables and defaults applied (explicit null stays null). */
export type Arguments = (name: string) => unknown;

export type CallRule =
  | { kind: 'perParent'; calls: (args: Arguments) => number }
  | { kind: 'batched'; loader: Loader; bySelection: boolean }
  | { kind: 'perItem'; loader: string; bySelection: boolean }
  | { kind: 'perRequest'; loader: string };

/** Pages of one OneUptime IN query of `keysPerCall` keys with `rowsPerKey` rows each. */
const pagesFor = (keysPerCall: number, rowsPerKey: number) =>
  Math.max(1, Math.ceil((keysPerCall * rowsPerKey) / PAGE_LIMIT));

const oneUptime = (resource: string, rowsPerKey: number): Loader => ({
  name: `oneuptime ${resource}`,
  keysPerCall: IDS_PER_CALL,
  pages: pagesFor(IDS_PER_CALL, rowsPerKey),
});

/** A Coralogix incident id in the batch get's query string: `ids=<36-character UUID>&`. */
const BATCH_GET_ID_CHARS = 'ids'.length + 2 + 36;

export const LOADERS = {
  /** `GET /incidents/incidents/v1?ids=…`, chunked by URL length (client.ts `chunkByLength`). */
  coralogixIncident: {
    name: 'coralogix incident',
    keysPerCall: Math.floor(MAX_QUERY_CHARS / BATCH_GET_ID_CHARS),
    pages: 1,
  },
  /** One feed query for a level's timelines, at most MAX_INSTANT_PAGES pages (eventLoaders.ts). */
  instants: { name: 'coralogix instants', keysPerCall: Infinity, pages: MAX_INSTANT_PAGES },
  /** The link (links/loader.ts): OneUptime incidents by custom field, claimants per id assumed. */
  link: {
    name: 'link',
    keysPerCall: LINK_IDS_PER_CALL,
    pages: pagesFor(LINK_IDS_PER_CALL, ROWS_PER_PARENT),
  },
  /** The case link: the same lookup on the case field, a loader of its own (links/loader.ts). */
  caseLink: {
    name: 'case link',
    keysPerCall: LINK_IDS_PER_CALL,
    pages: pagesFor(LINK_IDS_PER_CALL, ROWS_PER_PARENT),
  },
  incidentById: oneUptime('incident', 1),
  roleById: oneUptime('incident-role', 1),
  slaById: oneUptime('incident-sla', 1),
  timelineById: oneUptime('incident-state-timeline', 1),
  timelinesByIncident: oneUptime('incident-state-timeline by incident', ROWS_PER_PARENT),
  slasByIncident: oneUptime('incident-sla by incident', ROWS_PER_PARENT),
  membersByIncident: oneUptime('incident-member by incident', ROWS_PER_PARENT),
} satisfies Record<string, Loader>;

const batched = (loader: Loader): CallRule => ({ kind: 'batched', loader, bySelection: false });
const batchedById = (loader: Loader): CallRule => ({ kind: 'batched', loader, bySelection: true });
const perItem = (loader: string): CallRule => ({ kind: 'perItem', loader, bySelection: false });
/** `case(id:)`: Coralogix has no batch get of cases (exported for the model's own tests too). */
export const perItemById = (loader: string): CallRule => ({
  kind: 'perItem',
  loader,
  bySelection: true,
});
const perRequest = (loader: string): CallRule => ({ kind: 'perRequest', loader });
const perParent = (calls: number | ((args: Arguments) => number)): CallRule => ({
  kind: 'perParent',
  calls: typeof calls === 'number' ? () => calls : calls,
});

/**
 * A Coralogix token-paged list (lists.ts `tokenPage`): the page, plus one hop
 * over a whole upstream page when resuming from a cursor.
 */
const tokenWalk = (args: Arguments) => (args('after') == null ? 1 : 2);

/** A OneUptime page (or count), after the link of `filter.incidentIds` (lists.ts `incidentRecordPage`). */
const scopedPage = (args: Arguments) => {
  const filter = args('filter') as { incidentIds?: unknown } | null | undefined;
  const ids = Array.isArray(filter?.incidentIds) ? filter.incidentIds.length : 0;
  return 1 + Math.ceil(ids / LINK_IDS_PER_CALL) * LOADERS.link.pages;
};

const link = batched(LOADERS.link);
const caseLink = batched(LOADERS.caseLink);
/** `GET /cases/cases/v1/{id}` (cases/loaders.ts): no batch get, one call per distinct case. */
const CASE = 'coralogix case';
/** `GET /cases/cases/v1/{id}/events`: one call per case. */
const CASE_EVENTS = 'coralogix case events';

/** Upstream calls per field (see the contract above). */
export const UPSTREAM_CALLS: Readonly<Record<string, readonly CallRule[]>> = {
  'Query.incident': [batchedById(LOADERS.coralogixIncident)],
  'Query.incidents': [perParent(tokenWalk)],
  'Query.oneUptimeIncident': [batchedById(LOADERS.incidentById)],
  'Query.oneUptimeIncidents': [perParent(1)],
  'Query.oneUptimeIncidentStates': [perRequest('oneuptime incident-state')],
  'Query.oneUptimeIncidentSeverities': [perRequest('oneuptime incident-severity')],
  'Query.incidentRole': [batchedById(LOADERS.roleById)],
  'Query.incidentRoles': [perParent(1)],
  'Query.incidentSla': [batchedById(LOADERS.slaById)],
  'Query.incidentSlas': [perParent(scopedPage)],
  'Query.stateTimeline': [batchedById(LOADERS.timelineById)],
  'Query.stateTimelines': [perParent(scopedPage)],
  'Query.incidentEvents': [perParent(tokenWalk)],
  'Query.incidentFacets': [perParent(1)],
  // Coralogix's feed sends no totalSize: one count call (feed.ts).
  'IncidentEventConnection.totalCount': [perParent(1)],
  // GetIncidentByEventId: no batch get, at most one call per event (eventLoaders.ts).
  'IncidentFeedEvent.incident': [perItem('coralogix incident by event')],

  'Incident.linkStatus': [link],
  'Incident.oneUptimeIncident': [link, batched(LOADERS.incidentById)],
  'Incident.stateTimeline': [link, batched(LOADERS.timelinesByIncident)],
  'Incident.slas': [link, batched(LOADERS.slasByIncident)],
  'Incident.responders': [link, batched(LOADERS.membersByIncident)],
  'Incident.timeline': [
    link,
    batched(LOADERS.instants),
    batched(LOADERS.timelinesByIncident),
    batched(LOADERS.membersByIncident),
  ],

  // Coralogix Cases (DESIGN 5c): one GET per case, its events one GET per case.
  'Query.case': [perItemById(CASE)],
  'Query.cases': [perParent(tokenWalk)],
  // GetFilterValues with the page's filter, only when selected (shared with caseFacets).
  'CaseConnection.totalCount': [perParent(1)],
  'Query.caseFacets': [perParent(1)],
  'Case.events': [perItem(CASE_EVENTS)],
  'Case.linkStatus': [caseLink],
  'Case.oneUptimeIncident': [caseLink, batched(LOADERS.incidentById)],
  'Case.stateTimeline': [caseLink, batched(LOADERS.timelinesByIncident)],
  'Case.slas': [caseLink, batched(LOADERS.slasByIncident)],
  'Case.responders': [caseLink, batched(LOADERS.membersByIncident)],
  'Case.timeline': [
    caseLink,
    perItem(CASE_EVENTS),
    batched(LOADERS.timelinesByIncident),
    batched(LOADERS.membersByIncident),
  ],

  'OneUptimeIncident.state': [perRequest('oneuptime incident-state')],
  'OneUptimeIncident.severity': [perRequest('oneuptime incident-severity')],
  'OneUptimeIncident.incident': [batched(LOADERS.coralogixIncident)],
  'OneUptimeIncident.case': [perItem(CASE)],
  'OneUptimeIncident.stateTimeline': [batched(LOADERS.timelinesByIncident)],
  'OneUptimeIncident.slas': [batched(LOADERS.slasByIncident)],
  'OneUptimeIncident.responders': [batched(LOADERS.membersByIncident)],

  'IncidentSla.oneUptimeIncident': [batched(LOADERS.incidentById)],
  'IncidentSla.incident': [batched(LOADERS.incidentById), batched(LOADERS.coralogixIncident)],
  'IncidentSla.case': [batched(LOADERS.incidentById), perItem(CASE)],
  'StateTimeline.oneUptimeIncident': [batched(LOADERS.incidentById)],
  'StateTimeline.incident': [batched(LOADERS.incidentById), batched(LOADERS.coralogixIncident)],
  'StateTimeline.case': [batched(LOADERS.incidentById), perItem(CASE)],
  'StateTimeline.state': [perRequest('oneuptime incident-state')],
  'IncidentMember.role': [batched(LOADERS.roleById)],
  'IncidentMember.oneUptimeIncident': [batched(LOADERS.incidentById)],

  // Polled once for every subscriber (live/poller.ts), never by an operation.
  'Subscription.incidentChanged': [],
  'Subscription.caseChanged': [],

  // Writes (Mutation.ts, links/writes.ts, links/responders.ts): every read and write of one call.
  'Mutation.assignIncidents': [perParent(1)],
  'Mutation.unassignIncidents': [perParent(1)],
  'Mutation.acknowledgeIncidents': [perParent(1)],
  'Mutation.resolveIncidents': [perParent(1)],
  'Mutation.closeIncidents': [perParent(1)],
  // The target (link, or the OneUptime incident; the Coralogix incident when not linked), states, create.
  'Mutation.createStateTimeline': [perParent(3)],
  // Both incidents, the link, the write, the incident read back.
  'Mutation.linkIncident': [perParent(5)],
  // The incident, the link, then a read and a write per claimant, the first read back.
  'Mutation.unlinkIncident': [perParent(3 + 2 * ROWS_PER_PARENT)],
  // The incident, the link, then the linked one, or severities, states and the create.
  'Mutation.ensureOneUptimeIncident': [perParent(5)],
  'Mutation.createIncidentRole': [perParent(1)],
  // The role is looked up, written, read back.
  'Mutation.updateIncidentRole': [perParent(3)],
  'Mutation.deleteIncidentRole': [perParent(2)],
  // The link (and the Coralogix incident when not linked), the role, its holders, the create.
  'Mutation.addIncidentResponder': [perParent(4)],
  'Mutation.removeIncidentResponder': [perParent(2)],
  // Case writes (CaseMutation.ts): one call each, single-case or bulk path alike.
  'Mutation.assignCases': [perParent(1)],
  'Mutation.unassignCases': [perParent(1)],
  'Mutation.acknowledgeCases': [perParent(1)],
  'Mutation.unacknowledgeCase': [perParent(1)],
  'Mutation.resolveCases': [perParent(1)],
  'Mutation.closeCases': [perParent(1)],
  'Mutation.setCasePriority': [perParent(1)],
  'Mutation.clearCasePriority': [perParent(1)],
  'Mutation.updateCase': [perParent(1)],
  'Mutation.addCaseComment': [perParent(1)],
  'Mutation.updateCaseComment': [perParent(1)],
  'Mutation.deleteCaseComment': [perParent(1)],
  // The case (by readable id or UUID, read once), the link, the write, the incident read back.
  'Mutation.linkCase': [perParent(5)],
  'Mutation.unlinkCase': [perParent(3 + 2 * ROWS_PER_PARENT)],
  'Mutation.ensureOneUptimeIncidentForCase': [perParent(5)],
};
