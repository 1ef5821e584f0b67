/**
 * Where the Coralogix management API lives: a region's host or a custom
 * domain, mapped exactly as the vendor's management SDK maps them
 * (coralogix/coralogix-management-sdk `go/openapi/cxsdk/config.go`
 * `URLFromRegion` / `URLFromDomain` at 4464b2b30c488f99af4cbae425c887a56cfa38bd,
 * 2026-08-19): `https://api.<region>.coralogix.com/mgmt/openapi/5`, regions
 * matched case-insensitively; a domain gets the `api.` prefix unless it has it.
 */

/** The base path of the current REST API (the SDK's `mgmt/openapi/5`; cx-api-docs openapi_v5.yaml). */
export const CORALOGIX_BASE_PATH = '/mgmt/openapi/5';

export const CORALOGIX_REGIONS = {
  eu1: 'api.eu1.coralogix.com',
  eu2: 'api.eu2.coralogix.com',
  us1: 'api.us1.coralogix.com',
  us2: 'api.us2.coralogix.com',
  us3: 'api.us3.coralogix.com',
  ap1: 'api.ap1.coralogix.com',
  ap2: 'api.ap2.coralogix.com',
  ap3: 'api.ap3.coralogix.com',
} as const;
export type CoralogixRegion = keyof typeof CORALOGIX_REGIONS;

/** The API base URL of a region, or undefined for a name the SDK does not know. */
export function urlFromRegion(region: string): string | undefined {
  const key = region.trim().toLowerCase();
  if (!Object.hasOwn(CORALOGIX_REGIONS, key)) return undefined;
  return `https://${CORALOGIX_REGIONS[key as CoralogixRegion]}${CORALOGIX_BASE_PATH}`;
}

/** The API base URL of a custom (e.g. BYOC) domain such as `eu2.coralogix.com`. */
export function urlFromDomain(domain: string): string {
  const host = domain
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');
  return `https://${host.startsWith('api.') ? host : `api.${host}`}${CORALOGIX_BASE_PATH}`;
}

/** Whether a configured URL points at the current API family (its path ends in /mgmt/openapi/5). */
export function isCurrentApiUrl(url: string): boolean {
  return new URL(url).pathname.replace(/\/+$/, '').endsWith(CORALOGIX_BASE_PATH);
}
