/**
 * Argument checks that run before any upstream call. Each failure is a
 * BAD_USER_INPUT naming the argument; a bad value is quoted through `quote`,
 * so only its start is ever echoed.
 */
import { BadUserInputError, quote } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_COLOR = /^#[0-9a-f]{6}$/i;
export const MAX_IDS = 100;

export const isUuid = (value: string) => UUID.test(value);

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

/**
 * The longest text each write input may carry, in characters (code points),
 * from the limit of the vendor field it is written to, so an oversized value
 * is refused here instead of by the upstream (OneUptime answers a too-long
 * `varchar` with a 500) and never travels at all:
 * - OneUptime `Common/Types/Database/ColumnLength.ts` (ShortText 100, LongText
 *   500) for the columns of `Common/Models/DatabaseModels/IncidentRole.ts`
 *   (`name`, `roleIcon`: ShortText; `description`: LongText) and
 *   `IncidentMember.ts` (`notes`: LongText), OneUptime ab6f409;
 * - Coralogix `incidents.v1.UserDetails.userId` (`assignedTo.userId`):
 *   minLength 1, maxLength 300, coralogix-management-sdk 4464b2b
 *   `go/openapi/gen/incidents_service/api/openapi.yaml`;
 * - OneUptime Markdown columns (`IncidentStateTimeline.rootCause`) are
 *   Postgres `text` without a length: 10 000 is the gateway's own limit.
 */
export const TEXT_LIMITS = {
  oneUptimeShortText: 100,
  oneUptimeLongText: 500,
  oneUptimeMarkdown: 10_000,
  coralogixUserId: 300,
} as const;

/** Code points in `value` (what the vendors' lengths count), without copying it. */
function codePoints(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const high = value.charCodeAt(i);
    const low = value.charCodeAt(i + 1);
    if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
      count -= 1;
      i += 1;
    }
  }
  return count;
}

/** At most `max` characters (a write's free text), else BAD_USER_INPUT saying both lengths. */
export function checkLength(value: string, argumentName: string, max: number): string {
  // A string has at least as many UTF-16 units as code points: short ones need no count.
  if (value.length <= max) return value;
  const length = codePoints(value);
  if (length > max) {
    throw new BadUserInputError(
      `"${argumentName}" must be at most ${max} characters (got ${length}).`,
      { argumentName, maxLength: max },
    );
  }
  return value;
}

/**
 * A text trimmed, not blank, and at most `max` characters once trimmed (as
 * Cases S1 says: "trimmed before the length limits are applied").
 */
export function checkText(value: string, argumentName: string, max: number): string {
  return checkLength(checkNonBlank(value, argumentName), argumentName, max);
}

/**
 * Checks that read upstreams, run at once; the error is the first failure in
 * argument order, not whichever answered first, so the same bad input always
 * gets the same error.
 */
export async function checksInOrder<T extends readonly unknown[]>(checks: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(checks);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
