/**
 * Per-request Cases loaders. Coralogix has no batch read of cases and no id
 * filter on ListCases, so a case by id is one `GET /cases/cases/v1/{id}`: the
 * case loader sends the GETs of one level of the query together (one
 * DataLoader batch per tick), at most CASE_CALL_CONCURRENCY at a time per
 * request, once per distinct id. A case is known by its UUID and its readable
 * id: every answer (a GET, a list page, a write) primes both, so asking for
 * `CASE-12` and its UUID in one request costs at most one GET once either is
 * known. Events are one `GET …/{id}/events` per case, batched the same way.
 */
import DataLoader from 'dataloader';
import { canonicalJson } from '../../../sharedCache/canonicalJson.js';
import { NO_TAGS } from '../../../sharedCache/cacheTags.js';
import type { LoaderOptions } from '../../upstream.js';
import type { CallOptions, CaseClient, CaseWrite, CaseWriteAnswer } from './client.js';
import type { CaseFacetCounts } from './facets.js';
import type {
  Case,
  CaseEvent,
  CaseFilters,
  CaseStatusWire,
  ListCasesRequest,
  ListCasesResponse,
} from './types.js';

/**
 * Case calls (GETs of cases and of their events) one request has in flight at
 * once: half the Coralogix pool's 64 connections, so one request with a long
 * list of cases cannot hold every connection the other requests need.
 */
export const CASE_CALL_CONCURRENCY = 32;

/** Shared-response-cache tags of the Cases family (see sharedCache/cacheTags.ts). */
export const CASE_TAG = {
  case: (id: string) => `case:${id}`,
  /** Any case list or count: a write may move cases in or out of a filter. */
  lists: 'list:cases',
  /** Any case's events: a comment write names an event, not its case. */
  events: 'case-events',
} as const;

export type CaseLoaders = ReturnType<typeof createCaseLoaders>;

/** A case write that persisted: the mutation that made it and the case ids it named. */
export interface PersistedWrite {
  mutation: string;
  caseIds: readonly string[];
}

/** Runs at most `limit` of the given tasks at once, in the order they were given. */
function concurrencyLimit(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** Per key: its value, or an Error that fails only that key (DataLoader's contract). */
const settled = <T>(results: Array<PromiseSettledResult<T>>): Array<T | Error> =>
  results.map((result) =>
    result.status === 'fulfilled'
      ? result.value
      : result.reason instanceof Error
        ? result.reason
        : new Error(String(result.reason)),
  );

export function createCaseLoaders(
  client: CaseClient,
  call: CallOptions,
  options: LoaderOptions = {},
) {
  const batching = options.batch !== false;
  const tags = options.tags ?? NO_TAGS;
  const limit = concurrencyLimit(CASE_CALL_CONCURRENCY);
  /** Every case this request has read, by UUID and by readable id (what `status` answers from). */
  const seen = new Map<string, Case>();
  /** The case writes of this operation that persisted, by the field that made each (`persisted`). */
  const persistedBy = new Map<string, PersistedWrite>();

  const aliases = (item: Case) => [item.id, ...(item.readableId ? [item.readableId] : [])];

  const note = (item: Case) => {
    for (const key of aliases(item)) {
      tags.read(CASE_TAG.case(key));
      seen.set(key, item);
    }
  };

  const caseById: DataLoader<string, Case | null> = new DataLoader<string, Case | null>(
    async (keys) => {
      for (const key of keys) tags.read(CASE_TAG.case(key));
      const results = settled(
        await Promise.allSettled(keys.map((key) => limit(() => client.get(key, call)))),
      );
      for (const [i, result] of results.entries()) {
        if (!result || result instanceof Error) continue;
        note(result);
        // The other name of the case, so a later load of it costs nothing.
        for (const alias of aliases(result)) if (alias !== keys[i]) caseById.prime(alias, result);
      }
      return results;
    },
    { batch: batching, cache: batching, maxBatchSize: 1000 },
  );

  const events = new DataLoader<string, CaseEvent[]>(
    async (ids) => {
      tags.read(CASE_TAG.events);
      for (const id of ids) tags.read(CASE_TAG.case(id));
      return settled(
        await Promise.allSettled(ids.map((id) => limit(() => client.events(id, call)))),
      );
    },
    { batch: batching, cache: batching, maxBatchSize: 1000 },
  );

  const facets = new DataLoader<CaseFilters, CaseFacetCounts, string>(
    async (filters) => {
      tags.read(CASE_TAG.lists);
      return settled(
        await Promise.allSettled(filters.map((filter) => client.filterValues(filter, call))),
      );
    },
    { batch: batching, cache: batching, cacheKeyFn: canonicalJson },
  );

  /** Every answer primes the case loader under both names of each case. */
  const remember = (cases: readonly Case[]) => {
    for (const item of cases) {
      note(item);
      if (!batching) continue;
      for (const key of aliases(item)) caseById.clear(key).prime(key, item);
    }
  };

  /** Recorded before the call: a write that fails after reaching Coralogix may still have applied. */
  const wrote = (ids: readonly string[]) => {
    tags.wrote(CASE_TAG.lists);
    for (const id of ids) tags.wrote(CASE_TAG.case(id));
  };

  /** After a write: the answer primes the loaders, and the events read before it are stale. */
  const written = (cases: Case[]): Case[] => {
    for (const item of cases) {
      for (const key of aliases(item)) tags.wrote(CASE_TAG.case(key));
      events.clear(item.id);
    }
    remember(cases);
    return cases;
  };

  return {
    /** A case by UUID (lower-case) or readable id; null when Coralogix has none. */
    case: caseById,
    /** A case's events, oldest first, by its UUID. */
    events,
    /** GetFilterValues per filter (one call per distinct filter per request). */
    facets,

    /**
     * Remembers that the write of `field` (a mutation field's response key)
     * persisted; `persisted(field)` answers it while that field's answer is read.
     */
    notePersisted(field: string, write: PersistedWrite): void {
      persistedBy.set(field, write);
    },

    persisted(field: string): PersistedWrite | undefined {
      return persistedBy.get(field);
    },

    /** The status of a case this request has already read, if it has. */
    knownStatus(id: string): CaseStatusWire | undefined {
      return seen.get(id)?.status;
    },

    async list(request: ListCasesRequest): Promise<ListCasesResponse> {
      tags.read(CASE_TAG.lists);
      const response = await client.list(request, call);
      remember(response.cases);
      return response;
    },

    /** The answer's cases prime the loaders; the ids it left out are the caller's to report. */
    async write(ids: string[], change: CaseWrite): Promise<CaseWriteAnswer> {
      wrote(ids);
      const answer = await client.write(ids, change, call);
      written(answer.cases);
      return answer;
    },

    async unacknowledge(id: string): Promise<Case> {
      wrote([id]);
      const [item] = written([await client.unacknowledge(id, call)]);
      return item as Case;
    },

    async update(id: string, changes: { title?: string; resolutionReason?: string }) {
      wrote([id]);
      const [item] = written([await client.update(id, changes, call)]);
      return item as Case;
    },

    /** Comments change a case's events only (not the case, nor any list). */
    async addComment(caseId: string, text: string): Promise<CaseEvent> {
      tags.wrote(CASE_TAG.events);
      tags.wrote(CASE_TAG.case(caseId));
      events.clearAll();
      return client.addComment(caseId, text, call);
    },

    async updateComment(eventId: string, text: string): Promise<CaseEvent> {
      tags.wrote(CASE_TAG.events);
      events.clearAll();
      return client.updateComment(eventId, text, call);
    },

    async deleteComment(eventId: string): Promise<void> {
      tags.wrote(CASE_TAG.events);
      events.clearAll();
      await client.deleteComment(eventId, call);
    },
  };
}
