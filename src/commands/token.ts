import { Session } from '../auth/session.js';
import type { CommandContext } from '../context.js';

/** `ringcentral token`: the access token alone (refreshed first), for curl and scripts. */
export async function token(ctx: CommandContext): Promise<string> {
  const session = await Session.open({ settings: ctx.settings, store: ctx.store, logger: ctx.logger });
  return session.accessToken();
}
