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
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

const coralogixSource = process.env.BENCH_CORALOGIX_OPENAPI;
const oneuptimeSource = process.env.BENCH_ONEUPTIME_OPENAPI;
const workdir = process.env.BENCH_MESH_WORKDIR;
if (!coralogixSource || !oneuptimeSource || !workdir) {
  throw new Error(
    'Set BENCH_CORALOGIX_OPENAPI, BENCH_ONEUPTIME_OPENAPI and BENCH_MESH_WORKDIR (bench/run.ts does).',
  );
}

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
  // Timelines oldest first, SLAs newest first: the orders the gateway returns.
  IncidentStateTimelineSort: { startsAt: 'ASC' },
  IncidentSlaSort: { createdAt: 'DESC' },
};

const oneuptime = (await (await fetch(oneuptimeSource)).json()) as OpenApiDocument;
for (const [schema, value] of Object.entries(JOIN_DEFAULTS)) {
  const target = oneuptime.components.schemas[schema];
  if (!target) throw new Error(`OneUptime document has no schema ${schema}`);
  target.default = value;
}
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
        selectQueryOrMutationField: reads(['listIncidents', 'batchGetIncidents']),
      }),
    },
    {
      sourceHandler: loadOpenAPISubgraph('OneUptime', {
        source: oneuptimeFile,
        operationHeaders: { ApiKey: '{env.BENCH_ONEUPTIME_API_KEY}' },
        ignoreErrorResponses: true,
        selectQueryOrMutationField: reads(
          ['IncidentStateTimeline', 'IncidentRole', 'IncidentSla'].flatMap((model) => [
            `list${model}s`,
            `count${model}s`,
            `get${model}`,
          ]),
        ),
      }),
    },
  ],
  additionalTypeDefs: /* GraphQL */ `
    extend type Incident {
      stateTimeline: [IncidentStateTimeline!]
        @resolveTo(
          sourceName: "OneUptime"
          sourceTypeName: "Query"
          sourceFieldName: "listIncidentStateTimelines"
          keyField: "id"
          keysArg: "input.query.incidentId"
          valueKeyField: "incidentId.value"
          additionalArgs: { limit: 1000 }
          result: "data"
        )
      slas: [IncidentSla!]
        @resolveTo(
          sourceName: "OneUptime"
          sourceTypeName: "Query"
          sourceFieldName: "listIncidentSlas"
          keyField: "id"
          keysArg: "input.query.incidentId"
          valueKeyField: "incidentId.value"
          additionalArgs: { limit: 1000 }
          result: "data"
        )
    }
    extend type IncidentStateTimeline {
      incident: Incident
        @resolveTo(
          sourceName: "Coralogix"
          sourceTypeName: "Query"
          sourceFieldName: "getIncident"
          requiredSelectionSet: "{ incidentId { value } }"
          sourceArgs: { id: "{root.incidentId.value}" }
          result: "incident"
        )
    }
    extend type IncidentSla {
      incident: Incident
        @resolveTo(
          sourceName: "Coralogix"
          sourceTypeName: "Query"
          sourceFieldName: "getIncident"
          requiredSelectionSet: "{ incidentId { value } }"
          sourceArgs: { id: "{root.incidentId.value}" }
          result: "incident"
        )
    }
  `,
});
