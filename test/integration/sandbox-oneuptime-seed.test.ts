/**
 * The seeded OneUptime data as a client sees it over HTTP: OneUptime incidents
 * with ids of their own, linked to Coralogix incidents through
 * `customFields.coralogixIncidentId` (most), not linked (some), one Coralogix
 * id claimed twice, OneUptime-only incidents, and every timeline entry, SLA
 * and member belonging to a OneUptime incident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { LINK_FIELD } from '../../src/sandbox/seed.js';
import { type Json, oneUptime, plain } from '../support/oneuptime.js';

interface ListReply {
  data: Json[];
  count: number;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

async function list(resource: string, body: Json): Promise<ListReply> {
  const reply = await oneUptime<ListReply>(
    sandbox,
    `/api/${resource}/get-list?limit=10000`,
    'POST',
    body,
  );
  expect(reply.status).toBe(200);
  return reply.body;
}
const coralogixIds = () => sandbox.seed.incidents.map((i) => i.id);

/** Coralogix id → the OneUptime incidents claiming it, oldest first, asked 200 ids at a time. */
async function claims(): Promise<Map<string, Json[]>> {
  const out = new Map<string, Json[]>();
  const ids = coralogixIds();
  for (let i = 0; i < ids.length; i += 200) {
    const page = await list('incident', {
      query: {
        customFields: { [LINK_FIELD]: { _type: 'Includes', value: ids.slice(i, i + 200) } },
      },
      select: { customFields: true, createdAt: true },
      sort: { createdAt: 'ASC' },
    });
    for (const row of page.data) {
      const link = String((row.customFields as Json)[LINK_FIELD]);
      out.set(link, [...(out.get(link) ?? []), row]);
    }
  }
  return out;
}

describe('the seeded OneUptime incidents', () => {
  it('have ids of their own, never a Coralogix incident id', async () => {
    const page = await list('incident', {});
    expect(page.count).toBe(sandbox.seed.oneUptimeIncidents.length);
    const coralogix = new Set(coralogixIds());
    expect(page.data.filter((row) => coralogix.has(String(row._id)))).toEqual([]);
  });

  it('link most Coralogix incidents, leave some unlinked, and claim one id twice', async () => {
    const byLink = await claims();
    const unlinked = coralogixIds().filter((id) => !byLink.has(id));
    expect(byLink.size).toBeGreaterThan(coralogixIds().length * 0.8);
    expect(unlinked.length).toBeGreaterThan(0);
    const conflicts = [...byLink.values()].filter((rows) => rows.length > 1);
    expect(conflicts).toHaveLength(1);
    const [first, second] = conflicts[0]!;
    expect(String(plain(second?.createdAt)) > String(plain(first?.createdAt))).toBe(true);
  });

  it('include a few OneUptime-only incidents, and other custom-field keys beside the link', async () => {
    const own = await list('incident', {
      query: { customFields: { [LINK_FIELD]: { _type: 'IsNull' } } },
      select: { customFields: true },
    });
    expect(own.count).toBeGreaterThanOrEqual(3);
    const linkedWithTeam = await list('incident', {
      query: { customFields: { [LINK_FIELD]: { _type: 'NotNull' }, team: { _type: 'NotNull' } } },
    });
    expect(linkedWithTeam.count).toBeGreaterThan(0);
    expect(own.data.some((row) => Object.keys((row.customFields as Json) ?? {}).length > 0)).toBe(
      true,
    );
  });

  it('own every timeline entry, SLA and member', async () => {
    const incidents = new Set((await list('incident', {})).data.map((row) => row._id));
    for (const resource of ['incident-state-timeline', 'incident-sla', 'incident-member']) {
      const page = await list(resource, { select: { incidentId: true } });
      expect(page.count, resource).toBeGreaterThan(0);
      const orphans = page.data.filter((row) => !incidents.has(plain(row.incidentId)));
      expect(orphans, resource).toEqual([]);
    }
  });

  it('are in the state of their latest timeline entry', async () => {
    const incidents = await list('incident', { select: { currentIncidentStateId: true } });
    const entries = await list('incident-state-timeline', {
      select: { incidentId: true, incidentStateId: true, endsAt: true },
      query: { endsAt: null },
    });
    const latest = new Map(
      entries.data.map((e) => [plain(e.incidentId), plain(e.incidentStateId)]),
    );
    expect(entries.count).toBe(incidents.count);
    for (const row of incidents.data) {
      expect(latest.get(row._id)).toBe(plain(row.currentIncidentStateId));
    }
  });
});
