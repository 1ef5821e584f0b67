/**
 * The CORALOGIX_* / ONEUPTIME_* variables the gateway reads (DESIGN 4), and
 * which other names look like a mistyped one. A deployment whose secret is
 * named `CORALOGIX_URL` must not start: without the real name it would look
 * unconfigured (and, before this check, ran the sandbox and passed its
 * probes). Names of other tools that share the prefixes (the Coralogix
 * logging SDK's `CORALOGIX_PRIVATE_KEY`, `CORALOGIX_APP_NAME`, …) are left
 * alone: they are neither a close spelling nor a part of a known name.
 */

/** Every vendor-prefixed variable DESIGN 4 defines (ONEUPTIME_CASE_LINK_FIELD: section 5c). */
export const VENDOR_VARIABLES = [
  'CORALOGIX_API_URL',
  'CORALOGIX_REGION',
  'CORALOGIX_DOMAIN',
  'CORALOGIX_API_KEY',
  'ONEUPTIME_API_URL',
  'ONEUPTIME_API_KEY',
  'ONEUPTIME_LINK_FIELD',
  'ONEUPTIME_CASE_LINK_FIELD',
] as const;

const KNOWN = new Set<string>(VENDOR_VARIABLES);
const PREFIXES = ['CORALOGIX_', 'ONEUPTIME_'];

/** Words people use for the same thing (`…_TOKEN` for the key, `…_ENDPOINT` for the URL). */
const SYNONYMS: Record<string, string> = {
  TOKEN: 'KEY',
  SECRET: 'KEY',
  APIKEY: 'KEY',
  ENDPOINT: 'URL',
  URI: 'URL',
  BASE: '',
};

/** The vendor-prefixed variables set (to a non-blank value) in `env`, in name order. */
export function vendorVariablesSet(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((name) => PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix)))
    .filter((name) => (env[name] ?? '').trim() !== '')
    .sort();
}

/**
 * One problem per variable of `env` that looks like a typo of a known name
 * not set itself (set alongside it, it is probably another tool's).
 */
export function typoProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if ((env[name] ?? '').trim() === '') continue;
    const meant = typoOf(name).filter((known) => (env[known] ?? '').trim() === '');
    if (meant.length === 0) continue;
    problems.push(
      `${name} is not a variable this gateway reads: did you mean ${meant.join(' or ')}?`,
    );
  }
  return problems;
}

/**
 * The known names `name` looks like a typo of (best matches first), or none:
 * the same name in other case; a spelling at most two edits away
 * (`CORALOGIX_API_ULR`, `ONE_UPTIME_API_URL`); or, with a vendor prefix, the
 * words of a known name with one missing or said another way
 * (`CORALOGIX_URL`, `ONEUPTIME_TOKEN`, `CORALOGIX_API_ENDPOINT`).
 */
export function typoOf(name: string): string[] {
  if (KNOWN.has(name)) return [];
  const upper = name.toUpperCase();
  if (KNOWN.has(upper)) return [upper];
  let best: string[] = [];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const known of VENDOR_VARIABLES) {
    const score = Math.min(editDistance(upper, known), wordScore(upper, known));
    if (score > 2) continue;
    if (score < bestScore) [best, bestScore] = [[known], score];
    else if (score === bestScore) best.push(known);
  }
  return best;
}

/**
 * 1 when `name` (vendor-prefixed) says the words of `known` in other words,
 * 2 when it has all but one or more of them (and nothing else), else Infinity.
 */
function wordScore(name: string, known: string): number {
  const prefix = PREFIXES.find((p) => name.startsWith(p));
  if (prefix === undefined || !known.startsWith(prefix)) return Number.POSITIVE_INFINITY;
  const words = (variable: string) =>
    new Set(
      variable
        .slice(prefix.length)
        .split('_')
        .map((word) => SYNONYMS[word] ?? word)
        .filter(Boolean),
    );
  const said = words(name);
  const meant = words(known);
  if (said.size === 0 || [...said].some((word) => !meant.has(word))) {
    return Number.POSITIVE_INFINITY;
  }
  return said.size === meant.size ? 1 : 2;
}

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
