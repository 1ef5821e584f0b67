/**
 * A create whose answer was lost (DESIGN 5a, `ensureOneUptimeIncident`): the
 * request timed out or its connection broke after it was sent, so OneUptime
 * may have applied it, now or a little later. The writer keeps the link lock
 * and looks for the incident the create made before it answers, so the next
 * call neither misses it nor creates a second one.
 */
import { UpstreamError, restated } from '../errors.js';
import type { OneUptimeLoaders } from '../upstreams/oneuptime/loaders.js';
import type { OneUptimeIncidentRecord } from '../upstreams/oneuptime/resources.js';
import type { Links } from './index.js';

/** Between looks for the incident a create whose answer was lost may have made. */
const LOOK_FIRST_PAUSE_MS = 100;
const LOOK_MAX_PAUSE_MS = 1_000;

/**
 * A create whose answer never came may have been applied: a timeout, or the
 * connection lost (or a proxy's 502 / 504) after the request was sent. One
 * whose answer came but could not be read was (the transport says what it
 * applied: HttpUpstream's `acceptedUnread`).
 */
export function answerLost(error: unknown): error is UpstreamError {
  if (!(error instanceof UpstreamError)) return false;
  if (error.code === 'UPSTREAM_TIMEOUT') return true;
  if (error.code === 'UPSTREAM_BAD_RESPONSE') return error.extensions.applied !== undefined;
  if (error.code !== 'UPSTREAM_UNAVAILABLE') return false;
  // An open circuit answers with retryAfter before sending anything.
  if (error.status === undefined) return error.retryAfter === undefined;
  return error.status === 502 || error.status === 504;
}

/**
 * After a create whose answer was lost: looks for the incident it made (still
 * holding the lock, under a signal of its own, for `settleMs`) and returns it;
 * throws `lost`, saying so, when none appears.
 */
export async function findLanded<R>(
  links: Links<R>,
  oneuptime: OneUptimeLoaders,
  id: string,
  lost: UpstreamError,
): Promise<OneUptimeIncidentRecord> {
  const { family, settleMs, log } = links;
  const until = Date.now() + settleMs;
  // Not the request's signal: a client gone away must not stop the writer learning what landed
  // (each read is bounded by UPSTREAM_TIMEOUT_MS too).
  const signal = AbortSignal.timeout(2 * settleMs);
  for (let pause = LOOK_FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LOOK_MAX_PAUSE_MS)) {
    const found = await links.fresh([id], signal).then(
      (read) => read.get(id)?.oneUptimeIncidentId,
      () => undefined,
    );
    // The rows of the link read primed the by-id loader: no further call.
    const row = found ? await oneuptime.incidentById.load(found) : null;
    if (row) {
      log.warn(
        { [family.idName]: id, oneUptimeIncidentId: row._id, error: lost.message },
        'link: a create whose answer was lost had landed; reporting it',
      );
      return row;
    }
    const left = until - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
  }
  log.warn(
    { [family.idName]: id, error: lost.message, lookedForMs: settleMs },
    'link: a create whose answer was lost has not landed (yet)',
  );
  throw restated(
    lost,
    (message) =>
      `${message} The OneUptime incident may still be created: none naming ${family.label} "${id}" appeared within ${settleMs} ms; the same call again returns it if it does.`,
    { [family.idName]: id },
  );
}
