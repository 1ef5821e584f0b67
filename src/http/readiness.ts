/**
 * Readiness: each upstream answers a cheap authenticated call. Results are
 * cached for a few seconds so probes from a load balancer cost the upstreams
 * almost nothing; concurrent probes share one check. A failing upstream is
 * described by the gateway's own sentence (never upstream text, since
 * /readyz needs no token), e.g. "Coralogix rejected the API key (HTTP 401)".
 */
import type { Config } from '../config.js';
import type { Upstreams } from '../context.js';
import { BASE_URL_VARIABLE, UpstreamError, type ErrorCode } from '../errors.js';
import { UPSTREAM_LABEL, type UpstreamName } from '../upstreams/upstream.js';

export interface UpstreamHealth {
  ok: boolean;
  /** The error code of the failed check. */
  code?: ErrorCode;
  /** What is wrong and what to check, in the gateway's words. */
  message?: string;
}

export interface Readiness {
  ready: boolean;
  upstreams: Record<UpstreamName, UpstreamHealth>;
}

const KEY_VARIABLE: Record<UpstreamName, string> = {
  coralogix: 'CORALOGIX_API_KEY',
  oneuptime: 'ONEUPTIME_API_KEY',
};

/** The sentence /readyz and the start-up log give for a failed check. */
export function describeFailure(upstream: UpstreamName, error: unknown): UpstreamHealth {
  const name = UPSTREAM_LABEL[upstream];
  if (!(error instanceof UpstreamError)) {
    return { ok: false, code: 'INTERNAL_SERVER_ERROR', message: `${name}: the check failed` };
  }
  const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
  const messages: Partial<Record<ErrorCode, string>> = {
    UPSTREAM_UNAUTHENTICATED: `${name} rejected the API key${status} — check ${KEY_VARIABLE[upstream]}`,
    UPSTREAM_FORBIDDEN: `${name} says the API key lacks permission to read incidents${status}`,
    UPSTREAM_BAD_REQUEST: `${name} refused the check${status}`,
    UPSTREAM_RATE_LIMITED: `${name} is rate limiting requests`,
    UPSTREAM_TIMEOUT: `${name} did not answer in time`,
    UPSTREAM_UNAVAILABLE: `${name} could not be reached or is failing${status} — check ${BASE_URL_VARIABLE[upstream]} and the network`,
    UPSTREAM_BAD_RESPONSE: `${name} answered something that is not its API${status} — check ${BASE_URL_VARIABLE[upstream]}`,
  };
  const message =
    error.hint === 'base-url'
      ? `${upstream}: endpoint not found — check ${BASE_URL_VARIABLE[upstream]}`
      : (messages[error.code] ?? `${name}: ${error.code}`);
  return { ok: false, code: error.code, message };
}

export function createReadinessCheck(
  upstreams: Upstreams,
  config: Pick<Config, 'credentials' | 'coralogix' | 'oneuptime'>,
  cacheMs = 5_000,
) {
  let cached: { at: number; result: Promise<Readiness> } | undefined;

  /** In forward mode there is no server key: "reachable and asking for a key" counts as up. */
  const probe = async (
    upstream: UpstreamName,
    call: () => Promise<unknown>,
  ): Promise<UpstreamHealth> => {
    try {
      await call();
      return { ok: true };
    } catch (error) {
      const health = describeFailure(upstream, error);
      if (config.credentials === 'forward' && health.code === 'UPSTREAM_UNAUTHENTICATED') {
        return { ok: true };
      }
      return health;
    }
  };

  const run = async (): Promise<Readiness> => {
    const signal = AbortSignal.timeout(5_000);
    const [coralogix, oneuptime] = await Promise.all([
      probe('coralogix', () =>
        upstreams.coralogix.list(
          { pagination: { pageSize: 1 } },
          { apiKey: config.coralogix?.apiKey ?? '', signal },
        ),
      ),
      probe('oneuptime', () =>
        upstreams.oneuptime.count(
          'incident-role',
          {},
          { apiKey: config.oneuptime?.apiKey ?? '', signal },
        ),
      ),
    ]);
    return { ready: coralogix.ok && oneuptime.ok, upstreams: { coralogix, oneuptime } };
  };

  return {
    check(): Promise<Readiness> {
      const now = Date.now();
      if (!cached || now - cached.at > cacheMs) cached = { at: now, result: run() };
      return cached.result;
    },
  };
}
