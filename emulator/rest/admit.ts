import type { IncomingMessage } from 'node:http';
import type { Context } from '../context.js';
import { apiError, HttpError } from '../http.js';
import type { RateDecision } from '../limits/rate-limit.js';
import type { Session } from '../oauth/sessions.js';
import type { RateGroup } from '../options.js';

/**
 * What every authenticated request (REST and media) passes before its handler: a valid bearer
 * token, the app permission the endpoint needs (403 CMN-401 naming it), and the user's window of
 * its rate-limit group (429 CMN-301, counted as throttled). Returns the session and the decision,
 * whose headers the answer carries.
 */
export function admit(
  ctx: Context,
  req: IncomingMessage,
  permission: string,
  group: RateGroup,
): { session: Session; decision: RateDecision } {
  const session = ctx.sessions.authenticate(req.headers.authorization, ctx.now());
  if (session instanceof HttpError) throw session;
  if (!ctx.options.scopes.includes(permission)) {
    throw apiError(
      403,
      'CMN-401',
      `In order to call this API endpoint, application needs to have [${permission}] permission`,
      { permissionName: permission },
      'InsufficientPermissions',
    );
  }
  if (group !== 'auth') ctx.stats.groups[group] += 1;
  const decision = ctx.limiter.check(group, `${session.clientId}:${session.extensionIndex}`, ctx.now());
  if (!decision.allowed) throw throttled(ctx, decision.headers);
  return { session, decision };
}

/** A 429 as the gateway sends it, counted in the stats. */
export function throttled(ctx: Context, headers: Record<string, string>): HttpError {
  ctx.stats.throttled += 1;
  const error = apiError(429, 'CMN-301', 'Request rate exceeded');
  return new HttpError(429, error.body, headers);
}
