import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import {
  MAX_IDS,
  TEXT_LIMITS,
  checkColor,
  checkIdFilter,
  checkIdList,
  checkLength,
  checkNonBlank,
  checkUuid,
} from '../../src/resolvers/validate.js';

const UUID_A = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const UUID_B = '9b2c1a4e-7d3f-4e8a-b1c2-d3e4f5a6b7c8';
const uuids = (n: number) =>
  Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

/** The BAD_USER_INPUT `run` throws; fails the test when it throws nothing. */
function badInput(run: () => unknown): BadUserInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('checkUuid', () => {
  it('accepts a UUID and lower-cases it', () => {
    expect(checkUuid(UUID_A.toUpperCase(), 'id')).toBe(UUID_A);
  });

  it.each([
    '',
    'abc',
    `${UUID_A}x`,
    ` ${UUID_A}`,
    UUID_A.replaceAll('-', ''),
    'g'.repeat(8) + UUID_A.slice(8),
  ])('refuses %j, naming the argument', (value) => {
    const error = badInput(() => checkUuid(value, 'input.incidentId'));
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'input.incidentId',
    });
  });
});

describe('checkIdList', () => {
  it('returns trimmed ids in their order', () => {
    expect(checkIdList([' b ', 'a'], 'incidentIds', { uuid: false })).toEqual(['b', 'a']);
  });

  it('accepts exactly the maximum number of ids', () => {
    expect(checkIdList(uuids(MAX_IDS), 'incidentIds', { uuid: true })).toHaveLength(100);
  });

  it('refuses an empty list', () => {
    expect(
      badInput(() => checkIdList([], 'incidentIds', { uuid: false })).extensions,
    ).toMatchObject({
      argumentName: 'incidentIds',
    });
  });

  it('refuses more than the maximum number of ids', () => {
    badInput(() => checkIdList(uuids(MAX_IDS + 1), 'incidentIds', { uuid: true }));
  });

  it('refuses a repeated id', () => {
    const error = badInput(() => checkIdList(['a', 'b', 'a'], 'incidentIds', { uuid: false }));
    expect(error.message).toContain('repeat');
  });

  it('refuses ids that repeat once trimmed', () => {
    badInput(() => checkIdList(['a', ' a '], 'incidentIds', { uuid: false }));
  });

  it('refuses UUIDs that repeat once lower-cased', () => {
    badInput(() => checkIdList([UUID_A, UUID_A.toUpperCase()], 'ids', { uuid: true }));
  });

  it('refuses a blank id', () => {
    badInput(() => checkIdList(['a', '  '], 'incidentIds', { uuid: false }));
  });

  it('refuses a non-UUID when UUIDs are required', () => {
    badInput(() => checkIdList([UUID_A, 'role-1'], 'ids', { uuid: true }));
  });
});

describe('checkIdFilter', () => {
  it('accepts an empty list', () => {
    expect(checkIdFilter([], 'filter.incidentIds')).toEqual([]);
  });

  it('drops duplicates, including ones that differ in case', () => {
    expect(checkIdFilter([UUID_A, UUID_B, UUID_A.toUpperCase()], 'filter.incidentIds')).toEqual([
      UUID_A,
      UUID_B,
    ]);
  });

  it('refuses more than the maximum number of ids', () => {
    const error = badInput(() => checkIdFilter(uuids(MAX_IDS + 1), 'filter.incidentIds'));
    expect(error.extensions).toMatchObject({ argumentName: 'filter.incidentIds' });
  });

  it('refuses a non-UUID', () => {
    badInput(() => checkIdFilter(['nope'], 'filter.incidentIds'));
  });
});

describe('checkNonBlank', () => {
  it('trims the value', () => {
    expect(checkNonBlank('  Scribe ', 'name')).toBe('Scribe');
  });

  it('refuses a blank value', () => {
    expect(badInput(() => checkNonBlank(' \t\n', 'input.name')).extensions).toMatchObject({
      argumentName: 'input.name',
    });
  });
});

describe('checkColor', () => {
  it('accepts #RRGGBB and upper-cases it', () => {
    expect(checkColor('#e74c3c', 'input.color')).toBe('#E74C3C');
  });

  it.each(['red', '#FFF', 'E74C3C', '#E74C3G', '#E74C3C0', ''])('refuses %j', (value) => {
    expect(badInput(() => checkColor(value, 'input.color')).extensions).toMatchObject({
      argumentName: 'input.color',
    });
  });
});

describe('checkLength', () => {
  it('accepts text up to the limit, counting characters rather than UTF-16 units', () => {
    expect(checkLength('abc', 'input.name', 3)).toBe('abc');
    expect(checkLength('🔥'.repeat(3), 'input.name', 3)).toBe('🔥🔥🔥');
  });

  it('refuses longer text, saying the limit and the length', () => {
    const error = badInput(() => checkLength('é'.repeat(501), 'input.notes', 500));
    expect(error.message).toBe('"input.notes" must be at most 500 characters (got 501).');
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'input.notes',
      maxLength: 500,
    });
  });

  it('takes its limits from the vendors (OneUptime column lengths, the Coralogix spec)', () => {
    expect(TEXT_LIMITS).toEqual({
      oneUptimeShortText: 100,
      oneUptimeLongText: 500,
      oneUptimeMarkdown: 10_000,
      coralogixUserId: 300,
    });
  });
});

describe('bad values in messages', () => {
  it('quote only the start of a huge value', () => {
    const error = badInput(() => checkUuid('u'.repeat(1_000_000), 'id'));
    expect(error.message.length).toBeLessThan(150);
    expect(error.message).toContain('(1000000 characters)');
    expect(
      badInput(() => checkColor('c'.repeat(10_000), 'input.color')).message.length,
    ).toBeLessThan(150);
  });
});
