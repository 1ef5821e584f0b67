/**
 * Whose keys are whose in a shared Redis. Every key and channel a gateway
 * uses (cached responses, links, locks, the poller lease, live changes,
 * persisted queries) lives under one prefix per deployment, so deployments
 * for different upstream accounts can share a Redis (or a database of one)
 * without serving each other's data or changes.
 *
 * REDIS_KEY_PREFIX when set; otherwise `igw:` and a short hash of both
 * upstream base URLs and both server keys (never the keys themselves): two
 * deployments of one account share their cache, two of different accounts do
 * not, even on the same SaaS URLs. Rotating a key therefore starts with a
 * cold cache (set REDIS_KEY_PREFIX to keep one across rotations). With
 * CREDENTIALS=forward there are no server keys: the prefix names the
 * upstreams, and each request's key scope (context.ts) separates within it.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';

export type Deployment = Pick<Config, 'redisKeyPrefix' | 'coralogix' | 'oneuptime'>;

/** 16 base64url characters: 96 bits, no collision between real deployments. */
const HASH_LENGTH = 16;

export function redisKeyPrefix(deployment: Deployment): string {
  if (deployment.redisKeyPrefix !== undefined) return deployment.redisKeyPrefix;
  const { coralogix, oneuptime } = deployment;
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        coralogix?.url ?? null,
        oneuptime?.url ?? null,
        coralogix?.apiKey ?? null,
        oneuptime?.apiKey ?? null,
      ]),
    )
    .digest('base64url')
    .slice(0, HASH_LENGTH);
  return `igw:${hash}:`;
}
