/**
 * A family of Coralogix records that link to OneUptime incidents (STYLE 17):
 * incidents and cases (DESIGN 5c). One link machine serves every family;
 * a family says which `customFields` key holds its ids, which keys its cache
 * entries and locks use, how errors name its records, and how one of its
 * records describes a new OneUptime incident.
 */
import type { Case, CasePriorityWire } from '../upstreams/coralogix/cases/types.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type { IncidentSeverityRecord } from '../upstreams/oneuptime/resources.js';

export interface LinkFamily<R> {
  /** Short name, unique per family: `incident`, `case`. */
  readonly name: string;
  /** How messages name one record: `Coralogix incident`. */
  readonly label: string;
  /** The input field (and error extension) that names a record: `incidentId`. */
  readonly idName: string;
  /** The `customFields` key of a OneUptime incident that holds this family's ids. */
  readonly field: string;
  /** Prefix of its link-cache keys (the shared cache adds its own key prefix). */
  readonly cacheKeyPrefix: string;
  /** Prefix of the lock key of one of its ids (the lock adds its own key prefix). */
  readonly lockKeyPrefix: string;
  /** Title and description of a OneUptime incident created for `record`. */
  describe(record: R): { title: string; description?: string };
  /** The severity of a OneUptime incident created for `record` when the caller names none. */
  severity(
    record: R,
    severities: readonly IncidentSeverityRecord[],
  ): IncidentSeverityRecord | undefined;
}

/**
 * DESIGN 5a: the project's severity whose name matches the Coralogix one
 * (case-insensitive), else the one with the highest `order`.
 */
export function defaultSeverity(
  incident: Incident,
  severities: readonly IncidentSeverityRecord[],
): IncidentSeverityRecord | undefined {
  const name = incident.severity.replace(/^INCIDENT_SEVERITY_/, '').toLowerCase();
  const match = severities.find((s) => (s.name ?? '').trim().toLowerCase() === name);
  if (match) return match;
  return [...severities].sort((a, b) => (b.order ?? 0) - (a.order ?? 0))[0];
}

/** Coralogix incidents, linked through `field` (ONEUPTIME_LINK_FIELD). */
export function incidentFamily(field: string): LinkFamily<Incident> {
  return {
    name: 'incident',
    label: 'Coralogix incident',
    idName: 'incidentId',
    field,
    cacheKeyPrefix: `link:${field}:`,
    lockKeyPrefix: 'link:incident:',
    describe: (incident) => ({
      title: incident.name || `Coralogix incident ${incident.id}`,
      ...(incident.description ? { description: incident.description } : {}),
    }),
    severity: defaultSeverity,
  };
}

/** Priorities from the most urgent: an UNSPECIFIED one ranks after P5. */
const PRIORITY_RANK: Record<CasePriorityWire, number> = {
  CASE_PRIORITY_P1: 0,
  CASE_PRIORITY_P2: 1,
  CASE_PRIORITY_P3: 2,
  CASE_PRIORITY_P4: 3,
  CASE_PRIORITY_P5: 4,
  CASE_PRIORITY_UNSPECIFIED: 5,
};

/**
 * DESIGN 5c: cases have no severity, so the priority picks one of the
 * project's severities by `order`: P1 the lowest `order` (OneUptime's
 * defaults make it the most severe), P2 the next, …; when there are more
 * priorities than severities, the rest share the last one. Severities without
 * an `order` come after those with one (then by name, for a stable choice).
 */
export function prioritySeverity(
  item: Case,
  severities: readonly IncidentSeverityRecord[],
): IncidentSeverityRecord | undefined {
  const ranked = [...severities].sort(
    (a, b) =>
      (a.order ?? Number.POSITIVE_INFINITY) - (b.order ?? Number.POSITIVE_INFINITY) ||
      (a.name ?? '').localeCompare(b.name ?? ''),
  );
  const rank = PRIORITY_RANK[item.priority] ?? PRIORITY_RANK.CASE_PRIORITY_UNSPECIFIED;
  return ranked[Math.min(rank, ranked.length - 1)];
}

/** Coralogix cases, linked through `field` (ONEUPTIME_CASE_LINK_FIELD) by their UUID. */
export function caseFamily(field: string): LinkFamily<Case> {
  return {
    name: 'case',
    label: 'Coralogix case',
    idName: 'caseId',
    field,
    cacheKeyPrefix: `link:${field}:`,
    lockKeyPrefix: 'link:case:',
    describe: (item) => {
      const name = item.readableId ?? item.id;
      return {
        title: item.title || `Coralogix case ${name}`,
        description: item.aiSummary
          ? `Coralogix case ${name}.\n\n${item.aiSummary}`
          : `Coralogix case ${name}.`,
      };
    },
    severity: prioritySeverity,
  };
}
