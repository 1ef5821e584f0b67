/**
 * Typed methods over the Coralogix Cases REST API, v5 facade (`<base>/cases/…`,
 * the same host, key and transport as Incidents: `../http.ts`). Paths,
 * methods, bodies and permissions as S1 = coralogix/coralogix-management-sdk
 * 4464b2b3 `specs/cases_service.json` and `specs/case_events_service.json`
 * declare them (the same as S2 = coralogix/cx-api-docs e509de6
 * `openapi_v5.yaml`). Returns checked wire types (`check.ts`).
 *
 * Every write has a single-case form (`…/v1/{id}`) and most a bulk form
 * (`…/v1` with `ids`, 1..1000); `write` takes the single form for one id and
 * the bulk form for several, from one declaration per write (`WRITES`).
 * Writes are never retried and never split.
 *
 * Coralogix grants each `case:*` permission separately: a 403 says which one
 * the key lacks (`extensions.permission`), and a refused status change says
 * it was the lifecycle (`extensions.lifecycle`).
 */
import { UpstreamError, badResponse, restated } from '../../../errors.js';
import type { CallOptions, HttpUpstream } from '../../http.js';
import { isObject } from '../../shape.js';
import { nullWhenMissing, type Warn } from '../http.js';
import { createCaseChecker } from './check.js';
import { oldestFirst } from './events.js';
import type { CaseFacetCounts } from './facets.js';
import type { Case, CaseEvent, CaseFilters, ListCasesRequest, ListCasesResponse } from './types.js';
import {
  ACKNOWLEDGED,
  CASE_PERMISSIONS,
  VERB,
  WRITES,
  one,
  type CasePermission,
  type CaseWrite,
  type CaseWriteAction,
  type Request,
  type WriteForm,
} from './writes.js';

export { CASE_PERMISSIONS, type CasePermission, type CaseWrite, type CaseWriteAction };

export type { CallOptions } from '../../http.js';

export const CASES_PATH = '/cases/cases/v1';
export const CASE_EVENTS_PATH = '/cases/events/v1';
export const CASE_FILTER_VALUES_PATH = '/cases/filter-values/v1';

export interface CaseClientOptions {
  /** The Coralogix transport, shared with the incidents client. */
  http: HttpUpstream;
  onWarning?: Warn;
}

export class CaseClient {
  private readonly http: HttpUpstream;
  private readonly warn: Warn;
  private readonly check: ReturnType<typeof createCaseChecker>;

  constructor(options: CaseClientOptions) {
    this.http = options.http;
    this.warn = options.onWarning ?? (() => undefined);
    this.check = createCaseChecker(this.warn);
  }

  /** GetCase by UUID or readable id; null when Coralogix has no such case (404). */
  get(id: string, call: CallOptions): Promise<Case | null> {
    return nullWhenMissing(async () => {
      const body = await this.read('GET', one(CASES_PATH, id), call);
      if (!isObject(body) || !isObject(body.case)) throw badResponse('coralogix', 'case missing');
      return this.check.case(body.case);
    });
  }

  /** ListCases: `POST /cases/cases/v1` `{filters, orderBy, pagination}`; no total. */
  async list(request: ListCasesRequest, call: CallOptions): Promise<ListCasesResponse> {
    const body = await this.read('POST', CASES_PATH, call, request);
    if (!isObject(body)) throw badResponse('coralogix', 'case list: not an object');
    // protojson omits an empty list; `pagination` may be empty or absent on the last page.
    const cases = Array.isArray(body.cases) ? body.cases : [];
    if (body.cases !== undefined && body.cases !== null && !Array.isArray(body.cases)) {
      throw badResponse('coralogix', 'case list: cases is not an array');
    }
    const token = isObject(body.pagination) ? body.pagination.nextPageToken : undefined;
    if (token !== undefined && token !== null && typeof token !== 'string') {
      throw badResponse('coralogix', 'case list: nextPageToken is not a string');
    }
    return {
      cases: cases.map((item) => this.check.case(item)),
      pagination: token ? { nextPageToken: token } : {},
      ...(body.pbacTruncated === true ? { pbacTruncated: true } : {}),
    };
  }

  /** GetFilterValues: counts per value of the cases matching `filters`. */
  async filterValues(filters: CaseFilters, call: CallOptions): Promise<CaseFacetCounts> {
    const body = await this.read('POST', CASE_FILTER_VALUES_PATH, call, { filters });
    return this.check.facets(body);
  }

  /** ListEvents of one case (every event, no paging), oldest first (`events.ts`). */
  async events(caseId: string, call: CallOptions): Promise<CaseEvent[]> {
    const body = await this.read('GET', `${one(CASES_PATH, caseId)}/events`, call);
    if (!isObject(body)) throw badResponse('coralogix', 'case events: not an object');
    if (body.events !== undefined && body.events !== null && !Array.isArray(body.events)) {
      throw badResponse('coralogix', 'case events: events is not an array');
    }
    const events = Array.isArray(body.events) ? body.events : [];
    return events.map((event) => this.check.event(event, caseId)).sort(oldestFirst);
  }

  /** A write on these cases: the single-case call for one id, the bulk call for several. */
  async write(ids: string[], write: CaseWrite, call: CallOptions): Promise<CaseWriteAnswer> {
    const form = WRITES[write.action] as WriteForm<CaseWriteAction>;
    const context = {
      permission: form.permission,
      verb: VERB[write.action],
      ids,
      lifecycle: form.lifecycle,
    };
    if (ids.length === 1) {
      const body = await this.send(form.single(ids[0] as string, write), call, context);
      return { cases: [this.caseOf(body)], leftOut: [] };
    }
    const body = await this.send(form.bulk(ids, write), call, context);
    const cases = this.casesOf(body);
    return { cases, leftOut: this.leftOut(ids, cases, write.action) };
  }

  /** UnacknowledgeCase: `DELETE /cases/acknowledged/v1/{id}` (there is no bulk form). */
  async unacknowledge(id: string, call: CallOptions): Promise<Case> {
    const request: Request = { method: 'DELETE', path: one(ACKNOWLEDGED, id) };
    const context = { permission: CASE_PERMISSIONS.acknowledge, verb: VERB.unacknowledge };
    return this.caseOf(await this.send(request, call, { ...context, ids: [id], lifecycle: true }));
  }

  /** UpdateCase: `PUT /cases/cases/v1/{id}` `{title?, resolutionReason?}`. */
  async update(
    id: string,
    changes: { title?: string; resolutionReason?: string },
    call: CallOptions,
  ): Promise<Case> {
    const request: Request = { method: 'PUT', path: one(CASES_PATH, id), body: changes };
    const context = { permission: CASE_PERMISSIONS.update, verb: 'update', ids: [id] };
    return this.caseOf(await this.send(request, call, context));
  }

  /** CreateComment: `POST /cases/cases/v1/{id}/comments` `{text}`; answers the comment event. */
  async addComment(caseId: string, text: string, call: CallOptions): Promise<CaseEvent> {
    const path = `${one(CASES_PATH, caseId)}/comments`;
    const context = { permission: CASE_PERMISSIONS.comment, verb: 'comment on', ids: [caseId] };
    const body = await this.send({ method: 'POST', path, body: { text } }, call, context);
    return this.eventOf(body, caseId);
  }

  /** UpdateComment: `PUT /cases/events/v1/{eventId}/comments` `{text}`. */
  async updateComment(eventId: string, text: string, call: CallOptions): Promise<CaseEvent> {
    const path = `${one(CASE_EVENTS_PATH, eventId)}/comments`;
    const context = { permission: CASE_PERMISSIONS.comment, verb: 'edit comment', ids: [eventId] };
    const body = await this.send({ method: 'PUT', path, body: { text } }, call, context);
    return this.eventOf(body, '');
  }

  /** DeleteComment: `DELETE /cases/events/v1/{eventId}/comments`; the answer is `{}`. */
  async deleteComment(eventId: string, call: CallOptions): Promise<void> {
    const path = `${one(CASE_EVENTS_PATH, eventId)}/comments`;
    const context = {
      permission: CASE_PERMISSIONS.comment,
      verb: 'delete comment',
      ids: [eventId],
    };
    await this.send({ method: 'DELETE', path }, call, context);
  }

  /** An idempotent read (retried on 429 / 5xx); a 403 names `case:Read`. */
  private read(method: 'GET' | 'POST', path: string, call: CallOptions, body?: unknown) {
    return this.http
      .send(method, path, call, { ...(body === undefined ? {} : { body }), idempotent: true })
      .catch((error: unknown) => {
        throw forbidden(error, CASE_PERMISSIONS.read);
      });
  }

  /** A write: never retried; its errors say which permission or lifecycle rule refused it. */
  private async send(
    request: Request,
    call: CallOptions,
    context: { permission: CasePermission; verb: string; ids: string[]; lifecycle?: boolean },
  ): Promise<unknown> {
    try {
      return await this.http.send(request.method, request.path, call, {
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.query === undefined ? {} : { query: request.query }),
        idempotent: false,
      });
    } catch (error) {
      if (context.lifecycle && isRefusal(error)) {
        throw restated(
          error,
          (message) =>
            `Coralogix refused to ${context.verb} ${named(context.ids)}; nothing changed. ${message} (A resolved case can only be closed, a closed case is final, and a pending case is activated by Coralogix first.)`,
          { lifecycle: true },
        );
      }
      throw forbidden(error, context.permission);
    }
  }

  private caseOf(body: unknown): Case {
    if (!isObject(body) || !isObject(body.case)) {
      throw badResponse('coralogix', 'case write answer without its case');
    }
    return this.check.case(body.case);
  }

  private casesOf(body: unknown): Case[] {
    if (!isObject(body)) throw badResponse('coralogix', 'bulk case write answer: not an object');
    if (body.cases !== undefined && body.cases !== null && !Array.isArray(body.cases)) {
      throw badResponse('coralogix', 'bulk case write answer: cases is not an array');
    }
    return (Array.isArray(body.cases) ? body.cases : []).map((item) => this.check.case(item));
  }

  private eventOf(body: unknown, caseId: string): CaseEvent {
    if (!isObject(body) || !isObject(body.event)) {
      throw badResponse('coralogix', 'comment answer without its event');
    }
    return this.check.event(body.event, caseId);
  }

  /**
   * The ids a bulk answer leaves out. The spec's bulk answers have no per-case
   * errors (S1: only `{cases}`), and whether Coralogix ever leaves a case out
   * is unconfirmed; the emulator applies all or none. Logged for the operator;
   * the caller tells the client (`leftOutError`).
   */
  private leftOut(ids: string[], cases: Case[], action: CaseWriteAction): string[] {
    const answered = new Set(cases.flatMap((c) => [c.id.toLowerCase(), c.readableId ?? '']));
    const missing = ids.filter((id) => !answered.has(id.toLowerCase()) && !answered.has(id));
    if (missing.length > 0) {
      this.warn('Coralogix answered a bulk case write without some of the cases it named', {
        action,
        ids: missing.slice(0, 10),
        count: missing.length,
      });
    }
    return missing;
  }
}

/** A write's answer: the cases Coralogix returned, and the ids it named that the answer left out. */
export interface CaseWriteAnswer {
  cases: Case[];
  leftOut: string[];
}

/**
 * A bulk write whose answer left some of its cases out: the others were
 * written (`extensions.applied.caseIds`), and whether these were is unknown
 * (`extensions.leftOutCaseIds`), so the client re-reads them before retrying.
 */
export function leftOutError(
  action: CaseWriteAction,
  ids: readonly string[],
  leftOut: readonly string[],
): UpstreamError {
  const missing = new Set(leftOut);
  const applied = ids.filter((id) => !missing.has(id));
  const without = leftOut.length === 1 ? `case "${leftOut[0]}"` : `${leftOut.length} of them`;
  return new UpstreamError(
    'UPSTREAM_BAD_RESPONSE',
    'coralogix',
    `Coralogix answered the request to ${VERB[action]} ${ids.length} cases without ${without} (extensions.leftOutCaseIds): whether those changed is unknown, so re-read them before retrying. The ${applied.length} it answered were changed (extensions.applied.caseIds).`,
    { extensions: { leftOutCaseIds: leftOut, applied: { caseIds: applied } } },
  );
}

const named = (ids: readonly string[]) =>
  ids.length === 1 ? `case "${ids[0]}"` : `cases ${ids.map((id) => `"${id}"`).join(', ')}`;

/** A 400 refusing the request (not a wrong base URL). */
const isRefusal = (error: unknown): error is UpstreamError =>
  error instanceof UpstreamError &&
  error.code === 'UPSTREAM_BAD_REQUEST' &&
  error.hint === undefined;

/** A 403 restated with the permission the key lacks; any other error as it is. */
function forbidden(error: unknown, permission: CasePermission): unknown {
  if (!(error instanceof UpstreamError) || error.code !== 'UPSTREAM_FORBIDDEN') return error;
  return restated(
    error,
    (message) =>
      `${message} The Cases API needs the "${permission}" permission on the key (Coralogix adds each case:* permission to a key separately).`,
    { permission },
  );
}
