/**
 * The OneUptime emulator's generic CRUD answers where they follow `BaseAPI.ts`
 * at ab6f409 to the letter: where skip and limit come from, how a negative one
 * fails, and the messages of a malformed id and of an update that finds no row.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { type Json, oneUptime } from '../support/oneuptime.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

interface ListBody {
  data: Json[];
  skip: number;
  limit: number;
}
const list = (search: string, body: Json = {}) =>
  oneUptime<ListBody>(sandbox, `/api/incident-sla/get-list${search}`, 'POST', body);

describe('OneUptime emulator: BaseAPI paging and messages', () => {
  it('reads skip and limit from the body when the query string has them empty', async () => {
    const reply = await list('?skip=&limit=', { skip: 2, limit: 3 });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toHaveLength(3);
    expect({ skip: reply.body.skip, limit: reply.body.limit }).toEqual({ skip: 0, limit: 10 });
    const fromStart = await list('', { limit: 5 });
    expect(reply.body.data.map((row) => row._id)).toEqual(
      fromStart.body.data.slice(2, 5).map((row) => row._id),
    );
  });

  it('refuses a negative skip or limit as PositiveNumber does', async () => {
    const error = { status: 400, body: { error: 'positiveNumber cannot be less than 0' } };
    expect(await list('?skip=-1')).toEqual(error);
    expect(await list('', { limit: -5 })).toEqual(error);
  });

  it('names a malformed id as ObjectID.validateUUID does', async () => {
    const reply = await oneUptime(sandbox, '/api/incident-sla/not-a-uuid/get-item', 'POST', {});
    expect(reply).toEqual({
      status: 400,
      body: {
        error:
          'Invalid ID format: "not-a-uuid". Expected a valid UUID (e.g., "550e8400-e29b-41d4-a716-446655440000").',
      },
    });
  });

  it('answers an update of a missing row with 422 and the lower-cased model name', async () => {
    const reply = await oneUptime(sandbox, `/api/incident-role/${randomUUID()}`, 'PUT', {
      data: { name: 'Scribe' },
    });
    expect(reply).toEqual({
      status: 422,
      body: {
        error:
          'Unable to update this incident role. It either does not exist, has been deleted, or you do not have permission to update it.',
      },
    });
  });
});
