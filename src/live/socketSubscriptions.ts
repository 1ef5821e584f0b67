/**
 * The subscriptions of one WebSocket, as the gateway counts and ends them.
 * graphql-ws's own `ctx.subscriptions` is keyed by the client's ids: when a
 * client subscribes, completes and subscribes again with one id within one
 * read, each new operation overwrites the last one's entry (graphql-ws 6.4.2,
 * `ctx.subscriptions[id] = operationResult` in `makeServer`), so that map can
 * neither bound a connection nor end, on close, every subscription the socket
 * started. This holds each one from its admission (`onSubscribe`) to its end.
 */
export class SocketSubscriptions {
  /** Admitted, not yet started: by their ExecutionArgs' `contextValue`. */
  private readonly admitted = new Set<unknown>();
  private readonly running = new Set<AsyncGenerator<unknown>>();
  private closed = false;

  /** Admitted and running subscriptions: what MAX_SUBSCRIPTIONS_PER_CONNECTION bounds. */
  get size(): number {
    return this.admitted.size + this.running.size;
  }

  /** A subscription passed `onSubscribe`: it counts from now on. */
  admit(key: unknown): void {
    if (!this.closed) this.admitted.add(key);
  }

  /** The admitted subscription `key` started: what to run in its place (tracked to its end). */
  started<T>(key: unknown, operation: T): T {
    this.admitted.delete(key);
    if (!isAsyncGenerator(operation)) return operation;
    if (this.closed) {
      void operation.return(undefined);
      return operation;
    }
    return this.track(operation) as T;
  }

  /** The socket closed: ends every subscription it started (and any still starting). */
  close(): void {
    this.closed = true;
    this.admitted.clear();
    const running = [...this.running];
    this.running.clear();
    for (const operation of running) void operation.return(undefined);
  }

  private track(operation: AsyncGenerator<unknown>): AsyncGenerator<unknown> {
    const untrack = () => this.running.delete(tracked);
    const tracked: AsyncGenerator<unknown> = {
      next: async () => {
        try {
          const next = await operation.next();
          if (next.done) untrack();
          return next;
        } catch (error) {
          untrack();
          throw error;
        }
      },
      return: (value) => {
        untrack();
        return operation.return(value);
      },
      throw: (error) => {
        untrack();
        return operation.throw(error);
      },
      [Symbol.asyncIterator]: () => tracked,
    };
    this.running.add(tracked);
    return tracked;
  }
}

function isAsyncGenerator(operation: unknown): operation is AsyncGenerator<unknown> {
  return (
    typeof operation === 'object' &&
    operation !== null &&
    Symbol.asyncIterator in operation &&
    typeof (operation as { return?: unknown }).return === 'function'
  );
}
