/**
 * The bench's pure parts: query floors through the link (cold and warm), the
 * grouping of a query's upstream requests into levels, the measured floor,
 * RSS growth after a warm-up, and the report's issue-25 rows from made-up
 * cells; the level probe's client against a local node:http server. No
 * timing is asserted.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { startFlags } from '../../bench/procs.js';
import {
  levelKey,
  levelsOf,
  measureClients,
  measureLevels,
  measuredFloor,
  requestKey,
  type CapturedRequest,
} from '../../bench/direct.js';
import { benchQueries, listCalls } from '../../bench/queries.js';
import { fairnessSection } from '../../bench/fairness.js';
import {
  renderReport,
  type Measurement,
  type Settings,
  type TargetName,
} from '../../bench/report.js';
import { growthAfterWarmup } from '../../bench/sandboxSoak.js';
import { steps } from '../../bench/timeline.js';
import type { Stamp } from '../../bench/timeline-preload.js';

const request = (at: number, path: string, body?: unknown): CapturedRequest => ({
  upstream: path.startsWith('/api/') ? 'oneuptime' : 'coralogix',
  method: body === undefined ? 'GET' : 'POST',
  path,
  query: body === undefined ? { ids: ['a', 'b'] } : { skip: ['0'], limit: ['1000'] },
  body,
  at,
});

/** The first line of a rendered report that starts with `start`. */
const lineOf = (report: string, start: string) =>
  report.split('\n').find((line) => line.startsWith(start));

const queries = benchQueries('00000000-0000-4000-8000-000000000000');
const query = (id: string) => queries.find((q) => q.id === id)!;

/** Bench settings of a full run, with what a test changes. */
const settingsWith = (changes: Partial<Settings>): Settings => ({
  quick: false,
  latencyMs: 20,
  rounds: 2,
  seconds1: 4,
  seconds32: 5,
  warmupSeconds: 1,
  soakSeconds: 300,
  meshArgs: ['--jit'],
  waitIdleSeconds: 0,
  directSeconds: 3,
  startupRuns: 5,
  saturationLatencyMs: 1,
  only: [],
  ...changes,
});

describe('bench floors', () => {
  it('counts one call per IN query of up to 100 keys and per page of up to 1000 rows', () => {
    expect(listCalls(50, 0)).toBe(1);
    expect(listCalls(100, 1000)).toBe(1);
    expect(listCalls(101, 10)).toBe(2);
    expect(listCalls(50, 1001)).toBe(2);
  });

  it('gives the timeline join one more call and level when the links are cold', () => {
    const canonical = [
      { linkStatus: 'LINKED', stateTimeline: [{}, {}], slas: [{}] },
      { linkStatus: 'CONFLICT', stateTimeline: [{}], slas: [] },
      { linkStatus: 'NOT_LINKED', stateTimeline: [], slas: [] },
    ];
    const timeline = query('timeline');
    expect(timeline.floors(canonical, 'warm')).toMatchObject({ calls: 3, levels: 2 });
    expect(timeline.floors(canonical, 'cold')).toMatchObject({ calls: 4, levels: 3 });
  });

  it("gives the case screen the issue's floors: 1 ListCases + 1 link + 2 get-lists cold, 3 warm", () => {
    const canonical = [
      { linkStatus: 'LINKED', stateTimeline: [{}], slas: [{}, {}] },
      { linkStatus: 'NOT_LINKED', stateTimeline: [], slas: [] },
    ];
    const cases = query('cases');
    expect(cases.join).toBe(true);
    expect(cases.floors(canonical, 'cold')).toMatchObject({ calls: 4, levels: 3 });
    expect(cases.floors(canonical, 'warm')).toMatchObject({ calls: 3, levels: 2 });
  });

  it('gives the reverse join the same floor cold and warm: it reads the custom field either way', () => {
    const canonical = {
      total: 3,
      slas: [
        { oneUptimeIncidentId: 'o1', incident: { id: 'c1' } },
        { oneUptimeIncidentId: 'o1', incident: { id: 'c1' } },
        { oneUptimeIncidentId: 'o2', incident: null },
      ],
    };
    const breached = query('breached');
    expect(breached.floors(canonical, 'cold')).toEqual(breached.floors(canonical, 'warm'));
    expect(breached.floors(canonical, 'cold')).toMatchObject({ calls: 3, levels: 3 });
  });

  it('maps a Mesh answer with two claimants to a CONFLICT that uses the oldest', () => {
    const timeline = query('timeline');
    const entry = {
      _id: 't1',
      incidentStateId: { value: 's' },
      startsAt: { value: '2026-01-01T00:00:00Z' },
    };
    const mesh = {
      listIncidents: {
        incidents: [
          {
            id: 'c1',
            name: 'n',
            severity: 'INCIDENT_SEVERITY_ERROR',
            status: 'INCIDENT_STATUS_TRIGGERED',
            oneUptimeIncidents: [
              { _id: 'old', stateTimeline: [entry], slas: [] },
              { _id: 'new', stateTimeline: [], slas: [] },
            ],
          },
        ],
      },
    };
    expect(timeline.fromMesh(mesh)).toEqual([
      {
        id: 'c1',
        name: 'n',
        severity: 'ERROR',
        status: 'TRIGGERED',
        linkStatus: 'CONFLICT',
        stateTimeline: [
          {
            id: 't1',
            incidentStateId: 's',
            startsAt: '2026-01-01T00:00:00.000Z',
            endsAt: null,
            rootCause: null,
          },
        ],
        slas: [],
      },
    ]);
  });
});

describe('the measured floor', () => {
  const requests = [
    request(1000, '/mgmt/openapi/5/incidents/incidents/v1', { pagination: { pageSize: 50 } }),
    request(1022, '/api/incident-state-timeline/get-list', { query: { incidentId: ['a'] } }),
    request(1023, '/api/incident-sla/get-list', { query: { incidentId: ['a'] } }),
  ];

  it('groups requests that start within the gap into one level', () => {
    expect(levelsOf(requests, 10).map((level) => level.length)).toEqual([1, 2]);
    expect(levelsOf([], 10)).toEqual([]);
  });

  it('adds up the slowest request of each level', () => {
    const p50 = new Map([
      [requestKey(requests[0]!), 23],
      [requestKey(requests[1]!), 22],
      [requestKey(requests[2]!), 21.5],
    ]);
    expect(measuredFloor(levelsOf(requests, 10), p50)).toBe(45);
  });

  it('adds what sending a level of several requests together costs, whatever their order', () => {
    const p50 = new Map([
      [requestKey(requests[0]!), 23],
      [requestKey(requests[1]!), 22],
      [requestKey(requests[2]!), 21.5],
    ]);
    const reversed = [requests[2]!, requests[1]!];
    const together = new Map([[levelKey(reversed), 0.5]]);
    expect(measuredFloor(levelsOf(requests, 10), p50, together)).toBe(45.5);
    // A level of one request is never charged, even under a key of its own.
    const single = new Map([[levelKey([requests[0]!]), 9]]);
    expect(measuredFloor(levelsOf(requests, 10), p50, single)).toBe(45);
  });

  it('tells requests apart by query string and body', () => {
    const get = request(0, '/mgmt/openapi/5/incidents/incidents/v1');
    const other = { ...get, query: { ids: ['c'] } };
    expect(requestKey(get)).not.toBe(requestKey(other));
    expect(requestKey(requests[1]!)).not.toBe(requestKey(requests[2]!));
  });
});

describe('the level probe', () => {
  const listen = async (status: number) => {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push(
          `${req.method} ${req.url} ${req.headers.apikey ?? req.headers.authorization} ${body}`,
        );
        // As the emulators answer: the whole body at once, so with Content-Length.
        const answer = JSON.stringify({ data: [], count: 0 });
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(answer),
        });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const upstreams = {
      coralogix: { url, apiKey: 'cx-key' },
      oneuptime: { url, apiKey: 'ou-key' },
      pid: process.pid,
    };
    return { seen, server, upstreams };
  };
  const level = [
    request(0, '/api/incident-state-timeline/get-list', { query: { incidentId: ['a'] } }),
    request(1, '/api/incident-sla/get-list', { query: { incidentId: ['a'] } }),
  ];

  it('sends each request of a level alone and together, as captured, over keep-alive connections', async () => {
    const { seen, server, upstreams } = await listen(200);
    try {
      const probes = await measureLevels(
        [level, level, [level[0]!]],
        upstreams,
        { seconds: 0 },
        () => {},
      );
      // Two equal levels are one probe; a level of one request is none.
      expect(probes).toHaveLength(1);
      const [probe] = probes;
      expect(probe!.key).toBe(levelKey(level));
      expect(probe!.names).toEqual([
        'oneuptime POST /api/incident-state-timeline/get-list (30 B body)',
        'oneuptime POST /api/incident-sla/get-list (30 B body)',
      ]);
      expect(probe!.rounds).toBe(5);
      expect(probe!.extraMs).toBeGreaterThanOrEqual(0);
      // One unmeasured round, then 5 rounds of 2 alone + 2 together.
      expect(seen).toHaveLength(2 + 5 * 4);
      expect(new Set(seen)).toEqual(
        new Set([
          'POST /api/incident-state-timeline/get-list?skip=0&limit=1000 ou-key {"query":{"incidentId":["a"]}}',
          'POST /api/incident-sla/get-list?skip=0&limit=1000 ou-key {"query":{"incidentId":["a"]}}',
        ]),
      );
    } finally {
      server.close();
    }
  });

  it('sends the same request through the thin client and undici, alternately', async () => {
    const { seen, server, upstreams } = await listen(200);
    try {
      const get = request(0, '/mgmt/openapi/5/incidents/incidents/v1');
      const probes = await measureClients([get, get], upstreams, { seconds: 0 }, () => {});
      expect(probes).toHaveLength(1);
      expect(probes[0]!.key).toBe(requestKey(get));
      expect(probes[0]!.rounds).toBe(5);
      // One unmeasured call each, then 5 rounds of one each: 12 identical requests.
      expect(seen).toHaveLength(12);
      expect(new Set(seen)).toEqual(
        new Set(['GET /mgmt/openapi/5/incidents/incidents/v1?ids=a&ids=b Bearer cx-key ']),
      );
    } finally {
      server.close();
    }
  });

  it('fails on an answer that is not a success rather than time it', async () => {
    const { server, upstreams } = await listen(500);
    try {
      await expect(measureLevels([level], upstreams, { seconds: 0 }, () => {})).rejects.toThrow(
        'thin client: HTTP 500',
      );
      await expect(measureClients(level, upstreams, { seconds: 0 }, () => {})).rejects.toThrow(
        'HTTP 500',
      );
    } finally {
      server.close();
    }
  });
});

describe('the timeline of a request at one connection', () => {
  it('takes the median of each step, counting repeated pairs apart, after the skipped requests', () => {
    const stamped = (at: number, upstreamMs: number): Stamp[] => [
      ['in', at],
      ['create', at + 1],
      ['sent', at + 1.1],
      ['headers', at + 1.1 + upstreamMs],
      ['done', at + 1.2 + upstreamMs],
      ['create', at + 2 + upstreamMs],
      ['sent', at + 2.1 + upstreamMs],
      ['headers', at + 22.1 + upstreamMs],
      ['done', at + 22.2 + upstreamMs],
      ['out', at + 24 + upstreamMs],
    ];
    const stamps = [
      ...stamped(0, 500), // skipped: the warm-up
      ['sent', 600] as Stamp, // a stray stamp between requests is ignored
      ...stamped(1000, 20),
      ...stamped(2000, 22),
      ...stamped(3000, 21),
    ];
    const table = new Map(steps(stamps, 1));
    expect(table.get('sent → headers #1')).toBeCloseTo(21);
    expect(table.get('done → create #1')).toBeCloseTo(0.8);
    expect(table.get('sent → headers #2')).toBeCloseTo(20);
    expect(table.get('done → out #1')).toBeCloseTo(1.8);
    expect(table.get('total (in → out)')).toBeCloseTo(45);
    expect([...table.keys()][0]).toBe('in → create #1');
  });

  it('names a step by the upstream routes of its stamps, telling one level’s requests apart', () => {
    const stamped = (at: number): Stamp[] => [
      ['in', at],
      ['create', at + 1, 'cases/v1'],
      ['done', at + 22, 'cases/v1'],
      ['create', at + 23, 'incident-state-timeline/get-list'],
      ['create', at + 23.2, 'incident-sla/get-list'],
      ['sent', at + 23.3, 'incident-state-timeline/get-list'],
      ['sent', at + 23.7, 'incident-sla/get-list'],
      ['out', at + 46],
    ];
    const table = new Map(steps([...stamped(0), ...stamped(100)]));
    expect(table.get('done cases/v1 → create incident-state-timeline/get-list #1')).toBeCloseTo(1);
    expect(
      table.get('sent incident-state-timeline/get-list → sent incident-sla/get-list #1'),
    ).toBeCloseTo(0.4);
    expect(table.get('sent incident-sla/get-list → out #1')).toBeCloseTo(22.3);
  });
});

describe('soak growth', () => {
  it('compares the first three samples after the warm-up with the last three', () => {
    const samples = [10, 100, 100, 100, 105, 110, 110, 110].map((rssMiB, i) => ({
      second: (i + 1) * 15,
      rssMiB,
    }));
    const { warmRssMiB, endRssMiB, growth } = growthAfterWarmup(samples, 30);
    expect(warmRssMiB).toBe(100);
    expect(endRssMiB).toBe(110);
    expect(growth).toBeCloseTo(0.1);
  });
});

describe('the fairness section', () => {
  const stats = (p50: number, errors = 0) => ({
    requests: 100,
    p50,
    p99: p50 * 2,
    errors,
    errorRate: errors / 100,
  });
  const fairness = (
    flooded: number,
    flood: Record<string, number>,
    circuits = { coralogix: 0, oneuptime: 0 },
  ) => ({
    seconds: 10,
    maxInFlight: 128,
    maxInFlightPerClient: 32,
    solo: stats(20),
    underFlood: stats(flooded),
    ratio: flooded / 20,
    flood,
    circuits,
    rssMiB: 150,
  });

  it('meets the targets when the normal client stays within 3× with no error and the flood is shed', () => {
    const rows = fairnessSection(fairness(40, { 200: 500, 503: 900 })).filter((l) =>
      l.startsWith('| '),
    );
    expect(rows.slice(2).map((row) => row.split('|').at(-2)?.trim())).toEqual([
      'yes',
      'yes',
      'yes',
    ]);
  });

  it('says no when the ratio is over 3×, or the flood timed out upstream, or a circuit opened', () => {
    const rows = fairnessSection(
      fairness(80, { 200: 100, 504: 3 }, { coralogix: 2, oneuptime: 0 }),
    ).filter((l) => l.startsWith('| '));
    expect(rows.slice(2).map((row) => row.split('|').at(-2)?.trim())).toEqual([
      '**no**',
      'yes',
      '**no**',
    ]);
    expect(rows[4]).toContain('coralogix open');
  });
});

describe('the report at one connection', () => {
  const list = request(1000, '/mgmt/openapi/5/incidents/incidents/v1', { pagination: {} });
  const timeline = request(1022, '/api/incident-state-timeline/get-list', { query: {} });
  const sla = request(1023, '/api/incident-sla/get-list', { query: {} });
  const input: Parameters<typeof renderReport>[0] = {
    meta: { date: 'now', git: 'abc', machine: 'test', versions: 'test' },
    settings: settingsWith({ rounds: 1, only: ['timeline', 'c1'] }),
    checks: [
      {
        query: 'timeline',
        calls: { gateway: 3 },
        busiestUpstreamCalls: {},
        differences: {},
        floors: { warm: { calls: 3, levels: 2, explain: 'made up' } },
        requests: { warm: [list, timeline, sla] },
      },
    ],
    direct: [
      { key: requestKey(list), name: 'list', p50: 23, p99: 25, requests: 100 },
      { key: requestKey(timeline), name: 'timeline', p50: 22, p99: 24, requests: 100 },
      { key: requestKey(sla), name: 'sla', p50: 21.5, p99: 23, requests: 100 },
    ],
    levels: [
      {
        key: levelKey([timeline, sla]),
        names: ['timeline', 'sla'],
        togetherP50: 22.5,
        aloneP50: 22,
        extraMs: 0.5,
        rounds: 10,
      },
    ],
    clients: [
      { key: requestKey(list), thinP50: 22.8, undiciP50: 23.5, rounds: 10 },
      { key: requestKey(timeline), thinP50: 21.9, undiciP50: 22.4, rounds: 10 },
      { key: requestKey(sla), thinP50: 21.4, undiciP50: 22.4, rounds: 10 },
    ],
    idleRss: {},
    measurements: [
      {
        query: 'timeline',
        target: 'gateway',
        connections: 1,
        round: 1,
        latencyMs: 20,
        requests: 60,
        seconds: 4,
        rps: 15,
        p50: 60,
        p99: 70,
        mean: 61,
        failures: 0,
        bytesMin: 900,
        bytesMax: 900,
        cpuMsPerRequest: 9,
        cpuCores: 0.1,
        rssMiB: 200,
        sandboxCores: 0.1,
        loadgenCores: 0.1,
        otherCores: 0,
      },
    ],
    queries: [query('timeline')],
    command: 'npm run bench',
    wallSeconds: 60,
  };
  const report = renderReport(input);

  it("adds a level's cost of sending its requests together to the floor", () => {
    // 23 (list) + 22 (the slower of the level) + 0.5 (together) = 45.5 ms.
    const row = lineOf(report, '| p50 ≤ 1.1 × measured floor');
    expect(row).toContain('| ≤ 50.1 ms (45.5 ms × 1.1) | 60.0 ms = 1.32× | **no**');
    expect(report).toContain('| timeline + sla | 22.50 | 22.00 | +0.50 | 10 |');
  });

  it("shows the rounds' spread of the ratio, and how many rounds were within the goal", () => {
    const [first] = input.measurements;
    const rounds = [60, 48, 50].map((p50, i) => ({ ...first!, round: i + 1, p50 }));
    const spreadReport = renderReport({ ...input, measurements: rounds });
    const row = lineOf(spreadReport, '| p50 ≤ 1.1 × measured floor');
    // 48 / 45.5 = 1.05, 50 / 45.5 = 1.10, 60 / 45.5 = 1.32: the median round is 50 ms.
    expect(row).toContain('| 50.0 ms = 1.10 (1.05–1.32)× | yes |');
    const missed = renderReport({
      ...input,
      measurements: [60, 48, 52].map((p50, i) => ({ ...first!, round: i + 1, p50 })),
    });
    expect(missed).toContain('1 of 3 rounds were within it');
  });

  it("says how much of a miss the HTTP client is, on each level's slowest request", () => {
    // list 23.5 − 22.8, then the level's slowest alone (timeline, not sla): 22.4 − 21.9.
    expect(report).toContain('Of that, 1.2 ms is its upstream HTTP client alone');
    expect(report).toContain('| list | 23.00 | 25.00 | 100 | 22.80 | 23.50 | +0.70 |');
  });
});

describe('the report of the saturation cells (issue 25)', () => {
  const cellOf = (target: TargetName, round: number, rps: number, cpu: number): Measurement => ({
    query: 'single',
    target,
    connections: 32,
    round,
    latencyMs: 1,
    requests: rps * 5,
    seconds: 5,
    rps,
    p50: 20,
    p99: 40,
    mean: 21,
    failures: 0,
    bytesMin: 900,
    bytesMax: 900,
    cpuMsPerRequest: cpu,
    cpuCores: 1,
    rssMiB: 200,
    sandboxCores: 0.2,
    loadgenCores: 0.1,
    otherCores: 0,
  });
  const settings = settingsWith({ only: ['single', 'saturation'] });
  const reportOf = (measurements: Measurement[], extra: Partial<typeof settings> = {}) =>
    renderReport({
      meta: { date: 'now', git: 'abc', machine: 'test', versions: 'test' },
      settings: { ...settings, ...extra },
      checks: [
        {
          query: 'single',
          calls: { gateway: 1, mesh: 1 },
          busiestUpstreamCalls: {},
          differences: {},
          floors: {},
          requests: {},
        },
      ],
      direct: [],
      idleRss: {},
      measurements,
      queries: [query('single')],
      command: 'npm run bench',
      wallSeconds: 60,
    });
  const report = reportOf([
    cellOf('gateway', 1, 1900, 0.5),
    cellOf('quiet', 1, 2000, 0.47),
    cellOf('mesh', 1, 800, 1.2),
    cellOf('gateway', 2, 1800, 0.52),
    cellOf('quiet', 2, 2000, 0.47),
    cellOf('mesh', 2, 1000, 1.3),
  ]);
  const row = (start: string) => lineOf(report, start);

  it('compares throughput and CPU with Mesh per round, at the saturation latency', () => {
    // Rounds: 1900 / 800 = 2.38, 1800 / 1000 = 1.8; median 2.09.
    expect(row('| Throughput ≥ 2× Mesh at saturation (1 ms upstream, c=32): single')).toContain(
      '| 2.09 (1.80–2.38)× | yes |',
    );
    // 0.5 / 1.2 = 0.42, 0.52 / 1.3 = 0.40.
    expect(row('| CPU per request ≤ 0.5 × Mesh')).toContain('| yes |');
  });

  it('reads the cost of observability from this gateway with and without it', () => {
    // Rounds: 1900 / 2000 = 0.95, 1800 / 2000 = 0.90; the cost is 1 - 0.925.
    expect(row('| Logging, metrics and tracing cost ≤ 10 %')).toContain('| 7.5 % (');
  });

  it('reads the cost of observability from the paired cells when the run has them', () => {
    // Recorded as the first run with pairs did: each cell's "other" load held its partner's CPU
    // (1 core in cellOf), which the report takes off again.
    const pairedCell = (target: TargetName, round: number, rps: number, cpu: number) => ({
      ...cellOf(target, round, rps, cpu),
      connections: 16,
      paired: true,
      otherCores: 0.95,
    });
    const paired = reportOf(
      [
        cellOf('gateway', 1, 1900, 0.5),
        cellOf('mesh', 1, 800, 1.2),
        // Paired rounds: 960 / 1000, 900 / 1000, 990 / 1000: median 0.96. The paired gateway
        // cells (16 connections) stay out of the comparison with Mesh.
        pairedCell('gateway', 1, 960, 0.52),
        pairedCell('quiet', 1, 1000, 0.5),
        pairedCell('gateway', 2, 900, 0.55),
        pairedCell('quiet', 2, 1000, 0.5),
        pairedCell('gateway', 3, 990, 0.51),
        pairedCell('quiet', 3, 1000, 0.5),
      ],
      { pairedRounds: 3, logs: 'pipe' },
    );
    const line = (start: string) => lineOf(paired, start);
    expect(line('| Logging, metrics and tracing cost ≤ 10 %')).toContain(
      '| 4.0 % (3 paired rounds, both under load at once; req/s on ÷ off 0.96 (0.90–0.99)',
    );
    expect(line('| Throughput ≥ 2× Mesh at saturation (1 ms upstream, c=32): single')).toContain(
      '| 2.38× | yes |',
    );
    expect(paired).toContain('under load at once, 16 connections each, 3 round(s)');
    expect(paired).toContain('written to a pipe that `cat` reads into a file');
    expect(line('- **Other load:**')).toContain('max 0.00; the machine was otherwise idle');
  });

  it('keeps the saturation cells out of the tables of the standard latency', () => {
    expect(row('| single incident (with events) | 32 | this gateway |')).toContain('not run');
    expect(report).toContain('## Saturation: upstream latency 1 ms, concurrency 32');
  });
});

describe("npm start's Node flags", () => {
  it('are the ones the Docker image runs with, and the bench reads them from package.json', () => {
    const flags = startFlags();
    expect(flags).toContain('--max-semi-space-size=64');
    const dockerfile = readFileSync(join(packageRoot(), 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...flags, 'dist/src/main.js']);
  });
});
