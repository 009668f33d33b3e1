import { readFailure } from '../api/platform.js';
import type { CommandContext } from '../context.js';

/**
 * `ringcentral logout`: revokes at RingCentral (best effort, a failure is a warning) and always
 * deletes the local tokens, even a damaged file. Logging out twice is fine.
 */
export async function logout(ctx: CommandContext): Promise<void> {
  let stored: ReturnType<typeof ctx.store.read>;
  try {
    stored = ctx.store.read();
  } catch (error) {
    ctx.store.delete();
    ctx.logger.warn(`${(error as Error).message}; deleted it`);
    return;
  }
  if (!stored) {
    ctx.logger.info(`Not signed in (profile "${ctx.settings.profile}"); nothing to do.`);
    return;
  }
  try {
    const { createPlatform } = await import('../api/platform.js');
    const { revokeToken } = await import('../auth/revoke.js');
    const platform = await createPlatform({
      server: stored.server,
      clientId: stored.clientId,
      clientSecret: stored.clientSecret,
      logger: ctx.logger,
    });
    await revokeToken(platform, stored.tokens.refresh_token, stored);
  } catch (error) {
    ctx.logger.warn(
      `could not revoke the session at ${stored.server} (${(await readFailure(error)).message}); the local tokens are deleted anyway`,
    );
  } finally {
    await ctx.store.withLock(async () => ctx.store.delete());
  }
  ctx.logger.success(`Logged out of ${stored.server} [profile ${ctx.settings.profile}]`);
}
