import { openSession } from '../auth/open-session.js';
import type { CommandContext } from '../context.js';

/** `ringcentral token`: the access token alone (refreshed first), for curl and scripts. */
export async function token(ctx: CommandContext): Promise<string> {
  const { session } = await openSession(ctx);
  return session.accessToken();
}
