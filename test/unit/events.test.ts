import { describe, expect, it } from 'vitest';
import { known } from '../../src/resolvers/enums.js';
import { detailType, originatorType } from '../../src/resolvers/IncidentEvent.js';
import {
  INCIDENT_EVENT_TYPES,
  type IncidentEvent,
  type IncidentEventTypeWire,
} from '../../src/upstreams/coralogix/incidents/types.js';

const event = (incidentEventType: string, extra: Partial<IncidentEvent> = {}): IncidentEvent => ({
  id: 'event-1',
  incidentEventType: incidentEventType as IncidentEventTypeWire,
  ...extra,
});

const user = { userId: 'user-1' };

describe('detailType', () => {
  it.each([
    [
      'INCIDENT_EVENT_TYPE_SNOOZE_INDICATOR',
      { snoozeIndicator: { durationMinutes: 30 } },
      'SnoozeDetail',
    ],
    [
      'INCIDENT_EVENT_TYPE_ASSIGN',
      { assignment: { assignment: { assignedTo: user } } },
      'AssignDetail',
    ],
    ['INCIDENT_EVENT_TYPE_UNASSIGN', { unassign: {} }, 'UnassignDetail'],
    [
      'INCIDENT_EVENT_TYPE_UPSERT_STATE',
      { upsertState: { stateType: 'UPSERT_INCIDENT_STATE_TYPE_TRIGGERED' } },
      'UpsertStateDetail',
    ],
    [
      'INCIDENT_EVENT_TYPE_ACKNOWLEDGE',
      { acknowledge: { acknowledgedBy: user } },
      'AcknowledgeDetail',
    ],
    ['INCIDENT_EVENT_TYPE_CLOSE', { close: { closedBy: user } }, 'CloseDetail'],
  ] as const)('reads %s with its payload as %s', (type, payload, expected) => {
    expect(detailType(event(type, payload))).toBe(expected);
  });

  it('reads an UNASSIGN event without a payload (protojson omits the empty message)', () => {
    expect(detailType(event('INCIDENT_EVENT_TYPE_UNASSIGN'))).toBe('UnassignDetail');
  });

  it.each([
    'INCIDENT_EVENT_TYPE_SNOOZE_INDICATOR',
    'INCIDENT_EVENT_TYPE_ASSIGN',
    'INCIDENT_EVENT_TYPE_UPSERT_STATE',
    'INCIDENT_EVENT_TYPE_ACKNOWLEDGE',
    'INCIDENT_EVENT_TYPE_CLOSE',
  ])('has no detail for %s when its payload is missing', (type) => {
    expect(detailType(event(type))).toBeNull();
  });

  it('has no detail for OPEN and UNSPECIFIED events', () => {
    expect(detailType(event('INCIDENT_EVENT_TYPE_OPEN'))).toBeNull();
    expect(detailType(event('INCIDENT_EVENT_TYPE_UNSPECIFIED'))).toBeNull();
  });

  it('has no detail for an event type a newer Coralogix added', () => {
    expect(
      detailType(event('INCIDENT_EVENT_TYPE_ESCALATE', { close: { closedBy: user } })),
    ).toBeNull();
  });

  it('goes by the event type, not by whichever payload is present', () => {
    expect(
      detailType(event('INCIDENT_EVENT_TYPE_CLOSE', { acknowledge: { acknowledgedBy: user } })),
    ).toBeNull();
  });
});

describe('originatorType', () => {
  it('reads an administrative originator from its type', () => {
    expect(
      originatorType(
        event('INCIDENT_EVENT_TYPE_ASSIGN', { originatorType: 'ORIGINATOR_TYPE_ADMINISTRATIVE' }),
      ),
    ).toBe('AdministrativeOriginator');
  });

  it('reads an operational originator from its type', () => {
    expect(
      originatorType(
        event('INCIDENT_EVENT_TYPE_OPEN', { originatorType: 'ORIGINATOR_TYPE_OPERATIONAL' }),
      ),
    ).toBe('OperationalOriginator');
  });

  it('reads the originator from its payload when the type is omitted', () => {
    expect(originatorType(event('INCIDENT_EVENT_TYPE_CLOSE', { administrativeEvent: user }))).toBe(
      'AdministrativeOriginator',
    );
    expect(
      originatorType(
        event('INCIDENT_EVENT_TYPE_OPEN', { operationalEvent: { systemName: 'alerts' } }),
      ),
    ).toBe('OperationalOriginator');
  });

  it('has no originator when neither type nor payload says', () => {
    expect(originatorType(event('INCIDENT_EVENT_TYPE_OPEN'))).toBeNull();
    expect(
      originatorType(
        event('INCIDENT_EVENT_TYPE_OPEN', { originatorType: 'ORIGINATOR_TYPE_UNSPECIFIED' }),
      ),
    ).toBeNull();
  });
});

describe('known', () => {
  it('keeps a value the schema knows', () => {
    expect(
      known('INCIDENT_EVENT_TYPE_CLOSE', INCIDENT_EVENT_TYPES, 'INCIDENT_EVENT_TYPE_UNSPECIFIED'),
    ).toBe('INCIDENT_EVENT_TYPE_CLOSE');
  });

  it('falls back for a missing or newer value', () => {
    expect(known(undefined, INCIDENT_EVENT_TYPES, 'INCIDENT_EVENT_TYPE_UNSPECIFIED')).toBe(
      'INCIDENT_EVENT_TYPE_UNSPECIFIED',
    );
    expect(
      known('INCIDENT_EVENT_TYPE_NEW', INCIDENT_EVENT_TYPES, 'INCIDENT_EVENT_TYPE_UNSPECIFIED'),
    ).toBe('INCIDENT_EVENT_TYPE_UNSPECIFIED');
  });
});
