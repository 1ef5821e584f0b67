import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../src/upstreams/deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withDeadline', () => {
  it('aborts with a TimeoutError when the time runs out, as AbortSignal.timeout does', async () => {
    const work = withDeadline(undefined, 5);
    await sleep(30);
    expect(work.signal.aborted).toBe(true);
    expect(work.timedOut).toBe(true);
    expect((work.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('follows its parent, with the parent’s reason, and is not a timeout then', () => {
    const parent = new AbortController();
    const work = withDeadline(parent.signal, 10_000);
    const reason = new Error('client went away');
    parent.abort(reason);
    expect(work.signal.reason).toBe(reason);
    expect(work.timedOut).toBe(false);
    work.release();
  });

  it('starts aborted under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort('gone');
    const work = withDeadline(parent.signal, 10_000);
    expect(work.signal.aborted).toBe(true);
    expect(work.signal.reason).toBe('gone');
    work.release();
  });

  it('neither times out nor follows the parent once released', async () => {
    const parent = new AbortController();
    const work = withDeadline(parent.signal, 5);
    work.release();
    parent.abort('late');
    await sleep(30);
    expect(work.signal.aborted).toBe(false);
    expect(work.timedOut).toBe(false);
  });

  it('aborts on demand with the reason given', () => {
    const work = withDeadline(undefined, 10_000);
    work.abort('closed');
    expect(work.signal.reason).toBe('closed');
    work.release();
  });

  it('takes one listener per upstream call in flight without a leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const work = withDeadline(undefined, 10_000);
      const calls = Array.from({ length: 200 }, () => withDeadline(work.signal, 10_000));
      await sleep(10); // Node emits the warning on a later tick
      for (const call of calls) call.release();
      work.release();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
