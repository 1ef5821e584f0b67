/**
 * `createGateway(config)`: the HTTP server, Apollo Server and the upstream
 * clients, started on the configured port. No side effects beyond what it
 * returns: `stop()` drains requests and closes the pools.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { gzipSync } from 'node:zlib';
import { createTokenChecker } from './auth.js';
import { loadExamples, renderGraphiQLPage } from './graphiql.js';
import { createContext, type GatewayContext, type Upstreams } from './context.js';
import { createFormatError } from './errors.js';
import { operationGuard } from './operationGuard.js';
import { createSchema } from './schema.js';
import { CoralogixClient } from './upstreams/coralogix/client.js';
import { OneUptimeClient } from './upstreams/oneuptime/client.js';

export interface GatewayOptions {
  logger: Logger;
  /** Real values for the `<incident id>` / `<user id>` placeholders of the GraphiQL examples. */
  examplePlaceholders?: Record<string, string>;
  /** `false`: dataloaders without batching or caching (the bench's naive baseline). */
  batch?: boolean;
}

export interface Gateway {
  /** Base URL, e.g. `http://127.0.0.1:4000`; GraphQL is at `${url}/graphql`. */
  url: string;
  stop(): Promise<void>;
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new BodyTooLargeError());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** A browser navigating to /graphql asks for HTML; API clients ask for JSON. */
function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return (
    accept.includes('text/html') && !new URL(req.url ?? '/', 'http://x').searchParams.has('query')
  );
}

/** The page is large (the bundled GraphiQL), so it is rendered and gzipped once, on first use. */
function lazyPage(render: () => string) {
  let cached: { plain: Buffer; gzip: Buffer } | undefined;
  return {
    send(req: IncomingMessage, res: ServerResponse) {
      if (!cached) {
        const plain = Buffer.from(render());
        cached = { plain, gzip: gzipSync(plain) };
      }
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const body = gzip ? cached.gzip : cached.plain;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': body.length,
        'cache-control': 'no-cache',
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      });
      res.end(body);
    },
  };
}

function upstreamsFor(config: Config): Upstreams {
  if (!config.coralogix || !config.oneuptime) {
    throw new Error(
      'createGateway needs both upstream URLs (start the sandbox first in sandbox mode)',
    );
  }
  const common = { timeoutMs: config.upstreamTimeoutMs, retries: config.upstreamRetries };
  return {
    coralogix: new CoralogixClient({ ...common, baseUrl: config.coralogix.url }),
    oneuptime: new OneUptimeClient({ ...common, baseUrl: config.oneuptime.url }),
  };
}

export async function createGateway(config: Config, options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const upstreams = upstreamsFor(config);
  const httpServer = createServer();
  const schema = createSchema();
  const tokens = createTokenChecker({
    readWrite: config.gatewayTokens,
    readOnly: config.gatewayReadTokens,
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    introspection: config.introspection,
    csrfPrevention: true,
    // main.ts owns signal handling; a library factory must not install process handlers.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError({
      onMasked: (error) => logger.error({ err: error }, 'unexpected error (masked for the client)'),
    }),
    // graphql-js counts tokens while parsing: a huge document is refused before it is built.
    parseOptions: { maxTokens: config.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      operationGuard(schema, config),
    ],
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  await apollo.start();

  const contextOptions = {
    config,
    upstreams,
    tokens,
    ...(options.batch === undefined ? {} : { batch: options.batch }),
  };

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const body = req.method === 'POST' ? await readBody(req, config.maxBodyBytes) : '';
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let parsedBody: unknown = undefined;
    if (body !== '') {
      try {
        parsedBody = JSON.parse(body) as unknown;
      } catch {
        sendJson(res, 400, {
          errors: [
            { message: 'Request body is not valid JSON.', extensions: { code: 'BAD_USER_INPUT' } },
          ],
        });
        return;
      }
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method ?? 'GET',
        headers,
        search: url.search,
        body: parsedBody,
      },
      context: async () => createContext(contextOptions, req.headers, abort.signal),
    });
    for (const [name, value] of result.headers) res.setHeader(name, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const graphiql = config.graphiql
    ? lazyPage(() =>
        renderGraphiQLPage({
          examples: loadExamples(),
          tokensRequired: !tokens.open,
          ...(options.examplePlaceholders ? { placeholders: options.examplePlaceholders } : {}),
        }),
      )
    : undefined;

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const route = url.pathname.replace(/\/+$/, '') || '/';
    const work = (async () => {
      if (route === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (
        req.method === 'GET' &&
        (route === '/graphiql' || (route === '/graphql' && wantsHtml(req)))
      ) {
        return graphiql
          ? graphiql.send(req, res)
          : sendJson(res, 404, { error: 'GraphiQL is off.' });
      }
      if (route === '/graphql') {
        if (req.method !== 'GET' && req.method !== 'POST') {
          res.setHeader('allow', 'GET, POST');
          return sendJson(res, 405, {
            errors: [{ message: 'Use GET or POST.', extensions: { code: 'BAD_USER_INPUT' } }],
          });
        }
        return handleGraphQL(req, res, url);
      }
      return sendJson(res, 404, { error: 'Not found. GraphQL is served at /graphql.' });
    })();
    work.catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, {
          errors: [
            {
              message: `Request body exceeds ${config.maxBodyBytes} bytes.`,
              extensions: { code: 'BAD_USER_INPUT' },
            },
          ],
        });
        return;
      }
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) {
        sendJson(res, 500, {
          errors: [
            { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
          ],
        });
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    url: `http://${host}:${address.port}`,
    stop: async () => {
      await apollo.stop();
      await Promise.all([upstreams.coralogix.close(), upstreams.oneuptime.close()]);
    },
  };
}
