/**
 * GraphQL Mesh (v1, `mesh-compose`) over the OpenAPI documents the sandbox
 * emulators serve at `/openapi.json`, composed into a supergraph that Hive
 * Gateway serves. `bench/run.ts` runs `mesh-compose` with:
 *   BENCH_CORALOGIX_OPENAPI / BENCH_ONEUPTIME_OPENAPI  the documents' URLs
 *   BENCH_MESH_WORKDIR                                 a scratch folder
 * and Hive Gateway reads the API keys from BENCH_CORALOGIX_API_KEY /
 * BENCH_ONEUPTIME_API_KEY at run time (they are not written into the supergraph).
 *
 * Its best honest configuration, as far as we found (see bench/README.md):
 * - POST reads are Query fields; error responses are ignored (declared ones
 *   would turn every result into a union).
 * - Joins are `@resolveTo` in `additionalTypeDefs`, batched with `keysArg` +
 *   `valueKeyField` where the upstream can take many keys.
 * - A batched join cannot pass a OneUptime `select` or `sort`: `additionalArgs`
 *   is shallow-merged over the keys argument (both live in the body `input`).
 *   Without a select OneUptime returns only `_id`, so the join would match
 *   nothing and every list would be silently empty. The one workaround found
 *   is to give `select` and `sort` defaults in the OneUptime document (a
 *   GraphQL input default is filled in when the join leaves them out); that
 *   patch is applied here, to a copy, not to the published document.
 * - `limit` can be passed (it is a query-string argument, outside `input`),
 *   but a join is one call: Mesh cannot follow `skip` pages, so it asks for up
 *   to 1000 rows per batch and would silently truncate beyond that.
 * - Coralogix `batchGet` answers a map keyed by id, which becomes an untyped
 *   `JSON` field that `valueKeyField` cannot index, so `IncidentSla.incident`
 *   is one `GET /v1/incidents/{id}` per SLA.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createPrefixTransform,
  createRenameFieldTransform,
  createRenameTypeTransform,
  defineConfig,
} from '@graphql-mesh/compose-cli';
import { MapperKind } from '@graphql-tools/utils';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

const coralogixSource = process.env.BENCH_CORALOGIX_OPENAPI;
const oneuptimeSource = process.env.BENCH_ONEUPTIME_OPENAPI;
const workdir = process.env.BENCH_MESH_WORKDIR;
if (!coralogixSource || !oneuptimeSource || !workdir) {
  throw new Error(
    'Set BENCH_CORALOGIX_OPENAPI, BENCH_ONEUPTIME_OPENAPI and BENCH_MESH_WORKDIR (bench/run.ts does).',
  );
}

/** The OneUptime custom field holding the Coralogix id (`ONEUPTIME_LINK_FIELD`, the sandbox's). */
const LINK_FIELD = 'coralogixIncidentId';
/** The one holding a Coralogix case id (`ONEUPTIME_CASE_LINK_FIELD`, the sandbox's). */
const CASE_LINK_FIELD = 'coralogixCaseId';

interface OpenApiDocument {
  components: { schemas: Record<string, Record<string, unknown>> };
}

/**
 * Every column the graph exposes: a join's `select` is fixed at compose time,
 * so it must cover any query (the gateway selects only what each query reads).
 */
const selectAll = (columns: string[]) => Object.fromEntries(columns.map((c) => [c, true]));
const JOIN_DEFAULTS: Record<string, Record<string, unknown>> = {
  IncidentStateTimelineSelect: selectAll([
    'incidentId',
    'incidentStateId',
    'startsAt',
    'endsAt',
    'rootCause',
    'stateChangeLog',
    'createdByUserId',
    'shouldStatusPageSubscribersBeNotified',
    'subscriberNotificationStatus',
    'createdAt',
  ]),
  IncidentSlaSelect: selectAll([
    'incidentId',
    'incidentSlaRuleId',
    'status',
    'responseDeadline',
    'resolutionDeadline',
    'respondedAt',
    'resolvedAt',
    'slaStartedAt',
    'breachNotificationSentAt',
    'createdAt',
    'updatedAt',
  ]),
  // The link hop: the custom field is the join key, createdAt orders the claimants.
  IncidentSelect: selectAll([
    'title',
    'description',
    'declaredAt',
    'incidentNumber',
    'currentIncidentStateId',
    'incidentSeverityId',
    'customFields',
    'createdAt',
  ]),
  // Timelines oldest first, SLAs newest first: the orders the gateway returns.
  IncidentStateTimelineSort: { startsAt: 'ASC' },
  IncidentSlaSort: { createdAt: 'DESC' },
  // The oldest claimant of a Coralogix id first (DESIGN 5a: the oldest wins a conflict).
  IncidentSort: { createdAt: 'ASC' },
};

const oneuptime = (await (await fetch(oneuptimeSource)).json()) as OpenApiDocument;
for (const [schema, value] of Object.entries(JOIN_DEFAULTS)) {
  const target = oneuptime.components.schemas[schema];
  if (!target) throw new Error(`OneUptime document has no schema ${schema}`);
  target.default = value;
}
// `customFields` is free-form JSON in the API. Declaring the project's link field on the
// returned row gives Mesh a GraphQL path to match a batch on (`valueKeyField` must be
// selectable; a path into a JSON scalar is not). The query side stays JSON, so the keys
// go in as `{"customFields": {"<field>": [ids…]}}` (a list: any of them).
const incident = oneuptime.components.schemas.Incident as {
  properties: Record<string, Record<string, unknown>>;
};
incident.properties.customFields = {
  type: 'object',
  properties: { [LINK_FIELD]: { type: 'string' }, [CASE_LINK_FIELD]: { type: 'string' } },
};
mkdirSync(workdir, { recursive: true });
const oneuptimeFile = join(workdir, 'oneuptime.openapi.json');
writeFileSync(oneuptimeFile, JSON.stringify(oneuptime));

const reads = (fields: string[]) =>
  fields.map((fieldName) => ({ type: 'Query' as const, fieldName }));

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('Coralogix', {
        source: coralogixSource,
        operationHeaders: { Authorization: 'Bearer {env.BENCH_CORALOGIX_API_KEY}' },
        ignoreErrorResponses: true,
        selectQueryOrMutationField: reads(['listIncidents', 'batchGetIncidents', 'listCases']),
      }),
      // omnigraph 0.112 names the document's `Incident` schema `Incident2` (it is reached
      // through a nullable wrapper in the v5 responses); the name is given back here.
      transforms: [
        createRenameTypeTransform(({ typeName }) =>
          typeName === 'Incident2' ? 'Incident' : typeName,
        ),
      ],
    },
    {
      sourceHandler: loadOpenAPISubgraph('OneUptime', {
        source: oneuptimeFile,
        operationHeaders: { ApiKey: '{env.BENCH_ONEUPTIME_API_KEY}' },
        ignoreErrorResponses: true,
        selectQueryOrMutationField: reads(
          ['Incident', 'IncidentStateTimeline', 'IncidentRole', 'IncidentSla'].flatMap((model) => [
            `list${model}s`,
            `count${model}s`,
            `get${model}`,
          ]),
        ),
      }),
      // Both APIs name a type `Incident` (and `IncidentSeverity`, `IncidentState`) and a
      // field `listIncidents`: OneUptime's get a prefix so the two graphs compose.
      transforms: [
        createPrefixTransform({ value: 'OneUptime_' }),
        createRenameFieldTransform(
          ({ typeName, fieldName }) =>
            typeName === 'Query' || typeName === 'Mutation' ? `OneUptime_${fieldName}` : fieldName,
          MapperKind.ROOT_FIELD,
        ),
      ],
    },
  ],
  additionalTypeDefs: /* GraphQL */ `
    extend type Incident {
      """The link (DESIGN 5a): the OneUptime incidents whose custom field names this one, oldest first."""
      oneUptimeIncidents: [OneUptime_Incident!]
        @resolveTo(
          sourceName: "OneUptime"
          sourceTypeName: "Query"
          sourceFieldName: "OneUptime_listIncidents"
          keyField: "id"
          keysArg: "input.query.customFields.${LINK_FIELD}"
          valueKeyField: "customFields.${LINK_FIELD}"
          additionalArgs: { limit: 1000 }
          result: "data"
        )
    }
    extend type Case {
      """The case link (DESIGN 5c): the OneUptime incidents whose case field names this case, oldest first."""
      oneUptimeIncidents: [OneUptime_Incident!]
        @resolveTo(
          sourceName: "OneUptime"
          sourceTypeName: "Query"
          sourceFieldName: "OneUptime_listIncidents"
          keyField: "id"
          keysArg: "input.query.customFields.${CASE_LINK_FIELD}"
          valueKeyField: "customFields.${CASE_LINK_FIELD}"
          additionalArgs: { limit: 1000 }
          result: "data"
        )
    }
    extend type OneUptime_Incident {
      stateTimeline: [OneUptime_IncidentStateTimeline!]
        @resolveTo(
          sourceName: "OneUptime"
          sourceTypeName: "Query"
          sourceFieldName: "OneUptime_listIncidentStateTimelines"
          keyField: "_id"
          keysArg: "input.query.incidentId"
          valueKeyField: "incidentId.value"
          additionalArgs: { limit: 1000 }
          result: "data"
        )
      slas: [OneUptime_IncidentSla!]
        @resolveTo(
          sourceName: "OneUptime"
          sourceTypeName: "Query"
          sourceFieldName: "OneUptime_listIncidentSlas"
          keyField: "_id"
          keysArg: "input.query.incidentId"
          valueKeyField: "incidentId.value"
          additionalArgs: { limit: 1000 }
          result: "data"
        )
      """The Coralogix incident the link field names: one GET per OneUptime incident (see below)."""
      incident: Incident
        @resolveTo(
          sourceName: "Coralogix"
          sourceTypeName: "Query"
          sourceFieldName: "getIncident"
          requiredSelectionSet: "{ customFields { ${LINK_FIELD} } }"
          sourceArgs: { id: "{root.customFields.${LINK_FIELD}}" }
          result: "incident"
        )
    }
    extend type OneUptime_IncidentSla {
      oneUptimeIncident: OneUptime_Incident
        @resolveTo(
          sourceName: "OneUptime"
          sourceTypeName: "Query"
          sourceFieldName: "OneUptime_listIncidents"
          requiredSelectionSet: "{ incidentId { value } }"
          keyField: "incidentId.value"
          keysArg: "input.query._id"
          valueKeyField: "_id"
          additionalArgs: { limit: 1000 }
          result: "data"
        )
    }
    extend type OneUptime_IncidentStateTimeline {
      oneUptimeIncident: OneUptime_Incident
        @resolveTo(
          sourceName: "OneUptime"
          sourceTypeName: "Query"
          sourceFieldName: "OneUptime_listIncidents"
          requiredSelectionSet: "{ incidentId { value } }"
          keyField: "incidentId.value"
          keysArg: "input.query._id"
          valueKeyField: "_id"
          additionalArgs: { limit: 1000 }
          result: "data"
        )
    }
  `,
});
