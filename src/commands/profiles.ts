import { rmSync } from 'node:fs';
import { signOut } from '../auth/sign-out.js';
import { sessionEnd, sessionUsable, TokenStore } from '../auth/token-store.js';
import { parseProfileName } from '../config/parse.js';
import { profileNames, readDefaultProfile, writeDefaultProfile } from '../config/paths.js';
import { UsageError } from '../errors.js';
import { renderColumns } from '../output/table.js';
import { type CommandContext, writeJson } from './context.js';

/** `ringcentral profiles`: named sign-ins side by side (production, the emulator, ...). */

export interface ProfileInfo {
  name: string;
  default: boolean;
  server?: string;
  accountId?: string;
  extensionNumber?: string;
  user?: string;
  refreshTokenExpiresAt?: string;
  expired?: boolean;
  damaged?: boolean;
}

export interface ListOptions {
  json?: boolean;
  /** --jq EXPR over the JSON. */
  jq?: string;
  /** Only the names, one a line (for shell completion). */
  names?: boolean;
}

export function collectProfiles(ctx: CommandContext, now = Date.now()): ProfileInfo[] {
  const { configDir, profile: current } = ctx.settings;
  return profileNames(configDir).map((name) => {
    const info: ProfileInfo = { name, default: name === current };
    try {
      const stored = new TokenStore(configDir, name).read();
      if (!stored) return info;
      return {
        ...info,
        server: stored.server,
        accountId: stored.user.accountId,
        extensionNumber: stored.user.extensionNumber,
        user: stored.user.name,
        refreshTokenExpiresAt: new Date(sessionEnd(stored.tokens)).toISOString(),
        expired: !sessionUsable(stored, now),
      };
    } catch {
      return { ...info, damaged: true };
    }
  });
}

/** Names safe to hand to a shell (completion runs `compgen -W "$(… --names)"`, which expands them). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export async function formatProfiles(profiles: ProfileInfo[], options: ListOptions): Promise<string> {
  if (options.names) {
    return profiles
      .filter((p) => SAFE_NAME.test(p.name))
      .map((p) => `${p.name}\n`)
      .join('');
  }
  if (options.json) return `${JSON.stringify(profiles, null, 2)}\n`;
  if (profiles.length === 0) return 'No profiles yet: run "ringcentral login" (add --profile NAME for a named one).\n';
  const rows = profiles.map((p) => [
    p.default ? '*' : ' ',
    p.name,
    p.server ?? '',
    p.accountId ?? '',
    p.extensionNumber ?? '',
    p.user ?? '',
    p.damaged ? 'damaged file' : p.expired ? `expired ${p.refreshTokenExpiresAt}` : (p.refreshTokenExpiresAt ?? ''),
  ]);
  return renderColumns([' ', 'PROFILE', 'SERVER', 'ACCOUNT', 'EXT', 'USER', 'SESSION EXPIRES'], rows);
}

export async function listProfiles(ctx: CommandContext, options: ListOptions): Promise<ProfileInfo[]> {
  const profiles = collectProfiles(ctx);
  await writeJson(ctx, await formatProfiles(profiles, { ...options, json: options.json === true || options.jq !== undefined }), options.jq);
  return profiles;
}

function requireProfile(ctx: CommandContext, name: string): string {
  parseProfileName(name);
  const known = profileNames(ctx.settings.configDir);
  if (!known.includes(name)) {
    throw new UsageError(
      `no profile named "${name}"`,
      known.length ? `known profiles: ${known.join(', ')}` : 'run "ringcentral login --profile NAME" first',
    );
  }
  return name;
}

export async function useProfile(ctx: CommandContext, name: string): Promise<void> {
  await writeDefaultProfile(ctx.settings.configDir, requireProfile(ctx, name));
  ctx.logger.success(`"${name}" is now the default profile`);
}

/** Revokes the profile's session (best effort), then deletes it. */
export async function removeProfile(ctx: CommandContext, name: string): Promise<void> {
  requireProfile(ctx, name);
  const store = new TokenStore(ctx.settings.configDir, name);
  await signOut(store, ctx.logger, name);
  rmSync(store.path, { force: true });
  if (readDefaultProfile(ctx.settings.configDir) === name) await writeDefaultProfile(ctx.settings.configDir, undefined);
  ctx.logger.success(`Removed profile "${name}"`);
}
