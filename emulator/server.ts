import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP, type Context, emptyStats } from './context.js';
import { Dataset } from './dataset.js';
import { FaultInjector } from './faults.js';
import { apiError, HttpError, sendJson } from './http.js';
import { signJwt } from './jwt.js';
import { authIdentity, handleAuthorize, handleConsent, handleRevoke, handleSignIn, handleToken } from './oauth.js';
import type { EmulatorOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { matchRestRoute } from './rest.js';
import { SessionStore } from './sessions.js';

export interface Emulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** A JWT credential for demo@example.com. */
  jwt: string;
  context: Context;
  close(): Promise<void>;
}

export function createContext(options: EmulatorOptions): Context {
  return {
    options,
    dataset: new Dataset(options.seed, options.extensions, options.callLog, options.now),
    sessions: new SessionStore(),
    limiter: new RateLimiter(options.rateLimits),
    faults: new FaultInjector(options.faults, options.seed),
    stats: emptyStats(),
    pending: new Map(),
    codes: new Map(),
    jwtSecret: `emulator-jwt-secret-${options.seed}`,
    filterCache: new Map(),
    now: () => Date.now(),
  };
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const context = createContext(options);
  const server = createServer((req, res) => {
    handle(context, req, res).catch((error: unknown) => sendError(res, error));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  return { url, port, jwt: jwtFor(context, url, 0), context, close: () => closeServer(server) };
}

function jwtFor(ctx: Context, origin: string, extensionIndex: number): string {
  const extension = ctx.dataset.extensions[extensionIndex];
  return signJwt(
    {
      aud: `${origin}/restapi/oauth/token`,
      iss: origin,
      sub: String(extension?.id ?? ''),
      exp: Math.floor(ctx.now() / 1000) + 365 * 86_400,
    },
    ctx.jwtSecret,
  );
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

function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? 'localhost'}`;
}

async function handle(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const route = `${req.method} ${url.pathname}`;
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
      await handleToken(ctx, req, res, rateHeaders);
      return;
    case 'POST /restapi/oauth/revoke':
      await handleRevoke(ctx, req, res, url.searchParams, rateHeaders);
      return;
    default:
      throw apiError(404, 'CMN-120', 'Invalid URI');
  }
}

function throttled(ctx: Context, headers: Record<string, string>): HttpError {
  ctx.stats.throttled += 1;
  const error = apiError(429, 'CMN-301', 'Request rate exceeded');
  return new HttpError(429, error.body, headers);
}

async function handleRest(ctx: Context, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = matchRestRoute(url.pathname);
  if (!route) throw apiError(404, 'CMN-120', 'Invalid URI');
  if (req.method !== 'GET') throw apiError(405, 'CMN-105', `Method ${req.method} is not allowed`);
  const session = ctx.sessions.authenticate(req.headers.authorization, ctx.now());
  if (session instanceof HttpError) throw session;
  const decision = ctx.limiter.check(route.group, `${session.clientId}:${session.extensionIndex}`, ctx.now());
  if (!decision.allowed) throw throttled(ctx, decision.headers);
  const fault = ctx.faults.draw();
  if (fault !== undefined) ctx.stats.faults += 1;
  if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 2000));
  if (typeof fault === 'number') {
    sendFault(res, fault, decision.headers);
    return;
  }
  const body = route.run(ctx, session, url.searchParams, originOf(req));
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

async function handleInternal(ctx: Context, route: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (route) {
    case 'GET /__emulator/stats':
      sendJson(res, 200, { ...ctx.stats, tokenGrants: { ...ctx.stats.tokenGrants }, activeSessions: ctx.sessions.activeCount(ctx.now()) });
      return;
    case 'POST /__emulator/expire-tokens':
      sendJson(res, 200, { expired: ctx.sessions.expireAccessTokens(ctx.now()) });
      return;
    case 'GET /__emulator/call-log':
      await streamCallLog(ctx, url, req, res);
      return;
    case 'GET /__emulator/jwt': {
      const number = url.searchParams.get('extensionNumber') ?? '101';
      const extension = ctx.dataset.extensions.find((ext) => ext.extensionNumber === number);
      if (!extension) throw apiError(404, 'CMN-102', 'Resource for parameter [extensionNumber] is not found');
      const text = `${jwtFor(ctx, originOf(req), extension.index)}\n`;
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    case 'POST /__emulator/calls': {
      const count = Number(url.searchParams.get('count') ?? '1');
      if (!Number.isInteger(count) || count < 1 || count > 100_000) throw apiError(400, 'CMN-101', 'Parameter [count] value is invalid.');
      ctx.dataset.appendCalls(count, ctx.now());
      sendJson(res, 200, { callCount: ctx.dataset.callCount });
      return;
    }
    case 'GET /__emulator/app':
      sendJson(res, 200, {
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        redirectUris: ctx.options.redirectUris,
        logins: ctx.dataset.logins.map(({ email, password }) => ({ email, password })),
      });
      return;
    case 'POST /__emulator/authorize/sign-in':
      await handleSignIn(ctx, req, res);
      return;
    case 'POST /__emulator/authorize/consent':
      await handleConsent(ctx, req, res);
      return;
    default:
      throw apiError(404, 'CMN-120', 'Invalid URI');
  }
}

/** Ground truth: every record (account scope, Simple view unless ?view=Detailed), newest first, as NDJSON. */
async function streamCallLog(ctx: Context, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const view = url.searchParams.get('view') === 'Detailed' ? 'Detailed' : 'Simple';
  const origin = originOf(req);
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
  const total = ctx.dataset.callCount;
  for (let position = 0; position < total; position += 500) {
    let chunk = '';
    for (let p = position; p < Math.min(position + 500, total); p++) {
      chunk += `${JSON.stringify(ctx.dataset.renderCall(ctx.dataset.serialAt(p), view, origin, 'account'))}\n`;
    }
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    if (res.destroyed) return;
  }
  res.end();
}
