import type { GroupLimit, RateGroup, RateLimits } from '../options.js';

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

interface Bucket {
  /** Times of the accepted requests still inside the window, oldest first. */
  accepted: number[];
  penaltyUntil: number;
}

/**
 * RingCentral's per-(user, app, group) limiter: a sliding window of accepted requests, and a
 * penalty once it overflows. Each request sent during the penalty restarts it
 * (docs/basics/rate-limits.md: "the 429 trap").
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: RateLimits) {}

  check(group: RateGroup, identity: string, now: number): RateDecision {
    if (!this.limits) return { allowed: true, headers: {} };
    if (this.limits.account && !this.take('account', this.limits.account, now)) return { allowed: false, headers: {} };
    const limit = this.limits[group];
    const bucket = this.bucket(`${group}:${identity}`);
    const windowStart = now - limit.windowSeconds * 1000;
    while (bucket.accepted.length > 0 && (bucket.accepted[0] ?? 0) <= windowStart) bucket.accepted.shift();
    if (now < bucket.penaltyUntil || bucket.accepted.length >= limit.requests) {
      bucket.penaltyUntil = now + limit.penaltySeconds * 1000;
      return { allowed: false, headers: { ...headers(group, limit, 0), 'Retry-After': String(limit.penaltySeconds) } };
    }
    bucket.accepted.push(now);
    return { allowed: true, headers: headers(group, limit, limit.requests - bucket.accepted.length) };
  }

  /** The account-wide window: no penalty of its own, and nothing said about it. */
  private take(key: string, limit: GroupLimit, now: number): boolean {
    const bucket = this.bucket(key);
    while (bucket.accepted.length > 0 && (bucket.accepted[0] ?? 0) <= now - limit.windowSeconds * 1000) bucket.accepted.shift();
    if (bucket.accepted.length >= limit.requests) return false;
    bucket.accepted.push(now);
    return true;
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { accepted: [], penaltyUntil: 0 };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

function headers(group: RateGroup, limit: GroupLimit, remaining: number): Record<string, string> {
  return {
    'X-Rate-Limit-Group': group,
    'X-Rate-Limit-Limit': String(limit.requests),
    'X-Rate-Limit-Remaining': String(remaining),
    'X-Rate-Limit-Window': String(limit.windowSeconds),
  };
}
