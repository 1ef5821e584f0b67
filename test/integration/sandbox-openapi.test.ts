import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

describe('the emulators describe themselves at /openapi.json', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.stop());

  it.each([
    ['coralogix', '/incidents/incidents/v1'],
    ['coralogix', '/cases/cases/v1'],
    ['oneuptime', '/api/incident-sla/get-list'],
  ] as const)(
    '%s serves an OpenAPI 3 document without a key, pointing at itself',
    async (name, path) => {
      const origin = new URL(sandbox[name].url).origin;
      const response = await fetch(`${origin}/openapi.json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as {
        openapi: string;
        servers: Array<{ url: string }>;
        paths: Record<string, unknown>;
      };
      expect(document.openapi).toMatch(/^3\./);
      expect(document.servers[0]?.url).toBe(sandbox[name].url);
      expect(Object.keys(document.paths)).toContain(path);
    },
  );
});
