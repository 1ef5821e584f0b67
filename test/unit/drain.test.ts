import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createDrainer, type Drainer } from '../../src/http/drain.js';

/** A server whose `/slow` requests wait until the test releases them. */
async function serve(): Promise<{
  server: Server;
  drainer: Drainer;
  url: string;
  held: ServerResponse[];
  arrived: Promise<void>;
}> {
  const server = createServer();
  const drainer = createDrainer(server);
  const held: ServerResponse[] = [];
  let signalArrived = () => {};
  const arrived = new Promise<void>((resolve) => (signalArrived = resolve));
  server.on('request', (req, res) => {
    drainer.track(res);
    if (req.url === '/slow') {
      held.push(res);
      signalArrived();
      return;
    }
    res.end('fast');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, drainer, url: `http://127.0.0.1:${port}`, held, arrived };
}

let agent: Agent | undefined;
afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
});

describe('the HTTP drain', () => {
  it('lets an accepted request finish, answers it with Connection: close, then resolves true', async () => {
    const { drainer, url, held, arrived } = await serve();
    agent = new Agent({ keepAliveTimeout: 60_000 });
    const slow = request(`${url}/slow`, { dispatcher: agent });
    await arrived;
    const drained = drainer.drain(60_000);
    held[0]!.end('done');
    const response = await slow;
    expect(await response.body.text()).toBe('done');
    expect(response.headers.connection).toBe('close');
    expect(await drained).toBe(true);
  });

  it('closes idle keep-alive connections and refuses new ones', async () => {
    const { drainer, url } = await serve();
    agent = new Agent({ keepAliveTimeout: 60_000 });
    const first = await request(`${url}/fast`, { dispatcher: agent });
    expect(first.headers.connection).toBe('keep-alive');
    await first.body.text();
    // Resolves only once every connection is gone, the idle keep-alive one included.
    expect(await drainer.drain(60_000)).toBe(true);
    await expect(request(`${url}/fast`, { dispatcher: agent })).rejects.toThrow();
  });

  it('destroys what is still open at the deadline and resolves false', async () => {
    const { drainer, url, arrived } = await serve();
    agent = new Agent();
    const slow = request(`${url}/slow`, { dispatcher: agent }).catch((error: unknown) => error);
    await arrived;
    expect(await drainer.drain(50)).toBe(false);
    expect(await slow).toBeInstanceOf(Error);
  });
});
