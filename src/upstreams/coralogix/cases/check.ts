/**
 * The checks every Cases answer goes through before resolvers see it: the
 * types of everything the schema serialises (`resources.ts`,
 * `eventResources.ts`), protojson's omitted defaults filled in (empty lists),
 * and enum values or oneOf members this gateway does not know reported as a
 * warning naming the raw value (enums then read as UNSPECIFIED, kinds as
 * UNKNOWN), so resolvers can trust the wire type and a newer Coralogix never
 * fails a field.
 */
import { badResponse } from '../../../errors.js';
import { isObject, mismatch } from '../../shape.js';
import { enumReader, type Warn } from '../http.js';
import { actorKindOf, eventKindOf, presentKeys } from './events.js';
import {
  CASE_CATEGORIES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  INDICATOR_PRIORITIES,
  INDICATOR_STATES,
} from './enums.js';
import { CASE_EVENT } from './eventResources.js';
import { readFacets, type CaseFacetCounts } from './facets.js';
import { CASE, FILTER_VALUES, type FilterValuesWire } from './resources.js';
import type { Case, CaseEvent } from './types.js';

const validTime = (value: string | undefined): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));

export function createCaseChecker(warn: Warn) {
  /** A wire value the gateway knows, else the first (UNSPECIFIED) with a warning. */
  const known = enumReader(warn);

  return {
    /** A case as resolvers may trust it; filled in place (the object is this answer's own). */
    case(value: unknown): Case {
      if (!isObject(value) || typeof value.id !== 'string' || value.id === '') {
        throw badResponse('coralogix', 'case without an id');
      }
      const problem = mismatch(value, CASE, 'case');
      if (problem) throw badResponse('coralogix', problem);
      const item = value as Case;
      const enumOf = known({ caseId: item.id });
      item.title ??= '';
      item.createTime ??= '';
      item.status = enumOf('status', item.status, CASE_STATUSES);
      item.priority = enumOf('priority', item.priority, CASE_PRIORITIES);
      item.category = enumOf('category', item.category, CASE_CATEGORIES);
      item.labels ??= [];
      item.groupings ??= [];
      item.impactedEntities ??= [];
      const details = item.priorityDetails;
      if (details?.system !== undefined) {
        details.system = enumOf('priorityDetails.system', details.system, CASE_PRIORITIES);
      }
      if (details?.override !== undefined) {
        details.override = enumOf('priorityDetails.override', details.override, CASE_PRIORITIES);
      }
      for (const alert of item.caseIndicators?.alertIndicators ?? []) {
        alert.priority = enumOf('alert.priority', alert.priority, INDICATOR_PRIORITIES);
        alert.state = enumOf('alert.state', alert.state, INDICATOR_STATES);
      }
      return item;
    },

    /**
     * An event of case `caseId`. Its id and an instant are required: `eventTime`
     * (when it happened), else `createTime` (when Coralogix recorded it).
     */
    event(value: unknown, caseId: string): CaseEvent {
      const problem = mismatch(value, CASE_EVENT, 'event');
      if (problem) throw badResponse('coralogix', problem);
      const event = (isObject(value) ? value : {}) as Partial<CaseEvent>;
      const at = validTime(event.eventTime) ? event.eventTime : event.createTime;
      if (typeof event.eventId !== 'string' || event.eventId === '' || !validTime(at)) {
        throw badResponse('coralogix', 'case event without its id or instant');
      }
      const checked = event as CaseEvent;
      checked.eventTime = at;
      checked.createTime = validTime(event.createTime) ? event.createTime : at;
      checked.eventData ??= {};
      checked.actor ??= {};
      const subject = { caseId, eventId: checked.eventId };
      if (!eventKindOf(checked)) {
        warn('Coralogix sent a case event of a kind this gateway does not know; shown as UNKNOWN', {
          ...subject,
          members: presentKeys(checked.eventData).slice(0, 10),
        });
      }
      if (presentKeys(checked.actor).length > 0 && !actorKindOf(checked.actor)) {
        warn('Coralogix sent a case event actor this gateway does not know; shown as UNKNOWN', {
          ...subject,
          members: presentKeys(checked.actor).slice(0, 10),
        });
      }
      const status = checked.eventData.statusChanged;
      if (status) {
        const enumOf = known(subject);
        if (status.oldStatus !== undefined) {
          status.oldStatus = enumOf('statusChanged.oldStatus', status.oldStatus, CASE_STATUSES);
        }
        if (status.newStatus !== undefined) {
          status.newStatus = enumOf('statusChanged.newStatus', status.newStatus, CASE_STATUSES);
        }
      }
      return checked;
    },

    facets(value: unknown): CaseFacetCounts {
      const problem = mismatch(value, FILTER_VALUES, 'filterValues');
      if (problem || !isObject(value)) {
        throw badResponse('coralogix', `case filter values: ${problem ?? 'not an object'}`);
      }
      const wire = value as FilterValuesWire;
      const enumOf = known({ answer: 'filter values' });
      for (const row of wire.statusAggregations ?? []) {
        row.status = enumOf('statusAggregations.status', row.status, CASE_STATUSES);
      }
      for (const row of wire.priorityAggregations ?? []) {
        row.priority = enumOf('priorityAggregations.priority', row.priority, CASE_PRIORITIES);
      }
      for (const row of wire.categoryAggregations ?? []) {
        row.category = enumOf('categoryAggregations.category', row.category, CASE_CATEGORIES);
      }
      return readFacets(wire);
    },
  };
}
