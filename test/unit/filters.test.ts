import { describe, expect, it } from 'vitest';
import type { IncidentFilter } from '../../src/__generated__/resolvers-types.js';
import { BadUserInputError } from '../../src/errors.js';
import { toCaseFilters } from '../../src/resolvers/caseInputs.js';
import {
  toCoralogixFilter,
  toCoralogixOrder,
  toEventFilter,
  toIncidentScope,
  toOneUptimeIncidentQuery,
  toSlaQuery,
  toTimelineQuery,
} from '../../src/resolvers/filters.js';

const UUID_A = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const UUID_B = '9b2c1a4e-7d3f-4e8a-b1c2-d3e4f5a6b7c8';

function badInput(run: () => unknown): BadUserInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('toCoralogixFilter', () => {
  it('is empty for no filter', () => {
    expect(toCoralogixFilter(undefined)).toEqual({});
    expect(toCoralogixFilter(null)).toEqual({});
    expect(toCoralogixFilter({})).toEqual({});
  });

  it('maps every field onto the Coralogix list filter', () => {
    const filter: IncidentFilter = {
      severities: ['INCIDENT_SEVERITY_CRITICAL', 'INCIDENT_SEVERITY_LOW'],
      states: ['INCIDENT_STATE_TRIGGERED'],
      statuses: ['INCIDENT_STATUS_ACKNOWLEDGED'],
      assigneeUserIds: ['user-1', 'user-2'],
      search: 'checkout',
      createdAfter: '2026-10-01T00:00:00.000Z',
      createdBefore: '2026-10-31T00:00:00.000Z',
      isMuted: false,
      metaLabels: [{ key: 'team', value: 'payments' }],
      metaLabelsMatchAll: true,
    };
    expect(toCoralogixFilter(filter)).toEqual({
      severity: ['INCIDENT_SEVERITY_CRITICAL', 'INCIDENT_SEVERITY_LOW'],
      state: ['INCIDENT_STATE_TRIGGERED'],
      status: ['INCIDENT_STATUS_ACKNOWLEDGED'],
      assignee: ['user-1', 'user-2'],
      searchQuery: { query: 'checkout', incidentField: 'INCIDENTS_FIELDS_NAME' },
      createdAtRange: {
        startTime: '2026-10-01T00:00:00.000Z',
        endTime: '2026-10-31T00:00:00.000Z',
      },
      isMuted: false,
      metaLabels: [{ key: 'team', value: 'payments' }],
      metaLabelsOp: 'FILTER_OPERATOR_AND',
    });
  });

  it('leaves out empty lists, blank search and a null isMuted', () => {
    expect(
      toCoralogixFilter({
        severities: [],
        states: null,
        statuses: [],
        assigneeUserIds: [],
        search: '   ',
        isMuted: null,
        metaLabels: [],
      }),
    ).toEqual({});
  });

  it('trims the search text', () => {
    expect(toCoralogixFilter({ search: '  latency  ' }).searchQuery).toEqual({
      query: 'latency',
      incidentField: 'INCIDENTS_FIELDS_NAME',
    });
  });

  it('keeps isMuted: true', () => {
    expect(toCoralogixFilter({ isMuted: true })).toEqual({ isMuted: true });
  });

  it('drops repeated assignees', () => {
    expect(toCoralogixFilter({ assigneeUserIds: ['u1', 'u2', 'u1'] }).assignee).toEqual([
      'u1',
      'u2',
    ]);
  });

  it('matches any meta label unless all are asked for', () => {
    const labels = [
      { key: 'team', value: 'payments' },
      { key: 'env', value: 'production' },
    ];
    expect(toCoralogixFilter({ metaLabels: labels })).toEqual({
      metaLabels: labels,
      metaLabelsOp: 'FILTER_OPERATOR_OR_OR_UNSPECIFIED',
    });
    expect(toCoralogixFilter({ metaLabels: labels, metaLabelsMatchAll: false }).metaLabelsOp).toBe(
      'FILTER_OPERATOR_OR_OR_UNSPECIFIED',
    );
  });

  it('sends only key and value of each meta label', () => {
    const label = { key: 'team', value: 'search', __typename: 'LabelInput' };
    expect(toCoralogixFilter({ metaLabels: [label] }).metaLabels).toEqual([
      { key: 'team', value: 'search' },
    ]);
  });

  it('closes an open-ended created range at the far past', () => {
    expect(toCoralogixFilter({ createdBefore: '2026-10-31T00:00:00.000Z' }).createdAtRange).toEqual(
      {
        startTime: '1970-01-01T00:00:00.000Z',
        endTime: '2026-10-31T00:00:00.000Z',
      },
    );
  });

  it('closes an open-ended created range at the far future', () => {
    expect(toCoralogixFilter({ createdAfter: '2026-10-01T00:00:00.000Z' }).createdAtRange).toEqual({
      startTime: '2026-10-01T00:00:00.000Z',
      endTime: '9999-12-31T23:59:59.999Z',
    });
  });

  it('accepts a range whose ends are equal', () => {
    const at = '2026-10-01T00:00:00.000Z';
    expect(toCoralogixFilter({ createdAfter: at, createdBefore: at }).createdAtRange).toEqual({
      startTime: at,
      endTime: at,
    });
  });

  it('refuses createdAfter later than createdBefore', () => {
    const error = badInput(() =>
      toCoralogixFilter({
        createdAfter: '2026-10-31T00:00:00.000Z',
        createdBefore: '2026-10-01T00:00:00.000Z',
      }),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter' });
  });

  it('fills the open ends of event and case ranges too, and names the arguments when refusing', () => {
    const late = '2026-10-31T00:00:00.000Z';
    const early = '2026-10-01T00:00:00.000Z';
    expect(toEventFilter({ occurredBefore: early }).timestamp).toEqual({
      startTime: '1970-01-01T00:00:00.000Z',
      endTime: early,
    });
    expect(toCaseFilters({ createdAfter: early }).dateRange).toEqual({
      from: early,
      to: '9999-12-31T23:59:59.999Z',
      mode: 'DATE_RANGE_MODE_CREATED_AT',
    });
    expect(toEventFilter({}).timestamp).toBeUndefined();
    expect(toCaseFilters({}).dateRange).toBeUndefined();
    expect(
      badInput(() => toEventFilter({ occurredAfter: late, occurredBefore: early })).message,
    ).toBe('"occurredAfter" must not be later than "occurredBefore".');
    expect(
      badInput(() => toCaseFilters({ createdAfter: late, createdBefore: early })).message,
    ).toBe('"createdAfter" must not be later than "createdBefore".');
  });

  it('does not share arrays with its input', () => {
    const severities: IncidentFilter['severities'] = ['INCIDENT_SEVERITY_INFO'];
    const out = toCoralogixFilter({ severities });
    out.severity?.push('INCIDENT_SEVERITY_ERROR');
    expect(severities).toEqual(['INCIDENT_SEVERITY_INFO']);
  });
});

describe('toCoralogixOrder', () => {
  const BY_ID = { incidentField: 'INCIDENTS_FIELDS_ID', direction: 'ORDER_BY_DIRECTION_ASC' };

  it('sorts newest first by default, then by id', () => {
    expect(toCoralogixOrder(undefined)).toEqual([
      { incidentField: 'INCIDENTS_FIELDS_CREATED_TIME', direction: 'ORDER_BY_DIRECTION_DESC' },
      BY_ID,
    ]);
    expect(toCoralogixOrder(null)).toEqual(toCoralogixOrder(undefined));
  });

  it.each([
    ['CREATED_AT', 'INCIDENTS_FIELDS_CREATED_TIME'],
    ['NAME', 'INCIDENTS_FIELDS_NAME'],
    ['SEVERITY', 'INCIDENTS_FIELDS_SEVERITY'],
    ['STATE', 'INCIDENTS_FIELDS_STATE'],
    ['STATUS', 'INCIDENTS_FIELDS_STATUS'],
    ['CLOSED_AT', 'INCIDENTS_FIELDS_CLOSED_TIME'],
    ['LAST_STATE_UPDATE_TIME', 'INCIDENTS_FIELDS_LAST_STATE_UPDATE_TIME'],
    ['DURATION', 'INCIDENTS_FIELDS_DURATION'],
  ] as const)('maps field %s to %s, ties broken by id', (field, wire) => {
    expect(toCoralogixOrder({ field, direction: 'ASC' })).toEqual([
      { incidentField: wire, direction: 'ORDER_BY_DIRECTION_ASC' },
      BY_ID,
    ]);
  });

  it('sorts descending when the direction is left out', () => {
    expect(toCoralogixOrder({ field: 'NAME' })[0]?.direction).toBe('ORDER_BY_DIRECTION_DESC');
    expect(toCoralogixOrder({ field: 'NAME', direction: null })[0]?.direction).toBe(
      'ORDER_BY_DIRECTION_DESC',
    );
  });
});

describe('toSlaQuery', () => {
  it('is empty for no filter', () => {
    expect(toSlaQuery(undefined)).toEqual({});
    expect(toSlaQuery({ statuses: [] })).toEqual({});
  });

  it('uses the bare-array IN form for statuses', () => {
    expect(toSlaQuery({ statuses: ['Response Breached', 'At Risk'] })).toEqual({
      status: ['Response Breached', 'At Risk'],
    });
  });

  it('de-duplicates statuses', () => {
    expect(toSlaQuery({ statuses: ['Met', 'Met'] })).toEqual({ status: ['Met'] });
  });

  it('asks for "none of the five" with UNKNOWN alone, and refuses UNKNOWN mixed with others', () => {
    expect(toSlaQuery({ statuses: ['UNKNOWN'] })).toEqual({
      status: {
        _type: 'IncludesNone',
        value: ['On Track', 'At Risk', 'Response Breached', 'Resolution Breached', 'Met'],
      },
    });
    badInput(() => toSlaQuery({ statuses: ['UNKNOWN', 'Met'] }));
  });
});

describe('toIncidentScope (Coralogix ids through the link, OneUptime ids as they are)', () => {
  it('is undefined when the filter names no incident', () => {
    expect(toIncidentScope(undefined)).toBeUndefined();
    expect(toIncidentScope({ incidentIds: [], oneUptimeIncidentIds: null })).toBeUndefined();
  });

  it('lower-cases and de-duplicates both kinds of ids', () => {
    expect(
      toIncidentScope({
        incidentIds: [UUID_A.toUpperCase(), UUID_A],
        oneUptimeIncidentIds: [UUID_B],
      }),
    ).toEqual({ coralogixIds: [UUID_A], oneUptimeIds: [UUID_B] });
  });

  it('refuses a non-UUID id of either kind, naming the argument', () => {
    const error = badInput(() => toIncidentScope({ incidentIds: ['INC-1'] }));
    expect(error.extensions).toMatchObject({ argumentName: 'filter.incidentIds' });
    const other = badInput(() => toIncidentScope({ oneUptimeIncidentIds: ['7'] }));
    expect(other.extensions).toMatchObject({ argumentName: 'filter.oneUptimeIncidentIds' });
  });

  it('refuses more than 100 incident ids', () => {
    const ids = Array.from(
      { length: 101 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    badInput(() => toIncidentScope({ incidentIds: ids }));
  });
});

describe('toOneUptimeIncidentQuery', () => {
  const FIELD = 'coralogixIncidentId';
  it('queries the link custom field per key: Includes, NotNull, IsNull', () => {
    expect(toOneUptimeIncidentQuery({ incidentIds: [UUID_A] }, FIELD)).toEqual({
      customFields: { [FIELD]: { _type: 'Includes', value: [UUID_A] } },
    });
    expect(toOneUptimeIncidentQuery({ linked: true }, FIELD)).toEqual({
      customFields: { [FIELD]: { _type: 'NotNull' } },
    });
    expect(toOneUptimeIncidentQuery({ linked: false }, FIELD)).toEqual({
      customFields: { [FIELD]: { _type: 'IsNull' } },
    });
  });

  it('filters states and severities with bare-array IN', () => {
    expect(toOneUptimeIncidentQuery({ stateIds: [UUID_A], severityIds: [UUID_B] }, FIELD)).toEqual({
      currentIncidentStateId: [UUID_A],
      incidentSeverityId: [UUID_B],
    });
  });

  it('cannot match incidents linked to given ids that are also unlinked', () => {
    expect(toOneUptimeIncidentQuery({ incidentIds: [UUID_A], linked: false }, FIELD)).toBeNull();
  });
});

describe('toTimelineQuery', () => {
  it('is empty for no filter', () => {
    expect(toTimelineQuery(null)).toEqual({});
    expect(toTimelineQuery({ incidentStateId: null })).toEqual({});
  });

  it('filters by state id', () => {
    expect(toTimelineQuery({ incidentStateId: UUID_B.toUpperCase() })).toEqual({
      incidentStateId: UUID_B,
    });
  });

  it('refuses a non-UUID state id', () => {
    const error = badInput(() => toTimelineQuery({ incidentStateId: 'Resolved' }));
    expect(error.extensions).toMatchObject({ argumentName: 'filter.incidentStateId' });
  });
});
