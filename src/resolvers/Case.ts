/**
 * `Case` (DESIGN 5c) and its small types: fields from the checked wire case
 * (codegen maps `Case` to it), its events and alerts, and the link fields it
 * shares with `Incident` (`LinkedToOneUptime`, through `ctx.caseLinks`).
 */
import type {
  CaseAlertResolvers,
  CaseResolutionResolvers,
  CaseResolvers,
} from '../__generated__/resolvers-types.js';
import { CASE_RESOLVER_KINDS, type CasePriorityWire } from '../upstreams/coralogix/cases/types.js';
import type { KeyValue } from '../upstreams/coralogix/cases/types.js';
import { timeline } from './CaseTimeline.js';
import { linkedFields } from './LinkedToOneUptime.js';
import { afterCaseWrite } from './persistedWrites.js';

const labels = (pairs: ReadonlyArray<Partial<KeyValue>>) =>
  pairs.map(({ key, value }) => ({ key: key ?? '', value: value ?? '' }));

/** Read after a write too: a failure under a case write's answer says what it applied. */
const linked = linkedFields((ctx) => ctx.caseLinks);

const time = (value: string | undefined) => (value ? value : null);

/** `INDICATOR_PRIORITY_P2` → `CASE_PRIORITY_P2` (the two enums share their values). */
const casePriority = (raw: string | undefined): CasePriorityWire => {
  const level = /_(P[1-5])$/.exec(raw ?? '')?.[1];
  return level ? (`CASE_PRIORITY_${level}` as CasePriorityWire) : 'CASE_PRIORITY_UNSPECIFIED';
};

export const Case: CaseResolvers = {
  readableId: (item) => item.readableId ?? null,
  systemPriority: (item) => item.priorityDetails?.system ?? null,
  priorityOverride: (item) => item.priorityDetails?.override ?? null,
  assignee: (item) => (item.assignee?.userId ? { userId: item.assignee.userId } : null),
  labels: (item) => labels(item.labels),
  groupings: (item) => labels(item.groupings),
  createdAt: (item) => time(item.createTime),
  updatedAt: (item) => time(item.updateTime),
  acknowledgedAt: (item) => time(item.acknowledgeTime),
  resolution: (item) => item.resolutionDetails ?? null,
  durationMs: (item) => {
    const ms = Number(item.duration);
    return item.duration !== undefined && Number.isFinite(ms) ? ms : null;
  },
  aiSummary: (item) => item.aiSummary ?? null,
  alerts: (item) => item.caseIndicators?.alertIndicators ?? [],
  events: afterCaseWrite((item: { id: string }, _, ctx) => ctx.cases.events.load(item.id)),
  timeline: afterCaseWrite(timeline),
  linkStatus: afterCaseWrite(linked.linkStatus),
  oneUptimeIncident: afterCaseWrite(linked.oneUptimeIncident),
  stateTimeline: afterCaseWrite(linked.stateTimeline),
  slas: afterCaseWrite(linked.slas),
  responders: afterCaseWrite(linked.responders),
};

export const CaseResolution: CaseResolutionResolvers = {
  reason: (resolution) => resolution.reason ?? null,
  resolvedAt: (resolution) => time(resolution.resolveTime),
  resolvedBy: (resolution) => {
    const by = resolution.resolvedBy as Record<string, unknown> | undefined;
    return CASE_RESOLVER_KINDS.find((kind) => by?.[kind] != null) ?? null;
  },
};

export const CaseAlert: CaseAlertResolvers = {
  alertId: (alert) => alert.alertId ?? '',
  state: (alert) => alert.state ?? 'INDICATOR_STATE_UNSPECIFIED',
  priority: (alert) => casePriority(alert.priority),
  triggeredAt: (alert) => time(alert.triggerTime),
  resolvedAt: (alert) => time(alert.resolveTime),
};
