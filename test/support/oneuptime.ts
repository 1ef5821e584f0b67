/**
 * Talking to the sandbox's OneUptime emulator directly, as the emulator
 * contract tests do: one request with the project's API key, and OneUptime's
 * `{_type, value}` envelopes read back as plain values.
 */
import type { Sandbox } from '../../src/sandbox/index.js';

export type Json = Record<string, unknown>;

/** One request to `target`'s OneUptime emulator: its status and its JSON body. */
export async function oneUptime<T = Json>(
  target: Sandbox,
  path: string,
  method = 'POST',
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${target.oneuptime.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ApiKey: target.oneuptime.apiKey },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The value of a `{_type, value}` envelope, or the value itself. */
export const plain = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && '_type' in value && 'value' in value
    ? value.value
    : value;
