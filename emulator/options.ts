import { parseArgs } from 'node:util';

/** RingCentral's documented API groups (docs/basics/rate-limits.md). */
export type RateGroup = 'light' | 'medium' | 'heavy' | 'auth';

export interface GroupLimit {
  requests: number;
  windowSeconds: number;
  penaltySeconds: number;
}

/**
 * Per (user, app, group) limits, and optionally an account-level one across all users, apps and
 * groups, which answers 429 with no X-Rate-Limit-* headers and no Retry-After (docs: other limits
 * than the user-level groups exist, and say less).
 */
export type RateLimits = (Record<RateGroup, GroupLimit> & { account?: GroupLimit }) | null;

export type FaultKind = 'reset' | 'slow' | number;

export interface Fault {
  kind: FaultKind;
  probability: number;
}

/** A registered app's type: server-side apps are confidential (HTTP Basic), client-side ones public. */
export type AppType = 'server-side' | 'client-side';
export type AppGrant = 'authorization_code' | 'jwt';
const APP_GRANTS: readonly AppGrant[] = ['authorization_code', 'jwt'];

/** Kinds of fault on POST /restapi/oauth/token (429 and 503 carry Retry-After). */
export type AuthFaultKind = 429 | 503 | 500 | 'reset' | 'slow';

export interface AuthFault {
  kind: AuthFaultKind;
  probability: number;
}

export interface EmulatorOptions {
  port: number;
  /** The media entry point's port (0: any free one). */
  mediaPort: number;
  host: string;
  seed: number;
  extensions: number;
  callLog: number;
  /** Messages in the message store (all users together), over the 30 days before `now`. */
  messages: number;
  rateLimits: RateLimits;
  faults: Fault[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  redirectUris: string[];
  autoApprove: boolean;
  /** The instant the data set is anchored to (records spread over the 30 days before it). */
  now: number;
  appType: AppType;
  appGrants: AppGrant[];
  /** "Issue refresh tokens" in the app's settings (off for a new app on the real platform). */
  refreshTokens: boolean;
  /** The app's permissions. */
  scopes: string[];
  /** Live sessions per (user, app); a new one ends the oldest. */
  sessionLimit: number;
  /** Seconds in which a spent refresh token still returns the pair it bought (0: strictly single use). */
  refreshGrace: number;
  authFaults: AuthFault[];
  /** Seconds after a call ends before its final record is visible (the platform: 15-30 s). */
  callLogLag: number;
  /** Running calls are listed with result `In Progress` until their final record replaces them. */
  listInProgress: boolean;
  /** The share of answered calls that are recorded (0..1). */
  recordingShare: number;
  /** Every recording's size in bytes (benchmarks); undefined: a few KB to a few MB, seeded. */
  recordingBytes: number | undefined;
  /** The origin records name in contentUri (a CDN or proxy in front of media); undefined: the media entry point's own. */
  mediaOrigin: string | undefined;
  /** Bytes per second each media answer is sent at (a slow link); undefined: as fast as it goes. */
  mediaBandwidth: number | undefined;
}

export const DEFAULT_REDIRECT_URI = 'http://localhost:5000/oauth2callback';

export function defaultRateLimits(): Record<RateGroup, GroupLimit> {
  const limit = (requests: number): GroupLimit => ({ requests, windowSeconds: 60, penaltySeconds: 60 });
  return { light: limit(50), medium: limit(40), heavy: limit(10), auth: limit(5) };
}

export function defaultOptions(overrides: Partial<EmulatorOptions> = {}): EmulatorOptions {
  return {
    port: 8080,
    mediaPort: 0,
    host: '127.0.0.1',
    seed: 1,
    extensions: 25,
    callLog: 5000,
    messages: 2000,
    rateLimits: defaultRateLimits(),
    faults: [],
    accessTokenTtl: 3600,
    refreshTokenTtl: 604800,
    redirectUris: [DEFAULT_REDIRECT_URI],
    autoApprove: false,
    now: Date.now(),
    appType: 'server-side',
    appGrants: [...APP_GRANTS],
    refreshTokens: true,
    scopes: ['ReadAccounts', 'ReadCallLog'],
    sessionLimit: 5,
    refreshGrace: 0,
    authFaults: [],
    callLogLag: 20,
    listInProgress: true,
    recordingShare: 0.15,
    recordingBytes: undefined,
    mediaOrigin: undefined,
    mediaBandwidth: undefined,
    ...overrides,
  };
}

export class OptionError extends Error {}

/**
 * `default`, `off`, or overrides like `heavy=10/2,auth=5/2` (requests/window-seconds), and
 * `account=N/W` for the account-level limit. An override's penalty equals its window, so short test
 * windows also get short penalties.
 */
export function parseRateLimits(spec: string): RateLimits {
  if (spec === 'off') return null;
  const limits: NonNullable<RateLimits> = defaultRateLimits();
  if (spec === 'default') return limits;
  for (const part of spec.split(',')) {
    const match = /^(light|medium|heavy|auth|account)=(\d+)\/(\d+)$/.exec(part.trim());
    const [, group, requests, window] = match ?? [];
    if (!group || !requests || !window || Number(requests) < 1 || Number(window) < 1) {
      throw new OptionError(`--rate-limits: cannot read "${part}" (expected e.g. heavy=10/60, or "default" or "off")`);
    }
    limits[group as RateGroup | 'account'] = {
      requests: Number(requests),
      windowSeconds: Number(window),
      penaltySeconds: Number(window),
    };
  }
  return limits;
}

/** `500:0.05,503:0.1,reset:0.05,slow:0.1` (kind:probability). */
export function parseFaults(spec: string): Fault[] {
  if (spec === '' || spec === 'none') return [];
  const faults = spec.split(',').map((part) => {
    const [kindText = '', probabilityText = ''] = part.trim().split(':');
    const probability = Number(probabilityText);
    const kind: FaultKind | undefined =
      kindText === 'reset' || kindText === 'slow' ? kindText : /^5\d\d$/.test(kindText) ? Number(kindText) : undefined;
    if (kind === undefined || !(probability >= 0 && probability <= 1) || probabilityText === '') {
      throw new OptionError(`--faults: cannot read "${part}" (expected kind:probability, kind 5xx, reset or slow)`);
    }
    return { kind, probability };
  });
  const total = faults.reduce((sum, fault) => sum + fault.probability, 0);
  if (total > 1) throw new OptionError(`--faults: probabilities add up to ${total}, more than 1`);
  return faults;
}

/** `429:0.1,503:0.1,500:0.05,reset:0.05,slow:0.1` (kind:probability). */
export function parseAuthFaults(spec: string): AuthFault[] {
  if (spec === '' || spec === 'none') return [];
  const faults = spec.split(',').map((part) => {
    const [kindText = '', probabilityText = ''] = part.trim().split(':');
    const probability = Number(probabilityText);
    const kind = (['429', '503', '500'].includes(kindText) ? Number(kindText) : kindText) as AuthFaultKind;
    if (![429, 503, 500, 'reset', 'slow'].includes(kind) || !(probability >= 0 && probability <= 1) || probabilityText === '') {
      throw new OptionError(`--auth-faults: cannot read "${part}" (expected kind:probability, kind 429, 503, 500, reset or slow)`);
    }
    return { kind, probability };
  });
  const total = faults.reduce((sum, fault) => sum + fault.probability, 0);
  if (total > 1) throw new OptionError(`--auth-faults: probabilities add up to ${total}, more than 1`);
  return faults;
}

function list(name: string, text: string, allowed?: readonly string[]): string[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const bad = allowed ? items.find((item) => !allowed.includes(item)) : undefined;
  if (bad !== undefined || items.length === 0)
    throw new OptionError(`--${name}: cannot read "${text}"${allowed ? ` (use ${allowed.join(', ')})` : ''}`);
  return items;
}

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new OptionError(`--${name}: "${text}" is not a whole number of at least ${min}`);
  }
  return value;
}

export function parseOptions(argv: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      'media-port': { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      extensions: { type: 'string' },
      'call-log': { type: 'string' },
      messages: { type: 'string' },
      'rate-limits': { type: 'string' },
      faults: { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'refresh-token-ttl': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'auto-approve': { type: 'boolean' },
      now: { type: 'string' },
      'app-type': { type: 'string' },
      'app-grants': { type: 'string' },
      'no-refresh-tokens': { type: 'boolean' },
      scopes: { type: 'string' },
      'session-limit': { type: 'string' },
      'refresh-grace': { type: 'string' },
      'auth-faults': { type: 'string' },
      'call-log-lag': { type: 'string' },
      'list-in-progress': { type: 'string' },
      'recording-share': { type: 'string' },
      'recording-bytes': { type: 'string' },
      'media-origin': { type: 'string' },
      'media-bandwidth': { type: 'string' },
    },
  });
  const appType = values['app-type'] ?? 'server-side';
  if (appType !== 'server-side' && appType !== 'client-side') {
    throw new OptionError(`--app-type: "${appType}" is not an app type (use server-side or client-side)`);
  }
  const now = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(now)) throw new OptionError(`--now: "${values.now}" is not an ISO 8601 date-time`);
  const mediaOrigin = values['media-origin'];
  if (mediaOrigin !== undefined && !URL.canParse(mediaOrigin))
    throw new OptionError(`--media-origin: "${mediaOrigin}" is not an absolute URL`);
  for (const uri of values['redirect-uri'] ?? []) {
    if (!URL.canParse(uri)) throw new OptionError(`--redirect-uri: "${uri}" is not an absolute URI`);
  }
  return defaultOptions({
    port: integer('port', values.port, 8080, 0),
    mediaPort: integer('media-port', values['media-port'], 0, 0),
    host: values.host ?? '127.0.0.1',
    seed: integer('seed', values.seed, 1, 0),
    extensions: integer('extensions', values.extensions, 25, 2),
    callLog: integer('call-log', values['call-log'], 5000, 0),
    messages: integer('messages', values.messages, 2000, 0),
    rateLimits: parseRateLimits(values['rate-limits'] ?? 'default'),
    faults: parseFaults(values.faults ?? ''),
    accessTokenTtl: integer('access-token-ttl', values['access-token-ttl'], 3600, 1),
    refreshTokenTtl: integer('refresh-token-ttl', values['refresh-token-ttl'], 604800, 1),
    redirectUris: values['redirect-uri'] ?? [DEFAULT_REDIRECT_URI],
    autoApprove: values['auto-approve'] ?? false,
    now,
    appType,
    appGrants: values['app-grants'] === undefined ? [...APP_GRANTS] : (list('app-grants', values['app-grants'], APP_GRANTS) as AppGrant[]),
    refreshTokens: !values['no-refresh-tokens'],
    scopes: values.scopes === undefined ? ['ReadAccounts', 'ReadCallLog'] : list('scopes', values.scopes),
    sessionLimit: integer('session-limit', values['session-limit'], 5, 1),
    refreshGrace: integer('refresh-grace', values['refresh-grace'], 0, 0),
    authFaults: parseAuthFaults(values['auth-faults'] ?? ''),
    callLogLag: integer('call-log-lag', values['call-log-lag'], 20, 0),
    listInProgress: onOff('list-in-progress', values['list-in-progress'] ?? 'on'),
    recordingShare: share('recording-share', values['recording-share'], 0.15),
    mediaOrigin: mediaOrigin === undefined ? undefined : new URL(mediaOrigin).origin,
    mediaBandwidth: values['media-bandwidth'] === undefined ? undefined : integer('media-bandwidth', values['media-bandwidth'], 0, 1024),
    recordingBytes: values['recording-bytes'] === undefined ? undefined : integer('recording-bytes', values['recording-bytes'], 0, 4),
  });
}

function share(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new OptionError(`--${name}: "${text}" is not a share from 0 to 1`);
  return value;
}

function onOff(name: string, value: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw new OptionError(`--${name}: "${value}" is not on or off`);
}
