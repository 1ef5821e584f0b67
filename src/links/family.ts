/**
 * A family of Coralogix records that link to OneUptime incidents (STYLE 17):
 * incidents now, cases next (DESIGN 5c). One link machine serves every family;
 * a family says which `customFields` key holds its ids, which keys its cache
 * entries and locks use, how errors name its records, and how one of its
 * records describes a new OneUptime incident.
 */
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
