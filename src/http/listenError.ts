/**
 * A listen that fails for a reason the user can fix (a busy port, a port that
 * needs privileges, a host this machine does not have, a host name that does
 * not resolve) becomes one line naming the address and the variable to
 * change, instead of a stack trace.
 */

interface ListenError {
  code: string;
  address?: string;
  port?: number;
}

function isListenError(error: unknown): error is ListenError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { syscall?: unknown }).syscall === 'listen'
  );
}

/**
 * A host name that does not resolve: listen looks it up first, and fails with
 * the lookup's error (ENOTFOUND, or EAI_AGAIN when no name server answers).
 */
function isUnknownHost(error: unknown): error is { code: string; hostname: string } {
  if (!(error instanceof Error)) return false;
  const { code, syscall, hostname } = error as {
    code?: unknown;
    syscall?: unknown;
    hostname?: unknown;
  };
  return (
    syscall === 'getaddrinfo' &&
    (code === 'ENOTFOUND' || code === 'EAI_AGAIN') &&
    typeof hostname === 'string'
  );
}

/** `host:port` as it would appear in a URL (IPv6 hosts in brackets). */
function formatAddress(address: string | undefined, port: number | undefined): string {
  const host = address === undefined ? '' : address.includes(':') ? `[${address}]` : address;
  return `${host}:${port ?? ''}`;
}

/**
 * The one line to print for a failed listen, or `undefined` when the error is
 * not one the user can fix by configuration (then it deserves its stack trace).
 * `portVariable` / `hostVariable` name the settings that chose the address.
 */
export function describeListenError(
  error: unknown,
  portVariable: string,
  hostVariable = 'HOST',
): string | undefined {
  if (isUnknownHost(error)) {
    return `Cannot listen on ${JSON.stringify(error.hostname)}: no such host name (getaddrinfo ${error.code}). Set ${hostVariable} to one of this machine's addresses (127.0.0.1, or 0.0.0.0 for all).`;
  }
  if (!isListenError(error)) return undefined;
  const address = formatAddress(error.address, error.port);
  switch (error.code) {
    case 'EADDRINUSE':
      return `Cannot listen on ${address}: the port is already in use (another copy running?). Stop that process or set ${portVariable} to a free port.`;
    case 'EACCES':
      return `Cannot listen on ${address}: permission denied (ports below 1024 need privileges). Set ${portVariable} to a port above 1023.`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${address}: this machine has no such address. Set ${hostVariable} to one of its addresses (127.0.0.1, or 0.0.0.0 for all).`;
    default:
      return undefined;
  }
}
