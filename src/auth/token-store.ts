import {
  chmodSync,
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type Conf from 'conf';
import type { WaitBudget } from '../api/retry.js';
import { profileFile } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import { CliError, TemporaryError } from '../errors.js';
import { removeFutureLock } from '../fs/locks.js';
import type { Logger } from '../output/logger.js';

/**
 * One JSON file per profile (config/paths.ts), mode 0600 in 0700 directories, written
 * atomically by conf (temp file + rename). Reading is a plain JSON.parse: conf and its schema
 * validator are loaded only to write, so `ringcentral token` stays as fast as a script.
 * Refreshes hold an exclusive lock across re-read → refresh → write, so parallel commands never
 * burn a single-use refresh token twice.
 */

/** What every step of signing in and refreshing needs. */
export interface AuthDeps {
  settings: Settings;
  store: TokenStore;
  logger: Logger;
  now?: () => number;
  /** The command's --max-wait, shared with its API calls; token calls spend from it too. */
  budget?: WaitBudget;
  /** Ctrl-C, to end a wait for the token endpoint. */
  signal?: AbortSignal;
}

export interface TokenSet {
  access_token: string;
  token_type: string;
  /** epoch ms */
  expire_time: number;
  expires_in: number;
  /** '' when the app does not issue refresh tokens (RingCentral's default for a new app). */
  refresh_token: string;
  /** epoch ms; 0 without a refresh token */
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
  /**
   * The JWT credential, kept only for a JWT sign-in to an app that issues no refresh tokens: it
   * is how the session continues when its access token ends. The file is 0600, like the tokens.
   */
  jwt?: string;
}

/** Whether the session can be refreshed (the app's "Issue refresh tokens" setting). */
export function hasRefreshToken(tokens: TokenSet): boolean {
  return tokens.refresh_token !== '' && tokens.refresh_token_expire_time > 0;
}

/** When the session ends unless signed in again: its refresh token's end, or its access token's without one. */
export function sessionEnd(tokens: TokenSet): number {
  return hasRefreshToken(tokens) ? tokens.refresh_token_expire_time : tokens.expire_time;
}

/** Whether a saved session can still give an access token: refreshable, re-exchangeable (JWT), or not yet expired. */
export function sessionUsable(stored: StoredSession, now: number): boolean {
  return sessionEnd(stored.tokens) > now || (!hasRefreshToken(stored.tokens) && stored.jwt !== undefined);
}

const LOCK_STALE_MS = 5000;

export class TokenStore {
  readonly path: string;
  private readonly dir: string;
  private confInstance: Conf<Record<string, unknown>> | undefined;

  constructor(
    readonly configDir: string,
    readonly profile: string,
    subdir?: string,
  ) {
    this.path = profileFile(configDir, profile, subdir);
    this.dir = dirname(this.path);
  }

  /** conf, loaded and created on first write: it reads the file as it starts. */
  private async conf(): Promise<Conf<Record<string, unknown>>> {
    if (!this.confInstance) {
      const { default: ConfClass } = await import('conf');
      this.confInstance = new ConfClass({
        cwd: this.dir,
        configName: this.profile,
        configFileMode: 0o600,
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
        watch: false,
      });
    }
    return this.confInstance;
  }

  /** The saved session, or undefined when signed out. A damaged file is an error, never a silent logout. */
  read(): StoredSession | undefined {
    const stats = lstatQuietly(this.path);
    if (!stats) return undefined;
    checkOwnFile(this.path, stats);
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.corrupt(error);
    }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw this.corrupt(error);
    }
    if (data !== null && typeof data === 'object' && Object.keys(data).length === 0) return undefined;
    if (!isStoredSession(data)) throw this.corrupt(new Error('unexpected contents'));
    return data;
  }

  /** Replaces the file atomically; a damaged one is replaced too (that is how login repairs it). */
  async write(session: StoredSession): Promise<void> {
    this.ensureWritable();
    let conf: Conf<Record<string, unknown>>;
    try {
      conf = await this.conf();
    } catch {
      this.delete();
      conf = await this.conf();
    }
    conf.store = session as unknown as Record<string, unknown>;
    this.removeStaleConfTemps();
    chmodSync(this.path, 0o600);
  }

  /** Where `reserveSpace` holds room for the next write. */
  protected get reservePath(): string {
    return `${this.path}.reserve`;
  }

  /**
   * Before a single-use refresh token is spent: holds room on disk (a file several times the
   * session's size, written through) for saving what it buys. A full disk is found here, while
   * the session is still intact. `release` frees the room just before the save.
   */
  reserveSpace(): { release(): void } {
    const size = Math.max(16_384, 4 * (statSync(this.path, { throwIfNoEntry: false })?.size ?? 0));
    const path = this.reservePath;
    let fd: number | undefined;
    try {
      fd = openSync(path, 'w', 0o600);
      writeSync(fd, Buffer.alloc(size));
      fsyncSync(fd);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      if (path.endsWith('.reserve')) rmSync(path, { force: true });
      throw new TemporaryError(
        `no room to save a renewed session in ${this.dir} (${code}): the session was not renewed and is as it was`,
        'free some space on that disk, then run the command again',
      );
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return { release: () => rmSync(path, { force: true }) };
  }

  /** conf's (atomically's) temps, `<file>.tmp-<time><random>`, older than a minute: left by a killed write. */
  private removeStaleConfTemps(): void {
    const prefix = `${this.profile}.json.tmp-`;
    for (const name of readdirSync(this.dir)) {
      const file = join(this.dir, name);
      const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (name.startsWith(prefix) && age > 60_000) rmSync(file, { force: true });
    }
  }

  /** Deletes the file, and temps a killed write left beside it. */
  delete(): void {
    rmSync(this.path, { force: true });
    // What lives beside the session: the room reserved for a refresh, the shared pacing ledger.
    for (const suffix of ['.reserve', '.pacing']) rmSync(`${this.path}${suffix}`, { force: true });
    if (lstatQuietly(this.dir)) this.removeStaleConfTemps();
  }

  /** Creates the 0700 directories; fails early (before any sign-in) when they cannot be made. */
  ensureWritable(): void {
    ensurePrivateDir(this.configDir);
    ensurePrivateDir(this.dir);
    const stats = lstatQuietly(this.path);
    if (stats) checkOwnFile(this.path, stats);
  }

  /** Runs `fn` holding the profile's lock; a lock left by a killed process goes stale in seconds. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    this.ensureWritable();
    const { default: lockfile } = await import('proper-lockfile');
    removeFutureLock(this.path);
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
      hint: `delete it ("rm ${this.path}") and run "ringcentral login" again`,
      cause: error,
    });
  }
}

/**
 * The store holds refresh tokens and client secrets: it is only used when it is what it seems, a
 * regular file (not a link, which a write would follow, nor a FIFO, which would hang a read) owned
 * by the user running the command (as root in another user's directory, writing would hand them
 * the secrets).
 */
function checkOwnFile(path: string, stats: Stats): void {
  if (stats.isSymbolicLink() || !stats.isFile()) {
    throw new CliError(`the token file ${path} is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}: not using it`, {
      hint: `remove it ("rm ${path}") and run "ringcentral login" again`,
    });
  }
  checkOwner(path, stats);
}

function checkOwner(path: string, stats: Stats): void {
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new CliError(`${path} belongs to another user (uid ${stats.uid}): not keeping tokens there`, {
      hint: 'point RINGCENTRAL_CONFIG_DIR at a directory of your own',
    });
  }
}

/** lstat, with "nothing there" (or a file where a directory should be) as undefined. */
function lstatQuietly(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function ensurePrivateDir(dir: string): void {
  const existing = lstatQuietly(dir);
  if (existing?.isSymbolicLink()) {
    throw new CliError(`the config directory ${dir} is a symbolic link: not keeping tokens there`, {
      hint: 'use the real directory (RINGCENTRAL_CONFIG_DIR), or replace the link with a directory of your own',
    });
  }
  if (existing) checkOwner(dir, existing);
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

function isStoredSession(data: unknown): data is StoredSession & Record<string, unknown> {
  if (data === null || typeof data !== 'object') return false;
  const session = data as Record<string, unknown>;
  const tokens = session.tokens as Partial<TokenSet> | undefined;
  return (
    session.version === 1 &&
    typeof session.server === 'string' &&
    typeof session.clientId === 'string' &&
    typeof tokens?.access_token === 'string' &&
    typeof tokens.refresh_token === 'string' &&
    typeof tokens.expire_time === 'number' &&
    typeof tokens.refresh_token_expire_time === 'number' &&
    typeof session.user === 'object' &&
    session.user !== null
  );
}
