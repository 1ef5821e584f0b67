/**
 * The deterministic building blocks of the seed: a seeded random source and
 * the small helpers every seed module shares.
 */

/** mulberry32: small, fast, good enough for fixtures. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return { next, int, pick, uuid };
}

export type Random = ReturnType<typeof createRandom>;

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
export const iso = (ms: number) => new Date(ms).toISOString();

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A slug as OneUptime's `Slug.getSlug` makes it: the slugified name and 10 digits 1–9. */
export function seededSlug(r: Random, name: string): string {
  const digits = Array.from({ length: 10 }, () => String(r.int(1, 9))).join('');
  return `${slugify(name)}-${digits}`;
}

/** `Slug.getSlug(null)`: a random 10-character name (incidents have no name column). */
export function seededIncidentSlug(r: Random): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return seededSlug(r, Array.from({ length: 10 }, () => r.pick([...chars])).join(''));
}
