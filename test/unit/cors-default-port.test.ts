/**
 * CORS_ORIGINS=https://app.example.com:443 names the origin browsers send as
 * `Origin: https://app.example.com` (they leave the scheme's default port
 * out); it was refused as "must be an origin" only because the port was
 * written out. It is taken, in the browser's form.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createCorsPolicy, parseCorsOrigins } from '../../src/http/cors.js';

describe('a CORS_ORIGINS entry with its default port written out', () => {
  it('is taken in the form browsers send', () => {
    expect(
      parseCorsOrigins(
        ['https://app.example.com:443', 'HTTP://LocalHost:80/', 'http://[::1]:80'],
        true,
      ),
    ).toEqual({
      origins: ['https://app.example.com', 'http://localhost', 'http://[::1]'],
      problems: [],
    });
  });

  it('keeps any other port as written (80 is no default for https), and still refuses a path', () => {
    expect(parseCorsOrigins(['https://app.example.com:8443'], true).origins).toEqual([
      'https://app.example.com:8443',
    ]);
    expect(parseCorsOrigins(['https://app.example.com:80'], true).origins).toEqual([
      'https://app.example.com:80',
    ]);
    expect(parseCorsOrigins(['https://app.example.com:443/app'], true).problems).toEqual([
      expect.stringContaining('must be an origin'),
    ]);
  });

  it('grants the browser’s Origin', () => {
    const { origins } = parseCorsOrigins(['https://app.example.com:443'], true);
    const headers: Record<string, string> = {};
    const req = { method: 'POST', headers: { origin: 'https://app.example.com' } };
    const res = { setHeader: (name: string, value: string) => (headers[name] = value) };
    createCorsPolicy(origins).handle(
      req as unknown as IncomingMessage,
      res as unknown as ServerResponse,
    );
    expect(headers['access-control-allow-origin']).toBe('https://app.example.com');
  });
});
