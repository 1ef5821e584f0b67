/**
 * The OneUptime side of the seeded cases: OneUptime incidents (ids of their
 * own) linked to a case through `customFields.coralogixCaseId` = the case
 * UUID (DESIGN 5c, `ONEUPTIME_CASE_LINK_FIELD`), most active or past cases
 * linked, some not, pending ones never (they are minutes old), and one case
 * claimed by two OneUptime incidents (the second opened by hand later). Each
 * has a state timeline mirroring its case (acknowledged when the case was,
 * resolved when it was resolved or closed unresolved), SLAs and members, as
 * the incident-linked ones (`seedOneUptime.ts`). These rows come after every
 * incident-linked row, from a random stream of their own.
 */
import type { CasePriorityWire } from '../upstreams/coralogix/cases/types.js';
import type { Lifecycle, Step } from './seedCoralogix.js';
import type { SeededCase } from './seedCases.js';
import { addIncident, type OneUptimeContext } from './seedOneUptime.js';
import { MINUTE, type Random } from './seedRandom.js';
import type { SeedData } from './seedTypes.js';
import {
  ACKNOWLEDGED_STATE,
  CASE_LINK_FIELD,
  ENVS,
  JIRA_PROJECTS,
  RESOLVED_STATE,
  SEVERITY_WORDS,
} from './seedVocabulary.js';

/** P1 → the project's first severity by `order` (Critical) … P5 → the fifth (Low), as DESIGN 5c maps them. */
const severityOf = (priority: CasePriorityWire) =>
  (SEVERITY_WORDS[Math.max(0, Number(priority.slice(-1)) - 1)] ?? SEVERITY_WORDS.at(-1)!)[1];

/** `count` whole minutes, distinct and increasing, strictly between `from` and `to` (both on the grid). */
function minutesBetween(r: Random, from: number, to: number, count: number): number[] {
  const room = Math.round((to - from) / MINUTE) - 1;
  const picked = new Set<number>();
  for (let k = 0; k < count && picked.size < room; k++) picked.add(r.int(1, room));
  return [...picked].sort((a, b) => a - b).map((m) => from + m * MINUTE);
}

/** The OneUptime states the case went through, on whole minutes after its creation. */
function mirror(r: Random, seeded: SeededCase): Lifecycle {
  const { plan, timeline } = seeded;
  const steps: Step[] = [{ state: 0, at: plan.createdMs, byUserId: null }];
  const endMs = plan.resolvedMs ?? plan.closedMs;
  const ackMs = plan.ackMs;
  const untilAck =
    ackMs ?? endMs ?? plan.createdMs + Math.floor((plan.endMs - plan.createdMs) / MINUTE) * MINUTE;
  const early = [1, 2].filter(() => r.next() < 0.4);
  minutesBetween(r, plan.createdMs, untilAck, early.length).forEach((at, k) =>
    steps.push({
      state: early[k]!,
      at,
      byUserId: r.next() < 0.7 ? (timeline.ackUserId ?? null) : null,
    }),
  );
  if (ackMs !== undefined) {
    steps.push({ state: ACKNOWLEDGED_STATE, at: ackMs, byUserId: timeline.ackUserId ?? null });
    const until =
      endMs ?? plan.createdMs + Math.floor((plan.endMs - plan.createdMs) / MINUTE) * MINUTE;
    if (r.next() < 0.4) {
      for (const at of minutesBetween(r, ackMs, until, 1)) {
        steps.push({ state: ACKNOWLEDGED_STATE + 1, at, byUserId: timeline.ackUserId ?? null });
      }
    }
  }
  if (endMs !== undefined) {
    const by = plan.resolvedMs !== undefined ? timeline.resolveUserId : timeline.closeUserId;
    steps.push({ state: RESOLVED_STATE, at: endMs, byUserId: by ?? null });
  }
  const progress =
    endMs !== undefined ? 'resolved' : ackMs !== undefined ? 'acknowledged' : 'triggered';
  return {
    openedMs: plan.createdMs,
    steps,
    progress,
    svc: seeded.svc,
    env: r.pick(ENVS),
    team: seeded.team,
  };
}

function linkFields(r: Random, seeded: SeededCase): Record<string, unknown> {
  const fields: Record<string, unknown> = { [CASE_LINK_FIELD]: seeded.record.case.id };
  if (r.next() < 0.35) fields.team = seeded.team;
  if (r.next() < 0.2) fields.jiraTicket = `${r.pick(JIRA_PROJECTS)}-${r.int(1000, 9999)}`;
  return fields;
}

export function seedCaseLinks(ctx: OneUptimeContext, cases: readonly SeededCase[]): void {
  const { r, now } = ctx;
  const candidates = cases.filter((c) => c.plan.activatedMs !== undefined);
  const linked = candidates.map(() => r.next() < 0.75);
  // At least one each way, so tests always find a linked and an unlinked case.
  if (candidates.length >= 2 && linked.every(Boolean)) linked[linked.length - 1] = false;
  if (candidates.length >= 1 && !linked.some(Boolean)) linked[0] = true;
  candidates.forEach((seeded, i) => {
    if (!linked[i]) return;
    const c = seeded.record.case;
    addIncident(ctx, {
      title: c.title,
      description: c.aiSummary ?? `Opened from Coralogix case ${c.readableId ?? c.id}.`,
      severityName: severityOf(c.priority),
      life: mirror(r, seeded),
      customFields: linkFields(r, seeded),
      createdByUserId: null,
      followUp: true,
    });
  });
  // One case claimed twice: a second incident opened by hand later (DESIGN 5a: the oldest wins).
  const claimed = candidates.filter((_, i) => linked[i]);
  const older = claimed.filter((c) => c.plan.createdMs < now - 2 * 60 * MINUTE);
  if (claimed.length === 0) return;
  const original = r.pick(older.length > 0 ? older : claimed);
  const room = now - MINUTE - original.plan.createdMs;
  const at =
    original.plan.createdMs + Math.min(r.int(20, 90), Math.floor(room / 2 / MINUTE)) * MINUTE;
  addIncident(ctx, {
    title: original.record.case.title,
    description: 'Opened again from the Coralogix case.',
    severityName: severityOf(original.record.case.priority),
    life: { ...mirror(r, original), openedMs: at, steps: [{ state: 0, at, byUserId: null }] },
    customFields: { [CASE_LINK_FIELD]: original.record.case.id, team: original.team },
    createdByUserId: r.pick(ctx.users).id,
    followUp: false,
  });
}

/** Seeded case ids tests and examples reach for. */
export interface SeededCaseIds {
  /** One case UUID per status (UNSPECIFIED aside). */
  byStatus: Record<
    'PENDING_ACTIVATION' | 'ACTIVE' | 'ACKNOWLEDGED' | 'RESOLVED' | 'CLOSED',
    string
  >;
  /** An active case claimed by exactly one OneUptime incident. */
  linked: string;
  /** An active case no OneUptime incident claims. */
  unlinked: string;
  /** The case two OneUptime incidents claim. */
  doubleClaimed: string;
}

export function seededCaseIds(seed: Pick<SeedData, 'cases' | 'oneUptimeIncidents'>): SeededCaseIds {
  const claims = new Map<string, number>();
  for (const row of seed.oneUptimeIncidents) {
    const id = row.customFields?.[CASE_LINK_FIELD];
    if (typeof id === 'string') claims.set(id, (claims.get(id) ?? 0) + 1);
  }
  const first = (test: (c: SeedData['cases'][number]['case']) => boolean, what: string) => {
    const found = seed.cases.find((record) => test(record.case));
    if (!found) throw new Error(`the seed has no ${what} case`);
    return found.case.id;
  };
  const status = (s: string) => first((c) => c.status === `CASE_STATUS_${s}`, s);
  const open = (c: { status: string }) =>
    c.status === 'CASE_STATUS_ACTIVE' || c.status === 'CASE_STATUS_ACKNOWLEDGED';
  return {
    byStatus: {
      PENDING_ACTIVATION: status('PENDING_ACTIVATION'),
      ACTIVE: status('ACTIVE'),
      ACKNOWLEDGED: status('ACKNOWLEDGED'),
      RESOLVED: status('RESOLVED'),
      CLOSED: status('CLOSED'),
    },
    linked: first((c) => open(c) && claims.get(c.id) === 1, 'linked open'),
    unlinked: first((c) => open(c) && !claims.has(c.id), 'unlinked open'),
    doubleClaimed: first((c) => (claims.get(c.id) ?? 0) > 1, 'double-claimed'),
  };
}
