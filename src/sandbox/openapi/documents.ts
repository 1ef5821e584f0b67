/**
 * The OpenAPI 3 descriptions of the emulated endpoints (`coralogix.json`,
 * `oneuptime.json` beside this file), served by each emulator at
 * `GET /openapi.json` without authentication. The served copy's `servers`
 * points at the emulator that answered, so tools such as GraphQL Mesh can be
 * aimed at it directly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../config.js';
import type { EmulatorRequest, EmulatorResponse } from '../http.js';

export type OpenApiName = 'coralogix' | 'oneuptime';

export const OPENAPI_PATH = '/openapi.json';

const cache = new Map<OpenApiName, Record<string, unknown>>();

function load(name: OpenApiName): Record<string, unknown> {
  let document = cache.get(name);
  if (!document) {
    const file = join(packageRoot(), 'src', 'sandbox', 'openapi', `${name}.json`);
    document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    cache.set(name, document);
  }
  return document;
}

/** True for the unauthenticated `GET /openapi.json`. */
export function isOpenApiRequest(req: EmulatorRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && req.path === OPENAPI_PATH;
}

/** The document, its server URL set to `http://<Host header><basePath>`. */
export function openApiResponse(
  name: OpenApiName,
  req: EmulatorRequest,
  basePath = '',
): EmulatorResponse {
  const document = load(name);
  const host = req.headers.host;
  const body = host ? { ...document, servers: [{ url: `http://${host}${basePath}` }] } : document;
  return { status: 200, body };
}
