/**
 * Readiness: each upstream answers a cheap authenticated call. Results are
 * cached for a few seconds so probes from a load balancer cost the upstreams
 * almost nothing; concurrent probes share one check.
 */
import type { Config } from '../config.js';
import type { Upstreams } from '../context.js';
import { UpstreamError, type ErrorCode } from '../errors.js';
import type { UpstreamName } from '../upstreams/upstream.js';

export interface UpstreamHealth {
  ok: boolean;
  /** The error code of the failed check (never a message that could carry upstream text). */
  code?: ErrorCode;
}

export interface Readiness {
  ready: boolean;
  upstreams: Record<UpstreamName, UpstreamHealth>;
}

export function createReadinessCheck(
  upstreams: Upstreams,
  config: Pick<Config, 'credentials' | 'coralogix' | 'oneuptime'>,
  cacheMs = 5_000,
) {
  let cached: { at: number; result: Promise<Readiness> } | undefined;

  /** In forward mode there is no server key: "reachable and asking for a key" counts as up. */
  const probe = async (call: () => Promise<unknown>): Promise<UpstreamHealth> => {
    try {
      await call();
      return { ok: true };
    } catch (error) {
      const code: ErrorCode = error instanceof UpstreamError ? error.code : 'INTERNAL_SERVER_ERROR';
      if (config.credentials === 'forward' && code === 'UPSTREAM_UNAUTHENTICATED')
        return { ok: true };
      return { ok: false, code };
    }
  };

  const run = async (): Promise<Readiness> => {
    const signal = AbortSignal.timeout(5_000);
    const [coralogix, oneuptime] = await Promise.all([
      probe(() =>
        upstreams.coralogix.list(
          { pagination: { pageSize: 1 } },
          { apiKey: config.coralogix?.apiKey ?? '', signal },
        ),
      ),
      probe(() =>
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
