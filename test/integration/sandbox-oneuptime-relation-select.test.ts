/**
 * The OneUptime emulator checks every key of a nested (relation) `select` as
 * `QueryPermission.checkRelationQueryPermission` does (OneUptime ab6f409):
 * unknown columns and columns without `canReadOnRelationQuery` are 400, and
 * every nested column the gateway itself selects is allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ONEUPTIME_RESOURCES, selectOf } from '../../src/upstreams/oneuptime/resources.js';
import { type Json, oneUptime } from '../support/oneuptime.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

const list = (resource: string, select: unknown) =>
  oneUptime<Json>(sandbox, `/api/${resource}/get-list?limit=1`, 'POST', { select });
const error = (message: string) => ({ status: 400, body: { error: message } });

describe('OneUptime emulator: nested select checks', () => {
  it.each(ONEUPTIME_RESOURCES)('accepts the select the gateway sends for %s', async (resource) => {
    const reply = await list(resource, selectOf(resource));
    expect(reply.status).toBe(200);
  });

  it('renders the nested state and severity the gateway selects', async () => {
    const reply = await list('incident', selectOf('incident'));
    const [row] = (reply.body as { data: Array<Record<string, Record<string, unknown>>> }).data;
    expect(Object.keys(row!.currentIncidentState!).sort()).toEqual(
      [
        '_id',
        'name',
        'color',
        'order',
        'isCreatedState',
        'isAcknowledgedState',
        'isResolvedState',
      ].sort(),
    );
    expect(Object.keys(row!.incidentSeverity!).sort()).toEqual(
      ['_id', 'name', 'color', 'order'].sort(),
    );
  });

  it('refuses a nested column the related model does not have', async () => {
    expect(await list('incident', { currentIncidentState: { name: true, nope: true } })).toEqual(
      error('Column nope not found on Incident State'),
    );
    expect(await list('incident-state-timeline', { incident: { name: true } })).toEqual(
      error('Column name not found on Incident'),
    );
  });

  it('refuses a nested column that is not readable on a relation query', async () => {
    expect(await list('incident', { incidentSeverity: { description: true } })).toEqual(
      error('Column description on Incident Severity does not support read on relation query.'),
    );
    expect(await list('incident-member', { incidentRole: { isPrimaryRole: true } })).toEqual(
      error('Column isPrimaryRole on Incident Role does not support read on relation query.'),
    );
  });

  it('checks a nested key whatever its value, and allows the base columns', async () => {
    expect(await list('incident', { currentIncidentState: { slug: false } })).toEqual(
      error('Column slug on Incident State does not support read on relation query.'),
    );
    const reply = await list('incident', { currentIncidentState: { createdAt: true } });
    expect(reply.status).toBe(200);
  });

  it('checks top-level names before nested ones', async () => {
    expect(await list('incident', { currentIncidentState: { nope: true }, nope: true })).toEqual(
      error('Invalid select clause. The specified column does not exist.'),
    );
  });
});
