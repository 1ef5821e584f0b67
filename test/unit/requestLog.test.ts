import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/http.js';
import { DEFAULT_REQUEST_LOG_LIMIT, RequestLog } from '../../src/sandbox/requestLog.js';

const request = (n: number): RecordedRequest => ({
  upstream: n % 2 ? 'coralogix' : 'oneuptime',
  method: 'GET',
  path: `/r/${n}`,
  query: {},
  headers: {},
  body: undefined,
  at: n,
});
const paths = (log: RequestLog) => log.all().map((r) => r.path);

describe('the sandbox request log', () => {
  it('keeps every request, oldest first, while under its limit', () => {
    const log = new RequestLog(5);
    for (let n = 1; n <= 3; n++) log.push(request(n));
    expect(paths(log)).toEqual(['/r/1', '/r/2', '/r/3']);
    expect(log.dropped).toBe(0);
  });

  it('keeps only the most recent requests once full, still oldest first', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 8; n++) log.push(request(n));
    expect(paths(log)).toEqual(['/r/6', '/r/7', '/r/8']);
    expect(log.dropped).toBe(5);
  });

  it('starts afresh after a clear', () => {
    const log = new RequestLog(2);
    for (let n = 1; n <= 5; n++) log.push(request(n));
    log.clear();
    expect(log.all()).toEqual([]);
    log.push(request(6));
    expect(paths(log)).toEqual(['/r/6']);
    expect(log.dropped).toBe(0);
  });

  it('has a default limit of a thousand requests', () => {
    const log = new RequestLog();
    expect(log.limit).toBe(DEFAULT_REQUEST_LOG_LIMIT);
    for (let n = 1; n <= DEFAULT_REQUEST_LOG_LIMIT + 10; n++) log.push(request(n));
    expect(log.all()).toHaveLength(DEFAULT_REQUEST_LOG_LIMIT);
    expect(log.all()[0]?.path).toBe('/r/11');
  });

  it.each([0, -1, 1.5])('refuses a limit of %d', (limit) => {
    expect(() => new RequestLog(limit)).toThrow(RangeError);
  });
});
