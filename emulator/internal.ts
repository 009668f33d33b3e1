import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP, type Context } from './context.js';
import { apiError, sendJson } from './http.js';
import { handleCallControl } from './internal-calls.js';
import { handleMessageControl } from './internal-messages.js';
import { FaultInjector } from './limits/faults.js';
import { signJwt } from './oauth/jwt.js';
import { OptionError, parseFaults } from './options.js';

/**
 * /__emulator/*: introspection and control for tests, benchmarks and the demo (never rate
 * limited, never counted). emulator/client.ts is the typed way to call these.
 */

export function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? 'localhost'}`;
}

/** A JWT credential for the extension at `extensionIndex` (index 0 is the demo user, 101). */
export function jwtFor(ctx: Context, origin: string, extensionIndex: number): string {
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

/** Replaces the fault plan (the same syntax as --faults); `none` clears it. */
export function setFaults(ctx: Context, spec: string): void {
  ctx.faults = new FaultInjector(parseFaults(spec), ctx.options.seed);
}

/** Registers another redirect URI for the app (tests use a free port each). */
export function allowRedirectUri(ctx: Context, uri: string): void {
  if (!URL.canParse(uri)) throw apiError(400, 'CMN-101', 'Parameter [uri] value is invalid.');
  if (!ctx.options.redirectUris.includes(uri)) ctx.options.redirectUris.push(uri);
}

export async function handleInternal(ctx: Context, route: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (await handleCallControl(ctx, route, url, req, res, originOf(req))) return;
  if (await handleMessageControl(ctx, route, url, res, originOf(req))) return;
  switch (route) {
    case 'GET /__emulator/stats':
      sendJson(res, 200, {
        ...ctx.stats,
        tokenGrants: { ...ctx.stats.tokenGrants },
        groups: { ...ctx.stats.groups },
        activeSessions: ctx.sessions.activeCount(ctx.now()),
        sessionsEnded: ctx.sessions.endedByLimit,
      });
      return;
    case 'POST /__emulator/expire-tokens':
      sendJson(res, 200, { expired: ctx.sessions.expireAccessTokens(ctx.now()) });
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
    case 'GET /__emulator/app':
      sendJson(res, 200, {
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        redirectUris: ctx.options.redirectUris,
        logins: ctx.dataset.logins.map(({ email, password }) => ({ email, password })),
      });
      return;
    case 'POST /__emulator/faults':
      try {
        setFaults(ctx, url.searchParams.get('spec') ?? 'none');
      } catch (error) {
        if (error instanceof OptionError) throw apiError(400, 'CMN-101', error.message);
        throw error;
      }
      sendJson(res, 200, { faults: url.searchParams.get('spec') ?? 'none' });
      return;
    case 'POST /__emulator/redirect-uris':
      allowRedirectUri(ctx, url.searchParams.get('uri') ?? '');
      sendJson(res, 200, { redirectUris: ctx.options.redirectUris });
      return;
    default:
      throw apiError(404, 'CMN-120', 'Invalid URI');
  }
}
