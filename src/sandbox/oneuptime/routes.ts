/**
 * The routes `BaseAPI` mounts under `/api/<path>` for each model. Like Express,
 * static segments match case-insensitively and a trailing slash is allowed.
 */
import { EMULATED_RESOURCES, type EmulatedResource } from './models.js';

export type Operation = 'list' | 'count' | 'get' | 'create' | 'update' | 'delete';

export interface Route {
  resource: EmulatedResource;
  operation: Operation;
  /** The raw `:id` path segment of item routes. */
  id?: string;
}

const RESOURCES: ReadonlySet<string> = new Set(EMULATED_RESOURCES);
const isResource = (value: string): value is EmulatedResource => RESOURCES.has(value);

const ITEM_ACTIONS: ReadonlyMap<string, Operation> = new Map([
  ['get-item', 'get'],
  ['update-item', 'update'],
  ['delete-item', 'delete'],
]);

const readable = (method: string) => method === 'POST' || method === 'GET';

function collectionRoute(
  method: string,
  segment: string | undefined,
): Omit<Route, 'resource'> | undefined {
  if (segment === undefined) return method === 'POST' ? { operation: 'create' } : undefined;
  const name = segment.toLowerCase();
  if (name === 'get-list' && readable(method)) return { operation: 'list' };
  if (name === 'count' && method === 'POST') return { operation: 'count' };
  if (method === 'PUT') return { operation: 'update', id: segment };
  if (method === 'DELETE') return { operation: 'delete', id: segment };
  return undefined;
}

function itemRoute(
  method: string,
  id: string,
  action: string,
): Omit<Route, 'resource'> | undefined {
  const operation = ITEM_ACTIONS.get(action.toLowerCase());
  return operation && readable(method) ? { operation, id } : undefined;
}

export function matchRoute(method: string, path: string): Route | undefined {
  const parts = path.split('/');
  if (parts.length > 3 && parts.at(-1) === '') parts.pop();
  const [root, api, resource, first, second, ...extra] = parts;
  if (root !== '' || api?.toLowerCase() !== 'api' || resource === undefined) return undefined;
  const name = resource.toLowerCase();
  if (!isResource(name) || extra.length > 0 || first === '') return undefined;
  const route =
    second === undefined ? collectionRoute(method, first) : itemRoute(method, first ?? '', second);
  return route && { resource: name, ...route };
}
