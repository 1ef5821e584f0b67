/**
 * HOST=not-a-host: the listen fails in its name lookup (getaddrinfo), not in
 * `listen`, and printed a raw `getaddrinfo ENOTFOUND` stack. It is one line
 * naming the host and HOST now, from the error a real listen gives.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeListenError } from '../../src/http/listenError.js';

/** The error of a real listen on `host` (`.invalid` never resolves: RFC 6761). */
function listenOn(host: string): Promise<unknown> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', resolve);
    server.listen(0, host, () => server.close(() => resolve(undefined)));
  });
}

describe('a HOST that does not resolve', () => {
  it('is described in one line naming the host and HOST', async () => {
    const error = await listenOn('not-a-host.invalid');
    expect(describeListenError(error, 'PORT')).toMatch(
      /^Cannot listen on "not-a-host\.invalid": no such host name \(getaddrinfo (ENOTFOUND|EAI_AGAIN)\)\. Set HOST to one of this machine's addresses \(127\.0\.0\.1, or 0\.0\.0\.0 for all\)\.$/,
    );
  });

  it('names the host variable it is given', async () => {
    const error = await listenOn('not-a-host.invalid');
    expect(describeListenError(error, 'SANDBOX_PORT', 'SANDBOX_HOST')).toMatch(
      /Set SANDBOX_HOST to one/,
    );
  });

  it('leaves other lookup errors and non-errors to their stack trace', () => {
    const other = Object.assign(new Error('x'), { code: 'ENOMEM', syscall: 'getaddrinfo' });
    expect(describeListenError(other, 'PORT')).toBeUndefined();
    expect(describeListenError(null, 'PORT')).toBeUndefined();
  });
});
