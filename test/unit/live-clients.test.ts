import { describe, expect, it } from 'vitest';
import { ConnectionCounter } from '../../src/live/clients.js';

describe('ConnectionCounter (MAX_CONNECTIONS_PER_CLIENT)', () => {
  it('counts each client up to the bound and forgets it when its last connection closes', () => {
    const counter = new ConnectionCounter(2);
    const a = [counter.take('a'), counter.take('a')];
    expect(counter.take('a')).toBeUndefined();
    const b = counter.take('b');
    expect(b).toBeDefined();
    expect(counter.clients).toBe(2);
    a[0]!();
    a[0]!(); // twice: no effect
    expect(counter.take('a')).toBeDefined();
    expect(counter.take('a')).toBeUndefined();
    b!();
    expect(counter.clients).toBe(1);
  });

  it('refuses with OVERLOADED, naming the bound', () => {
    const error = new ConnectionCounter(3).refusal();
    expect(error.extensions).toEqual({ code: 'OVERLOADED', limit: 3, retryAfter: 1 });
    expect(error.message).toMatch(
      /already has 3 live connections open \(MAX_CONNECTIONS_PER_CLIENT\)/,
    );
  });
});
