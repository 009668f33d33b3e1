import { UsageError } from '../errors.js';

/** Boundary parsers for settings that may come from a flag, the environment, .env or a profile. */

export const SERVERS = {
  production: 'https://platform.ringcentral.com',
  /** AT&T Office@Hand and Verizon customers' segregated environment. */
  biz: 'https://platform.ringcentral.biz',
  /** Retired by RingCentral in 2025: kept so old profiles still parse, with a warning (see SANDBOX_RETIRED). */
  sandbox: 'https://platform.devtest.ringcentral.com',
} as const;

export const SANDBOX_RETIRED =
  'RingCentral retired its sandbox (platform.devtest.ringcentral.com) in 2025; new apps get production credentials, so use --server production';

export const DEFAULT_REDIRECT_URI = 'http://localhost:5000/oauth2callback';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * A URL hostname (brackets and all) that is this machine without asking DNS: localhost,
 * 127.0.0.0/8, ::1. Names under .localhost are loopback by RFC 6761 too, but the system resolver
 * may not know them, so only parseServer accepts them (and the proxy still carries them).
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_NAMES.has(host) || host.startsWith('127.');
}

export function parseProfileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new UsageError(`--profile: "${name}" is not a valid profile name`, 'use letters, digits, "-" and "_" (up to 64)');
  }
  return name;
}

/** `production`, `biz`, `sandbox` (retired), or a base URL (https, or http on loopback for the emulator). */
export function parseServer(text: string, flag = '--server'): string {
  const named = SERVERS[text as keyof typeof SERVERS];
  if (named) return named;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${flag}: "${text}" is not a URL`,
      'use production, biz (AT&T Office@Hand, Verizon), or a URL like https://platform.ringcentral.com',
    );
  }
  const loopback = isLoopback(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UsageError(`${flag}: "${text}" must use https (plain http is only allowed on loopback)`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new UsageError(
      `${flag}: "${text}" must be a bare origin, without a path or query`,
      'for example https://platform.ringcentral.com',
    );
  }
  return url.origin;
}

/** RFC 8252 §7.3: a loopback http URI with an explicit port and a path, which the listener can bind. */
export function parseRedirectUri(text: string, flag = '--redirect-uri'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: "${text}" is not a URL`, `for example ${DEFAULT_REDIRECT_URI}`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`${flag}: "${text}" must use http (the listener on this machine has no TLS)`);
  // The listener binds names it can resolve without DNS: localhost, 127.0.0.1 or [::1].
  if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new UsageError(`${flag}: "${text}" must point at this machine (localhost, 127.0.0.1 or [::1])`);
  }
  if (!url.port) throw new UsageError(`${flag}: "${text}" needs an explicit port`, `for example ${DEFAULT_REDIRECT_URI}`);
  if (url.pathname === '/' || url.search || url.hash) {
    throw new UsageError(`${flag}: "${text}" needs a path and no query`, `for example ${DEFAULT_REDIRECT_URI}`);
  }
  return text;
}
