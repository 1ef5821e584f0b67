/**
 * Live connections per client (MAX_CONNECTIONS_PER_CLIENT), over WebSocket
 * and SSE together. A client is its valid gateway token, else (no tokens
 * configured) its remote address. A client's entry exists only while it has
 * a connection open, so closed connections leave nothing behind.
 */
import { GatewayError } from '../errors.js';
import { OVERLOADED_RETRY_AFTER_SECONDS } from '../guard/admission.js';

/** Who a live client is, from its kept headers and its socket's remote address. */
export type ClientOf = (
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
) => string;

/** Ends a connection's hold on its client's count; calling it again does nothing. */
export type ConnectionRelease = () => void;

export class ConnectionCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Clients with a connection open (the entries this counter holds). */
  get clients(): number {
    return this.counts.size;
  }

  /** Counts one more connection of `client`, or undefined when it already has `max`. */
  take(client: string): ConnectionRelease | undefined {
    const count = this.counts.get(client) ?? 0;
    if (count >= this.max) return undefined;
    this.counts.set(client, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(client) ?? 1) - 1;
      if (left > 0) this.counts.set(client, left);
      else this.counts.delete(client);
    };
  }

  /** The refusal a client over its bound gets (HTTP 429 over SSE; close 1013 over WebSocket). */
  refusal(): GatewayError {
    return new GatewayError(
      'OVERLOADED',
      `This client already has ${this.max} live connections open (MAX_CONNECTIONS_PER_CLIENT); close one, or subscribe on one you have.`,
      { limit: this.max, retryAfter: OVERLOADED_RETRY_AFTER_SECONDS },
    );
  }
}
