/**
 * Readiness: each upstream answers a cheap authenticated call; for Coralogix,
 * one per family (Incidents and Cases, DESIGN 5c), since a key may read only
 * one of them (an account on Incidents, or a new account on Cases). Coralogix
 * is ready when the key reads at least one family and the others fail only
 * for a missing permission; `families` says which it reads. Results are
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

/** The Coralogix families a key may read. */
export type CoralogixFamily = 'incidents' | 'cases';

export interface CoralogixHealth extends UpstreamHealth {
  /** Whether the key reads each family (a family it lacks the permission for is not a failure). */
  families: Record<CoralogixFamily, UpstreamHealth>;
}

export interface Readiness {
  ready: boolean;
  upstreams: { coralogix: CoralogixHealth; oneuptime: UpstreamHealth };
}

/** What a family without its read permission means, and the permission. */
const MISSING_PERMISSION: Record<CoralogixFamily, string> = {
  incidents:
    'Coralogix says the API key may not read incidents (incidents:read): the incident fields fail; grant it, or ignore this on an account that uses Cases',
  cases:
    'Coralogix says the API key may not read cases (case:Read): the case fields fail; grant it, or ignore this on an account that uses Incidents',
};

/** Coralogix as a whole, from its two families (see the module comment). */
export function coralogixHealth(
  families: Record<CoralogixFamily, UpstreamHealth>,
): CoralogixHealth {
  const list = [families.incidents, families.cases];
  const failure = list.find((health) => !health.ok && health.code !== 'UPSTREAM_FORBIDDEN');
  if (failure) return { ...failure, families };
  if (list.some((health) => health.ok)) return { ok: true, families };
  return { ...families.incidents, families };
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

  /** A Coralogix family: a missing permission is said in its own words. */
  const family = async (name: CoralogixFamily, call: () => Promise<unknown>) => {
    const health = await probe('coralogix', call);
    return health.code === 'UPSTREAM_FORBIDDEN'
      ? { ...health, message: MISSING_PERMISSION[name] }
      : health;
  };

  const run = async (): Promise<Readiness> => {
    const signal = AbortSignal.timeout(5_000);
    const coralogixCall = { apiKey: config.coralogix?.apiKey ?? '', signal };
    const [incidents, cases, oneuptime] = await Promise.all([
      family('incidents', () =>
        upstreams.coralogix.list({ pagination: { pageSize: 1 } }, coralogixCall),
      ),
      family('cases', () => upstreams.cases.list({ pagination: { pageSize: 1 } }, coralogixCall)),
      probe('oneuptime', () =>
        upstreams.oneuptime.count(
          'incident-role',
          {},
          { apiKey: config.oneuptime?.apiKey ?? '', signal },
        ),
      ),
    ]);
    const coralogix = coralogixHealth({ incidents, cases });
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
