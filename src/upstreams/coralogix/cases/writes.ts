/**
 * The case writes, declared once each (S1 = coralogix/coralogix-management-sdk
 * 4464b2b3 `specs/cases_service.json`; operationIds in the comments): the
 * permission each needs (`x-coralogixPermissions`), whether the lifecycle may
 * refuse it, and its single-case (`…/v1/{id}`) and bulk (`…/v1`, `ids`
 * 1..1000) forms. The client (client.ts) sends one of the two.
 */
import type { JsonRequest } from '../../http.js';
import type { CasePriorityWire } from './types.js';

/** The `x-coralogixPermissions` of each operation (S1; W1 spells them `CASE:READ` …). */
export const CASE_PERMISSIONS = {
  read: 'case:Read',
  update: 'case:Update',
  assign: 'case:Assign',
  acknowledge: 'case:Acknowledge',
  close: 'case:Close',
  comment: 'case:Comment',
} as const;
export type CasePermission = (typeof CASE_PERMISSIONS)[keyof typeof CASE_PERMISSIONS];

/** A write that has a single-case and a bulk form (unacknowledge has no bulk form). */
export type CaseWrite =
  | { action: 'assign'; userId: string }
  | { action: 'unassign' }
  /** `userId` is the bulk form's required `actor`; the single form has no body. */
  | { action: 'acknowledge'; userId?: string }
  | { action: 'resolve'; reason?: string }
  | { action: 'close' }
  | { action: 'setPriority'; priority: CasePriorityWire }
  | { action: 'clearPriority' };
export type CaseWriteAction = CaseWrite['action'];

export type Request = Pick<JsonRequest, 'method' | 'path' | 'body' | 'query'>;
type Of<A extends CaseWriteAction> = Extract<CaseWrite, { action: A }>;

export interface WriteForm<A extends CaseWriteAction> {
  permission: CasePermission;
  /** Whether Coralogix's lifecycle may refuse it. */
  lifecycle: boolean;
  single(id: string, write: Of<A>): Request;
  bulk(ids: string[], write: Of<A>): Request;
}

export const one = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;
const idsQuery = (ids: string[]) => ids.map((id): [string, string] => ['ids', id]);
const reasonOf = (write: { reason?: string }) =>
  write.reason === undefined ? {} : { reason: write.reason };

const ASSIGNED = '/cases/assigned/v1';
export const ACKNOWLEDGED = '/cases/acknowledged/v1';
const RESOLVED = '/cases/resolved/v1';
const CLOSED = '/cases/closed/v1';
const PRIORITY = '/cases/priority-override/v1';

/** One declaration per write: its permission and both forms (S1 operationIds in comments). */
export const WRITES: { [A in CaseWriteAction]: WriteForm<A> } = {
  // AssignCase / BulkAssign
  assign: {
    permission: CASE_PERMISSIONS.assign,
    lifecycle: false,
    single: (id, w) => ({
      method: 'POST',
      path: one(ASSIGNED, id),
      body: { assignee: { userId: w.userId } },
    }),
    bulk: (ids, w) => ({
      method: 'PUT',
      path: ASSIGNED,
      body: { ids, assignee: { userId: w.userId } },
    }),
  },
  // UnassignCase / BulkUnassign (ids in the query: style form, explode)
  unassign: {
    permission: CASE_PERMISSIONS.assign,
    lifecycle: false,
    single: (id) => ({ method: 'DELETE', path: one(ASSIGNED, id) }),
    bulk: (ids) => ({ method: 'DELETE', path: ASSIGNED, query: idsQuery(ids) }),
  },
  // AcknowledgeCase (no body) / BulkAcknowledge (`actor` required)
  acknowledge: {
    permission: CASE_PERMISSIONS.acknowledge,
    lifecycle: true,
    single: (id) => ({ method: 'PUT', path: one(ACKNOWLEDGED, id) }),
    bulk: (ids, w) => {
      if (!w.userId) throw new Error('a bulk acknowledge needs the acting user');
      return { method: 'POST', path: ACKNOWLEDGED, body: { ids, actor: { userId: w.userId } } };
    },
  },
  // ResolveCase / BulkResolve
  resolve: {
    permission: CASE_PERMISSIONS.close,
    lifecycle: true,
    single: (id, w) => ({ method: 'PUT', path: one(RESOLVED, id), body: reasonOf(w) }),
    bulk: (ids, w) => ({ method: 'POST', path: RESOLVED, body: { ids, ...reasonOf(w) } }),
  },
  // CloseCase (no body) / BulkClose
  close: {
    permission: CASE_PERMISSIONS.close,
    lifecycle: true,
    single: (id) => ({ method: 'POST', path: one(CLOSED, id) }),
    bulk: (ids) => ({ method: 'POST', path: CLOSED, body: { ids } }),
  },
  // SetPriorityOverride / BulkSetPriorityOverride
  setPriority: {
    permission: CASE_PERMISSIONS.update,
    lifecycle: false,
    single: (id, w) => ({ method: 'PUT', path: one(PRIORITY, id), body: { priority: w.priority } }),
    bulk: (ids, w) => ({ method: 'POST', path: PRIORITY, body: { ids, priority: w.priority } }),
  },
  // ClearPriorityOverride / BulkClearPriorityOverride
  clearPriority: {
    permission: CASE_PERMISSIONS.update,
    lifecycle: false,
    single: (id) => ({ method: 'DELETE', path: one(PRIORITY, id) }),
    bulk: (ids) => ({ method: 'DELETE', path: PRIORITY, query: idsQuery(ids) }),
  },
};

export const VERB: Record<CaseWriteAction | 'unacknowledge', string> = {
  assign: 'assign',
  unassign: 'unassign',
  acknowledge: 'acknowledge',
  unacknowledge: 'unacknowledge',
  resolve: 'resolve',
  close: 'close',
  setPriority: 'override the priority of',
  clearPriority: 'clear the priority override of',
};
