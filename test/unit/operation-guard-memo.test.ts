/**
 * What the operation guard remembers (src/guard/operationGuard.ts) is bounded:
 * a client sending ever new variables to one document, or huge variables,
 * cannot grow it past MAX_REMEMBERED_PER_OPERATION keys of at most
 * MAX_REMEMBERED_VARIABLES_CHARS each.
 */
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  MAX_REMEMBERED_PER_OPERATION,
  MAX_REMEMBERED_VARIABLES_CHARS,
  passedOperations,
} from '../../src/guard/operationGuard.js';

const operationOf = (text: string) =>
  parse(text).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;

describe('the passed-operations memo', () => {
  it('keys an operation without variables by nothing, one with variables by their JSON', () => {
    const passed = passedOperations();
    expect(passed.key(operationOf('{ incidents { totalCount } }'), { first: 1 })).toBe('');
    const withVariables = operationOf('query Q($n: Int) { incidents(first: $n) { totalCount } }');
    expect(passed.key(withVariables, { n: 2 })).toBe('{"n":2}');
    expect(passed.key(withVariables, { n: 3 })).not.toBe(passed.key(withVariables, { n: 2 }));
  });

  it('does not remember variables longer than the bound', () => {
    const passed = passedOperations();
    const operation = operationOf(
      'query Q($s: String) { incidents(filter: { search: $s }) { totalCount } }',
    );
    expect(
      passed.key(operation, { s: 'x'.repeat(MAX_REMEMBERED_VARIABLES_CHARS) }),
    ).toBeUndefined();
    expect(passed.key(operation, { s: 'x'.repeat(10) })).toBeDefined();
  });

  it('holds at most MAX_REMEMBERED_PER_OPERATION variable sets per operation', () => {
    const passed = passedOperations();
    const operation = operationOf('query Q($n: Int) { incidents(first: $n) { totalCount } }');
    const keys = Array.from({ length: MAX_REMEMBERED_PER_OPERATION + 1 }, (_, n) =>
      passed.key(operation, { n }),
    ) as string[];
    for (const key of keys.slice(0, MAX_REMEMBERED_PER_OPERATION)) passed.add(operation, key);
    expect(keys.slice(0, MAX_REMEMBERED_PER_OPERATION).every((k) => passed.has(operation, k))).toBe(
      true,
    );
    passed.add(operation, keys[MAX_REMEMBERED_PER_OPERATION]!);
    const held = keys.filter((k) => passed.has(operation, k));
    expect(held.length).toBeLessThanOrEqual(MAX_REMEMBERED_PER_OPERATION);
    expect(passed.has(operation, keys[MAX_REMEMBERED_PER_OPERATION]!)).toBe(true);
    expect(passed.has(operation, keys[0]!)).toBe(false);
  });
});
