/**
 * Loaded into a gateway process with `--import` by `timeline.ts`: stamps, on
 * the main thread's clock, when each GraphQL HTTP request comes in and is
 * answered, and when each upstream request is created, written, answered
 * (headers) and read to its end, from Node's and undici's diagnostics
 * channels. Nothing in the gateway changes. `{type: 'timeline'}` over IPC
 * answers with the stamps so far and forgets them.
 */
import { subscribe } from 'node:diagnostics_channel';

/** A stamp: what happened, and `performance.now()` when it did. */
export type Stamp = [kind: 'in' | 'create' | 'sent' | 'headers' | 'done' | 'out', at: number];

let stamps: Stamp[] = [];
const on = (channel: string, kind: Stamp[0]) =>
  subscribe(channel, () => stamps.push([kind, performance.now()]));

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
