/**
 * Programmatic API of the sandbox: both emulators over real HTTP, one shared
 * request log and fault set, seeded deterministically.
 */
import { CORALOGIX_BASE_PATH } from '../upstreams/coralogix/regions.js';
import { createCoralogixEmulator } from './coralogix/emulator.js';
import {
  FaultSet,
  startEmulatorServer,
  type FaultRule,
  type RecordedRequest,
  type UpstreamName,
} from './http.js';
import {
  createOneUptimeEmulator,
  type ForeignKeyErrors,
  type ValueEncoding,
} from './oneuptime/emulator.js';
import { RequestLog } from './requestLog.js';
import {
  DEFAULT_CASE_COUNT,
  DEFAULT_SEED,
  generateSeed,
  seededCaseIds,
  type SeedData,
  type SeededCaseIds,
} from './seed.js';

export type { FaultRule, RecordedRequest, UpstreamName } from './http.js';
export type { ForeignKeyErrors, ValueEncoding } from './oneuptime/emulator.js';
export type { SeededCaseIds } from './seed.js';
export { DEFAULT_REQUEST_LOG_LIMIT } from './requestLog.js';

/** Documented defaults, so `npm run sandbox` and the README agree. */
export const DEFAULT_SANDBOX_CORALOGIX_API_KEY = 'cxup_sandbox_0123456789abcdef';
export const DEFAULT_SANDBOX_ONEUPTIME_API_KEY = '5a9d6b1e-0c1f-4b7a-9e2d-3f4a5b6c7d8e';

export interface SandboxOptions {
  /** Coralogix port; OneUptime listens on `oneuptimePort`. Both default to 0 (any free port). */
  coralogixPort?: number;
  oneuptimePort?: number;
  host?: string;
  latencyMs?: number;
  seed?: number;
  /** The instant the seeded data is relative to, in ms since the epoch (default: the start time). */
  now?: number;
  /** How many incidents to seed (default 300). */
  incidentCount?: number;
  /** How many Coralogix cases to seed (default 120); changes nothing about the incidents. */
  caseCount?: number;
  /** OneUptime value encoding: `envelope` as real servers (default) or `plain` as the docs. */
  valueEncoding?: ValueEncoding;
  /**
   * OneUptime's answer to a write naming a row that does not exist: `translated`
   * (400 with a message, current servers; default) or `serverError` (500
   * `{"error":"Server Error"}`, releases before 11.7.2).
   */
  oneuptimeForeignKeyErrors?: ForeignKeyErrors;
  coralogixApiKey?: string;
  oneuptimeApiKey?: string;
  /**
   * How many recent requests the log keeps (default DEFAULT_REQUEST_LOG_LIMIT, 1000);
   * older ones are dropped, so a long-running sandbox does not grow without bound.
   */
  requestLogLimit?: number;
}

export interface SandboxEndpoint {
  url: string;
  apiKey: string;
}

export interface Sandbox {
  coralogix: SandboxEndpoint;
  oneuptime: SandboxEndpoint;
  seed: SeedData;
  /**
   * Seeded case UUIDs tests reach for: one per status, a linked, an unlinked
   * and the double-claimed one (throws when `caseCount` is too small to have them).
   */
  readonly caseIds: SeededCaseIds;
  /**
   * A change Coralogix makes to a case without an API call: activating a
   * pending case (it gets its readable id), or resolving / closing it as the
   * system (S1 `CaseLifecycle` auto resolve and auto close). Same lifecycle
   * rules as the API; the events name the system as actor.
   */
  caseSystemChange(caseId: string, change: 'activate' | 'resolve' | 'close'): void;
  /** The instant the seeded data is relative to (ms since the epoch). */
  now: number;
  /** The most recent requests received (up to `requestLogLimit`), optionally only one emulator's. */
  requests(upstream?: UpstreamName): RecordedRequest[];
  /** Requests dropped from the log to keep it within `requestLogLimit` since the last clear. */
  droppedRequests(): number;
  /** Forgets recorded requests. */
  clearRequests(): void;
  /** Restores the seeded data, clears faults and the request log. */
  reset(): void;
  setFault(rule: FaultRule): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now();
  const seed = generateSeed(
    options.seed ?? DEFAULT_SEED,
    options.incidentCount,
    now,
    options.caseCount ?? DEFAULT_CASE_COUNT,
  );
  const coralogixApiKey = options.coralogixApiKey ?? DEFAULT_SANDBOX_CORALOGIX_API_KEY;
  const oneuptimeApiKey = options.oneuptimeApiKey ?? DEFAULT_SANDBOX_ONEUPTIME_API_KEY;
  const log = new RequestLog(options.requestLogLimit);
  const faults = new FaultSet();
  let latency = options.latencyMs ?? 0;

  const coralogix = createCoralogixEmulator({
    apiKey: coralogixApiKey,
    keyUserId: seed.users[0]!.id,
    seed,
  });
  const oneuptime = createOneUptimeEmulator({
    apiKey: oneuptimeApiKey,
    seed,
    valueEncoding: options.valueEncoding ?? 'envelope',
    foreignKeyErrors: options.oneuptimeForeignKeyErrors ?? 'translated',
  });
  const host = options.host ?? '127.0.0.1';
  const common = { log, faults, latencyMs: () => latency };
  const cxServer = await startEmulatorServer(
    { upstream: 'coralogix', handler: coralogix.handler, ...common },
    options.coralogixPort ?? 0,
    host,
  );
  const ouServer = await startEmulatorServer(
    { upstream: 'oneuptime', handler: oneuptime.handler, ...common },
    options.oneuptimePort ?? 0,
    host,
  ).catch(async (error: unknown) => {
    await cxServer.stop();
    throw error;
  });

  return {
    coralogix: { url: `${cxServer.url}${CORALOGIX_BASE_PATH}`, apiKey: coralogixApiKey },
    oneuptime: { url: ouServer.url, apiKey: oneuptimeApiKey },
    seed,
    get caseIds() {
      return seededCaseIds(seed);
    },
    caseSystemChange: (caseId, change) => coralogix.caseSystemChange(caseId, change),
    now,
    requests: (upstream) => {
      const all = log.all();
      return upstream ? all.filter((r) => r.upstream === upstream) : all;
    },
    droppedRequests: () => log.dropped,
    clearRequests: () => log.clear(),
    reset: () => {
      coralogix.reset();
      oneuptime.reset();
      faults.clear();
      log.clear();
    },
    setFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => {
      latency = ms;
    },
    stop: async () => {
      await Promise.all([cxServer.stop(), ouServer.stop()]);
    },
  };
}
