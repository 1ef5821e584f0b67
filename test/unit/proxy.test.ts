/**
 * Outbound proxy settings: which variables count, which upstream goes through
 * which proxy (NO_PROXY as undici's EnvHttpProxyAgent reads it, loopback always
 * direct), and that a proxy URL's credentials never reach a message.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, proxyForDisplay, type Env } from '../../src/config.js';
import { proxyFor, throughProxy } from '../../src/upstreams/proxy.js';

const UPSTREAMS: Env = {
  CORALOGIX_API_URL: 'https://api.eu2.coralogix.com/mgmt/openapi/5',
  CORALOGIX_API_KEY: 'cx-secret-key',
  ONEUPTIME_API_URL: 'http://oneuptime.internal:8080',
  ONEUPTIME_API_KEY: 'ou-secret-key',
};
const HTTPS = new URL('https://api.eu2.coralogix.com/mgmt/openapi/5');
const HTTP = new URL('http://oneuptime.internal:8080');

describe('proxy configuration', () => {
  it('reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY, upper case before lower case', () => {
    const config = loadConfig({
      ...UPSTREAMS,
      HTTPS_PROXY: 'http://proxy.corp:3128',
      https_proxy: 'http://ignored:1',
      http_proxy: 'http://plain-proxy.corp:3128',
      no_proxy: '.internal',
    });
    expect(config.proxy).toEqual({
      httpsProxy: 'http://proxy.corp:3128',
      httpProxy: 'http://plain-proxy.corp:3128',
      noProxy: '.internal',
    });
  });

  it('has no proxy without a proxy variable (NO_PROXY alone changes nothing), nor in sandbox mode', () => {
    expect(loadConfig({ ...UPSTREAMS, NO_PROXY: '*' }).proxy).toBeUndefined();
    expect(loadConfig({ HTTPS_PROXY: 'http://proxy.corp:3128' }).proxy).toBeUndefined();
  });

  it('refuses a proxy that is not an http(s) URL without repeating it (it may hold a password)', () => {
    let error: unknown;
    try {
      loadConfig({ ...UPSTREAMS, HTTPS_PROXY: 'socks5://user:hunter2@proxy:1080' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('HTTPS_PROXY must be an http(s) URL');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('socks5');
  });

  it('shows a proxy without its credentials', () => {
    expect(proxyForDisplay('http://user:hunter2@proxy.corp:3128/')).toBe('http://proxy.corp:3128');
  });
});

describe('proxyFor', () => {
  const settings = {
    httpsProxy: 'http://user:pw@proxy.corp:3128',
    httpProxy: 'http://plain-proxy.corp:3128',
  };

  it('sends https upstreams through HTTPS_PROXY and http ones through HTTP_PROXY', () => {
    expect(proxyFor(HTTPS, settings)).toEqual({
      uri: settings.httpsProxy,
      variable: 'HTTPS_PROXY',
    });
    expect(proxyFor(HTTP, settings)).toEqual({ uri: settings.httpProxy, variable: 'HTTP_PROXY' });
    expect(proxyFor(HTTP, { httpsProxy: settings.httpsProxy })).toBeUndefined();
    expect(proxyFor(HTTPS, undefined)).toBeUndefined();
  });

  it.each([
    ['*', true],
    ['api.eu2.coralogix.com', true],
    ['coralogix.com', true],
    ['.coralogix.com', true],
    ['*.coralogix.com', true],
    ['CORALOGIX.COM', true],
    ['coralogix.com:443', true],
    ['coralogix.com:8443', false],
    ['oralogix.com', false],
    ['example.com, other.org', false],
    ['example.com coralogix.com', true],
    ['', false],
  ])('NO_PROXY=%j bypasses the proxy for api.eu2.coralogix.com: %s', (noProxy, bypassed) => {
    const choice = proxyFor(HTTPS, { ...settings, noProxy });
    expect(choice === undefined).toBe(bypassed);
  });

  it.each([
    'http://localhost:4010',
    'http://127.0.0.1:4010',
    'http://127.8.9.10',
    'http://[::1]:4020',
  ])('reaches the loopback host %s directly', (url) => {
    expect(proxyFor(new URL(url), settings)).toBeUndefined();
  });
});

describe('throughProxy', () => {
  it('names the variable, and the status when the proxy refused the tunnel', () => {
    expect(throughProxy('HTTPS_PROXY', new Error('connect ECONNREFUSED'))).toBe(
      ' through the proxy (HTTPS_PROXY)',
    );
    expect(
      throughProxy('HTTP_PROXY', new Error('Proxy response (407) !== 200 when HTTP Tunneling')),
    ).toBe(
      ' through the proxy (HTTP_PROXY): it answered 407 (check the user and password in the proxy URL)',
    );
    expect(
      throughProxy('HTTP_PROXY', new Error('Proxy response (403) !== 200 when HTTP Tunneling')),
    ).toBe(' through the proxy (HTTP_PROXY): it answered 403');
  });
});
