/**
 * What a seeded case points at (S1 `specs/cases_service.json` at 4464b2b3):
 * its indicators (Coralogix alerts, mostly; a few Prometheus AlertManager or
 * error-tracking ones, the other case sources W5 names), the APM entities it
 * impacts, and an Olly analysis.
 */
import type {
  CaseIndicators,
  CasePriorityWire,
  ImpactedEntity,
  OllyAnalysis,
} from '../upstreams/coralogix/cases/types.js';
import { endedMs, type CasePlan } from './seedCasePlan.js';
import { OLLY_RECOMMENDATIONS, OLLY_ROOT_CAUSES } from './seedCaseWords.js';
import { iso, MINUTE, type Random } from './seedRandom.js';
import { PROBLEMS } from './seedVocabulary.js';

const fill = (text: string, svc: string) => text.replaceAll('{svc}', svc);

const indicatorPriority = (p: CasePriorityWire) =>
  p.replace('CASE_PRIORITY', 'INDICATOR_PRIORITY') as NonNullable<
    CaseIndicators['alertIndicators']
  >[number]['priority'];

/** One alert definition per problem and service, so cases share alert ids as real ones do. */
function alertId(r: Random, pool: Map<string, string>, key: string): string {
  let id = pool.get(key);
  if (id === undefined) {
    id = r.uuid();
    pool.set(key, id);
  }
  return id;
}

export function indicators(
  r: Random,
  pool: Map<string, string>,
  c: { title: string; svc: string; plan: CasePlan; priority: CasePriorityWire },
): CaseIndicators {
  const { plan, svc } = c;
  const triggerMs = plan.createdMs - r.int(5, 90) * 1000;
  const resolvedMs = endedMs(plan);
  const priority = indicatorPriority(c.priority);
  const source = r.next();
  if (source < 0.06) {
    // Prometheus AlertManager (case source per W5), with no Coralogix alert.
    const status =
      resolvedMs === undefined
        ? { triggered: { triggeredAt: iso(triggerMs) } }
        : { resolved: { triggeredAt: iso(triggerMs), resolvedAt: iso(resolvedMs) } };
    const group = `{}:{alertname="${svc}Down"}`;
    return {
      alertIndicators: [],
      prometheusAlertIndicators: [
        {
          alertGroupId: group,
          status,
          priority,
          groupLabels: { alertname: `${svc}Down` },
          receiver: 'coralogix-cases',
          externalUrl: 'https://alertmanager.example.com',
          receivedAt: iso(triggerMs),
          updatedAt: iso(resolvedMs ?? triggerMs),
          alerts: [
            {
              alertGroupId: group,
              alertName: `${svc}Down`,
              fingerprint: r.uuid().replaceAll('-', '').slice(0, 16),
              priority,
              labels: { alertname: `${svc}Down`, service: svc },
              annotations: { summary: c.title },
              status,
              generatorUrl: `https://prometheus.example.com/graph?g0.expr=up%7Bjob%3D%22${svc}%22%7D`,
              query: { promql: `up{job="${svc}"} == 0` },
              createdAt: iso(triggerMs),
              updatedAt: iso(resolvedMs ?? triggerMs),
            },
          ],
        },
      ],
    };
  }
  if (source < 0.1) {
    // Error tracking (S1 `GenericIndicator`).
    return {
      alertIndicators: [],
      genericIndicators: [
        {
          id: r.uuid(),
          externalId: `err-${r.int(10000, 99999)}`,
          indicatorType: 'GENERIC_INDICATOR_TYPE_ERROR_TRACKING',
          status:
            resolvedMs === undefined
              ? 'GENERIC_INDICATOR_STATUS_TRIGGERED'
              : 'GENERIC_INDICATOR_STATUS_RESOLVED',
          priority,
          lastTriggeredAt: iso(triggerMs),
          ...(resolvedMs === undefined ? {} : { lastResolvedAt: iso(resolvedMs) }),
          labels: [{ key: 'service', value: svc }],
          entityLinks: [{ url: `https://errors.example.com/${svc}/issues/${r.int(100, 999)}` }],
        },
      ],
    };
  }
  const count = r.next() < 0.7 ? 1 : r.int(2, 3);
  return {
    alertIndicators: Array.from({ length: count }, (_, k) => {
      const version = r.int(1, 6);
      const resolved = resolvedMs !== undefined;
      return {
        alertId: alertId(r, pool, `${k === 0 ? c.title : r.pick(PROBLEMS)[0]}|${svc}`),
        latestAlertVersion: `v${version}`,
        alertVersions: Array.from({ length: version }, (_, v) => `v${v + 1}`),
        priority,
        groupingType: count > 1 ? 'GROUPING_TYPE_COMPOSITE_ALERT' : 'GROUPING_TYPE_NONE',
        state: resolved
          ? 'INDICATOR_STATE_RESOLVED'
          : r.next() < 0.05
            ? 'INDICATOR_STATE_NO_DATA'
            : 'INDICATOR_STATE_TRIGGERED',
        triggerTime: iso(triggerMs + k * MINUTE),
        ...(resolved ? { resolveTime: iso(resolvedMs), resolveWithSignal: true } : {}),
        permutations: [{ permutation: { service: svc } }],
      };
    }),
  };
}

export function entities(r: Random, svc: string): ImpactedEntity[] {
  const out: ImpactedEntity[] = [];
  if (r.next() < 0.6) {
    out.push({ apmService: { name: `${svc}-api`, language: r.pick(['go', 'java', 'nodejs']) } });
  }
  if (r.next() < 0.25) out.push({ apmDatabase: { name: `${svc}-db`, system: 'postgresql' } });
  return out;
}

export function olly(r: Random, svc: string, atMs: number): OllyAnalysis {
  if (r.next() < 0.2) return { status: 'STATUS_CAPACITY_REACHED', completedAt: iso(atMs) };
  return {
    status: 'STATUS_OK',
    completedAt: iso(atMs),
    payload: {
      generatedAt: iso(atMs),
      investigationSummary: `Olly compared ${svc} metrics, logs and traces around the trigger.`,
      rootCause: fill(r.pick(OLLY_ROOT_CAUSES), svc),
      rootCauseConfidence: r.pick([
        'OLLY_ANALYSIS_ROOT_CAUSE_CONFIDENCE_LOW',
        'OLLY_ANALYSIS_ROOT_CAUSE_CONFIDENCE_MEDIUM',
        'OLLY_ANALYSIS_ROOT_CAUSE_CONFIDENCE_HIGH',
      ] as const),
      remediationRecommendations: [fill(r.pick(OLLY_RECOMMENDATIONS), svc)],
    },
  };
}
