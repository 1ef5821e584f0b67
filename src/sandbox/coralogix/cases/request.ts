/**
 * Validation of Cases request members, with the limits S1 declares
 * (coralogix/coralogix-management-sdk 4464b2b3 `specs/cases_service.json`,
 * `specs/case_events_service.json`). A violation is a 400 with the facade's
 * `{code, message}` body (S1 `Error`), checked before anything changes.
 * Unknown members are ignored and `null` counts as absent, as protojson does.
 */
import {
  CASE_ID_PATTERN,
  CASE_LIMITS,
  EVENT_ID_PATTERN,
} from '../../../upstreams/coralogix/cases/types.js';
import type { EmulatorRequest } from '../../http.js';
import { isPlainObject, parseJsonBody } from '../../http.js';
import { invalidArgument } from '../errors.js';

/** S1 `cases.v1.UserDetails.userId`: a lower-case UUID. */
const USER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function readBody(req: EmulatorRequest): Record<string, unknown> {
  const parsed = parseJsonBody(req.rawBody);
  if (!parsed.ok) throw invalidArgument('request body is not valid JSON');
  if (!isPlainObject(parsed.value)) throw invalidArgument('request body must be a JSON object');
  return parsed.value;
}

/** A case id in a path or an `ids` entry: 1–64 chars, a UUID or a readable id (S1 pattern). */
export function caseId(raw: unknown, path: string): string {
  if (typeof raw !== 'string' || raw.length < 1 || raw.length > 64 || !CASE_ID_PATTERN.test(raw)) {
    throw invalidArgument(
      `${path}: ${JSON.stringify(raw)} is neither a case UUID nor a readable id such as CASE-123`,
    );
  }
  return raw;
}

/** `{event_id}`: a UUID (S1 pattern, hex digits of either case). */
export function eventId(raw: string): string {
  if (!EVENT_ID_PATTERN.test(raw))
    throw invalidArgument(`event_id: ${JSON.stringify(raw)} is not a UUID`);
  return raw.toLowerCase();
}

/** Bulk `ids`: 1..1000 entries (S1 `minItems`/`maxItems`), each a case id. */
export function bulkIds(raw: unknown, path = 'ids'): string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw invalidArgument(`${path}: at least one case id is required`);
  }
  if (raw.length > CASE_LIMITS.maxBulkIds) {
    throw invalidArgument(`${path}: at most ${CASE_LIMITS.maxBulkIds} case ids per request`);
  }
  return raw.map((id, i) => caseId(id, `${path}[${i}]`));
}

/**
 * Bulk DELETE `ids` from the query string. S1 declares `style: form` without
 * `explode`, whose OpenAPI default is `true`: one `ids=` per id, as the
 * vendor's generated clients send them. The server's exact accepted form is
 * UNCONFIRMED (facts section 5); a comma-joined value fails the id pattern.
 */
export function queryIds(req: EmulatorRequest): string[] {
  return bulkIds(req.query.getAll('ids'));
}

/** `{userId}` objects (`assignee`, bulk acknowledge's `actor`): required, a lower-case UUID. */
export function userRef(raw: unknown, path: string): string {
  const userId = isPlainObject(raw) ? raw.userId : undefined;
  if (userId == null) throw invalidArgument(`${path}.userId is required`);
  if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) {
    throw invalidArgument(`${path}.userId must be a user UUID`);
  }
  return userId;
}

/**
 * A text member with S1's "Leading and trailing whitespace is trimmed before
 * the length limits are applied" and, where S1's pattern is `[\s\S]*\S[\s\S]*`,
 * at least one non-space character. Undefined when absent.
 */
export function trimmedText(raw: unknown, path: string, maxLength: number): string | undefined {
  if (raw == null) return undefined;
  if (typeof raw !== 'string') throw invalidArgument(`${path} must be a string`);
  const text = raw.trim();
  if (text.length < 1) throw invalidArgument(`${path} must not be empty`);
  if (text.length > maxLength) {
    throw invalidArgument(`${path} must be at most ${maxLength} characters`);
  }
  return text;
}

/** An int64 member: a JSON number or, as protojson allows, a decimal string. */
export function int64(raw: unknown, path: string, min: number, max: number): number | undefined {
  if (raw == null) return undefined;
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidArgument(`${path} must be an integer`);
  }
  if (value < min || value > max)
    throw invalidArgument(`${path} must be between ${min} and ${max}`);
  return value;
}
