import { badResponse } from '../errors.js';

/** A column the schema declares non-null but OneUptime did not send. */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw badResponse('oneuptime', `missing ${what}`);
  return value;
}
