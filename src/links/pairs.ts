/**
 * Link pairs (DESIGN 5a, 9): a link read in one direction answers the other
 * within the request. When this request resolved Coralogix id C to OneUptime
 * incidents (from OneUptime or the link cache), the claimants whose link field
 * names C first are known to lead back to C, so `StateTimeline.incident`,
 * `IncidentSla.incident` and `OneUptimeIncident.incident` need no read of
 * their custom field. Per request and per family; only what a link says
 * exactly is kept: a OneUptime incident two links disagree about is looked up.
 */
import type { Link } from './types.js';

/** Learned from two links that disagree (entries of different ages): look it up. */
const AMBIGUOUS = null;

export class LinkPairs {
  private readonly byOneUptimeId = new Map<string, string | typeof AMBIGUOUS>();

  /** Records what the link of `coralogixId` (lower-case) says backwards. */
  learn(coralogixId: string, link: Link): void {
    for (const oneUptimeId of link.namedFirstBy ?? []) {
      const known = this.byOneUptimeId.get(oneUptimeId);
      this.byOneUptimeId.set(
        oneUptimeId,
        known === undefined || known === coralogixId ? coralogixId : AMBIGUOUS,
      );
    }
  }

  /** The Coralogix id this OneUptime incident's link field names, when a link said so. */
  coralogixIdOf(oneUptimeId: string): string | undefined {
    return this.byOneUptimeId.get(oneUptimeId) ?? undefined;
  }

  /** Forgets every pair of these Coralogix ids (a link write changed them). */
  forget(coralogixIds: readonly string[]): void {
    const gone = new Set(coralogixIds);
    for (const [oneUptimeId, coralogixId] of this.byOneUptimeId) {
      if (coralogixId !== AMBIGUOUS && gone.has(coralogixId))
        this.byOneUptimeId.delete(oneUptimeId);
    }
  }
}
