/**
 * Paces requests from RingCentral's X-Rate-Limit-* headers so a long export never meets a 429.
 * RingCentral counts requests per (user, app, group) over a sliding window (docs/basics/rate-limits.md);
 * we remember when our own requests of each group completed and, when the window is full, wait
 * until the oldest one has left it. Completion time is later than the server's count time, so
 * waiting from it is safe.
 */

interface GroupState {
  limit: number;
  windowMs: number;
  completed: number[];
  /** Requests in the window that were not ours (another process, same user and app), per the server's count. */
  foreign: number;
  lastSeen: number;
}

const SAFETY_MS = 50;
const MAX_LIMIT = 100_000;
const MAX_WINDOW_SECONDS = 3600;
/** Bounds on any wait a server asks for: at least a second (no hammering), at most an hour. */
export const MIN_RETRY_MS = 1000;
export const MAX_RETRY_MS = 3_600_000;

export class Pacer {
  private readonly groups = new Map<string, GroupState>();
  private readonly routes = new Map<string, string>();

  /**
   * How long to wait before sending a request on `route` (e.g. the path without query). A route
   * not answered yet may be in any group: it waits as the fullest one would (once, until its
   * first answer names its group).
   */
  delayFor(route: string, now: number): number {
    const name = this.routes.get(route);
    if (name === undefined) return Math.max(0, ...[...this.groups.values()].map((group) => groupDelay(group, now)));
    const group = this.groups.get(name);
    return group ? groupDelay(group, now) : 0;
  }

  /** Whether the server counted requests in `route`'s window that were not ours (another process, same user and app). */
  sharedWithOthers(route: string, now: number): boolean {
    const group = this.groups.get(this.routes.get(route) ?? '');
    return group !== undefined && group.foreign > 0 && now - group.lastSeen < group.windowMs;
  }

  /** Records a completed request; headers without rate-limit information are ignored. */
  record(route: string, headers: Headers, now: number): void {
    const name = headers.get('x-rate-limit-group');
    const limit = Number(headers.get('x-rate-limit-limit'));
    const windowSeconds = Number(headers.get('x-rate-limit-window'));
    const remaining = Number(headers.get('x-rate-limit-remaining'));
    // Values no real group has (a window of years would overflow a timer into an instant retry) are ignored.
    if (!name || !(limit > 0) || !(windowSeconds > 0) || limit > MAX_LIMIT || windowSeconds > MAX_WINDOW_SECONDS) return;
    this.routes.set(route, name);
    const previous = this.groups.get(name);
    const group: GroupState =
      previous && previous.limit === limit && previous.windowMs === windowSeconds * 1000
        ? previous
        : { limit, windowMs: windowSeconds * 1000, completed: previous?.completed ?? [], foreign: 0, lastSeen: now };
    this.groups.set(name, group);
    group.completed.push(now);
    prune(group, now);
    group.foreign = Number.isFinite(remaining) ? Math.max(0, limit - remaining - group.completed.length) : 0;
    group.lastSeen = now;
  }
}

function groupDelay(group: GroupState, now: number): number {
  prune(group, now);
  const foreign = now - group.lastSeen < group.windowMs ? group.foreign : 0;
  if (group.completed.length + foreign < group.limit) return 0;
  const oldest = group.completed[0] ?? group.lastSeen;
  return Math.max(0, oldest + group.windowMs + SAFETY_MS - now);
}

function prune(group: GroupState, now: number): void {
  while (group.completed.length > 0 && (group.completed[0] ?? 0) <= now - group.windowMs) group.completed.shift();
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3); RingCentral's docs say 30 s when absent. */
export function retryAfterMs(header: string | null, now: number, fallbackMs = 30_000): number {
  const clamp = (ms: number) => Math.min(Math.max(ms, MIN_RETRY_MS), MAX_RETRY_MS);
  if (header === null || header.trim() === '') return fallbackMs;
  if (/^-?\d+(\.\d+)?$/.test(header.trim())) return clamp(Math.round(Number(header) * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallbackMs : clamp(date - now);
}
