/**
 * Seeded Coralogix cases (S1 = coralogix/coralogix-management-sdk 4464b2b3
 * `specs/cases_service.json`, `Case`): every status, priority and category,
 * system priorities with some user overrides, assignees and unassigned
 * cases, labels and groupings, alert indicators (a few from Prometheus
 * AlertManager or error tracking instead), impacted entities, KPI breaches,
 * resolution details on resolved and closed ones, AI summaries and Olly
 * analyses on some; PENDING_ACTIVATION cases have no readable id. Readable
 * ids (`CASE-<n>`) number the cases in the order they became active.
 *
 * Drawn from a random stream of their own, so adding cases changes nothing
 * else the seed makes.
 */
import type {
  CaseCategoryWire,
  CasePriorityWire,
  CaseStatusWire,
  KeyValue,
} from '../upstreams/coralogix/cases/types.js';
import type { CaseRecord } from './coralogix/cases/store.js';
import { caseTimeline, type Timeline } from './seedCaseEvents.js';
import { entities, indicators, olly } from './seedCaseIndicators.js';
import { endedMs, planCase, type CasePlan } from './seedCasePlan.js';
import { AI_SUMMARIES, SECURITY_PROBLEMS } from './seedCaseWords.js';
import { iso, MINUTE, type Random } from './seedRandom.js';
import type { SeedUser } from './seedTypes.js';
import { ENVS, PROBLEMS, REGIONS, SERVICES, TEAMS } from './seedVocabulary.js';

export interface SeededCase {
  record: CaseRecord;
  plan: CasePlan;
  timeline: Timeline;
  svc: string;
  team: string;
}

const STATUSES: CaseStatusWire[] = [
  'CASE_STATUS_PENDING_ACTIVATION',
  'CASE_STATUS_ACTIVE',
  'CASE_STATUS_ACKNOWLEDGED',
  'CASE_STATUS_RESOLVED',
  'CASE_STATUS_CLOSED',
];
const PRIORITIES: CasePriorityWire[] = [
  'CASE_PRIORITY_P1',
  'CASE_PRIORITY_P2',
  'CASE_PRIORITY_P3',
  'CASE_PRIORITY_P4',
  'CASE_PRIORITY_P5',
];

/** `[value, cumulative share]`: the first whose share exceeds the draw. */
function weighted<T>(r: Random, table: ReadonlyArray<[T, number]>): T {
  const x = r.next();
  return (table.find(([, share]) => x < share) ?? table.at(-1)!)[0];
}

const STATUS_SHARES: Array<[CaseStatusWire, number]> = [
  ['CASE_STATUS_PENDING_ACTIVATION', 0.05],
  ['CASE_STATUS_ACTIVE', 0.25],
  ['CASE_STATUS_ACKNOWLEDGED', 0.4],
  ['CASE_STATUS_RESOLVED', 0.6],
  ['CASE_STATUS_CLOSED', 1],
];
const PRIORITY_SHARES: Array<[CasePriorityWire, number]> = [
  ['CASE_PRIORITY_P1', 0.08],
  ['CASE_PRIORITY_P2', 0.25],
  ['CASE_PRIORITY_P3', 0.6],
  ['CASE_PRIORITY_P4', 0.85],
  ['CASE_PRIORITY_P5', 1],
];

const fill = (text: string, svc: string) => text.replaceAll('{svc}', svc);
function oneCase(
  r: Random,
  users: readonly SeedUser[],
  pool: Map<string, string>,
  now: number,
  i: number,
): SeededCase {
  // The first cases cover every status, priority and category; the rest are drawn.
  const status = i < STATUSES.length ? STATUSES[i]! : weighted(r, STATUS_SHARES);
  const systemPriority =
    i < PRIORITIES.length ? PRIORITIES[(i * 2) % 5]! : weighted(r, PRIORITY_SHARES);
  const category: CaseCategoryWire =
    i < 2
      ? (['CASE_CATEGORY_SECURITY', 'CASE_CATEGORY_AVAILABILITY'] as const)[i]!
      : r.next() < 0.25
        ? 'CASE_CATEGORY_SECURITY'
        : 'CASE_CATEGORY_AVAILABILITY';
  const svc = r.pick(SERVICES);
  const team = r.pick(TEAMS);
  const env = r.pick(ENVS);
  const title = fill(
    category === 'CASE_CATEGORY_SECURITY' ? r.pick(SECURITY_PROBLEMS) : r.pick(PROBLEMS)[0],
    svc,
  );
  const plan = planCase(r, status, now);
  const pending = status === 'CASE_STATUS_PENDING_ACTIVATION';
  const changed = !pending && r.next() < 0.1;
  const firstSystemPriority = changed
    ? r.pick(PRIORITIES.filter((p) => p !== systemPriority))
    : undefined;
  const override =
    !pending && r.next() < 0.2 ? r.pick(PRIORITIES.filter((p) => p !== systemPriority)) : undefined;
  const assigneeShare = pending ? 0 : status === 'CASE_STATUS_ACTIVE' ? 0.5 : 0.85;
  const draw = r.next();
  const assignees =
    pending || r.next() >= assigneeShare
      ? 'none'
      : draw < 0.12
        ? 'reassigned'
        : draw < 0.17
          ? 'unassigned'
          : 'one';
  const timeline = caseTimeline(r, users, {
    plan,
    svc,
    team,
    title,
    retitle: !pending && r.next() < 0.06 ? `${title} (${r.pick(REGIONS)})` : undefined,
    systemPriority,
    firstSystemPriority,
    override,
    assignees,
  });
  const priority = override ?? systemPriority;
  const labels: KeyValue[] = [{ key: 'team', value: team }];
  if (r.next() < 0.7) labels.push({ key: 'env', value: env });
  if (r.next() < 0.15) labels.push({ key: 'customer-impact', value: 'yes' });
  const groupings: KeyValue[] = [
    { key: 'service', value: svc },
    { key: 'environment', value: env },
  ];
  if (r.next() < 0.3) groupings.push({ key: 'region', value: r.pick(REGIONS) });
  const record: CaseRecord = {
    case: {
      id: r.uuid(),
      title: timeline.title,
      status,
      priority,
      priorityDetails:
        override === undefined ? { system: systemPriority } : { system: systemPriority, override },
      category,
      labels,
      groupings,
      createTime: iso(plan.createdMs),
      updateTime: iso(timeline.updateMs),
      caseIndicators: indicators(r, pool, { title, svc, plan, priority }),
      impactedEntities: entities(r, svc),
    },
    events: timeline.events,
  };
  const c = record.case;
  if (timeline.assignee !== undefined) c.assignee = { userId: timeline.assignee };
  if (timeline.acknowledgeTime !== undefined) c.acknowledgeTime = timeline.acknowledgeTime;
  if (timeline.resolution !== undefined) c.resolutionDetails = timeline.resolution;
  if (timeline.breaches.length > 0) c.kpiBreaches = { breachedKpis: timeline.breaches };
  const ended = endedMs(plan);
  if (ended !== undefined) record.endedAt = iso(ended);
  if (!pending && r.next() < 0.4) {
    const n = Math.max(1, c.caseIndicators?.alertIndicators?.length ?? 1) + r.int(0, 4);
    c.aiSummary = fill(r.pick(AI_SUMMARIES), svc).replaceAll('{n}', String(n));
  }
  if (!pending && r.next() < 0.15)
    c.ollyAnalysis = olly(r, svc, plan.activatedMs! + r.int(2, 10) * MINUTE);
  return { record, plan, timeline, svc, team };
}

/** `count` cases (at least one of each status, priority and category when count ≥ 5). */
export function seedCases(
  r: Random,
  users: readonly SeedUser[],
  now: number,
  count: number,
): SeededCase[] {
  const pool = new Map<string, string>();
  const cases = Array.from({ length: count }, (_, i) => oneCase(r, users, pool, now, i));
  // Readable ids in activation order (S1: "available only for the cases that became Active").
  const active = cases.filter((c) => c.plan.activatedMs !== undefined);
  active.sort((a, b) => a.plan.activatedMs! - b.plan.activatedMs!);
  active.forEach((c, n) => {
    c.record.case.readableId = `CASE-${n + 1}`;
  });
  return cases;
}
