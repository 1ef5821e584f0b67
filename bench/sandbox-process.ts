/**
 * The bench's sandbox, in a process of its own (so its CPU is not the load
 * generator's or a gateway's): both emulators at a fixed injected latency.
 * Driven over IPC by `run.ts`:
 *   → { type: 'ready', coralogix, oneuptime, incidentId, incidentLinkedIds }
 *   ← { type: 'take' }  → { type: 'calls', coralogix, oneuptime, requests }  (since the last take)
 *   ← { type: 'latency', ms }  → { type: 'latency', ms }  (every later response waits `ms`)
 * The request log is drained every 100 ms into counters; its bound is raised
 * far above what 100 ms of load records, so no call goes uncounted. The last
 * KEEP requests themselves (method, path, query, body, arrival time) come back
 * too: the bench replays a gateway's requests straight at the emulators.
 */
import type { RecordedRequest } from '../src/sandbox/http.js';
import { startSandbox, type UpstreamName } from '../src/sandbox/index.js';
import { LINK_FIELD } from '../src/sandbox/seed.js';

if (!process.send) throw new Error('sandbox-process.ts must be started with an IPC channel');
const send = (message: unknown) => process.send?.(message);

const sandbox = await startSandbox({
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 20),
  requestLogLimit: 100_000,
});
const counts: Record<UpstreamName, number> = { coralogix: 0, oneuptime: 0 };
/** Requests kept for `take` (a load cell records thousands; one query a handful). */
const KEEP = 200;
let kept: RecordedRequest[] = [];

function drain(): void {
  const requests = sandbox.requests();
  if (requests.length === 0) return;
  sandbox.clearRequests();
  for (const request of requests) {
    if (request.path !== '/openapi.json') counts[request.upstream] += 1;
  }
  kept = [...kept, ...requests.slice(-KEEP)].slice(-KEEP);
}
const timer = setInterval(drain, 100);

process.on('message', (message: { type?: string; ms?: number }) => {
  if (message.type === 'latency' && typeof message.ms === 'number') {
    sandbox.setLatency(message.ms);
    send({ type: 'latency', ms: message.ms });
    return;
  }
  if (message.type === 'take') {
    drain();
    send({
      type: 'calls',
      ...counts,
      requests: kept
        .filter((r) => r.path !== '/openapi.json')
        .map(({ upstream, method, path, query, body, at }) => ({
          upstream,
          method,
          path,
          query,
          body,
          at,
        })),
    });
    counts.coralogix = 0;
    counts.oneuptime = 0;
    kept = [];
  }
});

const stop = () => {
  clearInterval(timer);
  void sandbox.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);

const open = sandbox.seed.incidents.find((incident) => incident.events.length > 3);
send({
  type: 'ready',
  coralogix: sandbox.coralogix,
  oneuptime: sandbox.oneuptime,
  incidentId: (open ?? sandbox.seed.incidents[0])?.id,
  // The SLA query's scope (queries.ts, 'breached'): OneUptime incidents linked to a Coralogix
  // incident, newest first. The sandbox also links some to Coralogix cases, whose custom field
  // Mesh's declarative join cannot skip (a null key fails its getIncident).
  incidentLinkedIds: sandbox.seed.oneUptimeIncidents
    .filter(
      (row) =>
        typeof (row.customFields as Record<string, unknown> | undefined)?.[LINK_FIELD] === 'string',
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 100)
    .map((row) => row._id),
});
