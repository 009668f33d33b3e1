import type { SDK } from '@ringcentral/sdk';
import type { Logger } from '../output/logger.js';
import { VERSION } from '../version.js';
import { fetchApi } from './proxy.js';

/**
 * The SDK, used for what it is good at: the OAuth token endpoint (code and JWT grants, refresh)
 * and revoke. Configured for a CLI: our fetch (proxies), no silent cache wipes, no refresh behind
 * our back. REST calls go through api/transport.ts, which needs no SDK at all.
 */

export type Platform = ReturnType<SDK['platform']>;

/** The app a platform signs in as. A StoredSession is one too. */
export interface AppCredentials {
  server: string;
  clientId: string;
  clientSecret?: string | undefined;
  redirectUri?: string | undefined;
}

export async function platformFor(app: AppCredentials, logger: Logger): Promise<Platform> {
  // The SDK is CommonJS: bundled by esbuild it is only a default export (module.exports); run
  // from source, Node also offers the named ones.
  const exported = (await import('@ringcentral/sdk')) as unknown as { SDK?: typeof SDK; default: { SDK: typeof SDK } };
  const SdkClass = exported.SDK ?? exported.default.SDK;
  const http = await fetchApi();
  // The SDK warns on stdout-adjacent console.warn about the sandbox; the CLI speaks for itself (config/parse.ts).
  const sdk = quietly(
    () =>
      new SdkClass({
        server: app.server,
        clientId: app.clientId,
        clientSecret: app.clientSecret ?? '',
        redirectUri: app.redirectUri ?? '',
        appName: 'ringcentral-cli',
        appVersion: VERSION,
        clearCacheOnRefreshError: false,
        refreshDelayMs: 0,
        handleRateLimit: false,
        // The SDK types these as its own (node-fetch era) classes; the WHATWG ones are what it calls at run time.
        fetch: http.fetch as never,
        Request: http.Request as never,
        Response: http.Response as never,
        Headers: http.Headers as never,
      }),
  );
  const platform = sdk.platform();
  // Refresh is ours: proactive, under a cross-process lock (auth/session.ts).
  platform.ensureLoggedIn = async () => null;
  const client = sdk.client();
  client.on(client.events.beforeRequest, (request: Request) => logger.debug(`→ ${request.method} ${request.url}`));
  client.on(client.events.requestSuccess, (response: Response) => logger.debug(`← ${response.status} ${response.url}`));
  client.on(client.events.requestError, (error: { response?: Response; message: string }) =>
    logger.debug(`← ${error.response ? `${error.response.status} ${error.response.url}` : `network error: ${error.message}`}`),
  );
  return platform;
}

/** Runs `make` with console.warn silenced (the SDK's constructor-time notices). */
function quietly<T>(make: () => T): T {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}

export interface OnceRequest {
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  skipAuthCheck?: boolean;
}

/**
 * One request through the SDK, never repeated by it. In the SDK, `retry: true` means "this is
 * already a retry": it stops the SDK from refreshing and resending after a 401 on its own, which
 * would spend a single-use refresh token outside our lock. Retries are api/client.ts's job.
 */
export function sendOnce(platform: Platform, request: OnceRequest): Promise<Response> {
  return platform.send({ ...request, retry: true });
}
