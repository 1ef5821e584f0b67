import { buildSchema, parse, type FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Fragments } from '../../src/graphql/selection.js';
import { walkFragmentsOnce } from '../../src/guard/operationReader.js';

const schema = buildSchema('type Query { a: A } type A { b: Int, a: A }');
const fragmentsOf = (source: string): Fragments =>
  Object.fromEntries(
    parse(source)
      .definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition')
      .map((d) => [d.name.value, d]),
  );

describe('walkFragmentsOnce (the cost and upstream-call walks share it)', () => {
  it('walks a fragment once per variant and reuses the result at every spread', () => {
    const seen: string[] = [];
    const walk = walkFragmentsOnce(
      schema,
      fragmentsOf('fragment F on A { b }'),
      'empty',
      (set, type, variant) => {
        seen.push(`${type.name}@${variant}`);
        return `${set.selections.length}@${variant}`;
      },
    );
    expect([walk('F', 1), walk('F', 1), walk('F', 2), walk('F', 1)]).toEqual([
      '1@1',
      '1@1',
      '1@2',
      '1@1',
    ]);
    expect(seen).toEqual(['A@1', 'A@2']);
  });

  it('gives the empty value for an unknown fragment or type', () => {
    const walk = walkFragmentsOnce(schema, fragmentsOf('fragment G on Nope { b }'), 0, () => 1);
    expect(walk('G', 1)).toBe(0);
    expect(walk('Missing', 1)).toBe(0);
  });

  it('refuses a fragment that reaches itself with QUERY_TOO_COMPLEX', () => {
    const walk: (name: string, variant: number) => number = walkFragmentsOnce(
      schema,
      fragmentsOf('fragment F on A { a { ...F } }'),
      0,
      () => walk('F', 1),
    );
    expect(() => walk('F', 1)).toThrow(
      expect.objectContaining({
        message: 'Fragment "F" spreads itself.',
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }),
      }),
    );
  });
});
