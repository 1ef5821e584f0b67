/**
 * Server-set slugs: `Common/Utils/Slug.ts` `getSlug` at ab6f409 slugifies the
 * `@SlugifyColumn` source (a random 10-character name when the model has none,
 * as `Incident` has no `name`) and appends 10 random digits 1–9.
 */
import { randomInt } from 'node:crypto';
import { slugify } from '../seedRandom.js';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

const digits = () => Array.from({ length: 10 }, () => String(randomInt(1, 10))).join('');
const randomName = () =>
  Array.from({ length: 10 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');

export function serverSlug(name: unknown): string {
  const source = typeof name === 'string' && name.trim() !== '' ? name : randomName();
  return `${slugify(source)}-${digits()}`;
}
