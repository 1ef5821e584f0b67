/**
 * Credentials: `CREDENTIALS=forward` (each request brings its own upstream
 * keys in X-Coralogix-Api-Key / X-OneUptime-Api-Key, used for that request
 * only) and the promise that API keys never leave the gateway, neither in a
 * response (body or headers) nor in a log line, under upstream faults, in
 * both credential modes.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type FaultRule, type Sandbox } from '../../src/sandbox/index.js';
import { isLinkQuery, seedLinks } from '../support/links.js';
import { captureLogs, type LogCapture } from '../support/logs.js';
import { startStack, type RawResponse, type Stack } from '../support/stack.js';

const CX_KEY = 'cx-SECRET-4f9e2b7a1c8d3e6f0a5b';
const OU_KEY = '9c3e7a51-2d4b-4f86-b0e1-7a6c5d4e3f21';
/** Keys a caller might send by mistake: they must not leak either. */
const CX_WRONG = 'cx-WRONG-0d1e2f3a4b5c6d7e8f90';
const OU_WRONG = '0f1e2d3c-4b5a-4697-8877-665544332211';
const ALL_KEYS = [CX_KEY, OU_KEY, CX_WRONG, OU_WRONG];

const FORWARD = { CREDENTIALS: 'forward', CORALOGIX_API_KEY: '', ONEUPTIME_API_KEY: '' };
const keys = (coralogix: string, oneuptime: string) => ({
  'x-coralogix-api-key': coralogix,
  'x-oneuptime-api-key': oneuptime,
});
const GOOD = keys(CX_KEY, OU_KEY);

const INCIDENTS_WITH_SLAS =
  '{ incidents(first: 3) { totalCount edges { node { id name slas { id status } } } } }';

let sandbox: Sandbox;
const harnesses: Stack[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ coralogixApiKey: CX_KEY, oneuptimeApiKey: OU_KEY });
});

afterAll(async () => {
  await sandbox?.stop();
});

beforeEach(() => {
  sandbox.reset();
  sandbox.setLatency(0);
});

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.stop()));
});

async function gateway(env: Record<string, string> = {}, logs?: LogCapture): Promise<Stack> {
  const harness = await startStack({
    over: sandbox,
    env: { UPSTREAM_TIMEOUT_MS: '250', UPSTREAM_RETRIES: '1', ...env },
    ...(logs ? { logs } : {}),
  });
  harnesses.push(harness);
  return harness;
}

const codes = (response: RawResponse<unknown>) =>
  (response.errors ?? []).map((error) => error.extensions?.code);

interface IncidentsData {
  incidents: {
    totalCount: number;
    edges: Array<{ node: { id: string; name: string; slas: unknown[] | null } }>;
  };
}

describe('CREDENTIALS=forward', () => {
  it('the sandbox really uses the distinctive keys (sanity)', () => {
    expect([sandbox.coralogix.apiKey, sandbox.oneuptime.apiKey]).toEqual([CX_KEY, OU_KEY]);
  });

  it('a request without the forward headers is UNAUTHENTICATED (401) with zero upstream calls', async () => {
    const gw = await gateway(FORWARD);
    const response = await gw.graphql(INCIDENTS_WITH_SLAS);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.errors?.[0]?.message).toMatch(/X-Coralogix-Api-Key and X-OneUptime-Api-Key/);
    expect(response.data ?? null).toBeNull();
    expect(sandbox.requests()).toEqual([]);
    // A client-side credential problem is a 401 like the gateway-token check, not a 5xx.
    expect(response.status).toBe(401);
  });

  it('one missing or blank header is UNAUTHENTICATED naming it, with zero upstream calls', async () => {
    const gw = await gateway(FORWARD);
    const onlyCx = await gw.graphql(INCIDENTS_WITH_SLAS, {}, { 'x-coralogix-api-key': CX_KEY });
    expect(codes(onlyCx)).toEqual(['UNAUTHENTICATED']);
    expect(onlyCx.errors?.[0]?.message).toMatch(/X-OneUptime-Api-Key header\.$/);
    const blankOu = await gw.graphql(INCIDENTS_WITH_SLAS, {}, keys(CX_KEY, '   '));
    expect(codes(blankOu)).toEqual(['UNAUTHENTICATED']);
    const blankCx = await gw.graphql(
      '{ incidentRoles(first: 1) { totalCount } }',
      {},
      keys('', OU_KEY),
    );
    expect(codes(blankCx)).toEqual(['UNAUTHENTICATED']);
    expect(blankCx.errors?.[0]?.message).toMatch(/X-Coralogix-Api-Key header\.$/);
    expect(sandbox.requests()).toEqual([]);
  });

  it('with the right headers the query returns data from both upstreams', async () => {
    const gw = await gateway(FORWARD);
    const response = await gw.graphql<IncidentsData>(INCIDENTS_WITH_SLAS, {}, GOOD);
    expect(response.errors, response.text).toBeUndefined();
    expect(response.data?.incidents.totalCount).toBe(sandbox.seed.incidents.length);
    expect(response.data?.incidents.edges).toHaveLength(3);
    const links = seedLinks(sandbox.seed);
    for (const { node } of response.data!.incidents.edges)
      expect(new Set(node.slas?.map((s) => (s as { id: string }).id))).toEqual(
        new Set(links.slasOf(node.id).map((s) => s._id)),
      );
    // The emulators authenticated every call (their logs redact the headers themselves): the
    // Coralogix list, then the link query and (if any of the incidents is linked) the SLA list.
    const linked = response.data!.incidents.edges.some(({ node }) => links.oneUptimeOf(node.id));
    expect(sandbox.requests('coralogix').map((r) => [r.status, r.headers.authorization])).toEqual([
      [200, '[redacted]'],
    ]);
    expect(sandbox.requests('oneuptime').map((r) => [r.path, r.status, r.headers.apikey])).toEqual([
      ['/api/incident/get-list', 200, '[redacted]'],
      ...(linked ? [['/api/incident-sla/get-list', 200, '[redacted]']] : []),
    ]);
    expect(isLinkQuery(sandbox.requests('oneuptime')[0]!)).toBe(true);
  });

  it('a wrong Coralogix key is UPSTREAM_UNAUTHENTICATED for coralogix', async () => {
    const gw = await gateway(FORWARD);
    const response = await gw.graphql(INCIDENTS_WITH_SLAS, {}, keys(CX_WRONG, OU_KEY));
    expect(codes(response)).toEqual(['UPSTREAM_UNAUTHENTICATED']);
    expect(response.errors?.[0]?.extensions?.upstream).toBe('coralogix');
    expect(response.data).toEqual({ incidents: null });
    expect(sandbox.requests('coralogix').map((r) => r.status)).toEqual([401]);
    expect(sandbox.requests('oneuptime')).toEqual([]);
  });

  it('a wrong OneUptime key nulls only `slas` with UPSTREAM_UNAUTHENTICATED for oneuptime', async () => {
    const gw = await gateway(FORWARD);
    const response = await gw.graphql<IncidentsData>(
      INCIDENTS_WITH_SLAS,
      {},
      keys(CX_KEY, OU_WRONG),
    );
    expect(new Set(codes(response))).toEqual(new Set(['UPSTREAM_UNAUTHENTICATED']));
    expect(response.errors?.every((e) => e.extensions?.upstream === 'oneuptime')).toBe(true);
    expect(response.data?.incidents.edges).toHaveLength(3);
    expect(response.data?.incidents.edges.every(({ node }) => node.slas === null)).toBe(true);
    // OneUptime answers a bad key with 400 "Invalid API Key"; it is not retried.
    expect(sandbox.requests('oneuptime').map((r) => r.status)).toEqual([400]);
  });

  it('server keys are no fallback: configured keys are ignored in forward mode', async () => {
    const gw = await gateway({
      CREDENTIALS: 'forward',
      CORALOGIX_API_KEY: CX_KEY,
      ONEUPTIME_API_KEY: OU_KEY,
    });
    const none = await gw.graphql(INCIDENTS_WITH_SLAS);
    expect(codes(none)).toEqual(['UNAUTHENTICATED']);
    expect(sandbox.requests()).toEqual([]);
    const wrong = await gw.graphql(INCIDENTS_WITH_SLAS, {}, keys(CX_WRONG, OU_KEY));
    expect(codes(wrong)).toEqual(['UPSTREAM_UNAUTHENTICATED']);
  });

  it('server mode ignores forward headers: the configured keys are used', async () => {
    const gw = await gateway();
    const response = await gw.graphql<IncidentsData>(
      INCIDENTS_WITH_SLAS,
      {},
      keys(CX_WRONG, OU_WRONG),
    );
    expect(response.errors, response.text).toBeUndefined();
    expect(response.data?.incidents.edges).toHaveLength(3);
  });

  it('concurrent requests with different keys never share loaders', async () => {
    const gw = await gateway(FORWARD);
    // Both requests are in flight together, so a shared loader would batch them into one call.
    sandbox.setLatency(40);
    const links = seedLinks(sandbox.seed);
    const incident = links.linked.find((i) => links.slasOf(i.id).length > 0)!;
    const linked = links.oneUptimeOf(incident.id);
    const query = `query ($id: ID!) { incident(id: $id) { id name slas { id oneUptimeIncidentId } } }`;
    type Data = {
      incident: { id: string; name: string; slas: Array<{ oneUptimeIncidentId: string }> | null };
    };
    const [good, badOu, badCx] = await Promise.all([
      gw.graphql<Data>(query, { id: incident.id }, GOOD),
      gw.graphql<Data>(query, { id: incident.id }, keys(CX_KEY, OU_WRONG)),
      gw.graphql<Data>(query, { id: incident.id }, keys(CX_WRONG, OU_KEY)),
    ]);

    expect(good.errors, good.text).toBeUndefined();
    expect(good.data?.incident.id).toBe(incident.id);
    expect(good.data?.incident.slas).toHaveLength(links.slasOf(incident.id).length);
    expect(good.data?.incident.slas?.every((s) => s.oneUptimeIncidentId === linked)).toBe(true);

    expect(codes(badOu)).toEqual(['UPSTREAM_UNAUTHENTICATED']);
    expect(badOu.errors?.[0]?.extensions?.upstream).toBe('oneuptime');
    expect(badOu.errors?.[0]?.path).toEqual(['incident', 'slas']);
    expect(badOu.data?.incident).toMatchObject({ id: incident.id, slas: null });

    expect(codes(badCx)).toEqual(['UPSTREAM_UNAUTHENTICATED']);
    expect(badCx.errors?.[0]?.extensions?.upstream).toBe('coralogix');
    expect(badCx.data?.incident ?? null).toBeNull();

    // One batchGet per request (3); a link query per request that got an incident (2), and the
    // SLA list for the one whose link query succeeded (1). OneUptime refuses the bad key (400).
    expect(
      sandbox
        .requests('coralogix')
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 200, 401]);
    expect(
      sandbox
        .requests('oneuptime')
        .map((r) => `${r.path} ${r.status}`)
        .sort(),
    ).toEqual([
      '/api/incident-sla/get-list 200',
      '/api/incident/get-list 200',
      '/api/incident/get-list 400',
    ]);

    // Links cached for one key are not answered to another: the wrong OneUptime key still
    // reaches OneUptime (and fails) after the right one resolved the same link.
    sandbox.setLatency(0);
    sandbox.clearRequests();
    const linkQuery = `query ($id: ID!) { incident(id: $id) { linkStatus } }`;
    const again = await gw.graphql<{ incident: { linkStatus: string } }>(
      linkQuery,
      { id: incident.id },
      GOOD,
    );
    expect(again.errors, again.text).toBeUndefined();
    expect(again.data?.incident.linkStatus).toBe('LINKED');
    expect(sandbox.requests('oneuptime')).toEqual([]);
    const other = await gw.graphql<{ incident: { linkStatus: string | null } }>(
      linkQuery,
      { id: incident.id },
      keys(CX_KEY, OU_WRONG),
    );
    expect(codes(other)).toEqual(['UPSTREAM_UNAUTHENTICATED']);
    expect(other.data?.incident.linkStatus).toBeNull();
    expect(sandbox.requests('oneuptime').map((r) => r.status)).toEqual([400]);
  });

  it('many interleaved callers each get the answer their own keys deserve', async () => {
    // No fault here is a slow answer: a timeout far above the 250 ms default of this file keeps a
    // loaded CI machine from turning a healthy call into UPSTREAM_TIMEOUT.
    const gw = await gateway({ ...FORWARD, UPSTREAM_TIMEOUT_MS: '10000' });
    sandbox.setLatency(20);
    const query = '{ incidents(first: 2) { edges { node { id slas { id } } } } }';
    const callers = Array.from({ length: 12 }, (_, i) => i % 3);
    const responses = await Promise.all(
      callers.map((kind) =>
        gw.graphql<IncidentsData>(
          query,
          {},
          kind === 0 ? GOOD : kind === 1 ? keys(CX_KEY, OU_WRONG) : keys(CX_WRONG, OU_KEY),
        ),
      ),
    );
    responses.forEach((response, i) => {
      const kind = callers[i];
      if (kind === 0) expect(response.errors, response.text).toBeUndefined();
      if (kind === 1) {
        expect(new Set(codes(response))).toEqual(new Set(['UPSTREAM_UNAUTHENTICATED']));
        expect(response.data?.incidents.edges.every(({ node }) => node.slas === null)).toBe(true);
      }
      if (kind === 2) {
        expect(codes(response)).toEqual(['UPSTREAM_UNAUTHENTICATED']);
        expect(response.data).toEqual({ incidents: null });
      }
    });
  });
});

// ---------------------------------------------------------------- key leaks

interface LeakScenario {
  name: string;
  faults: FaultRule[];
}

const LEAK_SCENARIOS: LeakScenario[] = [
  { name: 'healthy', faults: [] },
  {
    name: '401',
    faults: [
      { upstream: 'coralogix', status: 401, body: { code: 16, message: 'Unauthenticated' } },
      { upstream: 'oneuptime', status: 401, body: { message: 'Unauthorized' } },
    ],
  },
  {
    name: '403 / 422 / 400',
    faults: [
      { upstream: 'coralogix', status: 403, body: { code: 7, message: 'denied' }, times: 1 },
      { upstream: 'coralogix', status: 400, body: { code: 3, message: 'bad filter' } },
      {
        upstream: 'oneuptime',
        status: 422,
        body: { message: 'You do not have permissions to read Incident SLA.' },
        times: 1,
      },
      { upstream: 'oneuptime', status: 400, body: { error: 'Invalid API Key' } },
    ],
  },
  { name: '500', faults: [{ status: 500, body: { error: 'Server Error' } }] },
  { name: 'malformed', faults: [{ malformed: true }] },
  { name: 'timeout', faults: [{ latencyMs: 400 }] },
  { name: 'hung body', faults: [{ hangBody: true }] },
];

const LEAK_OPERATIONS: Array<{ query: string; variables?: Record<string, unknown> }> = [
  { query: INCIDENTS_WITH_SLAS },
  { query: '{ incidentSlas(first: 2) { totalCount edges { node { id incident { id } } } } }' },
  {
    query:
      '{ incidentRoles(first: 0) { totalCount } stateTimelines(first: 1) { edges { cursor } } }',
  },
  {
    query:
      'mutation ($ids: [ID!]!) { acknowledgeIncidents(input: { incidentIds: $ids }) { incidents { id } } }',
    variables: { ids: ['not-there'] },
  },
  {
    query:
      'mutation ($input: CreateIncidentRoleInput!) { createIncidentRole(input: $input) { id } }',
    variables: { input: { name: 'Leaky', color: '#abcdef' } },
  },
  // Validation and parse errors go through the same formatting and logging.
  { query: '{ incidents(first: 1000) { totalCount } }' },
  { query: '{ incidents(first: 1) { nope } }' },
];

function expectNoKey(where: string, text: string): void {
  for (const key of ALL_KEYS) {
    expect(text.includes(key), `${where} contains the key ${key}:\n${text.slice(0, 2000)}`).toBe(
      false,
    );
  }
}

describe('API keys never leave the gateway', () => {
  for (const mode of ['server', 'forward'] as const) {
    it(`${mode} mode: no key in any response (body, headers) or log line (trace), under faults`, async () => {
      const env = mode === 'forward' ? FORWARD : {};
      const logs = captureLogs('trace');
      const responses: RawResponse[] = [];
      const callerKeys =
        mode === 'forward'
          ? [GOOD, keys(CX_WRONG, OU_KEY), keys(CX_KEY, OU_WRONG), {}]
          : [{}, keys(CX_WRONG, OU_WRONG)];

      // A fresh gateway per scenario: an open circuit would hide the next scenario's failures.
      for (const scenario of LEAK_SCENARIOS) {
        sandbox.clearFaults();
        for (const rule of scenario.faults) sandbox.setFault(rule);
        const gw = await gateway(env, logs);
        for (const headers of callerKeys) {
          await Promise.all(
            LEAK_OPERATIONS.map(({ query, variables }) => gw.graphql(query, variables, headers)),
          );
        }
        responses.push(...gw.responses);
      }
      // A circuit-open error is covered too.
      sandbox.clearFaults();
      sandbox.setFault({ status: 500 });
      const gw = await gateway(env, logs);
      for (let i = 0; i < 6; i++) await gw.graphql(INCIDENTS_WITH_SLAS, {}, callerKeys[0]);
      responses.push(...gw.responses);
      expect(responses.at(-1)?.errors?.[0]?.message).toMatch(/circuit open/);

      const everyCode = new Set(responses.flatMap((r) => codes(r)));
      // The scenarios really exercised the failure paths.
      for (const code of [
        'UPSTREAM_UNAUTHENTICATED',
        'UPSTREAM_FORBIDDEN',
        'UPSTREAM_BAD_REQUEST',
        'UPSTREAM_UNAVAILABLE',
        'UPSTREAM_BAD_RESPONSE',
        'UPSTREAM_TIMEOUT',
        'BAD_USER_INPUT',
      ]) {
        expect(everyCode, `no ${code} was produced`).toContain(code);
      }
      expect(logs.logger.level).toBe('trace');
      expect(logs.lines.length).toBeGreaterThan(50);

      for (const response of responses) {
        expectNoKey('a response body', response.text);
        expectNoKey('response headers', JSON.stringify(response.headers));
      }
      for (const line of logs.lines) expectNoKey('a log line', line);
    });
  }

  /** Upstream error messages that echo the key back, as some APIs do with a rejected key. */
  const echo = (key: string) => `API key ${key} is not allowed to do this`;
  const ECHOES: Array<{ name: string; rule: FaultRule }> = [
    {
      name: 'coralogix 403',
      rule: { upstream: 'coralogix', status: 403, body: { code: 7, message: echo(CX_KEY) } },
    },
    {
      name: 'coralogix 400',
      rule: { upstream: 'coralogix', status: 400, body: { code: 3, message: echo(CX_KEY) } },
    },
    {
      name: 'oneuptime 422',
      rule: { upstream: 'oneuptime', status: 422, body: { message: echo(OU_KEY) } },
    },
    {
      name: 'oneuptime 400',
      rule: { upstream: 'oneuptime', status: 400, body: { error: echo(OU_KEY) } },
    },
  ];
  for (const { name, rule } of ECHOES) {
    it(`server mode: a ${name} whose message echoes the key does not reach the client`, async () => {
      const gw = await gateway();
      sandbox.setFault(rule);
      const response = await gw.graphql(INCIDENTS_WITH_SLAS);
      expect(response.errors?.length).toBeGreaterThan(0);
      expect(response.errors?.[0]?.extensions?.upstream).toBe(rule.upstream);
      expectNoKey('a response body', response.text);
      for (const line of gw.logs.lines) expectNoKey('a log line', line);
    });
  }
});
