/**
 * One poller per credential scope (one per gateway with CREDENTIALS=server):
 * every interval it lists incidents by last state update, newest first,
 * pages only as far back as its previous look (bounded), compares them with
 * the view and publishes what changed. The first look (no watermark yet) is
 * a baseline: it publishes nothing, and reads every incident tied at the
 * newest time (a bulk write gives 100 incidents one timestamp), so none of
 * them looks new to the next look. An incident not in the view whose last
 * update is no newer than the previous look was there then, unchanged: it is
 * remembered silently. Failures back off (bounded) and never end
 * subscriptions.
 */
import type { Logger } from 'pino';
import { GatewayError, type ErrorCode } from '../errors.js';
import type {
  Incident,
  ListIncidentsRequest,
  ListIncidentsResponse,
} from '../upstreams/coralogix/incidents/types.js';
import { firstSight } from './diff.js';
import type { IncidentChange } from './events.js';
import type { IncidentView } from './view.js';

/** The poll's order: the incidents that changed last come first. */
export const POLL_ORDER: ListIncidentsRequest['orderBys'] = [
  {
    incidentField: 'INCIDENTS_FIELDS_LAST_STATE_UPDATE_TIME',
    direction: 'ORDER_BY_DIRECTION_DESC',
  },
];
export const POLL_PAGE_SIZE = 50;
/** At most this many pages per poll: more changes than that in one interval are partly missed. */
export const POLL_MAX_PAGES = 4;
const MAX_BACKOFF_MS = 60_000;

export type PollerState = 'idle' | 'polling' | 'standby' | 'backing-off';

export interface PollerHealth {
  state: PollerState;
  /** This replica polls (it holds the lease, or there is no Redis to share one). */
  leader: boolean;
  lastSuccessAt?: string;
  consecutiveFailures: number;
  /** The error code of the last failure (never its message). */
  lastErrorCode?: ErrorCode;
}

export interface PollerOptions {
  intervalMs: number;
  view: IncidentView;
  /** One Coralogix list call with this scope's credentials. */
  list(request: ListIncidentsRequest): Promise<ListIncidentsResponse>;
  /** Whether this replica should poll now. */
  leads(): boolean;
  publish(changes: IncidentChange[]): void;
  onPolled(ok: boolean, consecutiveFailures: number): void;
  logger: Logger;
}

const timeOf = (incident: Incident) => Date.parse(incident.lastStateUpdateTime ?? '') || 0;

/** The wait after `failures` failures in a row: doubling from the interval, capped. */
export function backoffMs(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** failures, Math.max(intervalMs, MAX_BACKOFF_MS));
}

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private failures = 0;
  private state: PollerState = 'idle';
  private lastSuccessAt: string | undefined;
  private lastErrorCode: ErrorCode | undefined;

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.state = 'idle';
  }

  /** Poll as soon as possible (this replica just took the lease). */
  pollSoon(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.schedule(0);
  }

  health(): PollerHealth {
    return {
      state: this.state,
      leader: !this.stopped && this.options.leads(),
      consecutiveFailures: this.failures,
      ...(this.lastSuccessAt ? { lastSuccessAt: this.lastSuccessAt } : {}),
      ...(this.lastErrorCode ? { lastErrorCode: this.lastErrorCode } : {}),
    };
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    let delay = this.options.intervalMs;
    try {
      if (!this.options.leads()) {
        this.state = 'standby';
        return;
      }
      await this.poll();
      if (this.failures > 0) this.options.logger.info('live updates: polling Coralogix again');
      this.failures = 0;
      this.lastSuccessAt = new Date().toISOString();
      this.state = 'polling';
      this.options.onPolled(true, 0);
    } catch (error) {
      this.failures += 1;
      this.lastErrorCode = error instanceof GatewayError ? error.code : 'INTERNAL_SERVER_ERROR';
      this.state = 'backing-off';
      delay = backoffMs(this.options.intervalMs, this.failures);
      this.options.onPolled(false, this.failures);
      // One line per failure streak, not per attempt; subscriptions stay open.
      if (this.failures === 1) {
        this.options.logger.warn(
          { code: this.lastErrorCode, ...(error instanceof GatewayError ? {} : { err: error }) },
          'live updates: polling Coralogix failed; backing off (subscriptions stay open)',
        );
      }
    } finally {
      this.running = false;
      if (!this.stopped) this.schedule(delay);
    }
  }

  /**
   * One look: pages back to the previous look's newest change (a baseline: to
   * the end of the newest time), at most POLL_MAX_PAGES.
   */
  private async poll(): Promise<void> {
    const { view } = this.options;
    const since = view.watermark;
    const changes: IncidentChange[] = [];
    let pageToken: string | undefined;
    for (let page = 1; ; page++) {
      const response = await this.options.list({
        orderBys: POLL_ORDER,
        pagination: { pageSize: POLL_PAGE_SIZE, ...(pageToken ? { pageToken } : {}) },
      });
      if (this.stopped) return;
      for (const incident of response.incidents) {
        if (since === undefined) {
          view.remember(incident, 'poll');
          continue;
        }
        // Not in the view and no newer than the last look: it was there then, unchanged.
        const change = view.observe(
          incident,
          (seen) => (timeOf(seen) <= since ? undefined : firstSight(seen, since)),
          'poll',
        );
        if (change) changes.push(change);
      }
      const oldest = response.incidents.at(-1);
      pageToken = response.pagination.nextPageToken;
      // A baseline reads on while the page ends at the newest time (ties at the watermark).
      const floor = since ?? view.watermark;
      if (floor === undefined || !pageToken || !oldest || timeOf(oldest) < floor) break;
      if (page >= POLL_MAX_PAGES) {
        // A baseline's further ties stay unread; the next look takes them as seen (<= since).
        if (since === undefined) break;
        this.options.logger.warn(
          { pages: page, pageSize: POLL_PAGE_SIZE },
          'live updates: more incidents changed in one interval than one poll reads; older changes were not published',
        );
        break;
      }
    }
    // Oldest change first, as they happened.
    if (changes.length > 0) this.options.publish(changes.reverse());
  }
}
