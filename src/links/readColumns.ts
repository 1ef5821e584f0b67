/**
 * What a link read selects (issue 25). The link `get-list` (loader.ts) returns
 * OneUptime incident rows, and those rows prime the incident-by-id loader so a
 * linked `oneUptimeIncident { … }` costs no further call. Selecting every
 * column for that made the link page of 50 incidents 30 KB where the link
 * itself needs `_id`, the link field and `createdAt` (about a fifth of it).
 * So an operation's link reads select the link's own columns plus every
 * OneUptime incident column the operation can read anywhere (a field on
 * `OneUptimeIncident`, through fragments and at any depth): the rows still
 * prime every later read of the same incidents, and an operation that shows
 * no OneUptime incident column reads only the link.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  TypeInfo,
  isAbstractType,
  isObjectType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { GatewayContext } from '../context.js';
import { RESOURCES } from '../upstreams/oneuptime/resources.js';

/** The columns a link needs of each row for itself (`_id` always comes): its field and its age. */
export const LINK_COLUMNS: readonly string[] = ['customFields', 'createdAt'];

const memo = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly string[]>>();

/**
 * Every OneUptime incident column `document` can read, plus the link's own,
 * in declaration order. Once per parsed document (Apollo hands every request
 * with the same text the same tree).
 */
export function linkReadColumns(schema: GraphQLSchema, document: DocumentNode): readonly string[] {
  let byDocument = memo.get(schema);
  if (!byDocument) memo.set(schema, (byDocument = new WeakMap()));
  const known = byDocument.get(document);
  if (known) return known;
  const { graphqlType, fieldColumns, columnNames } = RESOURCES.incident;
  const named = schema.getType(graphqlType);
  const incidentType = isObjectType(named) ? named : undefined;
  const wanted = new Set(LINK_COLUMNS);
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || !incidentType) return;
        // A field on an interface OneUptimeIncident implements reads its columns too.
        const onIncident =
          parent === incidentType ||
          (isAbstractType(parent) && schema.isSubType(parent, incidentType));
        if (!onIncident) return;
        for (const column of fieldColumns[node.name.value] ?? []) wanted.add(column);
      },
    }),
  );
  const columns = columnNames.filter((name) => wanted.has(name));
  byDocument.set(document, columns);
  return columns;
}

/**
 * Sets the link reads of each request to what its operation can read. Requests
 * that run no Apollo operation (live events, writes' fresh reads) keep reading
 * every column.
 */
export function linkReadColumnsPlugin(schema: GraphQLSchema): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ document, contextValue }) => {
        const columns = linkReadColumns(schema, document);
        contextValue.links.readColumns(columns);
        contextValue.caseLinks.readColumns(columns);
      },
    }),
  };
}
