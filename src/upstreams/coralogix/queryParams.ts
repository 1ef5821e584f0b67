/**
 * How an object-valued query parameter (`filter`, `pagination`, `order_by` of
 * `GET /incidents/events/v1` and `…/all/count`) goes into a query string.
 *
 * openapi_v5.yaml (cx-api-docs e509de6, lines 8624–8760) declares these
 * parameters as objects without a `style`, so the spec does not say. The
 * vendor's generated Go client (coralogix-management-sdk 4464b2b3,
 * `go/openapi/gen/incidents_service/client.go` `parameterAddToHeaderOrQuery`,
 * called with style "form") sends: an object's fields as `name[field]`,
 * nested objects as `name[a][b]`, a list as the same key repeated (no index),
 * a list of objects as each element's fields under the list's key, in list
 * order, times as RFC 3339, booleans as `true` / `false`. This function sends
 * exactly that (in the object's key order, where Go's map order is random).
 * gRPC-gateway's own convention would be dotted (`filter.status=…`); which
 * one the server reads is UNCONFIRMED, so this is the one place to change.
 */

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

export function encodeObjectParam(name: string, value: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (key: string, item: Value): void => {
    if (item === undefined || item === null) return;
    if (Array.isArray(item)) {
      for (const element of item) add(key, element);
      return;
    }
    if (typeof item === 'object') {
      for (const [field, nested] of Object.entries(item)) add(`${key}[${field}]`, nested);
      return;
    }
    out.push([key, String(item)]);
  };
  add(name, value as Value);
  return out;
}

/** Several object parameters, in order; absent ones send nothing. */
export function encodeObjectParams(params: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(params).flatMap(([name, value]) => encodeObjectParam(name, value));
}
