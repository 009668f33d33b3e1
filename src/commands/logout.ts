import { signOut } from '../auth/sign-out.js';
import type { CommandContext } from './context.js';

/** `ringcentral logout`: revoke at RingCentral (best effort) and delete the local tokens. */
export function logout(ctx: CommandContext): Promise<void> {
  return signOut(ctx.store, ctx.logger, ctx.settings.profile);
}
