/**
 * The sandbox's data is relative to when it starts (or to a given `now`), so
 * what the gateway shows about SLAs and incident ages is true on any day, next
 * to the current time that writes stamp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, generateSeed } from '../../src/sandbox/seed.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { startStack, type Stack } from '../support/stack.js';

interface SlaView {
  status: string;
  responseDeadline: string;
  resolutionDeadline: string;
  respondedAt: string | null;
}

const SLAS = `query ($statuses: [SlaStatus!]) {
  incidentSlas(filter: { statuses: $statuses }, first: 100) {
    totalCount
    edges { node { status responseDeadline resolutionDeadline respondedAt } }
  }
}`;

describe('sandbox started without a now', () => {
  let stack: Stack;
  let startedBefore: number;
  let startedAfter: number;

  beforeAll(async () => {
    startedBefore = Date.now();
    stack = await startStack();
    startedAfter = Date.now();
  });
  afterAll(() => stack?.stop());

  async function slas(statuses: string[]): Promise<SlaView[]> {
    const response = await stack.graphql<{
      incidentSlas: { totalCount: number; edges: Array<{ node: SlaView }> };
    }>(SLAS, { statuses });
    expect(response.errors).toBeUndefined();
    const { totalCount, edges } = response.data!.incidentSlas;
    expect(totalCount).toBeGreaterThan(0);
    expect(edges).toHaveLength(Math.min(totalCount, 100));
    return edges.map((edge) => edge.node);
  }

  it('shows at-risk and on-track SLAs with resolution deadlines still ahead of the clock', async () => {
    const pending = await slas(['AT_RISK', 'ON_TRACK']);
    const now = Date.now();
    for (const sla of pending) {
      expect(Date.parse(sla.resolutionDeadline), JSON.stringify(sla)).toBeGreaterThan(now);
    }
  });

  it('shows breached SLAs with deadlines already behind the clock', async () => {
    for (const sla of await slas(['RESPONSE_BREACHED'])) {
      expect(Date.parse(sla.responseDeadline)).toBeLessThan(startedBefore);
    }
    for (const sla of await slas(['RESOLUTION_BREACHED'])) {
      expect(Date.parse(sla.resolutionDeadline)).toBeLessThan(startedBefore);
    }
  });

  it('takes its start time as now', () => {
    expect(stack.sandbox.now).toBeGreaterThanOrEqual(startedBefore);
    expect(stack.sandbox.now).toBeLessThanOrEqual(startedAfter);
  });

  it('shows the newest incident opened a little before the sandbox started, not weeks or years away', async () => {
    const response = await stack.graphql<{
      incidents: { edges: Array<{ node: { createdAt: string } }> };
    }>('{ incidents(first: 1) { edges { node { createdAt } } } }');
    expect(response.errors).toBeUndefined();
    const newest = Date.parse(response.data!.incidents.edges[0]!.node.createdAt);
    expect(newest).toBeLessThanOrEqual(startedAfter);
    expect(startedBefore - newest).toBeLessThan(7 * 24 * 60 * 60_000);
  });
});

describe('sandbox started with a fixed now', () => {
  it('seeds exactly what generateSeed gives for that now, on any day', async () => {
    const now = Date.parse('2030-02-03T04:05:06.000Z');
    const sandbox = await startSandbox({ now, incidentCount: 20 });
    try {
      expect(sandbox.seed).toEqual(generateSeed(DEFAULT_SEED, 20, now));
    } finally {
      await sandbox.stop();
    }
  });
});
