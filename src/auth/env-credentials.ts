import { ENV_CACHE_SUBDIR } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import { checkJwt, loginWithJwt } from './jwt-login.js';
import { Session } from './session.js';
import { type AuthDeps, type StoredSession, sessionUsable, TokenStore } from './token-store.js';

/**
 * RC_JWT + RC_CLIENT_ID in the environment (or .env) sign every command in, bypassing saved
 * logins, with the tokens cached so 100 sequential commands cost one token request, not 100
 * (the Auth group allows 5 a minute).
 */

/** One cache per (server, app, JWT): changing any of them never reuses another's tokens. */
export async function envStore(settings: Settings): Promise<TokenStore> {
  const { createHash } = await import('node:crypto');
  const key = createHash('sha256').update(`${settings.server.value}\n${settings.clientId.value}\n${settings.jwt.value}`).digest('hex');
  return new TokenStore(settings.configDir, `env-${key.slice(0, 24)}`, ENV_CACHE_SUBDIR);
}

export async function openEnvSession(deps: Omit<AuthDeps, 'store'>): Promise<{ session: Session; store: TokenStore }> {
  const { settings, logger } = deps;
  const store = await envStore(settings);
  const jwt = checkJwt(settings.jwt.value ?? '', `RC_JWT (from ${settings.jwt.source})`);
  const usable = (s: StoredSession | undefined) => s !== undefined && sessionUsable(s, Date.now());
  // A damaged cache is only a cache: it is replaced.
  const readCache = () => {
    try {
      return store.read();
    } catch {
      return undefined;
    }
  };
  if (!usable(readCache())) {
    await store.withLock(async () => {
      const cached = readCache();
      if (usable(cached)) return;
      logger.debug('exchanging RC_JWT for tokens');
      // The cache's old session, if any, is ended: one live session per cached credential.
      await loginWithJwt({ ...deps, store }, jwt, { alreadyLocked: true, previous: cached });
    });
  }
  return { session: Session.open({ ...deps, store }), store };
}
