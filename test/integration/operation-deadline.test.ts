/**
 * The operation deadline (OPERATION_TIMEOUT_MS) stops the upstream calls still
 * running when it passes: they fail as UPSTREAM_TIMEOUT saying the deadline
 * passed (not the per-call UPSTREAM_TIMEOUT_MS, which is longer here), and
 * the fields that needed them are null with that error.
 */
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

describe('OPERATION_TIMEOUT_MS', () => {
  const stack = useStack({
    // A deadline no healthy query nears, even on a loaded CI machine (the second test).
    env: { OPERATION_TIMEOUT_MS: '1000', UPSTREAM_TIMEOUT_MS: '20000', UPSTREAM_RETRIES: '0' },
    resetEach: true,
  });

  it('stops a slow upstream call when the operation deadline passes', async () => {
    stack.sandbox.setFault({ upstream: 'coralogix', latencyMs: 5_000 });
    const answer = await stack.graphql('{ incidents(first: 1) { totalCount } }');
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ incidents: null });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        path: ['incidents'],
        message: 'Coralogix call stopped: the operation deadline passed.',
        extensions: expect.objectContaining({ code: 'UPSTREAM_TIMEOUT', upstream: 'coralogix' }),
      }),
    ]);
  });

  it('leaves an operation that finishes in time alone', async () => {
    const answer = await stack.graphql('{ incidents(first: 1) { totalCount } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ incidents: { totalCount: expect.any(Number) } });
  });
});
