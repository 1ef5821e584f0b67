/**
 * The log output over a real Writable whose reader is under the test's
 * control: lines in order, nothing written once the reader is gone, a cap on
 * what waits for a slow reader (dropped lines counted), and a drain with a
 * deadline.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineOutput } from '../../src/observability/logger.js';

/** A stream that takes each chunk only when `release()` says so (a slow reader). */
function slowReader() {
  const taken: string[] = [];
  const waiting: Array<() => void> = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      waiting.push(() => {
        taken.push(chunk);
        done();
      });
    },
  });
  return {
    stream,
    taken,
    /** Lets the reader take every chunk written so far. */
    async release() {
      while (waiting.length > 0) {
        waiting.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

const line = (n: number) => `{"n":${n}}\n`;

describe('log output', () => {
  it('writes the lines in order', async () => {
    const reader = slowReader();
    const output = lineOutput(reader.stream, 1024, () => undefined);
    for (let n = 1; n <= 3; n++) output.write(line(n));
    await reader.release();
    expect(reader.taken).toEqual([line(1), line(2), line(3)]);
  });

  it('stops writing once the stream fails (EPIPE), without throwing, and drains at once', async () => {
    const reader = slowReader();
    const output = lineOutput(reader.stream, 1024, () => undefined);
    output.write(line(1));
    reader.stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => output.write(line(2))).not.toThrow();
    // Nothing to wait for: a drain that waited out its minute would time the test out.
    await output.drain(60_000);
    expect(reader.taken).toEqual([]);
  });

  it('drops lines while more than the cap waits for the reader, and says how many before the next', async () => {
    const reader = slowReader();
    const reports: number[] = [];
    // Each line is 9 bytes: after 3 lines 27 bytes wait, over the cap of 20.
    const output = lineOutput(reader.stream, 20, (count) => {
      reports.push(count);
      output.write(`dropped ${count}\n`);
    });
    for (let n = 1; n <= 7; n++) output.write(line(n));
    expect(reports).toEqual([]);
    await reader.release();
    output.write(line(8));
    await reader.release();
    expect(reports).toEqual([4]);
    expect(reader.taken).toEqual([line(1), line(2), line(3), 'dropped 4\n', line(8)]);
  });

  it('drain waits for the reader to take what was written, or gives up at its deadline', async () => {
    const reader = slowReader();
    const output = lineOutput(reader.stream, 1024, () => undefined);
    output.write(line(1));
    let drained = false;
    const draining = output.drain(5_000).then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(drained).toBe(false);
    await reader.release();
    await draining;
    expect(reader.taken).toEqual([line(1)]);

    // A reader that never takes it: the drain ends at its deadline with the line still waiting.
    output.write(line(2));
    await output.drain(50);
    expect(reader.stream.writableLength).toBeGreaterThan(0);
  });
});
