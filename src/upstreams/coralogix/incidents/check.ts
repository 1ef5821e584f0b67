/**
 * The checks every Coralogix answer goes through before resolvers see it:
 * the types of everything the schema serialises (`resources.ts`), protojson's
 * omitted defaults filled in (empty lists / maps), and enum values this
 * gateway does not know mapped to UNSPECIFIED with a warning naming the raw
 * value, so resolvers can trust the wire type and a newer upstream never
 * fails a field.
 */
import { badResponse } from '../../../errors.js';
import { isObject, mismatch } from '../../shape.js';
import { enumReader, type Warn } from '../http.js';
import { INCIDENT, INCIDENT_EVENT_EXTENDED } from './resources.js';
import {
  ALERT_TYPES,
  INCIDENT_EVENT_TYPES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  INCIDENT_STATUSES,
  ORIGINATOR_TYPES,
  UPSERT_STATE_TYPES,
  type Incident,
  type IncidentEvent,
} from './types.js';
import type { CheckedEventItem, IncidentEventExtended } from './eventTypes.js';

export type { CheckedEventItem } from './eventTypes.js';

export function createChecker(warn: Warn) {
  /** A wire value the gateway knows, else the first (UNSPECIFIED) with a warning. */
  const known = enumReader(warn);

  /**
   * An event fresh from this answer's JSON.parse: its enums are read in place
   * (no copy per event, and one reader per incident: in the CPU profile of a
   * page of 50 incidents the copies took 2.7 % of the gateway's busy time).
   */
  const event = (value: IncidentEvent, enumOf: ReturnType<typeof known>): IncidentEvent => {
    value.incidentEventType = enumOf(
      'events.incidentEventType',
      value.incidentEventType,
      INCIDENT_EVENT_TYPES,
    );
    if (value.originatorType !== undefined) {
      value.originatorType = enumOf(
        'events.originatorType',
        value.originatorType,
        ORIGINATOR_TYPES,
      );
    }
    if (value.upsertState?.stateType !== undefined) {
      value.upsertState.stateType = enumOf(
        'events.upsertState.stateType',
        value.upsertState.stateType,
        UPSERT_STATE_TYPES,
      );
    }
    return value;
  };

  return {
    incident(value: unknown): Incident {
      if (!isObject(value) || typeof value.id !== 'string') {
        throw badResponse('coralogix', 'incident without an id');
      }
      const problem = mismatch(value, INCIDENT, 'incident');
      if (problem) throw badResponse('coralogix', problem);
      // The object is this answer's own (fresh from JSON.parse): defaults are filled in
      // place, with no copy of every incident on the hot path (measured in the CPU profile).
      const incident = value as Incident;
      const enumOf = known({ incidentId: incident.id });
      incident.state = enumOf('state', incident.state, INCIDENT_STATES);
      incident.status = enumOf('status', incident.status, INCIDENT_STATUSES);
      incident.severity = enumOf('severity', incident.severity, INCIDENT_SEVERITIES);
      incident.assignments ??= [];
      incident.contextualLabels ??= {};
      incident.displayLabels ??= {};
      incident.events ??= [];
      for (const e of incident.events) event(e, enumOf);
      return incident;
    },

    /** One `ListIncidentEvents` item; its key, instant and event id are required (spec). */
    eventItem(value: unknown): CheckedEventItem {
      const problem = mismatch(value, INCIDENT_EVENT_EXTENDED, 'item');
      if (problem) throw badResponse('coralogix', problem);
      const item = value as IncidentEventExtended;
      const at = item.cxEventTimestamp;
      if (!item.cxEventKey || !at || Number.isNaN(Date.parse(at)) || !item.incidentEvent?.id) {
        throw badResponse('coralogix', 'event item without its key, timestamp or event id');
      }
      const subject = { cxEventKey: item.cxEventKey };
      const enumOf = known(subject);
      const meta = item.incidentEventExtendedMetadata ?? {};
      return {
        ...item,
        cxEventKey: item.cxEventKey,
        cxEventTimestamp: at,
        incidentEvent: event(item.incidentEvent, enumOf) as IncidentEvent & { id: string },
        incidentEventExtendedMetadata: {
          ...meta,
          incidentSeverity: enumOf('incidentSeverity', meta.incidentSeverity, INCIDENT_SEVERITIES),
          incidentState: enumOf('incidentState', meta.incidentState, INCIDENT_STATES),
          incidentStatus: enumOf('incidentStatus', meta.incidentStatus, INCIDENT_STATUSES),
          alertType: enumOf('alertType', meta.alertType, ALERT_TYPES),
        },
      };
    },
  };
}
