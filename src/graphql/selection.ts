/**
 * The one reading of what an operation selects: its fragments, the fields of
 * a selection set with spreads and inline fragments expanded, and whether it
 * is introspection only. The operation limits, the OneUptime column pushdown
 * and the shared response cache all use these, so they cannot disagree.
 */
import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null) as Record<
    string,
    FragmentDefinitionNode
  >;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

/** `__schema`, `__type` and `__typename`: answered by graphql-js, never by an upstream. */
export function isMetaField(name: string): boolean {
  return name.startsWith('__');
}

/**
 * The fields one selection set selects, with spreads and inline fragments of
 * that level expanded, type conditions ignored. A fragment is expanded once
 * per level, as graphql-js's field collection does, so repeated spreads cost
 * nothing here.
 */
export function fieldsOf(set: SelectionSetNode, fragments: Fragments): FieldNode[] {
  const out: FieldNode[] = [];
  const visited = new Set<string>();
  const collect = (current: SelectionSetNode) => {
    for (const selection of current.selections) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(set);
  return out;
}

/** True when every root field is `__schema`, `__type` or `__typename`. */
export function isIntrospectionOnly(
  operation: OperationDefinitionNode,
  fragments: Fragments,
): boolean {
  return fieldsOf(operation.selectionSet, fragments).every((field) =>
    isMetaField(field.name.value),
  );
}
