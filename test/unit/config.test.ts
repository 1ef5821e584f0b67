import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_MAX_COST,
  DEFAULT_MAX_UPSTREAM_CALLS,
  MIN_CURSOR_SECRET_LENGTH,
  loadConfig,
  packageRoot,
  type Env,
} from '../../src/config.js';

const UPSTREAMS: Env = {
  CORALOGIX_API_URL: 'https://api.eu2.coralogix.com/mgmt/openapi/5',
  CORALOGIX_API_KEY: 'cx-secret-key',
  ONEUPTIME_API_URL: 'https://oneuptime.example.com',
  ONEUPTIME_API_KEY: 'ou-secret-key',
};

/** The ConfigError loadConfig throws for `env`, or a failed expectation if it does not throw. */
function problemsOf(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('ONEUPTIME_CASE_LINK_FIELD', () => {
  it('defaults to coralogixCaseId and takes another custom field name', () => {
    expect(loadConfig(UPSTREAMS).caseLinkField).toBe('coralogixCaseId');
    expect(loadConfig({ ...UPSTREAMS, ONEUPTIME_CASE_LINK_FIELD: 'cx case' }).caseLinkField).toBe(
      'cx case',
    );
  });

  it('refuses a name that is not a custom field name, or the incident link field', () => {
    expect(problemsOf({ ...UPSTREAMS, ONEUPTIME_CASE_LINK_FIELD: '{}' }).message).toMatch(
      /ONEUPTIME_CASE_LINK_FIELD must be a custom field name/,
    );
    expect(
      problemsOf({ ...UPSTREAMS, ONEUPTIME_CASE_LINK_FIELD: 'coralogixIncidentId' }).message,
    ).toMatch(/ONEUPTIME_CASE_LINK_FIELD and ONEUPTIME_LINK_FIELD must differ/);
  });
});

describe('loadConfig', () => {
  it('uses the documented defaults and runs the sandbox when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      sandbox: true,
      sandboxLatencyMs: 0,
      upstreamTimeoutMs: 10_000,
      upstreamRetries: 2,
      credentials: 'server',
      gatewayTokens: [],
      gatewayReadTokens: [],
      maxBodyBytes: 1_048_576,
      requestTimeoutMs: 10_000,
      metricsTokens: [],
      maxDepth: 12,
      maxAliases: 30,
      maxCost: DEFAULT_MAX_COST,
      maxUpstreamCalls: DEFAULT_MAX_UPSTREAM_CALLS,
      production: false,
      graphiql: true,
      introspection: true,
      logLevel: 'info',
    });
    expect(config.coralogix).toBeUndefined();
    expect(config.oneuptime).toBeUndefined();
  });

  it('limits parser tokens to 5000 by default and refuses fewer than 100', () => {
    expect(loadConfig({}).maxTokens).toBe(5_000);
    expect(loadConfig({ MAX_TOKENS: '100' }).maxTokens).toBe(100);
    expect(problemsOf({ MAX_TOKENS: '99' }).problems).toEqual([
      expect.stringContaining('MAX_TOKENS must be an integer'),
    ]);
  });

  it('treats blank variables as unset', () => {
    const config = loadConfig({ PORT: '  ', CORALOGIX_API_URL: '', LOG_LEVEL: ' ' });
    expect(config.port).toBe(4000);
    expect(config.sandbox).toBe(true);
    expect(config.logLevel).toBe('info');
  });

  it('reads both upstreams with their keys and leaves sandbox mode off', () => {
    const config = loadConfig(UPSTREAMS);
    expect(config.sandbox).toBe(false);
    expect(config.coralogix).toEqual({
      url: 'https://api.eu2.coralogix.com/mgmt/openapi/5',
      apiKey: 'cx-secret-key',
    });
    expect(config.oneuptime).toEqual({
      url: 'https://oneuptime.example.com',
      apiKey: 'ou-secret-key',
    });
  });

  it('strips trailing slashes from upstream URLs', () => {
    const config = loadConfig({
      ...UPSTREAMS,
      CORALOGIX_API_URL: 'https://api.coralogix.com/mgmt/openapi/5///',
      ONEUPTIME_API_URL: 'http://localhost:3002/',
    });
    expect(config.coralogix?.url).toBe('https://api.coralogix.com/mgmt/openapi/5');
    expect(config.oneuptime?.url).toBe('http://localhost:3002');
  });

  it('names the missing URL when only one upstream URL is set', () => {
    const error = problemsOf({
      CORALOGIX_API_URL: UPSTREAMS.CORALOGIX_API_URL,
      CORALOGIX_API_KEY: 'k',
    });
    expect(error.message).toContain('ONEUPTIME_API_URL');
    expect(error.message).toContain('ONEUPTIME_API_KEY');
    expect(error.message).not.toMatch(/CORALOGIX_API_URL,|needs CORALOGIX_API_URL/);
  });

  it('requires both keys in server credentials mode', () => {
    const error = problemsOf({
      CORALOGIX_API_URL: UPSTREAMS.CORALOGIX_API_URL,
      ONEUPTIME_API_URL: UPSTREAMS.ONEUPTIME_API_URL,
    });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain('CORALOGIX_API_KEY');
    expect(error.problems[0]).toContain('ONEUPTIME_API_KEY');
  });

  it('needs no server keys in forward credentials mode', () => {
    const config = loadConfig({
      CORALOGIX_API_URL: UPSTREAMS.CORALOGIX_API_URL,
      ONEUPTIME_API_URL: UPSTREAMS.ONEUPTIME_API_URL,
      CREDENTIALS: 'forward',
    });
    expect(config.credentials).toBe('forward');
    expect(config.coralogix).toEqual({ url: UPSTREAMS.CORALOGIX_API_URL });
    expect(config.oneuptime).toEqual({ url: UPSTREAMS.ONEUPTIME_API_URL });
  });

  it('refuses SANDBOX=true together with an upstream URL', () => {
    const error = problemsOf({ ...UPSTREAMS, SANDBOX: 'true' });
    expect(error.message).toContain('SANDBOX');
  });

  it('asks for both URLs when SANDBOX=false is set without upstreams', () => {
    const error = problemsOf({ SANDBOX: 'false' });
    expect(error.message).toContain('CORALOGIX_API_URL');
    expect(error.message).toContain('ONEUPTIME_API_URL');
  });

  it('refuses a URL that is not http(s)', () => {
    const error = problemsOf({ ...UPSTREAMS, ONEUPTIME_API_URL: 'ftp://oneuptime.example.com' });
    expect(error.problems).toEqual([
      expect.stringContaining('ONEUPTIME_API_URL must be an http(s) URL'),
    ]);
  });

  it('refuses a URL that does not parse', () => {
    const error = problemsOf({ ...UPSTREAMS, CORALOGIX_API_URL: 'api.coralogix.com' });
    expect(error.problems).toEqual([expect.stringContaining('CORALOGIX_API_URL')]);
  });

  it.each([
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', 'eighty'],
    ['UPSTREAM_TIMEOUT_MS', '0'],
    ['UPSTREAM_TIMEOUT_MS', '1.5'],
    ['UPSTREAM_RETRIES', '11'],
    ['MAX_BODY_BYTES', '0'],
    ['MAX_DEPTH', '0'],
    ['MAX_ALIASES', '-1'],
    ['MAX_COST', 'lots'],
    ['MAX_UPSTREAM_CALLS', '0'],
    ['SANDBOX_LATENCY_MS', '60001'],
  ])('refuses %s=%s as out of range', (name, value) => {
    const error = problemsOf({ [name]: value });
    expect(error.problems).toEqual([expect.stringContaining(`${name} must be an integer`)]);
  });

  it('reads numeric limits', () => {
    const config = loadConfig({
      PORT: '0',
      UPSTREAM_TIMEOUT_MS: '250',
      UPSTREAM_RETRIES: '0',
      MAX_BODY_BYTES: '2048',
      MAX_DEPTH: '5',
      MAX_ALIASES: '0',
      MAX_COST: '500',
      MAX_UPSTREAM_CALLS: '40',
      SANDBOX_LATENCY_MS: '25',
    });
    expect(config).toMatchObject({
      port: 0,
      upstreamTimeoutMs: 250,
      upstreamRetries: 0,
      maxBodyBytes: 2048,
      maxDepth: 5,
      maxAliases: 0,
      maxCost: 500,
      maxUpstreamCalls: 40,
      sandboxLatencyMs: 25,
    });
  });

  it('refuses an unknown CREDENTIALS mode', () => {
    const error = problemsOf({ CREDENTIALS: 'client' });
    expect(error.problems).toEqual([expect.stringContaining('CREDENTIALS')]);
  });

  it('refuses an unknown LOG_LEVEL', () => {
    const error = problemsOf({ LOG_LEVEL: 'loud' });
    expect(error.problems).toEqual([expect.stringContaining('LOG_LEVEL')]);
  });

  it('refuses a boolean it cannot read', () => {
    const error = problemsOf({ GRAPHIQL: 'maybe' });
    expect(error.problems).toEqual([expect.stringContaining('GRAPHIQL must be true or false')]);
  });

  it('reports every problem in one message', () => {
    const error = problemsOf({
      PORT: 'x',
      LOG_LEVEL: 'loud',
      CREDENTIALS: 'client',
      MAX_DEPTH: '0',
      CORALOGIX_API_URL: UPSTREAMS.CORALOGIX_API_URL,
    });
    expect(error.problems).toHaveLength(5);
    for (const name of ['PORT', 'LOG_LEVEL', 'CREDENTIALS', 'MAX_DEPTH', 'ONEUPTIME_API_URL']) {
      expect(error.message).toContain(name);
    }
  });

  it('never puts an API key in its error message', () => {
    const error = problemsOf({ ...UPSTREAMS, PORT: 'x', ONEUPTIME_API_URL: 'not a url' });
    expect(error.message).not.toContain('cx-secret-key');
    expect(error.message).not.toContain('ou-secret-key');
  });

  it('splits token lists on commas, trimming and dropping blanks', () => {
    const config = loadConfig({
      GATEWAY_TOKENS: ' a, b ,,c ',
      GATEWAY_READ_TOKENS: 'r1',
      METRICS_TOKENS: 'm1,m2',
    });
    expect(config.gatewayTokens).toEqual(['a', 'b', 'c']);
    expect(config.gatewayReadTokens).toEqual(['r1']);
    expect(config.metricsTokens).toEqual(['m1', 'm2']);
  });

  it('refuses a REQUEST_TIMEOUT_MS under 100 ms', () => {
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '100' }).requestTimeoutMs).toBe(100);
    expect(problemsOf({ REQUEST_TIMEOUT_MS: '99' }).problems).toEqual([
      expect.stringContaining('REQUEST_TIMEOUT_MS must be an integer'),
    ]);
  });

  it('turns GraphiQL and introspection off in production', () => {
    const config = loadConfig({ ...UPSTREAMS, NODE_ENV: 'production' });
    expect(config).toMatchObject({ production: true, graphiql: false, introspection: false });
  });

  it('lets GRAPHIQL=true turn GraphiQL and introspection back on in production', () => {
    const config = loadConfig({ ...UPSTREAMS, NODE_ENV: 'production', GRAPHIQL: 'TRUE' });
    expect(config).toMatchObject({ production: true, graphiql: true, introspection: true });
  });

  it('keeps per-request metrics and the compiled executor on unless METRICS / GRAPHQL_JIT say false', () => {
    expect(loadConfig({})).toMatchObject({ metrics: true, graphqlJit: true });
    expect(loadConfig({ METRICS: 'false', GRAPHQL_JIT: '0' })).toMatchObject({
      metrics: false,
      graphqlJit: false,
    });
    expect(problemsOf({ METRICS: 'off' }).problems).toEqual([
      expect.stringContaining('METRICS must be true or false'),
    ]);
  });

  it('lets GRAPHIQL=0 turn GraphiQL off outside production', () => {
    expect(loadConfig({ GRAPHIQL: '0' })).toMatchObject({ graphiql: false, introspection: false });
  });

  it('keeps REDIS_URL only when it is set', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).redisUrl).toBe('redis://cache:6379');
    expect('redisUrl' in loadConfig({})).toBe(false);
  });

  it('makes a random cursor secret per process when CURSOR_SECRET is not set', () => {
    const one = loadConfig({});
    const two = loadConfig({});
    expect(one.cursorSecretGenerated).toBe(true);
    expect(one.cursorSecret.length).toBeGreaterThanOrEqual(MIN_CURSOR_SECRET_LENGTH);
    expect(one.cursorSecret).not.toBe(two.cursorSecret);
  });

  it('uses CURSOR_SECRET as it is, so replicas that share it share cursors', () => {
    const secret = 'a-secret-shared-by-every-replica';
    const config = loadConfig({ CURSOR_SECRET: secret });
    expect(config).toMatchObject({ cursorSecret: secret, cursorSecretGenerated: false });
  });

  it('refuses a CURSOR_SECRET too short to be a key, without printing it', () => {
    const error = problemsOf({ CURSOR_SECRET: 'hunter2' });
    expect(error.problems).toEqual([expect.stringContaining('CURSOR_SECRET must be at least')]);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('where Coralogix is: CORALOGIX_API_URL, CORALOGIX_REGION or CORALOGIX_DOMAIN', () => {
  const { CORALOGIX_API_URL: _url, ...withoutUrl } = UPSTREAMS;
  void _url;

  // coralogix-management-sdk go/openapi/cxsdk/config.go URLFromRegion at 4464b2b3.
  it.each([
    ['eu1', 'https://api.eu1.coralogix.com/mgmt/openapi/5'],
    ['eu2', 'https://api.eu2.coralogix.com/mgmt/openapi/5'],
    ['us1', 'https://api.us1.coralogix.com/mgmt/openapi/5'],
    ['us2', 'https://api.us2.coralogix.com/mgmt/openapi/5'],
    ['us3', 'https://api.us3.coralogix.com/mgmt/openapi/5'],
    ['ap1', 'https://api.ap1.coralogix.com/mgmt/openapi/5'],
    ['ap2', 'https://api.ap2.coralogix.com/mgmt/openapi/5'],
    ['ap3', 'https://api.ap3.coralogix.com/mgmt/openapi/5'],
    ['EU2', 'https://api.eu2.coralogix.com/mgmt/openapi/5'],
  ])('maps CORALOGIX_REGION=%s to %s, as the vendor SDK does', (region, url) => {
    const config = loadConfig({ ...withoutUrl, CORALOGIX_REGION: region });
    expect(config.coralogix?.url).toBe(url);
    expect(config.sandbox).toBe(false);
    expect(config.warnings).toEqual([]);
  });

  it('refuses a region the SDK does not know, listing the ones it does', () => {
    const error = problemsOf({ ...withoutUrl, CORALOGIX_REGION: 'eu9' });
    expect(error.problems).toEqual([
      expect.stringContaining(
        'CORALOGIX_REGION must be one of eu1, eu2, us1, us2, us3, ap1, ap2, ap3',
      ),
    ]);
  });

  // URLFromDomain: "api." is prefixed unless the domain already has it.
  it.each([
    ['eu2.coralogix.com', 'https://api.eu2.coralogix.com/mgmt/openapi/5'],
    ['api.cx498.coralogix.com', 'https://api.cx498.coralogix.com/mgmt/openapi/5'],
    ['coralogix.example.net', 'https://api.coralogix.example.net/mgmt/openapi/5'],
  ])('maps CORALOGIX_DOMAIN=%s to %s', (domain, url) => {
    expect(loadConfig({ ...withoutUrl, CORALOGIX_DOMAIN: domain }).coralogix?.url).toBe(url);
  });

  it('refuses two ways of saying where Coralogix is', () => {
    const error = problemsOf({ ...UPSTREAMS, CORALOGIX_REGION: 'eu2' });
    expect(error.problems).toEqual([
      expect.stringContaining('set only one of CORALOGIX_API_URL, CORALOGIX_REGION'),
    ]);
    expect(
      problemsOf({ ...withoutUrl, CORALOGIX_REGION: 'eu2', CORALOGIX_DOMAIN: 'eu2.coralogix.com' })
        .problems,
    ).toEqual([expect.stringContaining('set only one of CORALOGIX_REGION, CORALOGIX_DOMAIN')]);
  });

  it('warns, naming the expected form, when CORALOGIX_API_URL is not the v5 base', () => {
    const config = loadConfig({
      ...UPSTREAMS,
      CORALOGIX_API_URL: 'https://api.eu2.coralogix.com/mgmt/openapi',
    });
    expect(config.warnings).toEqual([
      expect.stringMatching(
        /does not end in \/mgmt\/openapi\/5.*https:\/\/api\.eu2\.coralogix\.com\/mgmt\/openapi\/5/,
      ),
    ]);
  });
});

describe('SANDBOX: never by itself in production or next to a vendor variable', () => {
  const { CORALOGIX_API_URL: _url, ...keysWithoutCoralogixUrl } = UPSTREAMS;
  void _url;

  it('refuses a production start with no upstream URL, instead of serving seeded data', () => {
    const error = problemsOf({
      NODE_ENV: 'production',
      CORALOGIX_API_KEY: 'cx-secret-key',
      ONEUPTIME_API_KEY: 'ou-secret-key',
    });
    expect(error.problems).toEqual([
      'upstream mode needs CORALOGIX_API_URL (or CORALOGIX_REGION / CORALOGIX_DOMAIN), ONEUPTIME_API_URL; the sandbox does not start by itself because NODE_ENV=production (set SANDBOX=true to run the built-in emulators)',
    ]);
    expect(problemsOf({ NODE_ENV: 'production' }).message).toContain('NODE_ENV=production');
  });

  it('refuses a misspelled URL variable in production, naming the one meant', () => {
    const error = problemsOf({
      ...keysWithoutCoralogixUrl,
      NODE_ENV: 'production',
      CORALOGIX_URL: 'https://api.eu2.coralogix.com/mgmt/openapi/5',
    });
    expect(error.problems).toEqual([
      'CORALOGIX_URL is not a variable this gateway reads: did you mean CORALOGIX_API_URL?',
      expect.stringMatching(/^upstream mode needs CORALOGIX_API_URL/),
    ]);
    expect(error.message).not.toContain('cx-secret-key');
  });

  it('does not start the sandbox by itself when a vendor variable is set, naming it', () => {
    const error = problemsOf({ CORALOGIX_API_KEY: 'cx-secret-key' });
    expect(error.message).toContain(
      'the sandbox does not start by itself because CORALOGIX_API_KEY is set (set SANDBOX=true',
    );
    expect(error.message).not.toContain('cx-secret-key');
    // Another tool's variable counts too (it says a vendor account is meant), but is no typo.
    expect(problemsOf({ CORALOGIX_PRIVATE_KEY: 'k' }).problems).toEqual([
      expect.stringContaining('because CORALOGIX_PRIVATE_KEY is set'),
    ]);
  });

  it('runs the sandbox when SANDBOX=true says so, in production or next to vendor keys', () => {
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX: 'true' })).toMatchObject({
      sandbox: true,
      production: true,
    });
    expect(loadConfig({ SANDBOX: 'true', CORALOGIX_PRIVATE_KEY: 'k' }).sandbox).toBe(true);
  });

  it('still runs the sandbox with nothing set, as the Quick start does', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/home/me' }).sandbox).toBe(true);
  });

  it.each([
    ['CORALOGIX_URL', 'CORALOGIX_API_URL'],
    ['CORALOGIX_API_ULR', 'CORALOGIX_API_URL'],
    ['CORALOGIX_ENDPOINT', 'CORALOGIX_API_URL'],
    ['CORALOGIX_KEY', 'CORALOGIX_API_KEY'],
    ['CORALOGIX_APIKEY', 'CORALOGIX_API_KEY'],
    ['CORALOGIX_API_TOKEN', 'CORALOGIX_API_KEY'],
    ['CORALOGX_API_KEY', 'CORALOGIX_API_KEY'],
    ['coralogix_api_key', 'CORALOGIX_API_KEY'],
    ['CORALOGIX_REGOIN', 'CORALOGIX_REGION'],
    ['ONEUPTIME_URL', 'ONEUPTIME_API_URL'],
    ['ONEUPTIME_BASE_URL', 'ONEUPTIME_API_URL'],
    ['ONE_UPTIME_API_URL', 'ONEUPTIME_API_URL'],
    ['ONEUPTIME_TOKEN', 'ONEUPTIME_API_KEY'],
    ['ONEUPTIME_LINKFIELD', 'ONEUPTIME_LINK_FIELD'],
  ])('takes %s for a typo of %s', (typo, meant) => {
    const env: Env = { ...UPSTREAMS, [typo]: 'value' };
    delete env[meant];
    expect(problemsOf(env).problems).toContainEqual(
      `${typo} is not a variable this gateway reads: did you mean ${meant}?`,
    );
  });

  it('leaves other tools’ vendor variables alone, and a look-alike set next to the real one', () => {
    const config = loadConfig({
      ...UPSTREAMS,
      CORALOGIX_PRIVATE_KEY: 'logs-key',
      CORALOGIX_APP_NAME: 'checkout',
      CORALOGIX_SUBSYSTEM_NAME: 'api',
      CORALOGIX_LOG_URL: 'https://ingress.eu2.coralogix.com',
      ONEUPTIME_PROBE_KEY: 'probe',
      CORALOGIX_URL: 'https://elsewhere.example',
    });
    expect(config.sandbox).toBe(false);
  });
});

describe('REDIS_KEY_PREFIX and MAX_APQ_BYTES', () => {
  it('derives the prefix unless one is given, and ends a given one in a colon', () => {
    expect('redisKeyPrefix' in loadConfig({})).toBe(false);
    expect(loadConfig({ REDIS_KEY_PREFIX: 'acme-prod' }).redisKeyPrefix).toBe('acme-prod:');
    expect(loadConfig({ REDIS_KEY_PREFIX: 'igw:acme:' }).redisKeyPrefix).toBe('igw:acme:');
  });

  it('refuses a prefix with spaces or glob characters', () => {
    for (const prefix of ['acme prod', 'igw:*', 'a'.repeat(65)]) {
      expect(problemsOf({ REDIS_KEY_PREFIX: prefix }).problems).toEqual([
        expect.stringContaining('REDIS_KEY_PREFIX must be'),
      ]);
    }
  });

  it('stores persisted queries of up to 64 KiB by default; 0 stores none', () => {
    expect(loadConfig({}).maxApqBytes).toBe(65_536);
    expect(loadConfig({ MAX_APQ_BYTES: '0' }).maxApqBytes).toBe(0);
    expect(problemsOf({ MAX_APQ_BYTES: '-1' }).problems).toEqual([
      expect.stringContaining('MAX_APQ_BYTES must be an integer'),
    ]);
  });
});

describe('bounds of concurrent work and of responses (issue 22)', () => {
  it('has measured defaults and reads each variable', () => {
    expect(loadConfig({})).toMatchObject({
      maxInFlight: 128,
      maxInFlightPerClient: 32,
      maxResponseBytes: 16_777_216,
      maxConnectionsPerClient: 50,
      maxSubscriptions: 2_000,
      warnings: [],
    });
    expect(
      loadConfig({
        MAX_IN_FLIGHT: '64',
        MAX_IN_FLIGHT_PER_CLIENT: '8',
        MAX_RESPONSE_BYTES: '65536',
        MAX_CONNECTIONS_PER_CLIENT: '4',
        MAX_SUBSCRIPTIONS: '50',
      }),
    ).toMatchObject({
      maxInFlight: 64,
      maxInFlightPerClient: 8,
      maxResponseBytes: 65_536,
      maxConnectionsPerClient: 4,
      maxSubscriptions: 50,
    });
  });

  it('warns when one client may take every in-flight slot', () => {
    expect(loadConfig({ MAX_IN_FLIGHT: '8', MAX_IN_FLIGHT_PER_CLIENT: '8' }).warnings).toEqual([
      expect.stringContaining('MAX_IN_FLIGHT_PER_CLIENT (8) is not below MAX_IN_FLIGHT (8)'),
    ]);
  });

  it.each([
    ['MAX_IN_FLIGHT', '0'],
    ['MAX_IN_FLIGHT_PER_CLIENT', '0'],
    ['MAX_RESPONSE_BYTES', '1023'],
    ['MAX_CONNECTIONS_PER_CLIENT', '0'],
    ['MAX_SUBSCRIPTIONS', '0'],
  ])('refuses %s=%s', (name, value) => {
    expect(problemsOf({ [name]: value }).problems).toEqual([
      expect.stringContaining(`${name} must be an integer`),
    ]);
  });
});

describe('CORS_ORIGINS and TRUSTED_DOCUMENTS', () => {
  const production = { NODE_ENV: 'production', SANDBOX: 'true' };
  const problems = (env: Env) => problemsOf(env).problems;

  it('refuses * in production, naming what to set instead', () => {
    expect(problems({ ...production, CORS_ORIGINS: '*' })).toEqual([
      expect.stringMatching(
        /CORS_ORIGINS=\* is refused under NODE_ENV=production: list the origins/,
      ),
    ]);
    expect(
      loadConfig({ ...production, CORS_ORIGINS: 'https://console.example.com' }).corsOrigins,
    ).toEqual(['https://console.example.com']);
  });

  it('takes origins only, lower-cased and without a trailing slash', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'HTTP://LocalHost:5173/,https://a.example.com' }).corsOrigins,
    ).toEqual(['http://localhost:5173', 'https://a.example.com']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
    for (const bad of [
      'localhost:5173',
      'https://a.example.com/app',
      'ftp://a.example.com',
      'null',
      'https://*.example.com',
    ]) {
      expect(problems({ CORS_ORIGINS: bad }), bad).toEqual([
        expect.stringContaining(`CORS_ORIGINS entry "${bad}" must be an origin`),
      ]);
    }
    expect(problems({ CORS_ORIGINS: `*, http://localhost:5173` })).toEqual([
      'CORS_ORIGINS is either * or a list of origins, not both',
    ]);
  });

  it('keeps the TRUSTED_DOCUMENTS path for the start to read', () => {
    expect('trustedDocuments' in loadConfig({})).toBe(false);
    const path = join(mkdtempSync(join(tmpdir(), 'config-')), 'persisted-documents.json');
    writeFileSync(path, '{}');
    expect(loadConfig({ TRUSTED_DOCUMENTS: ` ${path} ` }).trustedDocuments).toBe(path);
  });
});

describe('.env.example', () => {
  it('names only variables the README configuration table documents', () => {
    const read = (file: string) => readFileSync(join(packageRoot(), file), 'utf8');
    const readme = read('README.md');
    const table = readme.slice(
      readme.indexOf('\n## Configuration'),
      readme.indexOf('\n## Pointing'),
    );
    const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)[`=]/g)].map((m) => m[1]));
    const named = [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !documented.has(name))).toEqual([]);
  });
});
