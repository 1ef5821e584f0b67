/**
 * The Coralogix v5 routes the gateway calls, as the emulator records them, in
 * one place for every test that counts or faults Coralogix calls.
 */
export const CORALOGIX_BASE = '/mgmt/openapi/5';
const INCIDENTS = `${CORALOGIX_BASE}/incidents/incidents/v1`;

export interface CoralogixRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** The full path the emulator records. */
  path: string;
  /** The path after the base URL, as the gateway's upstream-call log names it. */
  route: string;
}

const route = (method: CoralogixRoute['method'], path: string): CoralogixRoute => ({
  method,
  path,
  route: path.slice(CORALOGIX_BASE.length),
});

export const CX = {
  list: route('POST', INCIDENTS),
  batchGet: route('GET', INCIDENTS),
  assign: route('POST', `${INCIDENTS}/all/by-user`),
  unassign: route('DELETE', `${INCIDENTS}/all/by-user`),
  acknowledge: route('POST', `${INCIDENTS}/all/acknowledge`),
  resolve: route('POST', `${INCIDENTS}/all/resolve`),
  close: route('POST', `${INCIDENTS}/all/closed`),
} as const;

/** Whether a recorded request is a call of this route. */
export const isCall =
  (target: CoralogixRoute) =>
  (request: { method: string; path: string }): boolean =>
    request.method === target.method && request.path === target.path;
