import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Context, createContext } from './context.js';
import { apiError, HttpError, sendJson } from './http.js';
import { allowRedirectUri, handleInternal, jwtFor, originOf, setFaults } from './internal.js';
import { handleAuthorize, handleConsent, handleSignIn } from './oauth/authorize.js';
import { authIdentity } from './oauth/client-auth.js';
import { handleRevoke } from './oauth/revoke.js';
import { handleToken } from './oauth/token.js';
import type { EmulatorOptions } from './options.js';
import { admit, throttled } from './rest/admit.js';
import { handleMedia } from './rest/media.js';
import { matchRestRoute } from './rest/routes.js';

/** The HTTP server: top-level dispatch to oauth/, rest/ and the /__emulator/ control API. */

export interface Emulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The media entry point (recording content), its own origin. */
  mediaUrl: string;
  port: number;
  /** A JWT credential for demo@example.com. */
  jwt: string;
  context: Context;
  /** Replaces the fault plan (--faults syntax; `none` clears it). */
  setFaults(spec: string): void;
  /** Registers another redirect URI for the app. */
  allowRedirectUri(uri: string): void;
  close(): Promise<void>;
}

/** An HTTP server on `port` (0: any free one) whose handler's failures become error answers. */
async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => sendError(res, error));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const context = createContext(options);
  const { server, port } = await listen((req, res) => handle(context, req, res), options.port, options.host);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  const { server: media, port: mediaPort } = await listen((req, res) => handleMedia(context, req, res), options.mediaPort, options.host);
  const mediaUrl = `http://${host}:${mediaPort}`;
  context.dataset.mediaOrigin = options.mediaOrigin ?? mediaUrl;
  return {
    url,
    mediaUrl,
    port,
    jwt: jwtFor(context, url, 0),
    context,
    setFaults: (spec) => setFaults(context, spec),
    allowRedirectUri: (uri) => allowRedirectUri(context, uri),
    close: async () => {
      await Promise.all([closeServer(server), closeServer(media)]);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    sendJson(res, error.status, error.body, error.headers);
    return;
  }
  process.stderr.write(`emulator: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
  const internal = apiError(500, 'CMN-201', 'Service Temporary Unavailable');
  sendJson(res, 500, internal.body);
}

async function handle(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const route = `${req.method} ${url.pathname}`;
  // The emulator's clock (moved by /__emulator/advance), as a server's Date header tells its own.
  res.sendDate = false;
  res.setHeader('Date', new Date(ctx.now()).toUTCString());
  // The sign-in and consent forms post to the emulator's own pages, as a real IdP's would.
  if (route === 'POST /__emulator/authorize/sign-in') return handleSignIn(ctx, req, res);
  if (route === 'POST /__emulator/authorize/consent') return handleConsent(ctx, req, res);
  if (url.pathname.startsWith('/__emulator/')) {
    await handleInternal(ctx, route, url, req, res);
    return;
  }
  ctx.stats.requests += 1;
  if (url.pathname.startsWith('/restapi/oauth/')) {
    await handleOAuth(ctx, route, url, req, res);
    return;
  }
  await handleRest(ctx, url, req, res);
}

async function handleOAuth(ctx: Context, route: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  /** The Auth group is counted per app and caller; throttled requests never reach the handler. */
  const rateHeaders = (form: URLSearchParams): Record<string, string> => {
    const decision = ctx.limiter.check('auth', authIdentity(req, form), ctx.now());
    if (!decision.allowed) throw throttled(ctx, decision.headers);
    return decision.headers;
  };
  switch (route) {
    case 'GET /restapi/oauth/authorize':
      rateHeaders(url.searchParams);
      handleAuthorize(ctx, url.searchParams, res);
      return;
    case 'POST /restapi/oauth/token':
      if (await tokenFault(ctx, res)) return;
      await handleToken(ctx, req, res, rateHeaders);
      return;
    case 'POST /restapi/oauth/revoke':
      await handleRevoke(ctx, req, res, url.searchParams, rateHeaders);
      return;
    default:
      throw apiError(404, 'CMN-120', 'Invalid URI');
  }
}

/**
 * --auth-faults: a bad minute of the token endpoint. 429 and 503 say when to come back
 * (Retry-After: 2 and 1 s, short for tests); `slow` answers after 2 s, `reset` drops the connection.
 * Returns whether the request was answered by the fault.
 */
async function tokenFault(ctx: Context, res: ServerResponse): Promise<boolean> {
  const fault = ctx.authFaults.draw();
  if (fault === undefined) return false;
  ctx.stats.authFaults += 1;
  if (fault === 'slow') {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return false;
  }
  if (fault === 'reset') {
    res.socket?.destroy();
    return true;
  }
  const error =
    fault === 429 ? apiError(429, 'CMN-301', 'Request rate exceeded') : apiError(fault, 'CMN-201', 'Service Temporary Unavailable');
  sendJson(res, fault, error.body, fault === 429 ? { 'Retry-After': '2' } : fault === 503 ? { 'Retry-After': '1' } : {});
  return true;
}

async function handleRest(ctx: Context, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const matched = matchRestRoute(url.pathname);
  if (!matched) throw apiError(404, 'CMN-120', 'Invalid URI');
  const { route } = matched;
  if (req.method !== 'GET') throw apiError(405, 'CMN-105', `Method ${req.method} is not allowed`);
  const { session, decision } = admit(ctx, req, route.permission, route.group);
  const fault = ctx.faults.draw();
  if (fault !== undefined) ctx.stats.faults += 1;
  if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 2000));
  if (typeof fault === 'number') {
    sendFault(res, fault, decision.headers);
    return;
  }
  const { accountId, extensionId } = matched;
  const body = route.run({ ctx, session, params: url.searchParams, origin: originOf(req), pathname: url.pathname, accountId, extensionId });
  if (fault === 'reset') {
    resetMidway(res, body, decision.headers);
    return;
  }
  sendJson(res, 200, body, decision.headers);
}

function sendFault(res: ServerResponse, status: number, headers: Record<string, string>): void {
  if (status === 502 || status === 504) {
    // Gateways answer with their own HTML page, not RingCentral's JSON.
    const html = `<html><head><title>${status}</title></head><body><h1>${status} ${status === 502 ? 'Bad Gateway' : 'Gateway Time-out'}</h1></body></html>`;
    res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(html) });
    res.end(html);
    return;
  }
  const error = apiError(status, 'CMN-201', 'Service Temporary Unavailable');
  sendJson(res, status, error.body, { ...headers, ...(status === 503 ? { 'Retry-After': '1' } : {}) });
}

/** The `reset` fault: headers and part of the body go out, then the socket is destroyed. */
function resetMidway(res: ServerResponse, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
}
