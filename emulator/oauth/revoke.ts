import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context.js';
import { oauthError } from '../http.js';
import { present, readClientForm } from './client-auth.js';

/** POST /restapi/oauth/revoke (RFC 7009): any token of a session ends the whole session. */
export async function handleRevoke(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  rateHeaders: (form: URLSearchParams) => Record<string, string>,
): Promise<void> {
  const { form, headers, client } = await readClientForm(ctx, req, rateHeaders);
  const token = present(form.get('token')) ?? present(query.get('token'));
  if (!token) throw oauthError('invalid_request', 'OAU-101', 'Parameter [token] is required');
  if (ctx.sessions.revoke(token, client.clientId)) ctx.stats.revocations += 1;
  res.writeHead(200, { ...headers, 'Content-Length': 0 });
  res.end();
}
