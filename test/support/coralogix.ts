/**
 * The Coralogix v5 routes the gateway calls, as the emulator records them, in
 * one place for every test that counts or faults Coralogix calls; and one
 * request straight to the emulator, with the sandbox's Bearer key (or another,
 * or none), as the contract tests make them.
 */
import type { Sandbox } from '../../src/sandbox/index.js';

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

export interface CallOptions {
  /** JSON-encoded unless a string. */
  body?: unknown;
  /** `null` sends no Authorization header. */
  auth?: string | null;
  query?: Array<[string, string]>;
}

export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** One request to `target`'s Coralogix emulator (either family); `path` follows `…/mgmt/openapi/5`. */
export async function cx<T = unknown>(
  target: Sandbox,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const url = new URL(`${target.coralogix.url}${path}`);
  for (const [name, value] of options.query ?? []) url.searchParams.append(name, value);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = options.auth === undefined ? `Bearer ${target.coralogix.apiKey}` : options.auth;
  if (auth !== null) headers.authorization = auth;
  const body =
    options.body === undefined || typeof options.body === 'string'
      ? options.body
      : JSON.stringify(options.body);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('application/json');
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? undefined : json ? JSON.parse(text) : text) as T,
  };
}
