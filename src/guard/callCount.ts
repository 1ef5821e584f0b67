/**
 * The upper bound on the upstream calls an operation can cause, from the call
 * model in upstreamCalls.ts: walks the operation once, knowing at every
 * selection set how many parent instances reach it (the product of the list
 * factors above it, `first` or the documented rows per parent).
 *
 * A selection set is one level: its fields that name the same batched loader
 * share that loader's calls, ceil(keys / keysPerCall) × pages, where keys are
 * the set's parent instances times the fields asking. Fragments are merged
 * into the set they are spread in (so they share its level), and each
 * (fragment, instances) pair is walked once, so the walk stays linear in the
 * document even when fragments spread each other many times. Introspection
 * makes no upstream call and is not walked.
 */
import {
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isIntrospectionType,
  isObjectType,
  type GraphQLCompositeType,
  type SelectionSetNode,
} from 'graphql';
import { isMetaField, type Fragments } from '../graphql/selection.js';
import { inlineFragmentType, walkFragmentsOnce, type OperationReader } from './operationReader.js';
import { UPSTREAM_CALLS, type CallRule, type Loader } from './upstreamCalls.js';

export interface CallCountOptions {
  /** False: loaders neither batch nor cache (the bench's naive baseline); every load is a call. */
  batching?: boolean;
  /** The call model; UPSTREAM_CALLS unless a test gives another. */
  table?: Readonly<Record<string, readonly CallRule[]>>;
}

/** A loader that fields of one set use: shared by them at that level. */
interface LoaderUse {
  kind: 'batched' | 'perItem' | 'perRequest';
  loader: Loader | string;
  /** Where its keys come from: `parent` (one per parent instance), or each `…ById` selection. */
  keys: Set<string>;
  /** The selections (response keys) asking: without batching, each one is a load of its own. */
  selections: Set<string>;
}

/** The calls of one selection set for its parent instances; `own` is still shared with siblings. */
interface SetCalls {
  own: Map<string, LoaderUse>;
  /** Calls already counted: per-parent calls and everything below the set's fields. */
  calls: number;
  /** Loaders read once per operation, used anywhere at or below the set. */
  once: Set<string>;
}

const nameOf = (use: { loader: Loader | string }) =>
  typeof use.loader === 'string' ? use.loader : use.loader.name;

function addRule(own: Map<string, LoaderUse>, rule: CallRule, responseKey: string) {
  if (rule.kind === 'perParent') return;
  const key = `${rule.kind}:${nameOf(rule)}`;
  const source =
    rule.kind !== 'perRequest' && rule.bySelection ? `selection:${responseKey}` : 'parent';
  const use = own.get(key) ?? { ...rule, keys: new Set(), selections: new Set() };
  use.keys.add(source);
  use.selections.add(responseKey);
  own.set(key, use);
}

function merge(into: SetCalls, from: SetCalls) {
  into.calls += from.calls;
  for (const name of from.once) into.once.add(name);
  for (const [key, use] of from.own) {
    const known = into.own.get(key);
    if (!known) {
      into.own.set(key, { ...use, keys: new Set(use.keys), selections: new Set(use.selections) });
      continue;
    }
    for (const source of use.keys) known.keys.add(source);
    for (const selection of use.selections) known.selections.add(selection);
  }
}

/** A set's calls once its level is complete: its shared loaders for `instances` parents. */
function settle(set: SetCalls, instances: number, batching: boolean): number {
  let calls = set.calls;
  for (const use of set.own.values()) {
    const pages = typeof use.loader === 'string' ? 1 : use.loader.pages;
    if (!batching) {
      calls += instances * use.selections.size * pages;
      continue;
    }
    const keys = instances * use.keys.size;
    if (use.kind === 'perRequest') set.once.add(nameOf(use));
    else if (use.kind === 'perItem') calls += keys;
    else {
      const { keysPerCall } = use.loader as Loader;
      calls += (Number.isFinite(keysPerCall) ? Math.ceil(keys / keysPerCall) : 1) * pages;
    }
  }
  return calls;
}

export function countUpstreamCalls(
  reader: OperationReader,
  root: GraphQLCompositeType,
  set: SelectionSetNode,
  fragments: Fragments,
  options: CallCountOptions = {},
): number {
  const batching = options.batching !== false;
  const table = options.table ?? UPSTREAM_CALLS;
  // `merge` only reads what it merges from, so every spread can share a fragment's calls.
  const walkFragment = walkFragmentsOnce<SetCalls>(
    reader.schema,
    fragments,
    { own: new Map(), calls: 0, once: new Set() },
    (fragmentSet, type, instances) => walkSet(fragmentSet, type, false, instances),
  );

  /**
   * The call rules of `parent.name`. Selected on an interface or union (a named
   * fragment on `LinkedToOneUptime`), the items may be of any of its types: the
   * rules of every one (one loader used by several counts once), never none.
   */
  const rulesOf = (parent: GraphQLCompositeType, name: string): readonly CallRule[] =>
    isAbstractType(parent)
      ? reader.schema
          .getPossibleTypes(parent)
          .flatMap((type) => table[`${type.name}.${name}`] ?? [])
      : (table[`${parent.name}.${name}`] ?? []);

  const walkSet = (
    current: SelectionSetNode,
    parent: GraphQLCompositeType,
    isRoot: boolean,
    instances: number,
  ): SetCalls => {
    const result: SetCalls = { own: new Map(), calls: 0, once: new Set() };
    for (const selection of current.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (isMetaField(name) || isIntrospectionType(parent)) continue;
        const field = reader.fieldDef(parent, name, isRoot);
        if (!field) continue;
        for (const rule of rulesOf(parent, name)) {
          if (rule.kind === 'perParent') {
            const args = (arg: string) => reader.argument(selection, field, arg);
            result.calls += instances * rule.calls(args);
          } else addRule(result.own, rule, selection.alias?.value ?? name);
        }
        const child = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(child)) continue;
        const below = instances * reader.listFactor(parent, field, selection);
        const childCalls = walkSet(selection.selectionSet, child, false, below);
        result.calls += settle(childCalls, below, batching);
        for (const once of childCalls.once) result.once.add(once);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const target = inlineFragmentType(reader.schema, selection, parent);
        // `... on LinkedToOneUptime` inside an Incident's selection selects Incident's fields.
        const narrowed =
          isAbstractType(target) && isObjectType(parent) && reader.schema.isSubType(target, parent)
            ? parent
            : target;
        merge(result, walkSet(selection.selectionSet, narrowed, isRoot, instances));
      } else {
        merge(result, walkFragment(selection.name.value, instances));
      }
    }
    return result;
  };

  const top = walkSet(set, root, true, 1);
  const calls = settle(top, 1, batching);
  return calls + top.once.size;
}
