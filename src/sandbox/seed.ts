/**
 * Deterministic sandbox data: the same seed always yields the same Coralogix
 * incidents and OneUptime records. OneUptime incidents have ids of their own;
 * most name a Coralogix incident in `customFields.coralogixIncidentId` (the
 * link, DESIGN 5a), and every timeline entry, SLA and member belongs to a
 * OneUptime incident. Coralogix cases come after, from streams of their own,
 * with OneUptime incidents naming them in `customFields.coralogixCaseId`
 * (DESIGN 5c) appended after the incident-linked rows. Every instant is
 * relative to one `now`.
 */
import { coralogixIncident, lifecycle } from './seedCoralogix.js';
import { seedCaseLinks } from './seedCaseLinks.js';
import { seedCases } from './seedCases.js';
import { seedEventFeed } from './seedEventFeed.js';
import { numberIncidents, seedOneUptime, type CoralogixLife } from './seedOneUptime.js';
import { createRandom, DAY, iso, seededSlug, slugify, type Random } from './seedRandom.js';
import type { SeedData, SeedUser } from './seedTypes.js';
import { ROLE_ICONS, ROLES, SEVERITY_WORDS, STATES, USER_NAMES } from './seedVocabulary.js';

export { createRandom, slugify } from './seedRandom.js';
export type * from './seedTypes.js';
export { CASE_LINK_FIELD, LINK_FIELD } from './seedVocabulary.js';
export { seededCaseIds, type SeededCaseIds } from './seedCaseLinks.js';

export const DEFAULT_SEED = 20261123;
export const DEFAULT_CASE_COUNT = 120;

/** The project's configuration rows, all made when the project was set up. */
function projectRows(r: Random, projectId: string, users: SeedUser[], now: number) {
  const setUp = (i: number) => iso(now - (400 - i) * DAY);
  const base = (i: number) => ({
    _id: r.uuid(),
    projectId,
    createdAt: setUp(i),
    updatedAt: setUp(i),
    createdByUserId: users[0]!.id,
  });
  const incidentStates: SeedData['incidentStates'] = STATES.map((state, i) => {
    const row = base(i);
    return {
      ...row,
      id: row._id,
      name: state.name,
      slug: seededSlug(r, state.name),
      description: state.description,
      color: state.color,
      order: i + 1,
      isCreatedState: state.flag === 'isCreatedState',
      isAcknowledgedState: state.flag === 'isAcknowledgedState',
      isResolvedState: state.flag === 'isResolvedState',
    };
  });
  const incidentSeverities: SeedData['incidentSeverities'] = SEVERITY_WORDS.map(
    ([, name, color, description], i) => ({
      ...base(i),
      name,
      slug: seededSlug(r, name),
      description,
      color,
      order: i + 1,
    }),
  );
  const roles: SeedData['roles'] = ROLES.map(
    ([name, description, color, primary, deleteable], i) => ({
      ...base(i),
      name,
      slug: slugify(name),
      description,
      color,
      roleIcon: ROLE_ICONS[i] ?? null,
      isPrimaryRole: primary,
      isDeleteable: deleteable,
      canAssignMultipleUsers: !primary && i % 2 === 0,
    }),
  );
  return { incidentStates, incidentSeverities, roles };
}

/**
 * Every instant is an offset back from `nowMs` (the sandbox's start time by
 * default), so ages, durations and SLA states read true on any day, next to
 * the current time that writes stamp; the random draws, and so every id, name
 * and state, depend on `seed` alone. Pass a fixed `nowMs` for fixed instants.
 * Cases and their OneUptime incidents draw from streams of their own, so
 * `caseCount` changes nothing about the incidents' data.
 */
export function generateSeed(
  seed = DEFAULT_SEED,
  incidentCount = 300,
  nowMs = Date.now(),
  caseCount = DEFAULT_CASE_COUNT,
): SeedData {
  const now = nowMs;
  const r = createRandom(seed);
  const projectId = r.uuid();
  const users = USER_NAMES.map((name) => ({
    id: r.uuid(),
    email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
    name,
  }));
  const slaRuleIds = [r.uuid(), r.uuid(), r.uuid()];
  const { incidentStates, incidentSeverities, roles } = projectRows(r, projectId, users, now);
  const lives: CoralogixLife[] = Array.from({ length: incidentCount }, () => {
    const life = lifecycle(r, users, now);
    return { life, incident: coralogixIncident(r, users, life, now) };
  });
  const data: SeedData = {
    projectId,
    users,
    incidentStates,
    incidentSeverities,
    slaRuleIds,
    incidents: lives.map(({ incident }) => incident),
    eventFeed: lives
      .flatMap(({ incident, life }) => seedEventFeed(incident, life))
      .sort((a, b) => a.cxEventTimestamp.localeCompare(b.cxEventTimestamp)),
    cases: [],
    oneUptimeIncidents: [],
    stateTimelines: [],
    slas: [],
    roles,
    members: [],
  };
  // A second stream, so the OneUptime side can change without reshuffling Coralogix's.
  const ou = createRandom(seed ^ 0x0e1ed);
  seedOneUptime({ r: ou, now, projectId, users, slaRuleIds, roles, out: data }, lives);
  const cases = seedCases(createRandom(seed ^ 0xca5e5), users, now, caseCount);
  data.cases = cases.map(({ record }) => record);
  const caseLinks = createRandom(seed ^ 0xca5e1);
  seedCaseLinks({ r: caseLinks, now, projectId, users, slaRuleIds, roles, out: data }, cases);
  numberIncidents(data);
  return data;
}
