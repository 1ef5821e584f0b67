/**
 * The pure parts of the state replicas share: whose Redis keys are whose
 * (the deployment prefix), evictions waiting for Redis, and the per-process
 * persisted-query store.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { memoryDocumentStore } from '../../src/graphql/persistedQueries.js';
import { redisKeyPrefix } from '../../src/sharedCache/keyPrefix.js';
import {
  MAX_RETRY_MS,
  PendingEvictions,
  retryDelayMs,
} from '../../src/sharedCache/pendingEvictions.js';
import { captureLogs } from '../support/logs.js';
import { waitFor } from '../support/tools.js';

describe('redisKeyPrefix', () => {
  const account = {
    coralogix: { url: 'https://api.eu2.coralogix.com/mgmt/openapi/5', apiKey: 'cxup_team_a' },
    oneuptime: { url: 'https://oneuptime.com', apiKey: 'ou-key-a' },
  };

  it('is one per account: the same for its replicas, another for another account on the same URLs', () => {
    const prefix = redisKeyPrefix(account);
    expect(prefix).toMatch(/^igw:[A-Za-z0-9_-]{16}:$/);
    expect(redisKeyPrefix(structuredClone(account))).toBe(prefix);
    const otherKey = { ...account, coralogix: { ...account.coralogix, apiKey: 'cxup_team_b' } };
    expect(redisKeyPrefix(otherKey)).not.toBe(prefix);
    const otherHost = { ...account, oneuptime: { ...account.oneuptime, url: 'https://ou.acme' } };
    expect(redisKeyPrefix(otherHost)).not.toBe(prefix);
  });

  it('never holds a key, and names the upstreams alone in forward mode', () => {
    const prefix = redisKeyPrefix(account);
    for (const secret of ['cxup_team_a', 'ou-key-a']) expect(prefix).not.toContain(secret);
    const forward = {
      coralogix: { url: account.coralogix.url },
      oneuptime: { url: account.oneuptime.url },
    };
    expect(redisKeyPrefix(forward)).toMatch(/^igw:[A-Za-z0-9_-]{16}:$/);
    expect(redisKeyPrefix(forward)).not.toBe(prefix);
  });

  it('is REDIS_KEY_PREFIX when set', () => {
    expect(redisKeyPrefix({ ...account, redisKeyPrefix: 'acme:' })).toBe('acme:');
  });
});

describe('PendingEvictions', () => {
  const logger = pino({ level: 'silent' });

  it('retries until Redis takes the tags, blocking them meanwhile', async () => {
    const sent: string[][] = [];
    let redisUp = false;
    const pending = new PendingEvictions({
      send: async (tags) => {
        sent.push(tags);
        return redisUp;
      },
      logger,
      retryMs: 5,
    });
    pending.add(['incident:1', 'list:incidents']);
    expect(pending.blocks(['incident:2'])).toBe(false);
    expect(pending.blocks(['incident:2', 'list:incidents'])).toBe(true);
    await waitFor('two failed retries', () => sent.length >= 2);
    expect(pending.size).toBe(2);
    redisUp = true;
    await waitFor('the eviction to land', () => pending.size === 0);
    expect(sent.at(-1)).toEqual(['incident:1', 'list:incidents']);
    expect(pending.blocks(['list:incidents'])).toBe(false);
    const count = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toHaveLength(count); // nothing left: no more retries
  });

  it('waits longer after each retry Redis does not take, up to a bound', () => {
    expect([0, 1, 2, 3].map((n) => retryDelayMs(200, n))).toEqual([200, 400, 800, 1600]);
    expect(retryDelayMs(200, 30)).toBe(MAX_RETRY_MS);
  });

  it('retries at once when the connection comes back', async () => {
    const pending = new PendingEvictions({ send: async () => true, logger, retryMs: 60_000 });
    pending.add(['incident:1']);
    pending.kick();
    await waitFor('the eviction to land', () => pending.size === 0);
  });

  it('keeps a tag written again while its retry was in flight', async () => {
    const inFlight: Array<(ok: boolean) => void> = [];
    const pending = new PendingEvictions({
      send: () => new Promise<boolean>((resolve) => inFlight.push(resolve)),
      logger,
      retryMs: 1,
    });
    pending.add(['incident:1']);
    await waitFor('the retry to be sent', () => inFlight.length === 1);
    pending.add(['incident:1']); // a second write of the same incident, not yet evicted
    inFlight[0]!(true);
    await waitFor('another retry', () => inFlight.length === 2);
    expect(pending.blocks(['incident:1'])).toBe(true);
    inFlight[1]!(true);
    await waitFor('the second eviction to land', () => pending.size === 0);
  });

  it('gives up the oldest tags past its bound, with one warning', () => {
    const logs = captureLogs();
    const pending = new PendingEvictions({
      send: async () => false,
      logger: logs.logger,
      maxTags: 3,
    });
    pending.add(['a', 'b']);
    pending.add(['c', 'd']);
    pending.add(['e']);
    expect(pending.size).toBe(3);
    expect(pending.blocks(['a'])).toBe(false);
    expect(pending.blocks(['e'])).toBe(true);
    expect(logs.entries().filter((e) => /too many evictions/.test(String(e.msg)))).toHaveLength(1);
    void pending.close();
  });
});

describe('memoryDocumentStore', () => {
  // Each entry counts its document, its key and a fixed overhead (ENTRY_OVERHEAD_BYTES, 256).
  const entry = (document: string) => document.length + 'apq:a'.length + 256;

  it('drops the least recently used documents past its byte bound', async () => {
    const store = memoryDocumentStore(2 * entry('12345') + 3);
    await store.set('apq:a', '12345');
    await store.set('apq:b', '12345');
    expect(await store.get('apq:a')).toBe('12345'); // a is now the most recent
    await store.set('apq:c', '123');
    expect(await store.get('apq:b')).toBeUndefined();
    expect(await store.get('apq:a')).toBe('12345');
    expect(await store.get('apq:c')).toBe('123');
  });

  it('counts what an entry costs besides its document, so tiny documents cannot pile up', async () => {
    const store = memoryDocumentStore(10 * entry('x'));
    for (let i = 0; i < 1000; i++) await store.set(`apq:${i}`, 'x');
    let kept = 0;
    for (let i = 0; i < 1000; i++) if ((await store.get(`apq:${i}`)) !== undefined) kept += 1;
    expect(kept).toBeLessThanOrEqual(10);
    expect(await store.get('apq:999')).toBe('x');
  });
});
