/**
 * Which outbound proxy an upstream's calls go through, by the conventions of
 * curl and undici's EnvHttpProxyAgent (`lib/dispatcher/env-http-proxy-agent.js`,
 * undici 7.30): `https:` upstreams use HTTPS_PROXY, `http:` ones HTTP_PROXY;
 * NO_PROXY is a comma- or space-separated list of host names (a leading `.` or
 * `*.` ignored, each matching itself and its subdomains, optionally `:port`),
 * and `*` alone turns the proxy off. Like Go's net/http (httpproxy.useProxy),
 * loopback hosts (`localhost`, 127.0.0.0/8, ::1) are always reached directly: a
 * proxy cannot reach this machine's loopback, and the sandbox lives there.
 */
import type { ProxySettings } from '../config.js';

export interface ProxyChoice {
  /** The proxy URL, credentials included (never logged). */
  uri: string;
  /** The variable it came from, for messages. */
  variable: 'HTTPS_PROXY' | 'HTTP_PROXY';
}

export function proxyFor(
  target: URL,
  settings: ProxySettings | undefined,
): ProxyChoice | undefined {
  if (!settings) return undefined;
  const https = target.protocol === 'https:';
  const uri = https ? settings.httpsProxy : settings.httpProxy;
  if (uri === undefined || bypasses(target, settings.noProxy ?? '')) return undefined;
  return { uri, variable: https ? 'HTTPS_PROXY' : 'HTTP_PROXY' };
}

function bypasses(target: URL, noProxy: string): boolean {
  const value = noProxy.trim();
  if (value === '*') return true;
  const hostname = target.hostname.toLowerCase();
  if (isLoopback(hostname)) return true;
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  for (const entry of value.split(/[,\s]/)) {
    if (!entry) continue;
    const withPort = /^(.+):(\d+)$/.exec(entry);
    const host = (withPort ? withPort[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (withPort && Number(withPort[2]) !== port) continue;
    if (hostname === host || hostname.endsWith(`.${host}`)) return true;
  }
  return false;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * The tail of a connection-error message when the call went through a proxy:
 * ` through the proxy (HTTPS_PROXY): it answered 407 …` when the proxy refused
 * the tunnel (undici: `Proxy response (407) !== 200 when HTTP Tunneling`).
 */
export function throughProxy(variable: ProxyChoice['variable'], error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const status = /Proxy response \((\d{3})\)/.exec(message)?.[1];
  const hint = status === '407' ? ' (check the user and password in the proxy URL)' : '';
  return ` through the proxy (${variable})${status === undefined ? '' : `: it answered ${status}${hint}`}`;
}
