import type { CommandContext } from '../context.js';
import { openEnvSession, usesEnvJwt } from './jwt-login.js';
import { Session } from './session.js';
import type { TokenStore } from './token-store.js';

export interface OpenedSession {
  session: Session;
  /** `env`: RC_JWT from the environment; `profile`: a saved login. */
  source: 'env' | 'profile';
  store: TokenStore;
}

/** The session a command runs with: environment credentials win over the saved profile. */
export async function openSession(ctx: CommandContext): Promise<OpenedSession> {
  if (usesEnvJwt(ctx.settings)) return { ...(await openEnvSession(ctx.settings, ctx.logger)), source: 'env' };
  return {
    session: await Session.open({ settings: ctx.settings, store: ctx.store, logger: ctx.logger }),
    source: 'profile',
    store: ctx.store,
  };
}
