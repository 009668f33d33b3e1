import { type CommandContext, openSession } from './context.js';

/** `ringcentral token`: the access token alone (refreshed first), for curl and scripts. */
export async function token(ctx: CommandContext): Promise<string> {
  const { session } = await openSession(ctx);
  const accessToken = await session.accessToken();
  ctx.io.stdout.write(`${accessToken}\n`);
  return accessToken;
}
