/**
 * Admission control on the HTTP side (the scheduling is guard/admission.ts):
 * a GraphQL request takes a slot once its body has arrived (server.ts reads
 * it first, bounded by MAX_BODY_BYTES and REQUEST_TIMEOUT_MS), so a client
 * still sending holds none, and before the body is parsed or anything is sent
 * upstream, so a refused one costs its read and nothing more. The client is
 * its valid gateway token, else its connection: requests pipelined on one
 * socket count against that socket. A refusal is HTTP 503 with `Retry-After`
 * and an `OVERLOADED` GraphQL error; Node answers pipelined requests in order,
 * so the framing stays right.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ClientClosedError } from '../errors.js';
import {
  Admission,
  OverloadedError,
  type AdmissionLimits,
  type ClientKey,
  type OverloadedBound,
} from '../guard/admission.js';
import { LoadShare, SHARE_INTERVAL_MS, type Utilization } from '../guard/loadShare.js';
import { mediaType, sendJson } from './nodeHttp.js';

/**
 * How long an operation over a bound waits for a slot. At this gateway's
 * throughput (hundreds of operations per second) a full queue of
 * MAX_IN_FLIGHT waiters drains in well under a second; waiting longer would
 * only hold the memory of a flood.
 */
export const ADMISSION_WAIT_MS = 1_000;

/** At most one log line per this interval sums up the refusals since the last. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface HttpAdmissionOptions extends AdmissionLimits {
  registry: Registry;
  logger: Logger;
  maxWaitMs?: number;
  /** The event loop's utilization since the last call (tests pass a fixed one). */
  utilization?: Utilization;
  /** The client's valid gateway token id (TokenChecker.clientId), if any. */
  clientId(req: IncomingMessage): string | undefined;
}

export interface HttpAdmission {
  /** Runs `handle` once the request holds a slot; answers 503 OVERLOADED when it gets none. */
  run(req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>): Promise<void>;
  stats: Admission['stats'];
  /** Stops reading the event loop's utilization. */
  close(): void;
}

export function createHttpAdmission(options: HttpAdmissionOptions): HttpAdmission {
  const registers = [options.registry];
  const refused = new Counter({
    name: 'gateway_operations_refused_total',
    help: 'Operations refused with OVERLOADED, by the bound that refused them (client, total, queue).',
    labelNames: ['bound'] as const,
    registers,
  });
  let pending: Partial<Record<OverloadedBound, number>> = {};
  let lastLog = 0;
  const onRefused = (bound: OverloadedBound) => {
    refused.inc({ bound });
    pending[bound] = (pending[bound] ?? 0) + 1;
    const now = Date.now();
    if (now - lastLog < REFUSAL_LOG_INTERVAL_MS) return;
    lastLog = now;
    options.logger.warn(
      {
        refused: pending,
        maxInFlight: options.maxInFlight,
        perClient: options.maxInFlightPerClient,
      },
      'overloaded: operations refused with OVERLOADED (nothing sent upstream)',
    );
    pending = {};
  };
  const share = new LoadShare(options.maxInFlightPerClient, options.utilization);
  const admission = new Admission({
    maxInFlight: options.maxInFlight,
    maxInFlightPerClient: options.maxInFlightPerClient,
    maxWaitMs: options.maxWaitMs ?? ADMISSION_WAIT_MS,
    share: () => share.current(),
    onRefused,
  });
  const sampler = setInterval(() => {
    if (share.update()) admission.pump();
  }, SHARE_INTERVAL_MS).unref();
  new Gauge({
    name: 'gateway_operations_in_flight',
    help: 'GraphQL operations executing (holding an admission slot) and waiting for one.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const stats = admission.stats();
      this.set({ state: 'running' }, stats.running);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'gateway_operations_client_share',
    help: 'Operations one client may run at once now: MAX_IN_FLIGHT_PER_CLIENT, less while the event loop is saturated.',
    registers,
    collect() {
      this.set(share.current());
    },
  });

  const clientOf = (req: IncomingMessage): ClientKey => options.clientId(req) ?? req.socket;

  return {
    stats: () => admission.stats(),
    close: () => clearInterval(sampler),
    async run(req, res, handle) {
      const gone = new AbortController();
      const onClose = () => gone.abort(new ClientClosedError());
      res.once('close', onClose);
      let release: () => void;
      try {
        release = await admission.acquire(clientOf(req), gone.signal);
      } catch (error) {
        if (!(error instanceof OverloadedError)) throw error;
        const retryAfter = String(error.extensions.retryAfter);
        sendJson(
          res,
          503,
          {
            errors: [
              {
                message: error.message,
                extensions: { code: error.code, retryAfter: Number(retryAfter) },
              },
            ],
          },
          { ...mediaType(req), 'retry-after': retryAfter },
        );
        return;
      } finally {
        res.off('close', onClose);
      }
      try {
        await handle();
      } finally {
        release();
      }
    },
  };
}
