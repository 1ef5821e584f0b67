/**
 * Integer settings are plain decimal numbers: MAX_IN_FLIGHT=0x20 or 1e3 went
 * through Number() and were taken (as 32 and 1000); they get the same clear
 * message as any other value that is not an integer in range.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../support/config.js';

describe('an integer setting', () => {
  it.each(['0x20', '1e3', '0b1', '0o7', '1.0', '+5', '1_000', 'Infinity'])(
    'refuses %s with the message of any other bad value',
    (raw) => {
      expect(problemsOf({ MAX_IN_FLIGHT: raw })).toEqual([
        `MAX_IN_FLIGHT must be an integer between 1 and 100000 (got "${raw}")`,
      ]);
    },
  );

  it('takes plain decimal digits, surrounding spaces and leading zeros included', () => {
    expect(loadConfig({ MAX_IN_FLIGHT: ' 64 ' }).maxInFlight).toBe(64);
    expect(loadConfig({ MAX_IN_FLIGHT: '0128' }).maxInFlight).toBe(128);
  });

  it('still names the range for a negative one', () => {
    expect(problemsOf({ PORT: '-1' })).toEqual([
      'PORT must be an integer between 0 and 65535 (got "-1")',
    ]);
  });
});
