/**
 * `/readyz` with both Coralogix families (DESIGN 5c): a key may read only
 * Incidents or only Cases (an account on one model); the gateway is ready when
 * it reads at least one and the other fails only for a missing permission,
 * and says which family it reads. Permissions are taken away with a fault
 * rule answering 403 on a family's paths, as the emulator documents.
 */
import { describe, expect, it } from 'vitest';
import type { Readiness } from '../../src/http/readiness.js';
import { useStack } from '../support/stack.js';

const stack = useStack({ readinessCacheMs: 0, resetEach: true });
const forbid = (path: string) =>
  stack.sandbox.setFault({
    upstream: 'coralogix',
    path,
    status: 403,
    body: { code: 403, message: 'Forbidden' },
  });
const readyz = async () => {
  const response = await fetch(`${stack.gateway.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness };
};

describe('/readyz and the Coralogix families', () => {
  it('reads both: ready, both families ok, one list call each', async () => {
    stack.sandbox.clearRequests();
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.upstreams.coralogix).toEqual({
      ok: true,
      families: { incidents: { ok: true }, cases: { ok: true } },
    });
    const paths = stack.sandbox.requests('coralogix').map((r) => `${r.method} ${r.path}`);
    expect(paths.sort()).toEqual([
      'POST /mgmt/openapi/5/cases/cases/v1',
      'POST /mgmt/openapi/5/incidents/incidents/v1',
    ]);
  });

  it('a key without case permissions: ready on incidents, the cases family says what is missing', async () => {
    forbid('/cases/');
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.ready).toBe(true);
    expect(body.upstreams.coralogix).toEqual({
      ok: true,
      families: {
        incidents: { ok: true },
        cases: {
          ok: false,
          code: 'UPSTREAM_FORBIDDEN',
          message: expect.stringContaining('case:Read'),
        },
      },
    });
  });

  it('an account on Cases only: ready on cases, the incidents family says what is missing', async () => {
    forbid('/incidents/');
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.upstreams.coralogix.families).toEqual({
      incidents: {
        ok: false,
        code: 'UPSTREAM_FORBIDDEN',
        message: expect.stringContaining('incidents:read'),
      },
      cases: { ok: true },
    });
  });

  it('a key that reads neither family: not ready', async () => {
    forbid('/cases/');
    forbid('/incidents/');
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.upstreams.coralogix).toMatchObject({ ok: false, code: 'UPSTREAM_FORBIDDEN' });
  });
});
