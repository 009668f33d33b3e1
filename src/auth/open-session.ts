import type { Settings } from '../config/settings.js';
import type { Logger } from '../output/logger.js';
import { openEnvSession, usesEnvJwt } from './env-credentials.js';
import { Session } from './session.js';
import type { TokenStore } from './token-store.js';

export interface OpenedSession {
  session: Session;
  /** `env`: RC_JWT from the environment; `profile`: a saved login. */
  source: 'env' | 'profile';
  store: TokenStore;
}

/** The session a command runs with: environment credentials win over the saved profile. */
export async function openSession(settings: Settings, store: TokenStore, logger: Logger): Promise<OpenedSession> {
  if (usesEnvJwt(settings)) return { ...(await openEnvSession(settings, logger)), source: 'env' };
  return { session: Session.open({ settings, store, logger }), source: 'profile', store };
}
