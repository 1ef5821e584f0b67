/**
 * `npm run sandbox`: only the two emulators, on fixed ports, printing their
 * base URLs and API keys so the gateway (or curl) can be pointed at them.
 */
import { describeListenError } from '../http/listenError.js';
import { startSandbox, type Sandbox } from './index.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number (got "${raw}")`);
    process.exit(1);
  }
  return value;
}

const latency = Number(process.env.SANDBOX_LATENCY_MS ?? 0);
if (!Number.isFinite(latency) || latency < 0) {
  console.error(
    `SANDBOX_LATENCY_MS must be a non-negative number (got "${process.env.SANDBOX_LATENCY_MS}")`,
  );
  process.exit(1);
}
const coralogixPort = port('SANDBOX_CORALOGIX_PORT', 4010);
const oneuptimePort = port('SANDBOX_ONEUPTIME_PORT', 4020);
if (coralogixPort !== 0 && coralogixPort === oneuptimePort) {
  console.error(
    `SANDBOX_CORALOGIX_PORT and SANDBOX_ONEUPTIME_PORT must differ (both are ${coralogixPort})`,
  );
  process.exit(1);
}
let sandbox: Sandbox;
try {
  sandbox = await startSandbox({
    coralogixPort,
    oneuptimePort,
    host: process.env.HOST || '127.0.0.1',
    latencyMs: latency,
    ...(process.env.SANDBOX_CORALOGIX_API_KEY
      ? { coralogixApiKey: process.env.SANDBOX_CORALOGIX_API_KEY }
      : {}),
    ...(process.env.SANDBOX_ONEUPTIME_API_KEY
      ? { oneuptimeApiKey: process.env.SANDBOX_ONEUPTIME_API_KEY }
      : {}),
  });
} catch (error) {
  // The ports differ, so the one in the error says which emulator could not listen.
  const failedPort = (error as { port?: unknown }).port;
  const variable =
    failedPort === oneuptimePort ? 'SANDBOX_ONEUPTIME_PORT' : 'SANDBOX_CORALOGIX_PORT';
  const message = describeListenError(error, variable);
  if (message === undefined) throw error;
  console.error(message);
  process.exit(1);
}

console.log(`Sandbox emulators running (${sandbox.seed.incidents.length} Coralogix incidents, ${sandbox.seed.cases.length} cases and ${sandbox.seed.oneUptimeIncidents.length} OneUptime incidents).
  Coralogix Incidents/Cases CORALOGIX_API_URL=${sandbox.coralogix.url}
                            CORALOGIX_API_KEY=${sandbox.coralogix.apiKey}
  OneUptime API             ONEUPTIME_API_URL=${sandbox.oneuptime.url}
                            ONEUPTIME_API_KEY=${sandbox.oneuptime.apiKey}
Press Ctrl+C to stop.`);

const stop = () => {
  void sandbox.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
