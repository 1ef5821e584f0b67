/**
 * Configuration, parsed once from an env-like object. Every problem is
 * collected and reported in one message; nothing else reads `process.env`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CORALOGIX_BASE_PATH,
  CORALOGIX_REGIONS,
  isCurrentApiUrl,
  urlFromDomain,
  urlFromRegion,
} from './upstreams/coralogix/regions.js';
import { typoProblems, vendorVariablesSet } from './upstreams/variables.js';
import { parseCorsOrigins, type CorsOrigins } from './http/cors.js';

/** The package root (where package.json is), whether code runs from `src/` or `dist/src/`. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schema'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package root not found above ${import.meta.url}`);
    dir = parent;
  }
}

export interface UpstreamEndpoint {
  url: string;
  /** Server-side key; absent in `forward` mode, where each request brings its own. */
  apiKey?: string;
}

export type CredentialsMode = 'server' | 'forward';

/**
 * The outbound proxy, from the conventional variables (upper or lower case).
 * Upstream calls to a host not matched by `noProxy` go through `httpsProxy`
 * (https upstreams) or `httpProxy` (http ones) as an HTTP CONNECT tunnel.
 */
export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export interface Config {
  port: number;
  host: string;
  /** Run against the built-in emulators (no upstream URL configured). */
  sandbox: boolean;
  sandboxLatencyMs: number;
  coralogix?: UpstreamEndpoint;
  oneuptime?: UpstreamEndpoint;
  /** Outbound proxy for upstream calls (never in sandbox mode: the emulators are local). */
  proxy?: ProxySettings;
  upstreamTimeoutMs: number;
  /** Deadline for a whole GraphQL operation; its pending upstream calls are aborted then. */
  operationTimeoutMs: number;
  upstreamRetries: number;
  credentials: CredentialsMode;
  gatewayTokens: string[];
  gatewayReadTokens: string[];
  /** Tokens that may read `/metrics` and nothing else. */
  metricsTokens: string[];
  maxBodyBytes: number;
  /** How long a client may take to send one request (headers and body) before it gets 408. */
  requestTimeoutMs: number;
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxCost: number;
  /** Upstream calls one operation may cause: its static bound, and the run-time counter's limit. */
  maxUpstreamCalls: number;
  /** Parser token limit: a document longer than this is refused before it is built. */
  maxTokens: number;
  /** HMAC key of pagination cursors: replicas that share it accept each other's cursors. */
  cursorSecret: string;
  /** True when CURSOR_SECRET was not set and `cursorSecret` is random to this process. */
  cursorSecretGenerated: boolean;
  production: boolean;
  graphiql: boolean;
  introspection: boolean;
  redisUrl?: string;
  /**
   * REDIS_KEY_PREFIX as given (ending in `:`); when unset, the shared cache
   * derives one from the upstream accounts (src/sharedCache/keyPrefix.ts).
   */
  redisKeyPrefix?: string;
  /** The largest document stored for automatic persisted queries (larger ones run, unstored). */
  maxApqBytes: number;
  /** Settings that work but are probably not what was meant; logged at start. */
  warnings: string[];
  /** Lifetime of a cached read-only response in the shared (Redis) cache. */
  responseCacheTtlMs: number;
  /** The OneUptime incident custom field that holds the Coralogix incident id. */
  linkField: string;
  /** The OneUptime incident custom field that holds the Coralogix case id (UUID). */
  caseLinkField: string;
  /** How long a resolved link is reused ("not linked" at most 5 s). */
  linkCacheTtlMs: number;
  /** How often the live-updates poller looks for changed incidents (while anyone subscribes). */
  livePollIntervalMs: number;
  /** Subscriptions one WebSocket connection may hold at once. */
  maxSubscriptionsPerConnection: number;
  /** Operations executing at once, in all and per client (token, else connection); see guard/admission.ts. */
  maxInFlight: number;
  maxInFlightPerClient: number;
  /** The largest response (HTTP body or live event) sent; a larger one becomes RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  /** Live connections (WebSocket and SSE) per client: its gateway token, else its remote address. */
  maxConnectionsPerClient: number;
  /** Subscriptions this gateway holds at once, over both transports. */
  maxSubscriptions: number;
  /** Browser origins that may call /graphql from another origin (CORS_ORIGINS); `*`: any. */
  corsOrigins: CorsOrigins;
  /** Path of the persisted-documents manifest (TRUSTED_DOCUMENTS): only its documents run. */
  trustedDocuments?: string;
  logLevel: string;
  /** Per-request Prometheus samples and the process metrics (METRICS=false turns them off). */
  metrics: boolean;
  /** Run operations compiled by graphql-jit (GRAPHQL_JIT=false: graphql-js's executor). */
  graphqlJit: boolean;
}

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Default MAX_COST (see src/guard/limits.ts for the cost model). Measured: the
 * standard introspection query GraphiQL sends (every option on) costs 30 489
 * on this schema, Cases included (it grows with the schema: every type and
 * field is costed; 21 194 before Cases); a 100-incident screen with
 * assignments, SLAs and timeline 4 701; the example operations 12–1 141
 * (test/unit/limits.test.ts keeps them all under it).
 */
export const DEFAULT_MAX_COST = 40_000;

/**
 * Default MAX_UPSTREAM_CALLS (see src/guard/upstreamCalls.ts for the call
 * model). Measured with that model: the examples 1–22 (the dashboard 22), the
 * README's 11 and 12, the bench queries 1–4, introspection 0, so every
 * documented query passes with 9× headroom (test/integration/upstream-calls
 * keeps them under a quarter of it); one full page of the event feed with
 * each event's incident is 101; the issue's 15 aliased feed windows 1 515.
 */
export const DEFAULT_MAX_UPSTREAM_CALLS = 200;

/**
 * Defaults of the bounds of issue 22; the reasoning and the measurements are
 * in docs/production.md (Load and fairness) and docs/live-updates.md.
 * MAX_IN_FLIGHT: twice one upstream pool (64 connections). Per client: a
 * quarter of it. MAX_RESPONSE_BYTES: 16 MiB, where 100 incidents with events
 * and joins are 333 KB. MAX_SUBSCRIPTIONS: a change delivered to all of them
 * stalls the event loop 85–200 µs each. Per client: half of those, at 20 per
 * connection.
 */
export const DEFAULT_MAX_IN_FLIGHT = 128;
export const DEFAULT_MAX_IN_FLIGHT_PER_CLIENT = 32;
export const DEFAULT_MAX_RESPONSE_BYTES = 16_777_216;
export const DEFAULT_MAX_SUBSCRIPTIONS = 2_000;
export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 50;

/** A shorter HMAC key could be guessed; 32 random bytes in base64 are 44 characters. */
export const MIN_CURSOR_SECRET_LENGTH = 16;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    // Plain decimal digits only: Number() would also take 0x20, 1e3, 0b1 or 1.0.
    const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const url = (name: string) => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL (got "${raw}")`);
      return undefined;
    }
  };
  const list = (name: string) =>
    (read(name) ?? '')
      .split(',')
      .map((token) => token.trim())
      .filter(Boolean);

  const credentials = read('CREDENTIALS') ?? 'server';
  if (credentials !== 'server' && credentials !== 'forward') {
    problems.push(`CREDENTIALS must be "server" or "forward" (got "${credentials}")`);
  }
  const oneuptimeUrl = url('ONEUPTIME_API_URL');
  const coralogixUrl = coralogixLocation(read, url, problems);
  const coralogixGiven = CORALOGIX_LOCATIONS.some((name) => read(name) !== undefined);
  const anyUrl = coralogixGiven || read('ONEUPTIME_API_URL') !== undefined;
  const production = read('NODE_ENV') === 'production';
  // DESIGN 4: the sandbox starts by itself only where it cannot pass for a real deployment.
  const vendorVariables = vendorVariablesSet(env);
  const sandbox = bool('SANDBOX', !anyUrl && !production && vendorVariables.length === 0);
  problems.push(...typoProblems(env));
  const graphiql = bool('GRAPHIQL', !production);
  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  const cursorSecret = read('CURSOR_SECRET');
  if (cursorSecret !== undefined && cursorSecret.length < MIN_CURSOR_SECRET_LENGTH) {
    problems.push(
      `CURSOR_SECRET must be at least ${MIN_CURSOR_SECRET_LENGTH} characters (got ${cursorSecret.length}); e.g. openssl rand -base64 32`,
    );
  }

  const cors = parseCorsOrigins(list('CORS_ORIGINS'), production);
  problems.push(...cors.problems);

  const config: Config = {
    port: int('PORT', 4000, 0, 65535),
    host: read('HOST') ?? '127.0.0.1',
    sandbox,
    sandboxLatencyMs: int('SANDBOX_LATENCY_MS', 0, 0, 60_000),
    upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000),
    operationTimeoutMs: int('OPERATION_TIMEOUT_MS', 30_000, 1, 600_000),
    upstreamRetries: int('UPSTREAM_RETRIES', 2, 0, 10),
    credentials: credentials === 'forward' ? 'forward' : 'server',
    gatewayTokens: list('GATEWAY_TOKENS'),
    gatewayReadTokens: list('GATEWAY_READ_TOKENS'),
    metricsTokens: list('METRICS_TOKENS'),
    maxBodyBytes: int('MAX_BODY_BYTES', 1_048_576, 1),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 10_000, 100, 3_600_000),
    maxDepth: int('MAX_DEPTH', 12, 1),
    maxAliases: int('MAX_ALIASES', 30, 0),
    maxRootFields: int('MAX_ROOT_FIELDS', 15, 1),
    maxCost: int('MAX_COST', DEFAULT_MAX_COST, 1),
    maxUpstreamCalls: int('MAX_UPSTREAM_CALLS', DEFAULT_MAX_UPSTREAM_CALLS, 1),
    maxTokens: int('MAX_TOKENS', 5_000, 100),
    cursorSecret: cursorSecret ?? randomBytes(32).toString('base64url'),
    cursorSecretGenerated: cursorSecret === undefined,
    responseCacheTtlMs: int('RESPONSE_CACHE_TTL_MS', 5_000, 0, 3_600_000),
    linkField: linkField('ONEUPTIME_LINK_FIELD', read('ONEUPTIME_LINK_FIELD'), problems),
    caseLinkField: linkField(
      'ONEUPTIME_CASE_LINK_FIELD',
      read('ONEUPTIME_CASE_LINK_FIELD'),
      problems,
    ),
    linkCacheTtlMs: int('LINK_CACHE_TTL_MS', 30_000, 0, 86_400_000),
    livePollIntervalMs: int('LIVE_POLL_INTERVAL_MS', 5_000, 100, 3_600_000),
    maxSubscriptionsPerConnection: int('MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 1_000),
    maxApqBytes: int('MAX_APQ_BYTES', DEFAULT_MAX_APQ_BYTES, 0, 16_777_216),
    maxInFlight: int('MAX_IN_FLIGHT', DEFAULT_MAX_IN_FLIGHT, 1, 100_000),
    maxInFlightPerClient: int('MAX_IN_FLIGHT_PER_CLIENT', DEFAULT_MAX_IN_FLIGHT_PER_CLIENT, 1),
    maxResponseBytes: int('MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1_024, 268_435_456),
    maxConnectionsPerClient: int(
      'MAX_CONNECTIONS_PER_CLIENT',
      DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
      1,
    ),
    maxSubscriptions: int('MAX_SUBSCRIPTIONS', DEFAULT_MAX_SUBSCRIPTIONS, 1, 1_000_000),
    corsOrigins: cors.origins,
    production,
    graphiql,
    introspection: graphiql,
    logLevel,
    metrics: bool('METRICS', true),
    graphqlJit: bool('GRAPHQL_JIT', true),
    warnings: [],
  };
  const redisUrl = read('REDIS_URL');
  if (redisUrl !== undefined) config.redisUrl = redisUrl;
  // Read now too, so a file that cannot be read is in the one message; its documents are
  // checked against the schema when the gateway starts (graphql/trustedDocuments.ts).
  const trustedDocuments = read('TRUSTED_DOCUMENTS');
  if (trustedDocuments !== undefined) {
    config.trustedDocuments = trustedDocuments;
    const read = readManifest(trustedDocuments);
    if ('problem' in read)
      problems.push(`TRUSTED_DOCUMENTS (${trustedDocuments}): ${read.problem}`);
  }
  const redisKeyPrefix = keyPrefix(read('REDIS_KEY_PREFIX'), problems);
  if (redisKeyPrefix !== undefined) config.redisKeyPrefix = redisKeyPrefix;
  if (config.caseLinkField === config.linkField) {
    problems.push(
      `ONEUPTIME_CASE_LINK_FIELD and ONEUPTIME_LINK_FIELD must differ (both are "${config.linkField}"): a OneUptime incident names a case and an incident in two custom fields`,
    );
  }

  if (sandbox) {
    if (anyUrl) {
      problems.push(
        'SANDBOX=true cannot be combined with CORALOGIX_API_URL / CORALOGIX_REGION / CORALOGIX_DOMAIN / ONEUPTIME_API_URL; unset one side',
      );
    }
  } else {
    const missing: string[] = [];
    if (!coralogixGiven) {
      missing.push('CORALOGIX_API_URL (or CORALOGIX_REGION / CORALOGIX_DOMAIN)');
    }
    if (read('ONEUPTIME_API_URL') === undefined) missing.push('ONEUPTIME_API_URL');
    if (config.credentials === 'server') {
      if (read('CORALOGIX_API_KEY') === undefined) missing.push('CORALOGIX_API_KEY');
      if (read('ONEUPTIME_API_KEY') === undefined) missing.push('ONEUPTIME_API_KEY');
    }
    if (missing.length > 0) {
      problems.push(
        `upstream mode needs ${missing.join(', ')}${read('SANDBOX') === undefined && !anyUrl ? whyNoSandbox(production, vendorVariables) : ''}`,
      );
    }
    if (coralogixUrl) {
      config.coralogix = endpoint(coralogixUrl, read('CORALOGIX_API_KEY'));
      if (!isCurrentApiUrl(coralogixUrl)) {
        config.warnings.push(
          `CORALOGIX_API_URL (${coralogixUrl}) does not end in ${CORALOGIX_BASE_PATH}: the gateway calls the current REST API, e.g. https://api.eu2.coralogix.com${CORALOGIX_BASE_PATH} (or set CORALOGIX_REGION instead)`,
        );
      }
    }
    if (oneuptimeUrl) config.oneuptime = endpoint(oneuptimeUrl, read('ONEUPTIME_API_KEY'));
    const proxy = proxySettings(read, problems);
    if (proxy) config.proxy = proxy;
  }

  if (config.maxInFlightPerClient >= config.maxInFlight) {
    config.warnings.push(
      `MAX_IN_FLIGHT_PER_CLIENT (${config.maxInFlightPerClient}) is not below MAX_IN_FLIGHT (${config.maxInFlight}): one client can take every slot and make the others wait`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * The trusted-documents manifest at `path` as a JSON object, or what stops it
 * being read as one: checked here, with the other settings, and read again by
 * graphql/trustedDocuments.ts, which checks its documents against the schema.
 */
export function readManifest(
  path: string,
): { manifest: Record<string, unknown> } | { problem: string } {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      problem: error instanceof SyntaxError ? `not JSON (${reason})` : `cannot be read (${reason})`,
    };
  }
  return typeof manifest === 'object' && manifest !== null && !Array.isArray(manifest)
    ? { manifest: manifest as Record<string, unknown> }
    : { problem: NOT_A_MANIFEST };
}

/** readManifest's problem for JSON that is not an object. */
export const NOT_A_MANIFEST = 'must be a JSON object { "<hash>": "<document>" }';

/**
 * Why upstream mode was chosen with no upstream URL at all, and how to get
 * the sandbox instead (nothing to add when SANDBOX=false or a URL was given).
 */
function whyNoSandbox(production: boolean, vendorVariables: string[]): string {
  const named = vendorVariables.slice(0, 3).join(', ') + (vendorVariables.length > 3 ? ', …' : '');
  const because = production
    ? 'NODE_ENV=production'
    : `${named} ${vendorVariables.length === 1 ? 'is' : 'are'} set`;
  return `; the sandbox does not start by itself because ${because} (set SANDBOX=true to run the built-in emulators)`;
}

/** DESIGN 4 default: room for any real operation, not for a megabyte per hash. */
export const DEFAULT_MAX_APQ_BYTES = 65_536;

/**
 * REDIS_KEY_PREFIX: printable, no spaces or glob characters (a SCAN pattern
 * must be able to match it), ending in `:` (added when missing).
 */
function keyPrefix(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z0-9_.:{}/-]{1,64}$/.test(raw)) {
    problems.push(`REDIS_KEY_PREFIX must be 1-64 letters, digits and _ . : { } / - (got "${raw}")`);
    return undefined;
  }
  return raw.endsWith(':') ? raw : `${raw}:`;
}

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY, or their lower-case forms (curl's and
 * undici's convention: upper case wins). A proxy URL may carry credentials
 * (`http://user:pass@proxy:3128`), so a bad one is reported without its value.
 */
function proxySettings(
  read: (name: string) => string | undefined,
  problems: string[],
): ProxySettings | undefined {
  const settings: ProxySettings = {};
  for (const [key, name] of [
    ['httpsProxy', 'HTTPS_PROXY'],
    ['httpProxy', 'HTTP_PROXY'],
  ] as const) {
    const given = read(name) !== undefined ? name : name.toLowerCase();
    const raw = read(given);
    if (raw === undefined) continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
      problems.push(
        `${given} must be an http(s) URL such as http://proxy.internal:3128 (value not shown: it may hold a password)`,
      );
      continue;
    }
    settings[key] = raw;
  }
  if (settings.httpProxy === undefined && settings.httpsProxy === undefined) return undefined;
  const noProxy = read('NO_PROXY') ?? read('no_proxy');
  if (noProxy !== undefined) settings.noProxy = noProxy;
  return settings;
}

/** `http://user:secret@proxy:3128/` → `http://proxy:3128`: what a log line may say of a proxy. */
export function proxyForDisplay(raw: string): string {
  const url = new URL(raw);
  return `${url.protocol}//${url.host}`;
}

/**
 * A custom field name as OneUptime stores it (a key of the `customFields`
 * JSON object, at most 500 characters: `JSONColumnQuery.ts` MAX_JSON_QUERY_KEY_LENGTH).
 */
const LINK_FIELD_DEFAULTS = {
  ONEUPTIME_LINK_FIELD: 'coralogixIncidentId',
  ONEUPTIME_CASE_LINK_FIELD: 'coralogixCaseId',
} as const;

function linkField(
  variable: keyof typeof LINK_FIELD_DEFAULTS,
  raw: string | undefined,
  problems: string[],
): string {
  const name = raw ?? LINK_FIELD_DEFAULTS[variable];
  if (!/^[A-Za-z_][A-Za-z0-9_ .-]{0,199}$/.test(name)) {
    problems.push(
      `${variable} must be a custom field name (letters, digits, _ . - and spaces, up to 200; got "${name}")`,
    );
  }
  return name;
}

const CORALOGIX_LOCATIONS = ['CORALOGIX_API_URL', 'CORALOGIX_REGION', 'CORALOGIX_DOMAIN'];

/**
 * The Coralogix API base URL from exactly one of CORALOGIX_API_URL,
 * CORALOGIX_REGION and CORALOGIX_DOMAIN (the vendor SDK's three ways).
 */
function coralogixLocation(
  read: (name: string) => string | undefined,
  url: (name: string) => string | undefined,
  problems: string[],
): string | undefined {
  const given = CORALOGIX_LOCATIONS.filter((name) => read(name) !== undefined);
  if (given.length > 1) {
    problems.push(`set only one of ${given.join(', ')} (they all say where Coralogix is)`);
    return undefined;
  }
  const region = read('CORALOGIX_REGION');
  if (region !== undefined) {
    const regionUrl = urlFromRegion(region);
    if (!regionUrl) {
      problems.push(
        `CORALOGIX_REGION must be one of ${Object.keys(CORALOGIX_REGIONS).join(', ')} (got "${region}"); for another domain set CORALOGIX_DOMAIN`,
      );
    }
    return regionUrl;
  }
  const domain = read('CORALOGIX_DOMAIN');
  if (domain !== undefined) {
    if (!/^(https?:\/\/)?[a-z0-9.-]+\.[a-z]{2,}\/?$/i.test(domain)) {
      problems.push(
        `CORALOGIX_DOMAIN must be a domain such as eu2.coralogix.com (got "${domain}")`,
      );
      return undefined;
    }
    return urlFromDomain(domain);
  }
  return url('CORALOGIX_API_URL');
}

function endpoint(url: string, apiKey: string | undefined): UpstreamEndpoint {
  return apiKey === undefined ? { url } : { url, apiKey };
}
