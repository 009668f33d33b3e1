import { Dataset } from './data/dataset.js';
import { CallLifecycle } from './data/lifecycle.js';
import { MessageStore } from './data/messages.js';
import { FaultInjector } from './limits/faults.js';
import { RateLimiter } from './limits/rate-limit.js';
import { type Session, SessionStore } from './oauth/sessions.js';
import type { AuthFaultKind, EmulatorOptions } from './options.js';

/** The one registered app. */
export const APP = {
  clientId: 'emulator-client-id',
  clientSecret: 'emulator-client-secret',
  name: 'RingCentral CLI (emulator app)',
} as const;

export interface Stats {
  requests: number;
  throttled: number;
  faults: number;
  tokenGrants: { authorization_code: number; refresh_token: number; 'jwt-bearer': number };
  revocations: number;
  /** Faults injected on the token endpoint (--auth-faults). */
  authFaults: number;
  /** REST requests answered, by rate-limit group (throttled ones included). */
  groups: { light: number; medium: number; heavy: number };
  /** Media content answered: whole (200) and partial (206, a Range). */
  media: { whole: number; partial: number };
}

export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'plain' | 'S256';
  extensionIndex: number | undefined;
  expiresAt: number;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'plain' | 'S256';
  extensionIndex: number;
  expiresAt: number;
  used: boolean;
  session: Session | undefined;
}

export interface Context {
  options: EmulatorOptions;
  dataset: Dataset;
  /** Calls added at run time, and every change to any call. */
  calls: CallLifecycle;
  /** The message store of every user. */
  messages: MessageStore;
  sessions: SessionStore;
  limiter: RateLimiter;
  faults: FaultInjector;
  /** Faults on POST /restapi/oauth/token (--auth-faults). */
  authFaults: FaultInjector<AuthFaultKind>;
  stats: Stats;
  pending: Map<string, PendingAuthorization>;
  codes: Map<string, AuthorizationCode>;
  jwtSecret: string;
  /** How far POST /__emulator/advance has moved the emulator's clock ahead of the machine's, ms. */
  clockOffset: number;
  now: () => number;
}

export function emptyStats(): Stats {
  return {
    requests: 0,
    throttled: 0,
    faults: 0,
    tokenGrants: { authorization_code: 0, refresh_token: 0, 'jwt-bearer': 0 },
    revocations: 0,
    authFaults: 0,
    groups: { light: 0, medium: 0, heavy: 0 },
    media: { whole: 0, partial: 0 },
  };
}

/** Everything one emulator instance knows; the options are its defaults (README lists them). */
export function createContext(options: EmulatorOptions): Context {
  const dataset = new Dataset(options.seed, options.extensions, options.callLog, options.now, options.recordingShare);
  const ctx: Context = {
    options,
    dataset,
    calls: new CallLifecycle(dataset, { lagMs: options.callLogLag * 1000, listInProgress: options.listInProgress }),
    messages: new MessageStore(dataset, options.seed, options.messages),
    sessions: new SessionStore({
      refreshTokens: options.refreshTokens,
      sessionLimit: options.sessionLimit,
      refreshGraceSeconds: options.refreshGrace,
    }),
    limiter: new RateLimiter(options.rateLimits),
    faults: new FaultInjector(options.faults, options.seed),
    authFaults: new FaultInjector(options.authFaults, options.seed + 1),
    stats: emptyStats(),
    pending: new Map(),
    codes: new Map(),
    jwtSecret: `emulator-jwt-secret-${options.seed}`,
    clockOffset: 0,
    now: () => Date.now() + ctx.clockOffset,
  };
  return ctx;
}
