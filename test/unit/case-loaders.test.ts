/**
 * The case loader and the small rules of the Cases family, with a recording
 * spy for the client (no HTTP): case GETs bounded per request, each name of a
 * case read once, answers priming both names; the priority → severity
 * mapping; the lifecycle refusals; the total from filter values.
 */
import { describe, expect, it } from 'vitest';
import { prioritySeverity } from '../../src/links/family.js';
import type { CaseClient } from '../../src/upstreams/coralogix/cases/client.js';
import { totalOf, type CaseFacetCounts } from '../../src/upstreams/coralogix/cases/facets.js';
import { refusal } from '../../src/upstreams/coralogix/cases/lifecycle.js';
import {
  CASE_CALL_CONCURRENCY,
  createCaseLoaders,
} from '../../src/upstreams/coralogix/cases/loaders.js';
import type { Case, CasePriorityWire } from '../../src/upstreams/coralogix/cases/types.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const aCase = (n: number, extra: Partial<Case> = {}): Case => ({
  id: uuid(n),
  readableId: `CASE-${n}`,
  title: `case ${n}`,
  status: 'CASE_STATUS_ACTIVE',
  priority: 'CASE_PRIORITY_P3',
  category: 'CASE_CATEGORY_AVAILABILITY',
  createTime: '2026-12-01T00:00:00.000Z',
  labels: [],
  groupings: [],
  impactedEntities: [],
  ...extra,
});

/** A client whose GETs answer when released, recording what was asked and how many ran at once. */
function spyClient() {
  const asked: string[] = [];
  let running = 0;
  let peak = 0;
  const waiting: Array<() => void> = [];
  const client = {
    async get(id: string) {
      asked.push(id);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => waiting.push(resolve));
      running -= 1;
      const n = Number(id.startsWith('CASE-') ? id.slice(5) : id.slice(-12));
      return n === 999 ? null : aCase(n);
    },
    async list() {
      return { cases: [aCase(7, { status: 'CASE_STATUS_RESOLVED' })], pagination: {} };
    },
  } as unknown as CaseClient;
  /** Answers every GET, those asked meanwhile included, until none is left. */
  const release = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    while (waiting.length > 0 || running > 0) {
      waiting.splice(0).forEach((resolve) => resolve());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { client, asked, peak: () => peak, release };
}

describe('the case loader', () => {
  it('sends the GETs of one level together, at most CASE_CALL_CONCURRENCY at once, once per id', async () => {
    const spy = spyClient();
    const loaders = createCaseLoaders(spy.client, { apiKey: 'k' });
    const ids = Array.from({ length: 40 }, (_, i) => uuid(i + 1));
    const pending = loaders.case.loadMany([...ids, ...ids.slice(0, 5)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(spy.asked).toHaveLength(CASE_CALL_CONCURRENCY);
    await spy.release();
    const found = await pending;
    expect(found.map((c) => (c as Case).id)).toEqual([...ids, ...ids.slice(0, 5)]);
    expect(spy.asked.sort()).toEqual([...ids].sort());
    expect(spy.peak()).toBe(CASE_CALL_CONCURRENCY);
  });

  it('primes the other name of every case it reads: the readable id after its UUID and back', async () => {
    const spy = spyClient();
    const loaders = createCaseLoaders(spy.client, { apiKey: 'k' });
    const first = loaders.case.load('CASE-12');
    await spy.release();
    expect((await first)?.id).toBe(uuid(12));
    expect((await loaders.case.load(uuid(12)))?.readableId).toBe('CASE-12');
    expect(spy.asked).toEqual(['CASE-12']);
  });

  it('is primed by a list answer under both names, and remembers the status it saw', async () => {
    const spy = spyClient();
    const loaders = createCaseLoaders(spy.client, { apiKey: 'k' });
    await loaders.list({});
    expect((await loaders.case.load('CASE-7'))?.id).toBe(uuid(7));
    expect((await loaders.case.load(uuid(7)))?.id).toBe(uuid(7));
    expect(spy.asked).toEqual([]);
    expect(loaders.knownStatus('CASE-7')).toBe('CASE_STATUS_RESOLVED');
    expect(loaders.knownStatus(uuid(8))).toBeUndefined();
  });

  it('answers null for a case Coralogix does not have, failing no other key', async () => {
    const spy = spyClient();
    const loaders = createCaseLoaders(spy.client, { apiKey: 'k' });
    const pending = loaders.case.loadMany(['CASE-999', 'CASE-3']);
    await spy.release();
    expect((await pending).map((c) => (c as Case | null)?.id ?? null)).toEqual([null, uuid(3)]);
  });
});

describe('priority → OneUptime severity (ensureOneUptimeIncidentForCase)', () => {
  const severities = [
    { _id: 'minor', name: 'Minor', order: 3 },
    { _id: 'critical', name: 'Critical', order: 1 },
    { _id: 'major', name: 'Major', order: 2 },
  ];
  it.each<[CasePriorityWire, string]>([
    ['CASE_PRIORITY_P1', 'critical'],
    ['CASE_PRIORITY_P2', 'major'],
    ['CASE_PRIORITY_P3', 'minor'],
    ['CASE_PRIORITY_P4', 'minor'],
    ['CASE_PRIORITY_P5', 'minor'],
    ['CASE_PRIORITY_UNSPECIFIED', 'minor'],
  ])('maps %s to the severity %s by order', (priority, expected) => {
    expect(prioritySeverity(aCase(1, { priority }), severities)?._id).toBe(expected);
  });

  it('has nothing to choose from an empty project', () => {
    expect(prioritySeverity(aCase(1), [])).toBeUndefined();
  });
});

describe('the case lifecycle', () => {
  it('refuses what a resolved, closed or pending case cannot do, and allows the rest', () => {
    expect(refusal('acknowledge', 'CASE_STATUS_RESOLVED')).toMatch(/can only be closed/);
    expect(refusal('resolve', 'CASE_STATUS_CLOSED')).toMatch(/final/);
    expect(refusal('close', 'CASE_STATUS_CLOSED')).toBeUndefined(); // no change
    expect(refusal('close', 'CASE_STATUS_RESOLVED')).toBeUndefined();
    expect(refusal('unacknowledge', 'CASE_STATUS_RESOLVED')).toMatch(/can only be closed/);
    expect(refusal('acknowledge', 'CASE_STATUS_PENDING_ACTIVATION')).toMatch(/activated/);
    expect(refusal('resolve', 'CASE_STATUS_ACKNOWLEDGED')).toBeUndefined();
    expect(refusal('acknowledge', 'CASE_STATUS_UNSPECIFIED')).toBeUndefined();
  });
});

describe('totalCount from filter values', () => {
  const facets: CaseFacetCounts = {
    statuses: [
      { value: 'CASE_STATUS_ACTIVE', count: 5 },
      { value: 'CASE_STATUS_CLOSED', count: 7 },
      { value: 'CASE_STATUS_RESOLVED', count: 2 },
    ],
    priorities: [],
    categories: [],
    assignees: [],
    unassignedCount: 0,
  };
  it('sums every status without a status filter, and only the admitted ones with one', () => {
    expect(totalOf(facets)).toBe(14);
    expect(totalOf(facets, ['CASE_STATUS_ACTIVE', 'CASE_STATUS_RESOLVED'])).toBe(7);
    // Right even when Coralogix counted a facet before applying the filter's own statuses.
    expect(totalOf(facets, ['CASE_STATUS_ACKNOWLEDGED'])).toBe(0);
  });
});
