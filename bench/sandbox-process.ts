/**
 * The bench's sandbox, in a process of its own (so its CPU is not the load
 * generator's or a gateway's): both emulators at a fixed injected latency.
 * Driven over IPC by `run.ts`:
 *   → { type: 'ready', coralogix, oneuptime, incidentId }
 *   ← { type: 'take' }  → { type: 'calls', coralogix, oneuptime }  (counted since the last take)
 * The request log is drained every 100 ms into counters; its bound is raised
 * far above what 100 ms of load records, so no call goes uncounted.
 */
import { startSandbox, type UpstreamName } from '../src/sandbox/index.js';

if (!process.send) throw new Error('sandbox-process.ts must be started with an IPC channel');
const send = (message: unknown) => process.send?.(message);

const sandbox = await startSandbox({
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 20),
  requestLogLimit: 100_000,
});
const counts: Record<UpstreamName, number> = { coralogix: 0, oneuptime: 0 };

function drain(): void {
  const requests = sandbox.requests();
  if (requests.length === 0) return;
  sandbox.clearRequests();
  for (const request of requests) {
    if (request.path !== '/openapi.json') counts[request.upstream] += 1;
  }
}
const timer = setInterval(drain, 100);

process.on('message', (message: { type?: string }) => {
  if (message.type === 'take') {
    drain();
    send({ type: 'calls', ...counts });
    counts.coralogix = 0;
    counts.oneuptime = 0;
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
});
