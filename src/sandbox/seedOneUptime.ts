/**
 * The OneUptime side of the seed: incidents with ids of their own, linked to
 * Coralogix through `customFields.coralogixIncidentId` (most), not linked
 * (some), one Coralogix id claimed twice, a few OneUptime-only incidents;
 * each with its state timeline, SLAs and members.
 */
import type { StoredIncident } from './coralogix/store.js';
import { lifecycle, type Lifecycle, type Step } from './seedCoralogix.js';
import { iso, MINUTE, seededIncidentSlug } from './seedRandom.js';
import { seedMembers, seedSlas, type ResponseContext } from './seedResponse.js';
import type { SeedData } from './seedTypes.js';
import {
  JIRA_PROJECTS,
  LINK_FIELD,
  ONEUPTIME_ONLY_PROBLEMS,
  REGIONS,
  REMEDIATIONS,
  RESOLVED_STATE,
  ROOT_CAUSES,
  SEVERITY_WORDS,
} from './seedVocabulary.js';

type Rows = Pick<
  SeedData,
  | 'oneUptimeIncidents'
  | 'stateTimelines'
  | 'slas'
  | 'members'
  | 'incidentStates'
  | 'incidentSeverities'
>;

export interface OneUptimeContext extends ResponseContext {
  out: Rows;
}

export interface IncidentSpec {
  title: string;
  description: string;
  severityName: string;
  life: Lifecycle;
  customFields: Record<string, unknown> | null;
  createdByUserId: string | null;
  /** A duplicate made by hand gets no SLA or members. */
  followUp: boolean;
}

function timelineRows(ctx: OneUptimeContext, incidentId: string, spec: IncidentSpec) {
  const { r, out } = ctx;
  const { steps, svc, env } = spec.life;
  const notifyOnCreate = env === 'production';
  steps.forEach((step, i) => {
    const next = steps[i + 1];
    const state = out.incidentStates[step.state]!;
    const previous = i === 0 ? undefined : out.incidentStates[steps[i - 1]!.state];
    out.stateTimelines.push({
      _id: r.uuid(),
      projectId: ctx.projectId,
      incidentId,
      incidentStateId: state._id,
      startsAt: iso(step.at),
      endsAt: next === undefined ? null : iso(next.at),
      rootCause: i === 0 ? null : `Moved to ${state.name} after review of ${svc} dashboards.`,
      stateChangeLog: { from: previous?.name ?? null, to: state.name },
      shouldStatusPageSubscribersBeNotified: notifyOnCreate,
      subscriberNotificationStatus: notifyOnCreate ? 'Success' : 'Skipped',
      isOwnerNotified: true,
      createdByUserId: step.byUserId,
      createdAt: iso(step.at),
      updatedAt: iso(next?.at ?? step.at),
    });
  });
}

/** One OneUptime incident with its timeline (and, unless a duplicate, SLAs and members). */
export function addIncident(ctx: OneUptimeContext, spec: IncidentSpec): void {
  const { r, out } = ctx;
  const { steps, svc, env } = spec.life;
  const first = steps[0] as Step;
  const last = steps.at(-1) as Step;
  const resolved = last.state === RESOLVED_STATE;
  const severity = out.incidentSeverities.find((s) => s.name === spec.severityName)!;
  const id = r.uuid();
  const fill = (text: string) => text.replaceAll('{svc}', svc);
  out.oneUptimeIncidents.push({
    _id: id,
    projectId: ctx.projectId,
    title: spec.title,
    description: spec.description,
    declaredAt: iso(first.at),
    impactStartedAt: null,
    slug: seededIncidentSlug(r),
    currentIncidentStateId: out.incidentStates[last.state]!._id,
    incidentSeverityId: severity._id,
    customFields: spec.customFields,
    rootCause: resolved && r.next() < 0.6 ? fill(r.pick(ROOT_CAUSES)) : null,
    postmortemNote: null,
    remediationNotes: resolved && r.next() < 0.4 ? fill(r.pick(REMEDIATIONS)) : null,
    incidentNumber: 0,
    incidentNumberWithPrefix: '',
    shouldStatusPageSubscribersBeNotifiedOnIncidentCreated: env === 'production',
    isVisibleOnStatusPage: env === 'production',
    isPrivate: false,
    createdByUserId: spec.createdByUserId,
    createdAt: iso(first.at),
    updatedAt: iso(last.at),
  });
  timelineRows(ctx, id, spec);
  if (!spec.followUp) return;
  out.slas.push(...seedSlas(ctx, id, steps));
  out.members.push(...seedMembers(ctx, id, steps));
}

const severityName = (incident: StoredIncident) =>
  SEVERITY_WORDS.find(([wire]) => wire === incident.severity)?.[1] ?? 'Info';

/** The link key, sometimes next to the other custom fields teams keep on an incident. */
function linkedFields(ctx: OneUptimeContext, incident: StoredIncident, life: Lifecycle) {
  const { r } = ctx;
  const fields: Record<string, unknown> = { [LINK_FIELD]: incident.id };
  if (r.next() < 0.35) fields.team = life.team;
  if (r.next() < 0.2) fields.jiraTicket = `${r.pick(JIRA_PROJECTS)}-${r.int(1000, 9999)}`;
  if (r.next() < 0.1) {
    const first = r.pick(REGIONS);
    fields.affectedRegions = [first, r.pick(REGIONS.filter((region) => region !== first))];
  }
  if (r.next() < 0.05) fields.customerImpact = r.next() < 0.5;
  return fields;
}

/** Custom fields of the OneUptime-only incidents: none, empty, and other keys only. */
function ownFields(ctx: OneUptimeContext, k: number, team: string) {
  const { r } = ctx;
  const variants: Array<() => Record<string, unknown> | null> = [
    () => null,
    () => ({}),
    () => ({ team }),
    () => ({ team, jiraTicket: `${r.pick(JIRA_PROJECTS)}-${r.int(1000, 9999)}` }),
    () => ({ affectedRegions: [r.pick(REGIONS)], customerImpact: true }),
  ];
  return variants[k % variants.length]!();
}

export interface CoralogixLife {
  incident: StoredIncident;
  life: Lifecycle;
}

/** Which Coralogix incidents get a OneUptime incident: about 88%, at least one each way. */
function chooseLinked(ctx: OneUptimeContext, all: readonly CoralogixLife[]): boolean[] {
  const linked = all.map(() => ctx.r.next() >= 0.12);
  if (all.length >= 3 && linked.every(Boolean)) linked[linked.length - 1] = false;
  if (all.length >= 1 && !linked.some(Boolean)) linked[0] = true;
  return linked;
}

/** A second OneUptime incident for an already linked Coralogix id, opened by hand later. */
function addDuplicate(ctx: OneUptimeContext, original: CoralogixLife): void {
  const { r, now } = ctx;
  const { incident, life } = original;
  const room = now - MINUTE - life.openedMs;
  const at = life.openedMs + Math.min(r.int(20, 90) * MINUTE, Math.floor(room / 2));
  addIncident(ctx, {
    title: incident.name ?? '',
    description: 'Opened again from the Coralogix alert.',
    severityName: severityName(incident),
    life: { ...life, openedMs: at, steps: [{ state: 0, at, byUserId: null }] },
    customFields: { [LINK_FIELD]: incident.id, team: life.team },
    createdByUserId: r.pick(ctx.users).id,
    followUp: false,
  });
}

export function seedOneUptime(ctx: OneUptimeContext, all: readonly CoralogixLife[]): void {
  const { r, now } = ctx;
  const linked = chooseLinked(ctx, all);
  all.forEach(({ incident, life }, i) => {
    if (!linked[i]) return;
    addIncident(ctx, {
      title: incident.name ?? '',
      description: incident.description ?? '',
      severityName: severityName(incident),
      life,
      customFields: linkedFields(ctx, incident, life),
      createdByUserId: null,
      followUp: true,
    });
  });
  const candidates = all.filter((_, i) => linked[i]);
  const older = candidates.filter(({ life }) => life.openedMs < now - 2 * 60 * MINUTE);
  if (candidates.length > 0) addDuplicate(ctx, r.pick(older.length > 0 ? older : candidates));
  ONEUPTIME_ONLY_PROBLEMS.forEach(([title, text], k) => {
    const life = lifecycle(r, ctx.users, now);
    addIncident(ctx, {
      title: title.replaceAll('{svc}', life.svc),
      description: text.replaceAll('{svc}', life.svc),
      severityName: r.pick(SEVERITY_WORDS)[1],
      life,
      customFields: ownFields(ctx, k, life.team),
      createdByUserId: r.pick(ctx.users).id,
      followUp: true,
    });
  });
}

/**
 * `ProjectService.incrementAndGetIncidentCounter`: numbers in creation order,
 * "#N" without a prefix, over every seeded OneUptime incident (the ones linked
 * to cases included, so it runs once both sides are seeded).
 */
export function numberIncidents(out: Pick<SeedData, 'oneUptimeIncidents'>): void {
  const byCreation = [...out.oneUptimeIncidents].sort((a, b) =>
    a.createdAt.localeCompare(b.createdAt),
  );
  byCreation.forEach((row, n) => {
    row.incidentNumber = n + 1;
    row.incidentNumberWithPrefix = `#${n + 1}`;
  });
}
