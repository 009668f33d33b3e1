import type { IncomingMessage } from 'node:http';
import { APP, type Context } from '../context.js';
import { oauthError, readForm } from '../http.js';

/** What the OAuth endpoints share: RFC 7636 value syntax, and reading an authenticated client form. */

/** RFC 7636 §4.1: 43..128 characters of [A-Z a-z 0-9 - . _ ~]. */
export const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export const present = (value: string | null): string | undefined => (value === null || value === '' ? undefined : value);

export interface Client {
  clientId: string;
  confidential: boolean;
}

/**
 * A server-side (confidential) app must authenticate with client_secret_basic on every token,
 * refresh and revoke call; a client-side (public) app has no secret and names itself with
 * `client_id` in the body.
 */
export function authenticateClient(ctx: Context, req: IncomingMessage, form: URLSearchParams): Client {
  const header = req.headers.authorization;
  const serverSide = ctx.options.appType === 'server-side';
  if (header && !serverSide)
    throw oauthError('invalid_client', 'OAU-146', 'Invalid client credentials: this app has no client secret', 401);
  if (!header && serverSide) throw oauthError('invalid_client', 'OAU-123', 'Client authentication is required', 401);
  if (header) {
    const match = /^basic\s+(\S+)$/i.exec(header);
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const separator = decoded.indexOf(':');
    if (separator < 0) throw oauthError('invalid_client', 'OAU-123', 'Invalid Authorization header value');
    const [id, secret] = [decoded.slice(0, separator), decoded.slice(separator + 1)];
    if (id !== APP.clientId || secret !== APP.clientSecret) {
      throw oauthError('invalid_client', 'OAU-146', 'Invalid client credentials');
    }
    return { clientId: id, confidential: true };
  }
  const clientId = form.get('client_id') ?? '';
  if (clientId !== APP.clientId) {
    throw oauthError('invalid_client', 'OAU-153', `Invalid client: ${clientId}`, 400, {
      parameters: [{ parameterName: 'client_id', parameterValue: clientId }],
    });
  }
  return { clientId, confidential: false };
}

/** Who an Auth-group request counts against, before the client is authenticated. */
export function authIdentity(req: IncomingMessage, form: URLSearchParams): string {
  const basic = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const id = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : form.get('client_id');
  return `${id ?? ''}@${req.socket.remoteAddress ?? ''}`;
}

/** The form of a token or revoke request: counted against the Auth group, then its client authenticated. */
export async function readClientForm(
  ctx: Context,
  req: IncomingMessage,
  rateHeaders: (form: URLSearchParams) => Record<string, string>,
): Promise<{ form: URLSearchParams; headers: Record<string, string>; client: Client }> {
  const form = await readForm(req);
  const headers = rateHeaders(form);
  return { form, headers, client: authenticateClient(ctx, req, form) };
}
