import { isLoopback } from '../config/parse.js';

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for API and token calls (Node's fetch ignores them).
 * Loopback always goes direct: the sign-in listener and local emulators must never be proxied.
 * undici (for its ProxyAgent) is only loaded when a proxy is configured.
 */

export interface FetchApi {
  fetch: typeof globalThis.fetch;
  Request: typeof globalThis.Request;
  Response: typeof globalThis.Response;
  Headers: typeof globalThis.Headers;
}

export function proxyFor(url: URL, env: NodeJS.ProcessEnv): string | undefined {
  const proxy = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!proxy) return undefined;
  if (isLoopback(url.hostname)) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const exceptions = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  const bypass = exceptions.some((entry) => {
    if (entry === '*') return true;
    const [name = '', port] = entry.replace(/^\./, '').split(':');
    return (host === name || host.endsWith(`.${name}`)) && (port === undefined || port === url.port);
  });
  return bypass ? undefined : proxy;
}

export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

export async function fetchApi(env: NodeJS.ProcessEnv = process.env): Promise<FetchApi> {
  if (!proxyConfigured(env)) {
    return { fetch: globalThis.fetch, Request: globalThis.Request, Response: globalThis.Response, Headers: globalThis.Headers };
  }
  const undici = await import('undici');
  const agents = new Map<string, InstanceType<typeof undici.ProxyAgent>>();
  const fetch = ((input: Parameters<typeof undici.fetch>[0], init?: Parameters<typeof undici.fetch>[1]) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const proxy = proxyFor(url, env);
    if (proxy && !agents.has(proxy)) agents.set(proxy, new undici.ProxyAgent(proxy));
    return undici.fetch(input, { ...init, ...(proxy ? { dispatcher: agents.get(proxy) } : {}) });
  }) as unknown as typeof globalThis.fetch;
  return {
    fetch,
    Request: undici.Request as unknown as typeof globalThis.Request,
    Response: undici.Response as unknown as typeof globalThis.Response,
    Headers: undici.Headers as unknown as typeof globalThis.Headers,
  };
}
