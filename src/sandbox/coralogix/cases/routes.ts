/**
 * Routes of the Coralogix Cases API emulator, v5 facade under
 * `/mgmt/openapi/5` (facts section 1; S1 = coralogix/coralogix-management-sdk
 * 4464b2b3 `specs/cases_service.json` and `specs/case_events_service.json`,
 * the same paths, methods and operationIds as S2 = coralogix/cx-api-docs
 * e509de6 `openapi_v5.yaml`). Mounted by `../emulator.ts`, behind the same
 * Bearer key and HTTP shell (faults, latency, request log) as the Incidents
 * routes.
 *
 * Emulated: every CasesService operation but GetCaseDeepLinks and
 * GetCaseByIndicator (S1 only), and every CaseEventsService operation but
 * SyncExternalCaseEvents; CasesNotificationService and CaseSettingsService
 * are not. Those paths answer like any route the sandbox does not know:
 * the facade's plain-text 404 `Not Found: Not Found`.
 *
 * Every single-case write answers `{case}`, every bulk write `{cases}` (S1).
 * Check order: path id (400), body (400), every id exists (404), the
 * lifecycle allows the change for every case (400), then the write. A bulk
 * call is all or nothing: one unknown id is a 404 naming it, one refused
 * case a 400 naming it, and nothing changes (UNCONFIRMED: the spec's bulk
 * answers have no per-case errors; this reading never reports a write that
 * did not happen).
 */
import {
  CASE_LIMITS,
  CASE_PRIORITIES,
  type CaseResponse,
  type CasesResponse,
  type EventActor,
  type ListCasesResponse,
} from '../../../upstreams/coralogix/cases/types.js';
import type { EmulatorRequest, EmulatorResponse } from '../../http.js';
import { invalidArgument, notFound } from '../errors.js';
import { enumValue } from '../list-query.js';
import {
  addComment,
  deleteComment,
  findEvent,
  parseComment,
  timeline,
  updateComment,
} from './events.js';
import { filterValues, groupingKeys } from './facets.js';
import { parseFilters } from './filters.js';
import { applyAction, checkAction, type CaseAction, type WriteContext } from './lifecycle.js';
import { listCases, parseListCases } from './list.js';
import { bulkIds, caseId, eventId, queryIds, readBody, trimmedText, userRef } from './request.js';
import { CaseStore, caseView, type CaseRecord } from './store.js';
import { cloneJson } from '../store.js';

export type CaseMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type CaseRoute = Partial<Record<CaseMethod, (req: EmulatorRequest) => EmulatorResponse>>;

export interface CasesRoutesOptions {
  seed: readonly CaseRecord[];
  /** The user owning the API key: the actor of every write (S1 `EventActor.user`). */
  keyUserId: string;
  now: () => number;
}

const ok = <T>(body: T): EmulatorResponse => ({ status: 200, body });

export function createCasesRoutes(options: CasesRoutesOptions) {
  const store = new CaseStore(options.seed);
  const keyActor: EventActor = { user: { id: options.keyUserId } };
  const context = (actor: EventActor = keyActor): WriteContext => ({
    store,
    nowMs: options.now(),
    actor,
    // A personal key's write resolves as its Coralogix user (S1 `CaseResolver.cxUser`).
    resolver: 'system' in actor ? { system: {} } : { cxUser: {} },
  });

  const find = (key: string): CaseRecord => {
    const record = store.find(key);
    if (!record) throw notFound(`case ${key} not found`);
    return record;
  };

  /** Every id found (404 naming the unknown ones), each case once, in request order. */
  const findAll = (ids: string[]): CaseRecord[] => {
    const unknown = ids.filter((id) => !store.find(id));
    if (unknown.length > 0) throw notFound(`cases not found: ${[...new Set(unknown)].join(', ')}`);
    return [...new Set(ids.map(find))];
  };

  /** Checks every case, then applies the action to each: all or nothing. */
  const run = (records: CaseRecord[], action: CaseAction, ctx: WriteContext): void => {
    for (const record of records) checkAction(record, action);
    let changed = false;
    for (const record of records) changed = applyAction(record, action, ctx) || changed;
    if (changed) store.touch();
  };

  const single =
    (read: (req: EmulatorRequest) => CaseAction) =>
    (id: string) =>
    (req: EmulatorRequest): EmulatorResponse => {
      const key = caseId(id, 'id');
      const action = read(req);
      const record = find(key);
      const ctx = context();
      run([record], action, ctx);
      return ok<CaseResponse>({ case: caseView(record, ctx.nowMs) });
    };

  const bulk =
    (read: (req: EmulatorRequest) => { ids: string[]; action: CaseAction; actor?: EventActor }) =>
    (req: EmulatorRequest): EmulatorResponse => {
      const { ids, action, actor } = read(req);
      const records = findAll(ids);
      const ctx = context(actor);
      run(records, action, ctx);
      return ok<CasesResponse>({ cases: records.map((r) => caseView(r, ctx.nowMs)) });
    };

  const fixed = (action: CaseAction) => () => action;
  const priority = (raw: unknown): CaseAction => {
    if (raw == null) throw invalidArgument('priority is required');
    const value = enumValue(raw, CASE_PRIORITIES, 'priority');
    if (value === 'CASE_PRIORITY_UNSPECIFIED') {
      throw invalidArgument('priority must be one of CASE_PRIORITY_P1 … CASE_PRIORITY_P5');
    }
    return { kind: 'setPriority', priority: value };
  };

  const update = (req: EmulatorRequest): CaseAction => {
    const body = readBody(req);
    const title = trimmedText(body.title, 'title', CASE_LIMITS.maxTitleLength);
    const resolutionReason = trimmedText(
      body.resolutionReason,
      'resolutionReason',
      CASE_LIMITS.maxResolutionReasonLength,
    );
    if (title === undefined && resolutionReason === undefined) {
      throw invalidArgument('set title or resolutionReason');
    }
    return { kind: 'update', title, resolutionReason };
  };

  const list = (req: EmulatorRequest): EmulatorResponse => {
    const nowMs = options.now();
    const page = listCases(store, parseListCases(readBody(req)), nowMs);
    const pagination: ListCasesResponse['pagination'] = {};
    if (page.nextPageToken !== undefined) pagination.nextPageToken = page.nextPageToken;
    return ok<ListCasesResponse>({
      cases: page.records.map((r) => caseView(r, nowMs)),
      pagination,
    });
  };

  const caseRoutes = (id: string): CaseRoute => ({
    GET: () => ok<CaseResponse>({ case: caseView(find(caseId(id, 'id')), options.now()) }),
    PUT: single(update)(id),
  });

  const byId = new Map<string, (id: string) => CaseRoute>(
    Object.entries({
      assigned: (id) => ({
        POST: single((req) => ({
          kind: 'assign',
          userId: userRef(readBody(req).assignee, 'assignee'),
        }))(id),
        DELETE: single(fixed({ kind: 'unassign' }))(id),
      }),
      acknowledged: (id) => ({
        PUT: single(fixed({ kind: 'acknowledge' }))(id),
        DELETE: single(fixed({ kind: 'unacknowledge' }))(id),
      }),
      resolved: (id) => ({
        PUT: single((req) => ({
          kind: 'resolve',
          reason: trimmedText(
            readBody(req).reason,
            'reason',
            CASE_LIMITS.maxResolutionReasonLength,
          ),
        }))(id),
      }),
      closed: (id) => ({ POST: single(fixed({ kind: 'close' }))(id) }),
      'priority-override': (id) => ({
        PUT: single((req) => priority(readBody(req).priority))(id),
        DELETE: single(fixed({ kind: 'clearPriority' }))(id),
      }),
    } satisfies Record<string, (id: string) => CaseRoute>),
  );

  const bulkRoutes = new Map<string, CaseRoute>(
    Object.entries({
      assigned: {
        PUT: bulk((req) => {
          const body = readBody(req);
          const ids = bulkIds(body.ids);
          return { ids, action: { kind: 'assign', userId: userRef(body.assignee, 'assignee') } };
        }),
        DELETE: bulk((req) => ({ ids: queryIds(req), action: { kind: 'unassign' } })),
      },
      acknowledged: {
        // BulkAcknowledge needs `actor` (S1 `required: ["ids", "actor"]`): it is the events' actor.
        POST: bulk((req) => {
          const body = readBody(req);
          const ids = bulkIds(body.ids);
          const userId = userRef(body.actor, 'actor');
          return { ids, action: { kind: 'acknowledge' }, actor: { user: { id: userId } } };
        }),
      },
      resolved: {
        POST: bulk((req) => {
          const body = readBody(req);
          const ids = bulkIds(body.ids);
          // BulkResolve's reason is 1–4096 (S1), ResolveCase's 1–500; S1 puts no trim note on either.
          const reason = trimmedText(
            body.reason,
            'reason',
            CASE_LIMITS.maxBulkResolutionReasonLength,
          );
          return { ids, action: { kind: 'resolve', reason } };
        }),
      },
      closed: {
        POST: bulk((req) => ({ ids: bulkIds(readBody(req).ids), action: { kind: 'close' } })),
      },
      'priority-override': {
        POST: bulk((req) => {
          const body = readBody(req);
          return { ids: bulkIds(body.ids), action: priority(body.priority) };
        }),
        DELETE: bulk((req) => ({ ids: queryIds(req), action: { kind: 'clearPriority' } })),
      },
    } satisfies Record<string, CaseRoute>),
  );

  const eventRoutes = (rawId: string, rest: string | undefined): CaseRoute | undefined => {
    if (rest === undefined) {
      return { GET: () => ok({ event: cloneJson(findEvent(store, eventId(rawId)).event) }) };
    }
    if (rest !== 'comments') return undefined;
    return {
      PUT: (req) => {
        const id = eventId(rawId);
        const input = parseComment(readBody(req));
        return ok({ event: updateComment(store, id, input, options.now()) });
      },
      DELETE: () => {
        deleteComment(store, eventId(rawId));
        return ok({});
      },
    };
  };

  const casePathRoutes = (id: string, rest: string | undefined): CaseRoute | undefined => {
    if (rest === undefined) return caseRoutes(id);
    if (rest === 'events') {
      return { GET: () => ok({ events: timeline(find(caseId(id, 'case_id'))) }) };
    }
    if (rest === 'comments') {
      return {
        POST: (req) => {
          const key = caseId(id, 'case_id');
          const input = parseComment(readBody(req));
          const event = addComment(store, find(key), input, keyActor, options.now());
          return ok({ event });
        },
      };
    }
    return undefined;
  };

  /** `path` is what follows `/mgmt/openapi/5/cases/`. */
  const route = (path: string): CaseRoute | undefined => {
    if (path === 'cases/v1') return { POST: list };
    if (path === 'filter-values/v1') {
      return { POST: (req) => ok(filterValues(store, parseFilters(readBody(req).filters))) };
    }
    if (path === 'grouping-keys/v1')
      return { GET: () => ok({ groupingKeys: groupingKeys(store) }) };
    const match = /^([a-z-]+)\/v1(?:\/([^/]+)(?:\/([^/]+))?)?$/.exec(path);
    if (!match) return undefined;
    const [, family = '', id, rest] = match;
    if (family === 'cases') return id === undefined ? undefined : casePathRoutes(id, rest);
    if (family === 'events') return id === undefined ? undefined : eventRoutes(id, rest);
    if (id === undefined) return bulkRoutes.get(family);
    if (rest !== undefined) return undefined;
    return byId.get(family)?.(id);
  };

  return {
    route,
    reset: () => store.reset(),
    /**
     * A change the system makes without an API call (S1 `CaseLifecycle`: auto
     * resolve, auto close; activation of a pending case), for tests: the same
     * lifecycle checks, the system as actor and resolver.
     */
    systemChange(id: string, to: 'activate' | 'resolve' | 'close'): void {
      run([find(id)], { kind: to }, context({ system: {} }));
    },
  };
}

export type CasesRoutes = ReturnType<typeof createCasesRoutes>;
