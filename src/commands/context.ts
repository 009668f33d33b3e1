import type { WaitBudget } from '../api/retry.js';
import { type OpenedSession, openSession as openAuthSession } from '../auth/open-session.js';
import { type StoredSession, TokenStore } from '../auth/token-store.js';
import { SANDBOX_RETIRED, SERVERS } from '../config/parse.js';
import { resolveProfile, resolveSettings, type SavedSettings, type SettingFlags, type Settings } from '../config/settings.js';
import type { ExportDeps } from '../export/run-export.js';
import type { Io } from '../io.js';
import { loadStyles, useColor } from '../output/colors.js';
import { createLogger, type Logger } from '../output/logger.js';

/** What every command gets: resolved settings, a logger, the profile's token store, and the terminal. */
export interface CommandContext {
  settings: Settings;
  logger: Logger;
  store: TokenStore;
  io: Io;
}

export async function createContext(flags: SettingFlags, io: Io): Promise<CommandContext> {
  const styles = await loadStyles(useColor(() => io.stderr, io.env));
  // process.stderr is opened on the first message: most runs write none.
  const stderr = { write: (text: string) => io.stderr.write(text) };
  const logger = createLogger({ debug: flags.debug ?? false, quiet: flags.quiet ?? false, stream: stderr, styles });
  const input = { flags, env: io.env, cwd: io.cwd };
  const choice = resolveProfile(input);
  const store = new TokenStore(choice.configDir, choice.profile);
  const settings = resolveSettings(choice, input, savedSettings(store));
  if (settings.envFileUsed) logger.debug(`using RC_* settings from ${settings.envFileUsed}`);
  if (settings.server.value === SERVERS.sandbox) logger.warn(SANDBOX_RETIRED);
  return { settings, logger, store, io };
}

/** The saved profile's settings layer; a damaged file contributes nothing here (commands report it). */
function savedSettings(store: TokenStore): SavedSettings {
  let session: StoredSession | undefined;
  try {
    session = store.read();
  } catch {
    return {};
  }
  if (!session) return {};
  return { server: session.server, clientId: session.clientId, clientSecret: session.clientSecret, redirectUri: session.redirectUri };
}

/** The command's session; `budget` is its --max-wait (token calls spend from it too), `signal` its Ctrl-C. */
export function openSession(ctx: CommandContext, options: { budget?: WaitBudget; signal?: AbortSignal } = {}): Promise<OpenedSession> {
  return openAuthSession({ settings: ctx.settings, store: ctx.store, logger: ctx.logger, ...options });
}

/** The export engine's view of a command. */
export function exportDeps(ctx: CommandContext): ExportDeps {
  return {
    openSession: async (options) => (await openSession(ctx, options)).session,
    logger: ctx.logger,
    env: ctx.io.env,
    stdout: ctx.io.stdout,
    stderr: ctx.io.stderr,
  };
}

/** Writes a command's JSON, through --jq when given (status, doctor, profiles, api). */
export async function writeJson(ctx: CommandContext, json: string, jq: string | undefined): Promise<void> {
  if (jq === undefined) {
    ctx.io.stdout.write(json);
    return;
  }
  const { createJq } = await import('../output/jq.js');
  ctx.io.stdout.write(await (await createJq(jq)).run(json));
}
