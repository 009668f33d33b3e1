import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import lockfile from 'proper-lockfile';
import { CliError, ExitCode } from '../errors.js';

/**
 * One JSON file per profile under <configDir>/profiles, mode 0600 in 0700 directories, written
 * atomically by conf (temp file + rename). Refreshes hold an exclusive lock across
 * re-read → refresh → write, so parallel commands never burn a single-use refresh token twice.
 */

export interface TokenSet {
  access_token: string;
  token_type: string;
  /** epoch ms */
  expire_time: number;
  expires_in: number;
  refresh_token: string;
  /** epoch ms */
  refresh_token_expire_time: number;
  refresh_token_expires_in: number;
  scope: string;
  owner_id?: string;
  endpoint_id?: string;
  session_id?: string;
}

export interface UserInfo {
  accountId: string;
  extensionId: string;
  extensionNumber: string;
  name: string;
}

export interface StoredSession {
  version: 1;
  server: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  /** How the session was obtained. */
  grant: 'authorization_code' | 'jwt';
  tokens: TokenSet;
  user: UserInfo;
  savedAt: string;
}

const LOCK_STALE_MS = 5000;

export class TokenStore {
  readonly path: string;
  private readonly dir: string;
  private confInstance: Conf<Record<string, unknown>> | undefined;

  constructor(
    readonly configDir: string,
    readonly profile: string,
    subdir = 'profiles',
  ) {
    const dir = join(configDir, subdir);
    this.dir = dir;
    this.path = join(dir, `${profile}.json`);
  }

  /** Created on first use: conf reads the file as it starts, and a damaged file must not block `logout`. */
  private get conf(): Conf<Record<string, unknown>> {
    this.confInstance ??= new Conf({
      cwd: this.dir,
      configName: this.profile,
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      watch: false,
    });
    return this.confInstance;
  }

  /** The saved session, or undefined when signed out. A damaged file is an error, never a silent logout. */
  read(): StoredSession | undefined {
    // Nothing is created by reading (conf would make the directory with default permissions).
    if (!existsSync(this.path)) return undefined;
    let data: Record<string, unknown>;
    try {
      data = this.conf.store;
    } catch (error) {
      throw this.corrupt(error);
    }
    if (Object.keys(data).length === 0) return undefined;
    if (!isStoredSession(data)) throw this.corrupt(new Error('unexpected contents'));
    return data;
  }

  /** Replaces the file atomically; a damaged one is replaced too (that is how login repairs it). */
  write(session: StoredSession): void {
    this.ensureWritable();
    let conf: Conf<Record<string, unknown>>;
    try {
      conf = this.conf;
    } catch {
      this.delete();
      conf = this.conf;
    }
    conf.store = session as unknown as Record<string, unknown>;
    this.removeAbandonedTemps();
    chmodSync(this.path, 0o600);
  }

  /** atomically's temp files (0600, beside the store) left by a process killed mid-write. */
  private removeAbandonedTemps(): void {
    const prefix = `${this.profile}.json.tmp-`;
    for (const name of readdirSync(this.dir)) {
      const file = join(this.dir, name);
      const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (name.startsWith(prefix) && age > 60_000) rmSync(file, { force: true });
    }
  }

  delete(): void {
    rmSync(this.path, { force: true });
  }

  /** Runs `fn` holding the profile's lock; a lock left by a killed process goes stale in seconds. */
  /** Creates the 0700 directories; fails early (before any sign-in) when they cannot be made. */
  ensureWritable(): void {
    ensurePrivateDir(this.configDir);
    ensurePrivateDir(this.dir);
  }

  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    this.ensureWritable();
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.path, {
        realpath: false,
        stale: LOCK_STALE_MS,
        update: LOCK_STALE_MS / 2,
        retries: { retries: 200, factor: 1.2, minTimeout: 20, maxTimeout: 250 },
      });
    } catch (error) {
      throw new CliError(`could not lock ${this.path} (another ringcentral command holds it)`, {
        hint: 'wait for the other command to finish, or delete the .lock directory next to that file',
        cause: error,
      });
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  private corrupt(error: unknown): CliError {
    return new CliError(`the token file ${this.path} is damaged and cannot be read`, {
      exitCode: ExitCode.failure,
      hint: `delete it ("rm ${this.path}") and run "ringcentral login" again`,
      cause: error,
    });
  }
}

function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (error) {
    throw new CliError(`cannot use the config directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: 'make it writable, or point RINGCENTRAL_CONFIG_DIR at a directory you own',
      cause: error,
    });
  }
}

function isStoredSession(data: Record<string, unknown>): data is StoredSession & Record<string, unknown> {
  const tokens = data.tokens as Partial<TokenSet> | undefined;
  return (
    data.version === 1 &&
    typeof data.server === 'string' &&
    typeof data.clientId === 'string' &&
    typeof tokens?.access_token === 'string' &&
    typeof tokens.refresh_token === 'string' &&
    typeof tokens.expire_time === 'number' &&
    typeof tokens.refresh_token_expire_time === 'number' &&
    typeof data.user === 'object' &&
    data.user !== null
  );
}
