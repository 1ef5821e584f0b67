/**
 * The two upstreams by name, and what every per-request loader set is given.
 */
import type { CacheTags } from '../sharedCache/cacheTags.js';

export const UPSTREAMS = ['coralogix', 'oneuptime'] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

export const UPSTREAM_LABEL: Record<UpstreamName, string> = {
  coralogix: 'Coralogix',
  oneuptime: 'OneUptime',
};

export interface LoaderOptions {
  /** `false` turns batching and caching off (the naive baseline of the bench). */
  batch?: boolean;
  /** Records what the request read and wrote, for the shared response cache. */
  tags?: CacheTags;
}
