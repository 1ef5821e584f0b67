import { describe, expect, it } from 'vitest';
import { describeListenError } from '../../src/http/listenError.js';

/** The shape Node gives a failed `server.listen` (`code`, `syscall`, `address`, `port`). */
function listenError(code: string, address: string, port: number): Error {
  return Object.assign(new Error(`listen ${code}: ${address}:${port}`), {
    code,
    errno: -1,
    syscall: 'listen',
    address,
    port,
  });
}

describe('describeListenError', () => {
  it('names the taken address and the port variable to change', () => {
    expect(describeListenError(listenError('EADDRINUSE', '127.0.0.1', 4000), 'PORT')).toBe(
      'Cannot listen on 127.0.0.1:4000: the port is already in use (another copy running?). Stop that process or set PORT to a free port.',
    );
  });

  it('puts IPv6 hosts in brackets', () => {
    expect(
      describeListenError(listenError('EADDRINUSE', '::', 4010), 'SANDBOX_CORALOGIX_PORT'),
    ).toMatch(/^Cannot listen on \[::\]:4010: .* set SANDBOX_CORALOGIX_PORT to a free port\.$/);
  });

  it('explains a privileged port and an address the machine does not have', () => {
    expect(describeListenError(listenError('EACCES', '0.0.0.0', 80), 'PORT')).toMatch(
      /^Cannot listen on 0\.0\.0\.0:80: permission denied .* Set PORT to a port above 1023\.$/,
    );
    expect(describeListenError(listenError('EADDRNOTAVAIL', '10.1.2.3', 4000), 'PORT')).toMatch(
      /^Cannot listen on 10\.1\.2\.3:4000: this machine has no such address\. Set HOST to /,
    );
  });

  it('leaves other errors alone, so they keep their stack trace', () => {
    expect(describeListenError(new Error('boom'), 'PORT')).toBeUndefined();
    expect(describeListenError(listenError('EMFILE', '127.0.0.1', 4000), 'PORT')).toBeUndefined();
    const connectError = Object.assign(new Error('connect EADDRINUSE'), {
      code: 'EADDRINUSE',
      syscall: 'connect',
    });
    expect(describeListenError(connectError, 'PORT')).toBeUndefined();
  });
});
