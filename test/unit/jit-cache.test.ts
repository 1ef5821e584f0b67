/**
 * The compiled executor's cache (src/graphql/jit.ts): a document is compiled
 * the second time it runs, so a flood of distinct documents sent once each
 * compiles none, and only the most recently run documents keep theirs.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compiledExecutor } from '../../src/graphql/jit.js';

const schema = makeExecutableSchema({
  typeDefs: 'type Query { hello(name: String): String }',
  resolvers: { Query: { hello: (_: unknown, args: { name?: string }) => `hi ${args.name ?? ''}` } },
});

function run(executor: ReturnType<typeof compiledExecutor>, document: DocumentNode) {
  const operation = document.definitions[0] as OperationDefinitionNode;
  return executor({
    document,
    operation,
    request: { variables: {} },
    context: {},
  } as unknown as Parameters<typeof executor>[0]);
}

describe('the compiled executor’s cache', () => {
  it('compiles a document the second time it runs, with the same answer both times', async () => {
    const executor = compiledExecutor(schema);
    const document = parse('{ hello(name: "a") }');
    const first = await run(executor, document);
    expect(executor.compiledDocuments()).toBe(0);
    const second = await run(executor, document);
    expect(executor.compiledDocuments()).toBe(1);
    expect(second).toEqual(first);
    expect(first).toEqual({ data: { hello: 'hi a' } });
  });

  it('compiles none of a flood of distinct documents sent once each', async () => {
    const executor = compiledExecutor(schema);
    for (let i = 0; i < 50; i++) await run(executor, parse(`{ hello(name: "${i}") }`));
    expect(executor.compiledDocuments()).toBe(0);
  });

  it('keeps the compiled operations of the most recently run documents only', async () => {
    const executor = compiledExecutor(schema, 2);
    const documents = ['a', 'b', 'c'].map((name) => parse(`{ hello(name: "${name}") }`));
    for (const document of documents) {
      await run(executor, document);
      await run(executor, document);
    }
    expect(executor.compiledDocuments()).toBe(2);
  });

  it('takes a dropped document for a new one: compiled again only on its second run', async () => {
    const executor = compiledExecutor(schema, 1);
    const [a, b] = ['a', 'b'].map((name) => parse(`{ hello(name: "${name}") }`));
    for (const document of [a!, a!, b!, b!]) await run(executor, document);
    // "a" was dropped for "b". Run once again, it runs uncompiled: "b" stays.
    expect(await run(executor, a!)).toEqual({ data: { hello: 'hi a' } });
    expect(executor.holds(a!)).toBe(false);
    expect(executor.holds(b!)).toBe(true);
    // Its second run compiles it again.
    await run(executor, a!);
    expect(executor.holds(a!)).toBe(true);
    expect(executor.compiledDocuments()).toBe(1);
  });
});
