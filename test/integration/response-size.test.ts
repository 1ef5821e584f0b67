/**
 * MAX_RESPONSE_BYTES: a response that would be larger is replaced by one
 * RESPONSE_TOO_LARGE error (no partial body), the operation log records the
 * status the client got, and a live event over the bound becomes an error
 * for its subscriber alone. The attack, scaled down: roles with long
 * descriptions, read through every responder of 100 incidents (1 MB
 * descriptions made 181 MB; three aliases a V8 `Invalid string length`).
 */
import { describe, expect, it } from 'vitest';
import { oneUptime } from '../support/oneuptime.js';
import { subscribeWs, waitForSubscribers, wsClient } from '../support/live.js';
import { ASSIGN, UNASSIGN } from '../support/selections.js';
import { useStack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const RESPONDER_ROLES = `{
  incidents(first: 100) { edges { node { id responders { id role { name description } } } } }
}`;

describe('over HTTP', () => {
  const stack = useStack({ resetEach: true, env: { MAX_RESPONSE_BYTES: '1048576' } });

  it('replaces a response over the bound with RESPONSE_TOO_LARGE, and logs the real status', async () => {
    for (const role of stack.sandbox.seed.roles) {
      const write = await oneUptime(stack.sandbox, `/api/incident-role/${role._id}`, 'PUT', {
        data: { description: 'x'.repeat(20_000) },
      });
      expect(write.status).toBe(200);
    }
    stack.logs.clear();
    const answer = await stack.graphql(`query Responders ${RESPONDER_ROLES}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      errors: [
        {
          message:
            'The response would be larger than MAX_RESPONSE_BYTES (1048576 bytes), so none of it was sent: ask for fewer items (a lower "first") or fewer fields.',
          extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes: 1_048_576 },
        },
      ],
    });
    const logged = stack.logs.entries().filter((entry) => entry.msg === 'graphql operation');
    expect(logged).toEqual([
      expect.objectContaining({
        operationName: 'Responders',
        status: 400,
        errorCodes: ['RESPONSE_TOO_LARGE'],
      }),
    ]);
  });

  it('sends a response within the bound as it is', async () => {
    const answer = await stack.graphql(RESPONDER_ROLES);
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(Buffer.byteLength(answer.text)).toBeLessThan(1_048_576);
  });
});

describe('a mutation whose answer is over the bound', () => {
  const stack = useStack({ resetEach: true, env: { MAX_RESPONSE_BYTES: '1024' } });

  it('says its writes were applied', async () => {
    const ids = stack.sandbox.seed.incidents.slice(0, 5).map((incident) => incident.id);
    const userId = stack.sandbox.seed.users.at(-1)!.id;
    const answer = await stack.graphql(
      `mutation Assign($input: AssignIncidentsInput!) {
        assignIncidents(input: $input) { incidents { id name description events { id } } }
      }`,
      { input: { incidentIds: ids, userId } },
    );
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
    expect(answer.errors?.[0]?.message).toMatch(/^The mutation ran and its writes were applied/);
    const assigned = stack.sandbox
      .requests('coralogix')
      .filter((request) => request.method === 'POST' && request.path.endsWith('/all/by-user'));
    expect(assigned).toHaveLength(1);
    expect(assigned[0]?.status).toBe(200);
  });
});

describe('a live event over the bound', () => {
  const stack = useStack({
    resetEach: true,
    env: { MAX_RESPONSE_BYTES: '1024', LIVE_POLL_INTERVAL_MS: '3600000' },
  });

  it('becomes a RESPONSE_TOO_LARGE error for that subscriber; the others get theirs', async () => {
    const client = wsClient(stack.gateway.url);
    const large = subscribeWs(
      client,
      `subscription { incidentChanged { kind incident { id name description events { id type } contextualLabels { key value } displayLabels { key value } metaLabels { key value } } } }`,
    );
    const small = subscribeWs(client, `subscription { incidentChanged { kind incident { id } } }`);
    try {
      await waitForSubscribers(stack.gateway.url, 'ws', 2);
      const incident = stack.sandbox.seed.incidents.find((i) => i.events.length >= 5)!;
      const answer = await stack.graphql(UNASSIGN, { input: { incidentIds: [incident.id] } });
      expect(answer.errors).toBeUndefined();
      await waitFor('both events', () => large.events.length > 0 && small.events.length > 0);
      expect(large.events[0]).toEqual({
        errors: [
          {
            message:
              'This event would be larger than MAX_RESPONSE_BYTES (1024 bytes), so none of it was sent: ask for fewer items (a lower "first") or fewer fields.',
            extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes: 1024 },
          },
        ],
      });
      expect(small.events[0]).toEqual({
        data: { incidentChanged: { kind: expect.any(String), incident: { id: incident.id } } },
      });
      // The subscription stays: later events come as they are when they fit.
      await stack.graphql(ASSIGN, {
        input: { incidentIds: [incident.id], userId: stack.sandbox.seed.users[0]!.id },
      });
      await waitFor('the next events', () => small.events.length > 1 && large.events.length > 1);
      expect(large.error).toBeUndefined();
    } finally {
      large.stop();
      small.stop();
      await client.dispose();
    }
  });
});
