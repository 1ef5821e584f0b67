/**
 * The per-request context: fresh loaders over the long-lived clients, bound to
 * the credentials of this request. Built once per GraphQL request, never shared.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ROOT_CONTEXT, SpanKind, trace, type Span, type TextMapGetter } from '@opentelemetry/api';
import { NO_TAGS, TagSet, type CacheTags } from './sharedCache/cacheTags.js';
import { propagator, tracer } from './observability/tracing.js';
import { createCallBudget, type CallBudget } from './guard/callBudget.js';
import type { Access, TokenChecker } from './guard/tokens.js';
import type { Config } from './config.js';
import { requestError } from './errors.js';
import { createLinks, type LinkShared, type Links } from './links/index.js';
import type { LiveAccess } from './live/access.js';
import type { CaseClient } from './upstreams/coralogix/cases/client.js';
import { createCaseLoaders, type CaseLoaders } from './upstreams/coralogix/cases/loaders.js';
import type { Case } from './upstreams/coralogix/cases/types.js';
import type { CoralogixClient } from './upstreams/coralogix/incidents/client.js';
import {
  createCoralogixLoaders,
  type CoralogixLoaders,
} from './upstreams/coralogix/incidents/loaders.js';
import type { LoaderOptions } from './upstreams/upstream.js';
import { createCursorCodec, type CursorCodec } from './resolvers/pagination.js';
import type { OneUptimeClient } from './upstreams/oneuptime/client.js';
import { createOneUptimeLoaders, type OneUptimeLoaders } from './upstreams/oneuptime/loaders.js';

export interface GatewayContext {
  coralogix: CoralogixLoaders;
  /** Coralogix Cases (DESIGN 5c): a GET per case, batched per level. */
  cases: CaseLoaders;
  oneuptime: OneUptimeLoaders;
  /** The cross-vendor link (DESIGN 5a): Coralogix incident id ↔ OneUptime incident. */
  links: Links;
  /** The same link for cases (DESIGN 5c): case UUID ↔ OneUptime incident. */
  caseLinks: Links<Case>;
  /** What the client's gateway token allows (everything when no token is configured). */
  access: Access;
  /** The incoming `x-request-id`, or one generated for this request; echoed in the response. */
  requestId: string;
  /**
   * What this request read and wrote: a TagSet when the shared response cache
   * needs it (REDIS_URL), else NO_TAGS (nothing is recorded).
   */
  cacheTags: CacheTags;
  /** Who may share cached responses with this request: one scope per set of upstream keys. */
  credentialScope: string;
  /** The operation's span (ended by the operation log plugin); upstream calls are its children. */
  span: Span;
  /** Live updates: mutations publish what they wrote; subscriptions get their changes. */
  live?: LiveAccess;
  /** Signs and checks pagination cursors (CURSOR_SECRET). */
  cursors: CursorCodec;
  /** Aborts when the client goes away (reason: ClientClosedError) or the operation deadline passes. */
  signal: AbortSignal;
  /** The operation's upstream attempts, against MAX_UPSTREAM_CALLS (src/guard/callBudget.ts). */
  upstreamCalls: CallBudget;
}

export interface Upstreams {
  /** Coralogix Incidents; its transport (one Pool) is shared with `cases`. */
  coralogix: CoralogixClient;
  /** Coralogix Cases, over the incidents client's transport. */
  cases: CaseClient;
  oneuptime: OneUptimeClient;
}

export interface ContextFactoryOptions extends LoaderOptions {
  config: Pick<
    Config,
    'credentials' | 'coralogix' | 'oneuptime' | 'cursorSecret' | 'maxUpstreamCalls'
  >;
  upstreams: Upstreams;
  tokens: TokenChecker;
  /** The link cache, lock and field every request shares. */
  links: LinkShared;
  /** The same for the case family (its own cache and field, the same lock). */
  caseLinks: LinkShared<Case>;
  /** Record what each request reads and writes (only the shared response cache uses it). */
  recordTags?: boolean;
  /** Live updates, when the gateway serves them: gives each request its `live`. */
  live?: { access(scope: string): LiveAccess };
}

const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key.toLowerCase()],
};

export const FORWARD_HEADERS = {
  coralogix: 'x-coralogix-api-key',
  oneuptime: 'x-oneuptime-api-key',
} as const;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

/** The keys for this request: the configured ones, or (forward mode) the request's own. */
export function resolveApiKeys(
  config: ContextFactoryOptions['config'],
  headers: IncomingHttpHeaders,
): { coralogix: string; oneuptime: string } {
  if (config.credentials === 'server') {
    return { coralogix: config.coralogix?.apiKey ?? '', oneuptime: config.oneuptime?.apiKey ?? '' };
  }
  const coralogix = headerValue(headers, FORWARD_HEADERS.coralogix);
  const oneuptime = headerValue(headers, FORWARD_HEADERS.oneuptime);
  const missing = [
    coralogix ? undefined : 'X-Coralogix-Api-Key',
    oneuptime ? undefined : 'X-OneUptime-Api-Key',
  ].filter(Boolean);
  if (!coralogix || !oneuptime) {
    throw requestError(
      'UNAUTHENTICATED',
      `This gateway forwards caller credentials: send the ${missing.join(' and ')} header${missing.length > 1 ? 's' : ''}.`,
    );
  }
  return { coralogix, oneuptime };
}

export function createContext(
  options: ContextFactoryOptions,
  headers: IncomingHttpHeaders,
  signal: AbortSignal,
  requestId: string,
): GatewayContext {
  // The client's own token first: an unauthenticated caller learns nothing about upstream keys.
  const access = options.tokens.authorize(headers);
  const keys = resolveApiKeys(options.config, headers);
  const cacheTags = options.recordTags ? new TagSet() : NO_TAGS;
  // Continue the caller's trace when it sent W3C trace context.
  const parent = propagator.extract(ROOT_CONTEXT, headers, headerGetter);
  const span = tracer().startSpan('graphql.operation', { kind: SpanKind.SERVER }, parent);
  const traceContext = trace.setSpan(parent, span);
  const loaderOptions = {
    tags: cacheTags,
    ...(options.batch === undefined ? {} : { batch: options.batch }),
  };
  const credentialScope =
    options.config.credentials === 'server'
      ? 'server'
      : createHash('sha256').update(`${keys.coralogix}\n${keys.oneuptime}`).digest('base64url');
  // One counter for every upstream attempt of the operation, both vendors and the link.
  const upstreamCalls = createCallBudget(options.config.maxUpstreamCalls);
  const beforeAttempt = () => upstreamCalls.spend();
  const oneuptimeCall = { apiKey: keys.oneuptime, signal, traceContext, beforeAttempt };
  const coralogixCall = { apiKey: keys.coralogix, signal, traceContext, beforeAttempt };
  const oneuptime = createOneUptimeLoaders(
    options.upstreams.oneuptime,
    oneuptimeCall,
    loaderOptions,
  );
  const linkRequest = {
    client: options.upstreams.oneuptime,
    call: oneuptimeCall,
    oneuptime,
    scope: credentialScope,
    tags: cacheTags,
    batch: options.batch !== false,
  };
  const context: GatewayContext = {
    coralogix: createCoralogixLoaders(options.upstreams.coralogix, coralogixCall, loaderOptions),
    cases: createCaseLoaders(options.upstreams.cases, coralogixCall, loaderOptions),
    oneuptime,
    links: createLinks(options.links, linkRequest),
    caseLinks: createLinks(options.caseLinks, linkRequest),
    access,
    requestId,
    cacheTags,
    span,
    cursors: createCursorCodec(options.config.cursorSecret),
    signal,
    credentialScope,
    upstreamCalls,
  };
  if (options.live) context.live = options.live.access(context.credentialScope);
  return context;
}
