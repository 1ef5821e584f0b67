/**
 * updateIncidentRole after its PUT has persisted (OneUptime answers the PUT
 * with `{}`, so the gateway reads the role back): a read-back that fails or
 * finds no role is reported as such, with what the update applied
 * (`extensions.applied`), never as a plain failure a client would retry.
 * What persisted is read from the emulator itself, never through the gateway.
 */
import { describe, expect, it } from 'vitest';
import { oneUptime } from '../support/oneuptime.js';
import { useStack } from '../support/stack.js';

const UPDATE_ROLE = `mutation ($id: ID!, $input: UpdateIncidentRoleInput!) {
  updateIncidentRole(id: $id, input: $input) { id description }
}`;
const READ_BACK = /^\/api\/incident-role\/[^/]+\/get-item$/;

describe('updateIncidentRole whose read-back fails after the PUT', () => {
  const stack = useStack({ env: { UPSTREAM_RETRIES: '0' }, resetEach: true });
  const role = () => stack.sandbox.seed.roles[1]!;
  /** The role's description as the emulator has it now. */
  const persisted = async (id: string) =>
    (
      await oneUptime<{ description?: string }>(
        stack.sandbox,
        `/api/incident-role/${id}/get-item`,
        'POST',
        { select: { description: true } },
      )
    ).body.description;
  const puts = () => stack.sandbox.requests('oneuptime').filter((r) => r.method === 'PUT');

  it('is UPSTREAM_UNAVAILABLE saying the update was applied, and what', async () => {
    const { _id: id } = role();
    stack.sandbox.setFault({
      upstream: 'oneuptime',
      method: 'POST',
      path: READ_BACK,
      status: 503,
      body: { error: 'Service Unavailable' },
    });

    const answer = await stack.graphql(UPDATE_ROLE, { id, input: { description: 'On call' } });

    expect(answer.data).toEqual({ updateIncidentRole: null });
    expect(answer.errors).toHaveLength(1);
    const error = answer.errors![0]!;
    expect(error.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'oneuptime',
      applied: { updatedIncidentRoleId: id, updatedFields: ['description'] },
    });
    expect(error.message).toMatch(
      new RegExp(
        `^Incident role "${id}" was updated \\(description\\)\\. Reading it back failed: `,
      ),
    );
    expect(puts()).toHaveLength(1);
    stack.sandbox.clearFaults();
    expect(await persisted(id)).toBe('On call');
  });

  it('is NOT_FOUND saying the update was applied when the role is gone by the read-back', async () => {
    const { _id: id } = role();
    // OneUptime answers 200 {} for an id that does not exist (client.ts getItem).
    stack.sandbox.setFault({
      upstream: 'oneuptime',
      method: 'POST',
      path: READ_BACK,
      status: 200,
      body: {},
    });

    const answer = await stack.graphql(UPDATE_ROLE, {
      id,
      input: { name: 'Scribe', description: 'Takes notes' },
    });

    expect(answer.data).toEqual({ updateIncidentRole: null });
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      applied: { updatedIncidentRoleId: id, updatedFields: ['name', 'description'] },
    });
    expect(answer.errors?.[0]?.message).toContain('was updated (name, description)');
    expect(puts()).toHaveLength(1);
  });
});
