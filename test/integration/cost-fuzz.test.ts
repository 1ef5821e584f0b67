/**
 * Properties (fast-check) of the operation limits' cost model: for random
 * valid operations built from the schema (nested selections, named fragments
 * spread once or again, inline fragments, aliases, `first` as a literal or as
 * a variable with a default that the request may leave out), what
 * `measureOperation` computes before execution is never below what the
 * execution then does on a gateway over the sandbox emulators:
 * - its cost, below the number of field resolvers run, counted by an Apollo
 *   plugin (`willResolveField`);
 * - its upstream-call bound, below the requests the emulators record (the
 *   sandbox's request log, cleared before each operation).
 * Each operation runs twice over one sandbox: on a gateway that never caches
 * links (every join reads its link), and on one that does, where earlier
 * operations left some links cached, so levels whose parents are partly
 * cached are exercised too.
 *
 * Fixed seed and 100 runs by default (fuzz.test.ts: 60): FUZZ_SEED=random
 * explores (FUZZ_RUNS=<n> for more), FUZZ_SEED=<seed> (with FUZZ_PATH=<path>)
 * replays a failure. Introspection is left out: graphql-js answers it without
 * field resolvers, so the plugin cannot count it.
 *
 * It found one under-count, fixed in src/guard/limits.ts: a connection asked
 * for with `first: 0` was costed 1, though its totalCount / pageInfo / edges
 * still resolve.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import fc, { type GeneratorValue } from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/context.js';
import { fragmentsOf } from '../../src/graphql/selection.js';
import { measureOperation } from '../../src/guard/limits.js';
import { createSchema } from '../../src/schema.js';
import { startStack, useStack, type Stack } from '../support/stack.js';

const FIXED_SEED = 20261130;
const seed = (value = process.env.FUZZ_SEED) =>
  value === 'random' ? {} : { seed: value ? Number(value) : FIXED_SEED };

/** Every resolver the execution runs (graphql-js meta fields excepted), as a response header. */
const countResolvers: ApolloServerPlugin<GatewayContext> = {
  requestDidStart: async () => {
    let calls = 0;
    return {
      executionDidStart: async () => ({
        willResolveField: () => {
          calls += 1;
        },
      }),
      willSendResponse: async ({ response }) => {
        response.http.headers.set('x-resolver-calls', String(calls));
      },
    };
  },
};

/** Links never cached (LINK_CACHE_TTL_MS=0): every join reads its link. */
const stack = useStack({ plugins: [countResolvers], env: { LINK_CACHE_TTL_MS: '0' } });
/** The same sandbox behind a gateway that caches links: earlier operations leave it partly warm. */
let cached: Stack;
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = createSchema();
  cached = await startStack({ over: stack.sandbox, plugins: [countResolvers] });
});
afterAll(() => cached.stop());

// ---------------------------------------------------------------- the generator

type Gen = GeneratorValue;
/** True `percent` % of the time; shrinks towards false, so counterexamples shrink to less structure. */
const chance = (g: Gen, percent: number) => g(fc.integer, { min: 0, max: 99 }) >= 100 - percent;
const pick = <T>(g: Gen, items: readonly T[]): T => items[g(fc.nat, items.length - 1)]!;
/** 1..max distinct items, in schema order (indices: schema objects are cyclic). */
const some = <T>(g: Gen, items: readonly T[], max: number): T[] =>
  g(
    fc.subarray,
    items.map((_, i) => i),
    { minLength: 1, maxLength: Math.min(max, items.length) },
  ).map((i) => items[i]!);

const MAX_DEPTH = 5;

interface Operation {
  query: string;
  variables: Record<string, unknown>;
}

class Builder {
  private readonly declarations: string[] = [];
  readonly variables: Record<string, unknown> = {};
  private readonly fragments: string[] = [];
  /** Finished fragments by type: only these may be spread again (no cycles). */
  private readonly done = new Map<string, string[]>();
  private names = 0;

  constructor(private readonly g: Gen) {}

  operation(root: GraphQLObjectType): Operation {
    const body = this.set(root, 0);
    const declared = this.declarations.length ? `(${this.declarations.join(', ')})` : '';
    return {
      query: `query${declared} ${body}\n${this.fragments.join('\n')}`,
      variables: this.variables,
    };
  }

  private fresh(prefix: string) {
    return `${prefix}${this.names++}`;
  }

  /** A valid id argument for a root lookup: a seeded record, or one that does not exist. */
  private id(type: GraphQLNamedType): string {
    const seed = stack.sandbox.seed;
    if (chance(this.g, 15)) return '00000000-0000-4000-8000-000000000000';
    switch (type.name) {
      case 'Incident':
        return pick(this.g, seed.incidents.slice(0, 20)).id;
      case 'IncidentRole':
        return pick(this.g, seed.roles)._id;
      case 'IncidentSla':
        return pick(this.g, seed.slas.slice(0, 20))._id;
      default:
        return pick(this.g, seed.stateTimelines.slice(0, 20))._id;
    }
  }

  /** `first` as a literal, a variable (with or without a default, given or not), or absent. */
  private first(): string | undefined {
    const g = this.g;
    const kind = g(fc.integer, { min: 0, max: 9 });
    if (kind <= 2) return `first: ${g(fc.integer, { min: 0, max: 4 })}`;
    if (kind === 9) return undefined; // the schema's default, 20
    const name = this.fresh('n');
    const withDefault = kind <= 6;
    this.declarations.push(
      withDefault ? `$${name}: Int = ${g(fc.integer, { min: 0, max: 4 })}` : `$${name}: Int`,
    );
    if (!withDefault || chance(g, 40)) {
      this.variables[name] = chance(g, 10) ? null : g(fc.integer, { min: 0, max: 4 });
    }
    return `first: $${name}`;
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number): string {
    const args: string[] = [];
    for (const arg of field.args) {
      if (arg.name === 'id') args.push(`id: ${JSON.stringify(this.id(getNamedType(field.type)))}`);
      if (arg.name === 'first') {
        const first = this.first();
        if (first) args.push(first);
      }
    }
    // Fields with arguments always get a fresh alias, so no two selections ever conflict.
    const alias = args.length || chance(this.g, 25) ? `${this.fresh('a')}: ` : '';
    const call = `${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''}`;
    const type = getNamedType(field.type);
    return isScalarType(type) || isEnumType(type) ? call : `${call} ${this.set(type, depth + 1)}`;
  }

  /** A selection set for an object or union type, never empty; `inFragment`: a fragment's own body. */
  private set(type: GraphQLNamedType, depth: number, inFragment = false): string {
    const g = this.g;
    if (isUnionType(type)) {
      const members = some(g, type.getTypes(), 3);
      return `{ __typename ${members.map((m) => `... on ${m.name} ${this.set(m, depth)}`).join(' ')} }`;
    }
    if (!isObjectType(type)) return '{ __typename }';
    const reuse = this.done.get(type.name);
    if (reuse?.length && chance(g, 30)) return `{ ...${pick(g, reuse)} }`;
    if (depth > 0 && !inFragment && chance(g, 25)) return `{ ...${this.fragment(type, depth)} }`;

    const fields = Object.values(type.getFields()).filter((f) => {
      const named = getNamedType(f.type);
      const leaf = isScalarType(named) || isEnumType(named);
      // At the depth limit only leaves; no field needing an argument other than `id`.
      return (
        (leaf || depth < MAX_DEPTH) &&
        f.args.every((a) => !isNonNullType(a.type) || a.name === 'id')
      );
    });
    const parts = fields.length ? some(g, fields, 3).map((f) => this.field(f, depth)) : [];
    if (!parts.length || chance(g, 10)) parts.push('__typename');
    if (reuse?.length && chance(g, 30)) parts.push(`...${pick(g, reuse)}`);
    if (chance(g, 10)) parts.push(`... on ${type.name} { __typename }`);
    return `{ ${parts.join(' ')} }`;
  }

  private fragment(type: GraphQLObjectType, depth: number): string {
    const name = this.fresh('F');
    const body = this.set(type, depth, true);
    this.fragments.push(`fragment ${name} on ${type.name} ${body}`);
    this.done.set(type.name, [...(this.done.get(type.name) ?? []), name]);
    return name;
  }
}

const operations = fc.gen().map((g) => new Builder(g).operation(schema.getQueryType()!));

// ---------------------------------------------------------------- the property

async function execute(target: Stack, op: Operation) {
  stack.sandbox.clearRequests();
  const response = await target.graphql(op.query, op.variables);
  return {
    status: response.status,
    calls: Number(response.headers['x-resolver-calls']),
    upstreamCalls: stack.sandbox.requests().length,
    body: response,
  };
}

function measureOf(op: Operation) {
  const document = parse(op.query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  )!;
  return measureOperation(schema, operation, fragmentsOf(document), op.variables);
}

describe('the cost model', () => {
  it('never counts fewer resolver calls, nor fewer upstream calls, than an operation makes', async () => {
    const seen = {
      executed: 0,
      withFragments: 0,
      withDefaults: 0,
      maxCalls: 0,
      maxUpstreamCalls: 0,
      joins: 0,
    };
    await fc.assert(
      fc.asyncProperty(operations, async (op) => {
        const { cost, upstreamCalls: bound } = measureOf(op);
        for (const [run, target] of [
          ['cold', stack],
          ['cached', cached],
        ] as const) {
          const result = await execute(target, op);
          const codes = (result.body.errors ?? []).map((e) => e.extensions?.code);
          // Every generated operation is valid and small: it runs, at worst with a missing id.
          expect(codes, `${op.query}\n${JSON.stringify(result.body.errors)}`).toEqual([]);
          expect(result.status).toBe(200);
          const what = `${run}:\n${op.query}\n${JSON.stringify(op.variables)}`;
          expect(
            cost,
            `cost ${cost} < ${result.calls} resolver calls, ${what}`,
          ).toBeGreaterThanOrEqual(result.calls);
          expect(
            bound,
            `upstream-call bound ${bound} < ${result.upstreamCalls} calls recorded, ${what}`,
          ).toBeGreaterThanOrEqual(result.upstreamCalls);
          seen.maxCalls = Math.max(seen.maxCalls, result.calls);
          seen.maxUpstreamCalls = Math.max(seen.maxUpstreamCalls, result.upstreamCalls);
        }
        seen.executed += 1;
        if (op.query.includes('fragment ')) seen.withFragments += 1;
        if (/\$n\d+: Int = /.test(op.query)) seen.withDefaults += 1;
        if (bound > 3) seen.joins += 1;
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 100),
        ...seed(),
        ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
      },
    );
    // The runs covered what the property is about.
    expect(seen.withFragments).toBeGreaterThan(10);
    expect(seen.withDefaults).toBeGreaterThan(10);
    expect(seen.maxCalls).toBeGreaterThan(50);
    expect(seen.maxUpstreamCalls).toBeGreaterThan(5);
    expect(seen.joins).toBeGreaterThan(10);
  });
});
