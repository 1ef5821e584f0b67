/**
 * The OneUptime emulator's OpenAPI document (`src/sandbox/openapi/oneuptime.json`,
 * served at `/openapi.json`) describes every emulated resource as the
 * emulator's model declarations define it, so the two cannot drift apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { EMULATED_RESOURCES, MODELS } from '../../src/sandbox/oneuptime/models.js';

type Json = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, { properties?: Json; required?: string[] }> };
}

let sandbox: Sandbox;
let doc: Doc;
beforeAll(async () => {
  sandbox = await startSandbox();
  const res = await fetch(`${new URL(sandbox.oneuptime.url).origin}/openapi.json`);
  doc = (await res.json()) as Doc;
});
afterAll(() => sandbox.stop());

/** `incident-state` → `IncidentState`. */
const schemaName = (resource: string) =>
  resource.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());
const keys = (value: Json | undefined) => Object.keys(value ?? {}).sort();

describe('the OneUptime OpenAPI document', () => {
  it.each(['incident', 'incident-state', 'incident-severity', 'incident-member'])(
    'describes list, count, get, create, update and delete of %s',
    (resource) => {
      const base = `/api/${resource}`;
      expect(keys(doc.paths[`${base}/get-list`])).toEqual(['post']);
      expect(keys(doc.paths[`${base}/count`])).toEqual(['post']);
      expect(keys(doc.paths[`${base}/{id}/get-item`])).toEqual(['post']);
      expect(keys(doc.paths[base])).toEqual(['post']);
      expect(keys(doc.paths[`${base}/{id}`])).toEqual(['delete', 'put']);
    },
  );

  it.each([...EMULATED_RESOURCES])(
    'lists exactly the columns the emulator knows of %s',
    (resource) => {
      const def = MODELS[resource];
      const name = schemaName(resource);
      const schemas = doc.components.schemas;
      const columns = [...def.columns.keys()];
      const record = keys(schemas[name]?.properties).filter((k) => !def.relations.has(k));
      expect(record).toEqual(['_id', ...columns].sort());
      expect(keys(schemas[`${name}Select`]?.properties)).toEqual(
        [...columns, ...def.relations.keys()].sort(),
      );
      const writable = columns.filter((c) => def.columns.get(c)?.write !== 'server');
      expect(keys(schemas[`${name}CreateData`]?.properties)).toEqual(writable.sort());
    },
  );

  it('documents the per-key customFields query with its 50-key and 200-value limits', () => {
    const query = doc.components.schemas.IncidentQuery?.properties?.customFields as Json;
    expect(query).toMatchObject({ type: 'object', maxProperties: 50 });
    expect(JSON.stringify(query)).toContain('"maxItems":200');
    expect(String(query.description)).toMatch(/Includes/);
  });
});
