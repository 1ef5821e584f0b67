/**
 * The log output over a real Writable whose reader is under the test's
 * control: lines in order and in batches, nothing written once the reader is
 * gone, a cap on what waits for a slow reader (dropped lines counted), and a
 * drain with a deadline.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineOutput, type LineOutputLimits } from '../../src/observability/logger.js';

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
    /** The chunks the stream was given, one per write. */
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
const lines = (...ns: number[]) => ns.map(line).join('');
/** Long enough that no test waits for it: batches leave on flush() or on size. */
const HOURS = 3_600_000;
const limits = (overrides: Partial<LineOutputLimits> = {}): LineOutputLimits => ({
  maxQueuedBytes: 1024,
  flushMs: HOURS,
  flushBytes: 1024,
  ...overrides,
});

describe('log output', () => {
  it('holds lines back and writes them in order, together, on flush', async () => {
    const reader = slowReader();
    const output = lineOutput(reader.stream, limits(), () => undefined);
    for (let n = 1; n <= 3; n++) output.write(line(n));
    expect(reader.stream.writableLength).toBe(0);
    output.flush();
    output.write(line(4));
    output.flush();
    await reader.release();
    expect(reader.taken).toEqual([lines(1, 2, 3), lines(4)]);
  });

  it('writes a batch once flushMs has passed', async () => {
    const reader = slowReader();
    const output = lineOutput(reader.stream, limits({ flushMs: 5 }), () => undefined);
    output.write(line(1));
    output.write(line(2));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await reader.release();
    expect(reader.taken).toEqual([lines(1, 2)]);
  });

  it('writes a batch at once when it reaches flushBytes', async () => {
    const reader = slowReader();
    // Each line is 9 bytes: the third makes 27, over 20.
    const output = lineOutput(reader.stream, limits({ flushBytes: 20 }), () => undefined);
    for (let n = 1; n <= 4; n++) output.write(line(n));
    await reader.release();
    expect(reader.taken).toEqual([lines(1, 2, 3)]);
  });

  it('stops writing once the stream fails (EPIPE), without throwing, and drains at once', async () => {
    const reader = slowReader();
    const output = lineOutput(reader.stream, limits(), () => undefined);
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
    // Held back and queued together: after 3 lines (27 bytes) the cap of 20 is reached.
    const output = lineOutput(reader.stream, limits({ maxQueuedBytes: 20 }), (count) => {
      reports.push(count);
      output.write(`dropped ${count}\n`);
    });
    for (let n = 1; n <= 7; n++) output.write(line(n));
    output.flush();
    expect(reports).toEqual([]);
    await reader.release();
    output.write(line(8));
    output.flush();
    await reader.release();
    expect(reports).toEqual([4]);
    expect(reader.taken).toEqual([lines(1, 2, 3), `dropped 4\n${line(8)}`]);
  });

  it('drain writes what is held back and waits for the reader to take it, or gives up at its deadline', async () => {
    const reader = slowReader();
    const output = lineOutput(reader.stream, limits(), () => undefined);
    output.write(line(1));
    let drained = false;
    const draining = output.drain(60_000).then(() => (drained = true));
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
