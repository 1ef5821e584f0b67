/**
 * The upstream shape checks, timed on real rows (issue 25): the sandbox's own
 * answers (every seeded Coralogix incident with its events, and OneUptime
 * incidents, timeline entries and SLAs with every column, envelopes decoded as
 * the client decodes them), checked against the declarations in
 * `src/upstreams/*\/resources.ts` by each checker named on the command line.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/shape.js
 *
 * Prints ms per 1000 rows per checker and row kind: the best and the median of
 * BENCH_SHAPE_ROUNDS rounds, each a loop of at least 200 ms (so the garbage a
 * checker makes is collected inside the timing), the checkers taking turns.
 */
import { z } from 'zod';
import { startSandbox } from '../src/sandbox/index.js';
import { INCIDENT } from '../src/upstreams/coralogix/incidents/resources.js';
import { decodeValue } from '../src/upstreams/oneuptime/client.js';
import {
  RESOURCES,
  relationsOf,
  selectOf,
  type OneUptimeResource,
} from '../src/upstreams/oneuptime/resources.js';
import { fits, type Shape } from '../src/upstreams/shape.js';

const CORALOGIX_LIST = '/incidents/incidents/v1';
type Resource = 'coralogix' | 'incident' | 'incident-state-timeline' | 'incident-sla';
interface RowSet {
  kind: string;
  resource: Resource;
  rows: unknown[];
}
const shapeOf = (resource: Resource): Shape =>
  resource === 'coralogix' ? INCIDENT : RESOURCES[resource].shape;

const INT_MAX = 2 ** 31 - 1;
/** The zod schema of a shape: every value may be null or absent, array items may not. */
function toZod(
  shape: Shape,
  object: (fields: Record<string, z.ZodType>) => z.ZodType = (fields) => z.looseObject(fields),
): z.ZodType {
  if (shape === 'any') return z.unknown();
  if (shape === 'int') return z.number().int().min(-INT_MAX).max(INT_MAX);
  if (shape === 'string') return z.string();
  if (shape === 'boolean') return z.boolean();
  if (shape === 'number') return z.number();
  if ('array' in shape) return z.array(toZod(shape.array, object));
  if ('record' in shape) return z.record(z.string(), toZod(shape.record, object).nullish());
  return object(
    Object.fromEntries(
      Object.entries(shape.fields).map(([k, v]) => [k, toZod(v, object).nullish()]),
    ),
  );
}

/**
 * `helper`: `fits` from src/upstreams/shape.ts, what the clients run (allocation-free);
 * `zod`: the same declarations as zod 4 schemas, unknown keys passing as they do now
 * (`looseObject`); `zod-object`: `z.object`, which drops unknown keys from its
 * output (a copy the gateway would not use), the fastest zod variant measured.
 */
const checkers: Record<string, (resource: Resource) => (row: unknown) => boolean> = {
  helper: (resource) => {
    const shape = shapeOf(resource);
    return (row) => fits(row, shape);
  },
  zod: (resource) => {
    const schema = toZod(shapeOf(resource));
    return (row) => schema.safeParse(row).success;
  },
  'zod-object': (resource) => {
    const schema = toZod(shapeOf(resource), (fields) => z.object(fields));
    return (row) => schema.safeParse(row).success;
  },
};

const ROUNDS = Number(process.env.BENCH_SHAPE_ROUNDS ?? 7);
const MIN_ROUND_MS = 200;

async function post(url: string, headers: Record<string, string>, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** A OneUptime row as the client checks it: `decodeRecord` without the check. */
const decode = (resource: OneUptimeResource) => (raw: Record<string, unknown>) => {
  const out: Record<string, unknown> = {};
  for (const key in raw) out[key] = decodeValue(raw[key]);
  for (const relation of relationsOf(resource)) {
    const nested = out[relation];
    if (typeof nested === 'object' && nested !== null) {
      const row: Record<string, unknown> = {};
      for (const key in nested) row[key] = decodeValue((nested as Record<string, unknown>)[key]);
      out[relation] = row;
    }
  }
  return out;
};

/** Exactly `count` rows, repeating the sample (its content, not its identity, matters). */
const fill = <T>(sample: T[], count: number): T[] =>
  Array.from({ length: count }, (_, i) => sample[i % sample.length] as T);

async function rows(): Promise<RowSet[]> {
  const sandbox = await startSandbox();
  try {
    const cx = { authorization: `Bearer ${sandbox.coralogix.apiKey}` };
    const incidents: unknown[] = [];
    let pageToken: string | undefined;
    do {
      const page = await post(`${sandbox.coralogix.url}${CORALOGIX_LIST}`, cx, {
        pagination: { pageSize: 100, ...(pageToken ? { pageToken } : {}) },
      });
      incidents.push(...((page.incidents as unknown[]) ?? []));
      pageToken = (page.pagination as { nextPageToken?: string }).nextPageToken || undefined;
    } while (pageToken);
    const ou = { ApiKey: sandbox.oneuptime.apiKey };
    const list = async (resource: 'incident' | 'incident-state-timeline' | 'incident-sla') => {
      const page = await post(
        `${sandbox.oneuptime.url}/api/${resource}/get-list?skip=0&limit=1000`,
        ou,
        { select: { _id: true, ...selectOf(resource) }, query: {}, sort: RESOURCES[resource].sort },
      );
      return (page.data as Array<Record<string, unknown>>).map(decode(resource));
    };
    return [
      {
        kind: 'Coralogix incident (with events)',
        resource: 'coralogix',
        rows: fill(incidents, 1000),
      },
      {
        kind: 'OneUptime incident',
        resource: 'incident',
        rows: fill(await list('incident'), 1000),
      },
      {
        kind: 'OneUptime state timeline',
        resource: 'incident-state-timeline',
        rows: fill(await list('incident-state-timeline'), 1000),
      },
      {
        kind: 'OneUptime SLA',
        resource: 'incident-sla',
        rows: fill(await list('incident-sla'), 1000),
      },
    ];
  } finally {
    await sandbox.stop();
  }
}

/** ms per pass over `sample`, from a loop of at least MIN_ROUND_MS. */
function round(check: (row: unknown) => boolean, sample: unknown[]): number {
  let loops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const row of sample) {
      if (!check(row)) throw new Error(`a seeded row failed its check: ${JSON.stringify(row)}`);
    }
    loops++;
    elapsed = performance.now() - start;
  } while (elapsed < MIN_ROUND_MS);
  return elapsed / loops;
}

const sets = await rows();
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(checkers);
console.log(`ms per 1000 rows: best of ${ROUNDS} rounds (median in brackets), checkers alternated`);
console.log(`| Rows (1000) | ${names.join(' | ')} |`);
console.log(`|---|${names.map(() => '--:').join('|')}|`);
for (const set of sets) {
  const checks = names.map((name) => {
    const make = checkers[name];
    if (!make) throw new Error(`no checker ${name}: ${Object.keys(checkers).join(', ')}`);
    return make(set.resource);
  });
  const times: number[][] = names.map(() => []);
  // The first round warms the JIT; then the checkers take turns, so load elsewhere hits all.
  for (let r = 0; r <= ROUNDS; r++) {
    checks.forEach((check, i) => {
      const ms = round(check, set.rows);
      if (r > 0) times[i]!.push(ms);
    });
  }
  const cells = times.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    return `${(sorted[0] as number).toFixed(3)} (${median.toFixed(3)})`;
  });
  console.log(`| ${set.kind} | ${cells.join(' | ')} |`);
}
