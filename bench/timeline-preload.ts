/**
 * Loaded into a gateway process with `--import` by `timeline.ts`: stamps, on
 * the main thread's clock, when each GraphQL HTTP request comes in and is
 * answered, and when each upstream request is created, written, answered
 * (headers) and read to its end, from Node's and undici's diagnostics
 * channels. Nothing in the gateway changes. `{type: 'timeline'}` over IPC
 * answers with the stamps so far and forgets them.
 */
import { subscribe } from 'node:diagnostics_channel';

/**
 * A stamp: what happened, `performance.now()` when it did, and for an
 * upstream request its route (`routeOf`), so a level's requests are told apart.
 */
export type Stamp = [
  kind: 'in' | 'create' | 'sent' | 'headers' | 'done' | 'out',
  at: number,
  route?: string,
];

/** The last two segments of a request path, without its query: `incident-sla/get-list`. */
function routeOf(path: string): string {
  return path.split('?', 1)[0]!.split('/').filter(Boolean).slice(-2).join('/');
}

let stamps: Stamp[] = [];
const on = (channel: string, kind: Stamp[0]) =>
  subscribe(channel, (message) => {
    const at = performance.now();
    const path = (message as { request?: { path?: unknown } } | undefined)?.request?.path;
    stamps.push(typeof path === 'string' ? [kind, at, routeOf(path)] : [kind, at]);
  });

on('http.server.request.start', 'in');
on('http.server.response.finish', 'out');
on('undici:request:create', 'create');
on('undici:client:sendHeaders', 'sent');
on('undici:request:headers', 'headers');
on('undici:request:trailers', 'done');

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'timeline') return;
  process.send?.({ type: 'timeline', stamps });
  stamps = [];
});
