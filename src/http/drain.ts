/**
 * Graceful shutdown of the gateway's HTTP server that loses no answer.
 *
 * The danger is a kept-alive socket: a client may send its next request on it
 * at the moment the server decides to close it. If the server still reads and
 * runs that request (a mutation, say) but can no longer answer, the write is
 * applied upstream while the client sees a socket error, and a retry makes a
 * duplicate. So, once draining:
 * - every response not yet started carries `Connection: close`, so no socket
 *   takes a request after the one it is answering;
 * - the listener closes and idle keep-alive sockets are destroyed at once
 *   (Node's closeIdleConnections): a request whose bytes were not yet read is
 *   never run, so its client's error means "not applied";
 * - requests already accepted (whose bytes Node began to parse) run to the end
 *   and are answered, up to the deadline; then what is left is destroyed.
 */
import type { Server, ServerResponse } from 'node:http';

export interface Drainer {
  /** Call for every request, before anything else may answer it. */
  track(res: ServerResponse): void;
  /**
   * Stops accepting, closes idle sockets and waits for the responses in flight.
   * Resolves true when all were sent within `deadlineMs`, false when the
   * remaining connections had to be destroyed.
   */
  drain(deadlineMs: number): Promise<boolean>;
}

const closeAfter = (res: ServerResponse) => {
  if (!res.headersSent) res.setHeader('connection', 'close');
};

export function createDrainer(server: Server): Drainer {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let drained: Promise<boolean> | undefined;

  return {
    track(res) {
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
      if (draining) closeAfter(res);
    },
    drain(deadlineMs) {
      drained ??= (async () => {
        draining = true;
        for (const res of inFlight) closeAfter(res);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const graceful = await Promise.race([
          closed.then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), deadlineMs);
          }),
        ]);
        clearTimeout(timer);
        if (!graceful) {
          server.closeAllConnections();
          await closed;
        }
        return graceful;
      })();
      return drained;
    },
  };
}
