/**
 * Argument checks that run before any upstream call. Each failure is a
 * BAD_USER_INPUT naming the argument; a bad value is quoted through `quote`,
 * so only its start is ever echoed.
 */
import { BadUserInputError, quote } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_COLOR = /^#[0-9a-f]{6}$/i;
export const MAX_IDS = 100;

export function checkUuid(value: string, argumentName: string): string {
  if (!UUID.test(value)) {
    throw new BadUserInputError(`"${argumentName}" must be a UUID (got ${quote(value)}).`, {
      argumentName,
    });
  }
  return value.toLowerCase();
}

/** 1..MAX_IDS distinct non-blank ids (mutations); UUIDs when `uuid` is set (OneUptime). */
export function checkIdList(
  ids: readonly string[],
  argumentName: string,
  { uuid }: { uuid: boolean },
): string[] {
  if (ids.length === 0 || ids.length > MAX_IDS) {
    throw new BadUserInputError(
      `"${argumentName}" must list 1 to ${MAX_IDS} ids (got ${ids.length}).`,
      {
        argumentName,
      },
    );
  }
  const checked = ids.map((id) =>
    uuid ? checkUuid(id, argumentName) : checkNonBlank(id, argumentName),
  );
  if (new Set(checked).size !== checked.length) {
    throw new BadUserInputError(`"${argumentName}" must not repeat an id.`, { argumentName });
  }
  return checked;
}

/** Up to MAX_IDS UUIDs (filters); duplicates are harmless and dropped. */
export function checkIdFilter(ids: readonly string[], argumentName: string): string[] {
  if (ids.length > MAX_IDS) {
    throw new BadUserInputError(
      `"${argumentName}" accepts at most ${MAX_IDS} ids (got ${ids.length}).`,
      {
        argumentName,
      },
    );
  }
  return [...new Set(ids.map((id) => checkUuid(id, argumentName)))];
}

export function checkNonBlank(value: string, argumentName: string): string {
  const trimmed = value.trim();
  if (trimmed === '') {
    throw new BadUserInputError(`"${argumentName}" must not be blank.`, { argumentName });
  }
  return trimmed;
}

export function checkColor(value: string, argumentName: string): string {
  if (!HEX_COLOR.test(value)) {
    throw new BadUserInputError(
      `"${argumentName}" must be a #RRGGBB colour (got ${quote(value)}).`,
      {
        argumentName,
      },
    );
  }
  return value.toUpperCase();
}
