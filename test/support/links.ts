/**
 * The cross-vendor link (DESIGN 5a) as the seed defines it, for tests that
 * compute their expectations: a OneUptime incident names the Coralogix
 * incident it tracks in `customFields[LINK_FIELD]`; when several name the
 * same one, the oldest (`createdAt`, then `_id`) is the linked one.
 *
 * Computed from the seed's rows alone (never from gateway code), so a test
 * that compares the gateway with these answers can fail.
 */
import { expect } from 'vitest';
import type { StoredIncident } from '../../src/sandbox/coralogix/store.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { CaseRecord } from '../../src/sandbox/coralogix/cases/store.js';
import { CASE_LINK_FIELD, LINK_FIELD, type SeedData } from '../../src/sandbox/seed.js';
import type {
  IncidentSlaRecord,
  StateTimelineRecord,
} from '../../src/upstreams/oneuptime/types.js';
import { oneUptime, plain, type Json } from './oneuptime.js';

type OneUptimeIncidentRow = SeedData['oneUptimeIncidents'][number];

/** The two families of Coralogix records a OneUptime incident can be linked to (DESIGN 5a, 5c). */
export type LinkFamilyName = 'incident' | 'case';

/** A family's link custom field, as the sandbox seeds it and the gateway's defaults read it. */
export const FAMILY_FIELD: Record<LinkFamilyName, string> = {
  incident: LINK_FIELD,
  case: CASE_LINK_FIELD,
};

type FamilyRecord<F extends LinkFamilyName> = F extends 'case'
  ? CaseRecord['case']
  : StoredIncident;

export interface SeedLinks<R extends { id: string } = StoredIncident> {
  /** The Coralogix id a OneUptime incident's link field names, if any (any incident, even a deleted one). */
  namedBy(oneUptimeId: string): string | undefined;
  /**
   * The Coralogix incident a OneUptime incident is linked to: the one its link
   * field names, if Coralogix has it (what `StateTimeline.incident` and
   * `IncidentSla.incident` resolve to).
   */
  coralogixOf(oneUptimeId: string | null | undefined): R | undefined;
  /** Every OneUptime incident claiming a Coralogix id, oldest first. */
  claimants(coralogixId: string): string[];
  /** The linked OneUptime incident of a Coralogix id (the oldest claimant), if any. */
  oneUptimeOf(coralogixId: string): string | undefined;
  /** `Incident.linkStatus` as the seed says it. */
  status(coralogixId: string): 'LINKED' | 'NOT_LINKED' | 'CONFLICT';
  /** Coralogix records with exactly one claimant. */
  linked: R[];
  /** Coralogix records no OneUptime incident claims. */
  unlinked: R[];
  /** Coralogix records claimed by several OneUptime incidents. */
  conflicted: R[];
  /** The linked OneUptime incident's timeline entries, oldest first ([] when not linked). */
  timelinesOf(coralogixId: string): StateTimelineRecord[];
  /** The linked OneUptime incident's SLAs, in seed order ([] when not linked). */
  slasOf(coralogixId: string): IncidentSlaRecord[];
  /** The OneUptime incident rows, by id. */
  row(oneUptimeId: string): OneUptimeIncidentRow | undefined;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const oldestFirst = (a: OneUptimeIncidentRow, b: OneUptimeIncidentRow) =>
  Date.parse(a.createdAt) - Date.parse(b.createdAt) || byText(a._id, b._id);

/** Timeline entries oldest first (`startsAt`), as `Incident.stateTimeline` lists them. */
export const byStart = (a: StateTimelineRecord, b: StateTimelineRecord) =>
  byText(a.startsAt ?? '', b.startsAt ?? '');

/** The seed's links of one family (incidents unless said otherwise). */
export function seedLinks<F extends LinkFamilyName = 'incident'>(
  seed: SeedData,
  family: F = 'incident' as F,
): SeedLinks<FamilyRecord<F>> {
  const field = FAMILY_FIELD[family];
  const records = (
    family === 'case' ? seed.cases.map((record) => record.case) : seed.incidents
  ) as Array<FamilyRecord<F>>;
  const rows = new Map(seed.oneUptimeIncidents.map((row) => [row._id, row]));
  const coralogix = new Map(records.map((record) => [record.id, record]));
  const named = new Map<string, string>();
  const claims = new Map<string, OneUptimeIncidentRow[]>();
  for (const row of seed.oneUptimeIncidents) {
    const value = row.customFields?.[field];
    if (typeof value !== 'string') continue;
    named.set(row._id, value);
    claims.set(value, [...(claims.get(value) ?? []), row]);
  }
  const claimants = (id: string) => [...(claims.get(id) ?? [])].sort(oldestFirst).map((r) => r._id);
  const oneUptimeOf = (id: string) => claimants(id)[0];
  const status = (id: string) => {
    const n = claimants(id).length;
    return n === 0 ? 'NOT_LINKED' : n === 1 ? 'LINKED' : 'CONFLICT';
  };
  const children = <T extends { incidentId?: string | null }>(records: readonly T[]) => {
    const groups = new Map<string, T[]>();
    for (const record of records) {
      const key = record.incidentId ?? '';
      groups.set(key, [...(groups.get(key) ?? []), record]);
    }
    return groups;
  };
  const timelines = children(seed.stateTimelines);
  const slas = children(seed.slas);
  return {
    namedBy: (id) => named.get(id),
    coralogixOf: (id) => {
      const target = id ? named.get(id) : undefined;
      return target ? coralogix.get(target) : undefined;
    },
    claimants,
    oneUptimeOf,
    status,
    linked: records.filter((r) => status(r.id) === 'LINKED'),
    unlinked: records.filter((r) => status(r.id) === 'NOT_LINKED'),
    conflicted: records.filter((r) => status(r.id) === 'CONFLICT'),
    timelinesOf: (id) => {
      const target = oneUptimeOf(id);
      return target ? [...(timelines.get(target) ?? [])].sort(byStart) : [];
    },
    slasOf: (id) => {
      const target = oneUptimeOf(id);
      return target ? (slas.get(target) ?? []) : [];
    },
    row: (id) => rows.get(id),
  };
}

const LINK_LIST = '/api/incident/get-list';

interface Recorded {
  method: string;
  path: string;
  body?: unknown;
}

const customFieldsOf = (request: Recorded) =>
  (request.body as { query?: { customFields?: unknown } } | undefined)?.query?.customFields;

/**
 * Whether a recorded OneUptime request is a link query: an incident `get-list`
 * whose query is on `customFields` (an incident read by `_id` is not).
 */
export const isLinkQuery = (request: Recorded): boolean =>
  request.method === 'POST' && request.path === LINK_LIST && customFieldsOf(request) !== undefined;

/** Whether a recorded OneUptime request reads incidents by `_id`. */
export const isIncidentByIdQuery = (request: Recorded): boolean =>
  request.method === 'POST' &&
  request.path === LINK_LIST &&
  Array.isArray((request.body as { query?: { _id?: unknown } } | undefined)?.query?._id);

/**
 * The Coralogix ids of a recorded link query (DESIGN 5a), checking its shape:
 * `{"customFields": {"coralogixIncidentId": {"_type": "Includes", "value": [ids]}}}`
 * and nothing else in the query, at most 100 ids, each once.
 */
export const linkQueryIds = (request: Recorded | undefined): string[] =>
  familyLinkQueryIds(request, LINK_FIELD);

/** `linkQueryIds` for the link custom field `field` (a family's). */
export function familyLinkQueryIds(request: Recorded | undefined, field: string): string[] {
  expect(request?.method).toBe('POST');
  expect(request?.path).toBe(LINK_LIST);
  const query = (request?.body as { query?: Record<string, unknown> } | undefined)?.query;
  expect(Object.keys(query ?? {})).toEqual(['customFields']);
  const condition = (query?.customFields as Record<string, unknown> | undefined) ?? {};
  expect(Object.keys(condition)).toEqual([field]);
  const includes = condition[field] as { _type?: unknown; value?: unknown };
  expect(includes._type).toBe('Includes');
  const value = includes.value as string[];
  expect(Array.isArray(value)).toBe(true);
  expect(value.length).toBeLessThanOrEqual(100);
  expect(new Set(value).size).toBe(value.length);
  return value;
}

/** Checks that a recorded request is exactly one link query for these Coralogix ids. */
export function expectLinkQuery(
  request: Recorded | undefined,
  ids: readonly string[],
  field = LINK_FIELD,
): void {
  expect([...familyLinkQueryIds(request, field)].sort()).toEqual([...ids].sort());
}

/** A OneUptime incident as the emulator has it now: id, custom fields, creation time. */
export interface LiveRow {
  _id: string;
  customFields: Record<string, unknown> | null;
  createdAt: string;
}

const liveRows = async (sandbox: Sandbox, query: Record<string, unknown>): Promise<LiveRow[]> => {
  const { status, body } = await oneUptime<{ data: Json[] }>(
    sandbox,
    '/api/incident/get-list?limit=1000',
    'POST',
    {
      query,
      select: { _id: true, customFields: true, createdAt: true },
      sort: { createdAt: 'ASC' },
    },
  );
  expect(status).toBe(200);
  return body.data.map((row) => ({
    _id: String(plain(row._id)),
    customFields: (plain(row.customFields) ?? null) as Record<string, unknown> | null,
    createdAt: String(plain(row.createdAt)),
  }));
};

/**
 * The OneUptime incidents whose link field names `coralogixId`, as the
 * emulator has them now (read straight from it, never through the gateway),
 * oldest first.
 */
export const liveClaimants = (sandbox: Sandbox, coralogixId: string, field = LINK_FIELD) =>
  liveRows(sandbox, { customFields: { [field]: { _type: 'Includes', value: [coralogixId] } } });

/** One OneUptime incident as the emulator has it now. */
export async function liveRow(sandbox: Sandbox, oneUptimeId: string): Promise<LiveRow> {
  const [row] = await liveRows(sandbox, { _id: [oneUptimeId] });
  expect(row, `OneUptime incident ${oneUptimeId}`).toBeDefined();
  return row!;
}
