/**
 * One poller per credential scope (one per gateway with CREDENTIALS=server),
 * serving both live families (families.ts): each feed (incidents, cases) is
 * looked at every interval while it has subscribers and this replica leads
 * it (holds its Redis lease, or has no Redis to share one), and never otherwise. A
 * look lists the newest changes first (incidents by last state update, cases
 * by `UPDATED_AT`), pages only as far back as the feed's previous look
 * (bounded), compares them with the feed's view and publishes what changed.
 *
 * The first look of a feed (no watermark yet) is a baseline: it publishes
 * nothing, and reads every record tied at the newest time (a bulk write gives
 * 100 records one timestamp), so none of them looks new to the next look. A
 * record not in the view whose last change is no newer than the previous look
 * was there then, unchanged: it is remembered silently. A failing feed backs
 * off on its own (bounded), the other keeps its interval; failures never end
 * subscriptions.
 */
import type { Logger } from 'pino';
import { GatewayError, type ErrorCode } from '../errors.js';
import { firstSightOf } from './diff.js';
import type { LiveChange, LiveFamilyName } from './events.js';
import type { LiveFamily } from './families.js';
import type { ChangeView } from './view.js';

export const POLL_PAGE_SIZE = 50;
/** At most this many pages per look: more changes than that in one interval are partly missed. */
export const POLL_MAX_PAGES = 4;
const MAX_BACKOFF_MS = 60_000;

export type PollerState = 'idle' | 'polling' | 'standby' | 'backing-off';

/** How one feed's looks go. */
export interface FeedHealth {
  consecutiveFailures: number;
  lastSuccessAt?: string;
  /** The error code of the last failure (never its message). */
  lastErrorCode?: ErrorCode;
}

export interface PollerHealth extends FeedHealth {
  state: PollerState;
  /** This replica polls a family here (it holds its lease, or there is no Redis to share one). */
  leader: boolean;
  /** Per family with subscribers; the fields above are the worst (failures) and latest of them. */
  families: Partial<Record<LiveFamilyName, FeedHealth>>;
}

/** One family's feed: looked at only while `active()` and this replica `leads()` it. */
export interface PollFeed {
  readonly name: LiveFamilyName;
  active(): boolean;
  /** Whether this replica should poll the family now. */
  leads(): boolean;
  /** One look: publishes what changed; throws when the upstream fails. */
  look(stopped: () => boolean): Promise<void>;
}

export interface PollerOptions {
  intervalMs: number;
  feeds: readonly PollFeed[];
  onPolled(ok: boolean, consecutiveFailures: number): void;
  logger: Logger;
}

/** The wait after `failures` failures in a row: doubling from the interval, capped. */
export function backoffMs(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** failures, Math.max(intervalMs, MAX_BACKOFF_MS));
}

/**
 * A family's feed over its view: `view()` is read at each look (the hub
 * replaces a view whose family lost its last subscriber: it is stale).
 */
export function familyFeed<R, C extends LiveChange, W extends string>(options: {
  family: LiveFamily<R, C, W>;
  view: () => ChangeView<R, C, W>;
  page(pageSize: number, pageToken: string | undefined): ReturnType<LiveFamily<R, C, W>['page']>;
  publish(changes: C[]): void;
  active(): boolean;
  leads(): boolean;
  logger: Logger;
}): PollFeed {
  const { family } = options;
  return {
    name: family.name,
    active: options.active,
    leads: options.leads,
    async look(stopped) {
      const view = options.view();
      const since = view.watermark;
      const changes: C[] = [];
      let pageToken: string | undefined;
      for (let page = 1; ; page++) {
        const { records, nextPageToken } = await options.page(POLL_PAGE_SIZE, pageToken);
        if (stopped()) return;
        for (const record of records) {
          if (since === undefined) {
            view.remember(record, 'poll');
            continue;
          }
          // Not in the view and no newer than the last look: it was there then, unchanged.
          const change = view.observe(
            record,
            (seen) =>
              family.changedAt(seen) <= since ? undefined : firstSightOf(family, seen, since),
            'poll',
          );
          if (change) changes.push(change);
        }
        const oldest = records.at(-1);
        pageToken = nextPageToken;
        // A baseline reads on while the page ends at the newest time (ties at the watermark).
        const floor = since ?? view.watermark;
        if (floor === undefined || !pageToken || !oldest || family.changedAt(oldest) < floor) break;
        if (page >= POLL_MAX_PAGES) {
          // A baseline's further ties stay unread; the next look takes them as seen (<= since).
          if (since === undefined) break;
          options.logger.warn(
            { pages: page, pageSize: POLL_PAGE_SIZE, family: family.name },
            `live updates: more ${family.plural} changed in one interval than one poll reads; older changes were not published`,
          );
          break;
        }
      }
      // Oldest change first, as they happened.
      if (changes.length > 0) options.publish(changes.reverse());
    },
  };
}

/** A feed this replica looks at: it has subscribers here, and this replica leads it. */
const looked = (feed: PollFeed) => feed.active() && feed.leads();

interface FeedState extends FeedHealth {
  /** When the feed is next due (ms since epoch); 0: at the next tick. */
  nextAt: number;
  /** Whether it was looked at here at the last tick (one looked at anew is due at once). */
  wasLooked: boolean;
}

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private state: PollerState = 'idle';
  private readonly feeds: Array<{ feed: PollFeed; state: FeedState }>;

  constructor(private readonly options: PollerOptions) {
    this.feeds = options.feeds.map((feed) => ({
      feed,
      state: { nextAt: 0, wasLooked: false, consecutiveFailures: 0 },
    }));
  }

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

  /** Poll as soon as possible (this replica just took a lease, or a feed just became active). */
  pollSoon(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.schedule(0);
  }

  health(): PollerHealth {
    const families: PollerHealth['families'] = {};
    let worst: FeedHealth = { consecutiveFailures: 0 };
    let lastSuccessAt: string | undefined;
    for (const { feed, state } of this.feeds) {
      if (!feed.active()) continue;
      const { consecutiveFailures, lastErrorCode } = state;
      families[feed.name] = {
        consecutiveFailures,
        ...(state.lastSuccessAt ? { lastSuccessAt: state.lastSuccessAt } : {}),
        ...(lastErrorCode ? { lastErrorCode } : {}),
      };
      if (lastErrorCode && consecutiveFailures >= worst.consecutiveFailures) {
        worst = { consecutiveFailures, lastErrorCode };
      }
      if (state.lastSuccessAt && (!lastSuccessAt || state.lastSuccessAt > lastSuccessAt)) {
        lastSuccessAt = state.lastSuccessAt;
      }
    }
    return {
      state: this.state,
      leader: !this.stopped && this.feeds.some(({ feed }) => looked(feed)),
      ...worst,
      ...(lastSuccessAt ? { lastSuccessAt } : {}),
      families,
    };
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), Math.max(0, delayMs));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    const { intervalMs } = this.options;
    try {
      const now = Date.now();
      const mine = this.feeds.filter(({ feed, state }) => {
        const here = looked(feed);
        // A feed looked at here anew (subscribers again, a lease taken) gets a look at once.
        if (here && !state.wasLooked) state.nextAt = 0;
        state.wasLooked = here;
        return here;
      });
      if (mine.length === 0 && this.feeds.some(({ feed }) => feed.active())) {
        this.state = 'standby';
        return;
      }
      const due = mine.filter(({ state }) => state.nextAt <= now);
      await Promise.all(due.map(({ feed, state }) => this.look(feed, state)));
      const failing = mine.some(({ state }) => state.consecutiveFailures > 0);
      this.state = failing ? 'backing-off' : 'polling';
    } finally {
      this.running = false;
      if (!this.stopped) this.schedule(this.nextDelay(intervalMs));
    }
  }

  /** Until the next feed looked at here is due; an interval when there is none. */
  private nextDelay(intervalMs: number): number {
    if (this.state === 'standby') return intervalMs;
    const times = this.feeds.filter(({ feed }) => looked(feed)).map(({ state }) => state.nextAt);
    return times.length === 0 ? intervalMs : Math.min(...times) - Date.now();
  }

  private async look(feed: PollFeed, state: FeedState): Promise<void> {
    const { intervalMs, logger } = this.options;
    try {
      await feed.look(() => this.stopped);
      if (state.consecutiveFailures > 0) {
        logger.info({ family: feed.name }, 'live updates: polling Coralogix again');
      }
      state.consecutiveFailures = 0;
      state.lastSuccessAt = new Date().toISOString();
      state.nextAt = Date.now() + intervalMs;
      this.options.onPolled(true, 0);
    } catch (error) {
      state.consecutiveFailures += 1;
      state.lastErrorCode = error instanceof GatewayError ? error.code : 'INTERNAL_SERVER_ERROR';
      state.nextAt = Date.now() + backoffMs(intervalMs, state.consecutiveFailures);
      this.options.onPolled(false, state.consecutiveFailures);
      // One line per failure streak, not per attempt; subscriptions stay open.
      if (state.consecutiveFailures === 1) {
        logger.warn(
          {
            family: feed.name,
            code: state.lastErrorCode,
            ...(error instanceof GatewayError ? {} : { err: error }),
          },
          'live updates: polling Coralogix failed; backing off (subscriptions stay open)',
        );
      }
    }
  }
}
