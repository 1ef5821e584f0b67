/**
 * ListIncidents' `pagination.pageSize` range in the Coralogix emulator:
 * 1..10000, as `incidents.v1.PaginationRequest` in the vendor SDK's
 * `go/openapi/gen/incidents_service/api/openapi.yaml` (4464b2b3) declares it;
 * the event feed's 1000 is that operation's own exception.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type {
  CoralogixErrorBody,
  ListIncidentsResponse,
} from '../../src/upstreams/coralogix/incidents/types.js';
import { cx } from '../support/coralogix.js';

const INCIDENT_COUNT = 1100;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ incidentCount: INCIDENT_COUNT, caseCount: 10 });
});

afterAll(async () => {
  await sandbox.stop();
});

const list = (pageSize: number, pageToken?: string) =>
  cx<ListIncidentsResponse>(sandbox, 'POST', '/incidents/incidents/v1', {
    body: { pagination: { pageSize, ...(pageToken ? { pageToken } : {}) } },
  });

describe('Coralogix emulator: ListIncidents page size', () => {
  it('serves a page of more than 1000 incidents, then the rest', async () => {
    const first = await list(1050);
    expect(first.status).toBe(200);
    expect(first.body.incidents).toHaveLength(1050);
    expect(first.body.pagination.totalSize).toBe(INCIDENT_COUNT);
    const pageToken = first.body.pagination.nextPageToken;
    expect(pageToken).toBeDefined();

    const rest = await list(1050, pageToken);
    expect(rest.status).toBe(200);
    expect(rest.body.incidents).toHaveLength(INCIDENT_COUNT - 1050);
    expect(rest.body.pagination).toEqual({ totalSize: INCIDENT_COUNT });
  });

  it('accepts the schema maximum of 10000', async () => {
    const reply = await list(10000);
    expect(reply.status).toBe(200);
    expect(reply.body.incidents).toHaveLength(INCIDENT_COUNT);
    expect(reply.body.pagination).toEqual({ totalSize: INCIDENT_COUNT });
  });

  it('describes the same range in the OpenAPI document it serves', async () => {
    const origin = new URL(sandbox.coralogix.url).origin;
    const document = (await (await fetch(`${origin}/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties: Record<string, { maximum?: number }> }> };
    };
    expect(document.components.schemas.PaginationRequest?.properties.pageSize?.maximum).toBe(10000);
  });

  it('rejects 10001 with 400 in the v5 error form', async () => {
    const reply = await cx<CoralogixErrorBody>(sandbox, 'POST', '/incidents/incidents/v1', {
      body: { pagination: { pageSize: 10001 } },
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      code: 400,
      message: 'pagination.pageSize must be between 1 and 10000',
    });
  });
});
