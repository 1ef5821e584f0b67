/**
 * HTTP/1.1 pipelining, as a flooding client does it: many requests written
 * on one TCP socket at once, without waiting for any answer. `fetch` and
 * undici never pipeline by default, so this writes the bytes itself and reads
 * the answers back in order (Content-Length or chunked bodies).
 */
import { connect, type Socket } from 'node:net';

export interface PipelinedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PipelineOptions {
  headers?: Record<string, string>;
  /** Stop reading (and close) after this many answers; default: all of them. */
  answers?: number;
}

/** One POST /graphql request as raw HTTP/1.1 bytes. */
export function rawPost(host: string, body: string, headers: Record<string, string> = {}): string {
  const lines = [
    'POST /graphql HTTP/1.1',
    `host: ${host}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Reads pipelined HTTP/1.1 answers off a socket, in order. */
class AnswerReader {
  private buffer = Buffer.alloc(0);
  readonly answers: PipelinedAnswer[] = [];

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.next()) {
      /* one answer parsed */
    }
  }

  private next(): boolean {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return false;
    const [statusLine, ...headerLines] = this.buffer
      .subarray(0, end)
      .toString('latin1')
      .split('\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1]);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let rest = this.buffer.subarray(end + 4);
    let body: Buffer;
    if (headers['transfer-encoding'] === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = rest.indexOf('\r\n');
        if (lineEnd < 0) return false;
        const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
        if (rest.length < lineEnd + 2 + size + 2) return false;
        parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
        rest = rest.subarray(lineEnd + 2 + size + 2);
        if (size === 0) break;
      }
      body = Buffer.concat(parts);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (rest.length < length) return false;
      body = rest.subarray(0, length);
      rest = rest.subarray(length);
    }
    this.buffer = rest;
    this.answers.push({ status, headers, body: body.toString('utf8') });
    return true;
  }
}

/**
 * Writes every body as a POST /graphql on one socket in one write, then
 * reads the answers in order until all (or `answers`) arrived or the server
 * closed the connection.
 */
export async function pipeline(
  gatewayUrl: string,
  bodies: string[],
  options: PipelineOptions = {},
): Promise<PipelinedAnswer[]> {
  const url = new URL(gatewayUrl);
  const socket: Socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve).once('error', reject);
  });
  const reader = new AnswerReader();
  const wanted = options.answers ?? bodies.length;
  const done = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      if (reader.answers.length >= wanted) resolve();
    });
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
  socket.write(bodies.map((body) => rawPost(url.host, body, options.headers)).join(''));
  await done;
  socket.destroy();
  return reader.answers;
}
