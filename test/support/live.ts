/**
 * Live-update test helpers: real clients of both protocols (graphql-ws over
 * `ws`, graphql-sse over fetch), a way to change incidents behind the
 * gateway's back (the Coralogix client pointed straight at the emulator), and
 * the one place that recognises the poller's upstream calls.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { CASE_POLL_ORDER, INCIDENT_POLL_ORDER } from '../../src/live/families.js';
import type { RecordedRequest, Sandbox } from '../../src/sandbox/index.js';
import { CoralogixClient } from '../../src/upstreams/coralogix/incidents/client.js';
import { waitFor } from './tools.js';

export interface Received<T = Record<string, unknown>> {
  events: Array<{
    data?: T | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  }>;
  /** Set when the server ended the subscription with an error (or the connection failed). */
  error: unknown;
  completed: boolean;
  stop(): void;
}

export function wsUrl(gatewayUrl: string): string {
  return `${gatewayUrl.replace(/^http/, 'ws')}/graphql`;
}

/** A graphql-ws client (as Apollo Client's GraphQLWsLink uses it) on `ws`, no retries. */
export function wsClient(
  gatewayUrl: string,
  connectionParams: Record<string, unknown> = {},
): Client {
  return createWsClient({
    url: wsUrl(gatewayUrl),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes through an open graphql-ws client and records what arrives. */
export function subscribeWs<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Received<T> {
  const received: Received<T> = { events: [], error: undefined, completed: false, stop: () => {} };
  received.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => received.events.push(value as Received<T>['events'][number]),
      error: (error) => (received.error = error),
      complete: () => (received.completed = true),
    },
  );
  return received;
}

/** Subscribes over SSE with the graphql-sse client (distinct connections mode), no retries. */
export function subscribeSse<T = Record<string, unknown>>(
  gatewayUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Received<T> & { client: ReturnType<typeof createSseClient> } {
  const client = createSseClient({ url: `${gatewayUrl}/graphql`, headers, retryAttempts: 0 });
  const received: Received<T> & { client: typeof client } = {
    events: [],
    error: undefined,
    completed: false,
    stop: () => {},
    client,
  };
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => received.events.push(value as Received<T>['events'][number]),
      error: (error) => (received.error = error),
      complete: () => (received.completed = true),
    },
  );
  received.stop = () => {
    unsubscribe();
    client.dispose();
  };
  return received;
}

/**
 * The poller's calls: a POST that orders by last state update (the only
 * Coralogix call that does; see INCIDENT_POLL_ORDER in src/live/families.ts).
 */
export function isPollCall(request: RecordedRequest): boolean {
  if (request.upstream !== 'coralogix' || request.method !== 'POST') return false;
  const body = request.body as { orderBys?: Array<{ incidentField?: string }> } | undefined;
  return body?.orderBys?.[0]?.incidentField === INCIDENT_POLL_ORDER?.[0]?.incidentField;
}

export const pollCalls = (sandbox: Sandbox) => sandbox.requests('coralogix').filter(isPollCall);

/** The case poller's calls: ListCases ordered by `UPDATED_AT` (CASE_POLL_ORDER in src/live/families.ts). */
export function isCasePollCall(request: RecordedRequest): boolean {
  if (request.upstream !== 'coralogix' || request.method !== 'POST') return false;
  if (!request.path.endsWith('/cases/cases/v1')) return false;
  const body = request.body as { orderBy?: { field?: string } } | undefined;
  return body?.orderBy?.field === CASE_POLL_ORDER.field;
}

export const casePollCalls = (sandbox: Sandbox) =>
  sandbox.requests('coralogix').filter(isCasePollCall);

/**
 * Changes incidents behind the gateway's back: the Coralogix client straight
 * at the emulator, as another Coralogix user or integration would.
 */
export function directCoralogix(sandbox: Sandbox) {
  const client = new CoralogixClient({
    baseUrl: sandbox.coralogix.url,
    timeoutMs: 5_000,
    retries: 0,
  });
  const call = { apiKey: sandbox.coralogix.apiKey };
  return {
    assign: (incidentIds: string[], userId: string) =>
      client.assign({ incidentIds, assignedTo: { userId } }, call),
    acknowledge: (incidentIds: string[]) => client.act('acknowledge', incidentIds, call),
    close: () => client.close(),
  };
}

/**
 * A token that may read /metrics of the gateways these tests start with tokens
 * (they set it in METRICS_TOKENS); harmless where /metrics is open.
 */
export const METRICS_TOKEN = 'metrics-token-123456';

/** One sample of a Prometheus metric from the gateway's /metrics (0 when absent). */
export async function metric(gatewayUrl: string, name: string, labels = ''): Promise<number> {
  const response = await fetch(`${gatewayUrl}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await response.text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Waits until the gateway holds `count` subscriptions (so a change now reaches them). */
export function waitForSubscribers(gatewayUrl: string, transport: 'ws' | 'sse', count: number) {
  return waitFor(`${count} ${transport} subscribers`, async () => {
    return (
      (await metric(gatewayUrl, 'gateway_live_subscribers', `transport="${transport}"`)) === count
    );
  });
}
