import { checkServerTrust, type Settings } from '../config/settings.js';
import { openEnvSession } from './env-credentials.js';
import { Session } from './session.js';
import type { AuthDeps, TokenStore } from './token-store.js';

export interface OpenedSession {
  session: Session;
  /** `env`: RC_JWT from the environment; `profile`: a saved login. */
  source: 'env' | 'profile';
  store: TokenStore;
}

/** RC_JWT + RC_CLIENT_ID in the environment (or .env) sign every command in, bypassing saved logins. */
export function usesEnvJwt(settings: Settings): boolean {
  return Boolean(settings.jwt.value && settings.clientId.value && (settings.jwt.source === 'env' || settings.jwt.source === '.env'));
}

/** The session a command runs with: environment credentials win over the saved profile. */
export async function openSession(deps: AuthDeps): Promise<OpenedSession> {
  checkServerTrust(deps.settings);
  if (usesEnvJwt(deps.settings)) return { ...(await openEnvSession(deps)), source: 'env' };
  return { session: Session.open(deps), source: 'profile', store: deps.store };
}
