import type { TokenStore } from './auth/token-store.js';
import { type GlobalFlags, parseProfileName, resolveSettings, type SavedSettings, type Settings } from './config.js';
import { createLogger, type Logger } from './output/logger.js';

/** What every command gets: resolved settings, a logger, and the profile's token store. */

export interface CommandContext {
  settings: Settings;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  store: TokenStore;
}

export async function createContext(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): Promise<CommandContext> {
  const logger = createLogger({ debug: flags.debug ?? false, env });
  if (flags.profile !== undefined) parseProfileName(flags.profile);
  const { TokenStore } = await import('./auth/token-store.js');
  let store: TokenStore | undefined;
  const settings = resolveSettings({
    flags,
    env,
    saved: (profile, dir) => {
      store = new TokenStore(dir, profile);
      return savedSettings(store);
    },
  });
  if (settings.envFileUsed) logger.info(`Using RC_* settings from ${settings.envFileUsed}`);
  return { settings, logger, env, store: store ?? new TokenStore(settings.configDir, settings.profile) };
}

/** The saved profile's settings layer; a damaged file contributes nothing here (commands report it). */
function savedSettings(store: TokenStore): SavedSettings | undefined {
  try {
    const session = store.read();
    if (!session) return undefined;
    return { server: session.server, clientId: session.clientId, clientSecret: session.clientSecret, redirectUri: session.redirectUri };
  } catch {
    return undefined;
  }
}
