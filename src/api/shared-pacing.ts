import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic.js';

/**
 * Rate limits are counted per user and app, not per process: two exports for the same user and
 * app share one Heavy budget. Each keeps its own pacer, and this ledger (a small file beside the
 * session, under a lock) is where they meet: before a request a process takes a slot in its
 * group's window, and a 429 tells every process to wait out the penalty (a request sent during it
 * would start it again). The file appears only once a process sees another one at work in its
 * group (the server's count exceeds its own) or has used half the window, so a command that sends
 * a request or two leaves nothing behind; while several processes send, one slot of each window is
 * kept spare for a request sent just before the ledger existed. If the ledger
 * cannot be used, requests go ahead as if it were not there.
 */

interface LedgerGroup {
  limit: number;
  windowMs: number;
  /** When the requests in the current window were sent (ms). */
  sends: number[];
  /** A 429 was answered: nobody sends before this (ms). */
  blockedUntil?: number;
  /** Processes sending in this group, by pid: when each last took a slot (ms). */
  senders?: Record<string, number>;
  /** When the ledger began to pace the group (ms). */
  since?: number;
}

interface Ledger {
  version: 1;
  /** Route key → rate-limit group, as the server's headers said. */
  routes: Record<string, string>;
  groups: Record<string, LedgerGroup>;
  /** Requests sent on routes whose group no answer has named yet (a first request), by route. */
  unrouted?: Record<string, number[]>;
}

/** The server counts a request when it arrives, a moment after we note it: 250 ms, less for short test windows. */
const arrivalMargin = (windowMs: number) => Math.min(250, windowMs * 0.025);
const MAX_SENDS = 1000;

export class SharedPacing {
  private readonly known = new Set<string>();

  constructor(readonly file: string) {}

  /**
   * 0 when a slot was taken for a request now; else how long to wait before asking again;
   * undefined when the ledger does not pace this route (yet): the process's own pacer does.
   */
  async reserve(route: string, now: number): Promise<number | undefined> {
    if (!existsSync(this.file)) return undefined;
    return await this.update((ledger) => {
      const group = ledger.groups[ledger.routes[route] ?? ''];
      if (!group) {
        // Not known yet: sent at once, but noted, so the group counts it when an answer names it.
        ledger.unrouted ??= {};
        const unrouted = ledger.unrouted;
        unrouted[route] = [...(unrouted[route] ?? []).filter((sent) => sent > now - 3_600_000), now];
        return undefined;
      }
      group.sends = group.sends.filter((sent) => sent > now - group.windowMs - arrivalMargin(group.windowMs));
      if ((group.blockedUntil ?? 0) > now) return (group.blockedUntil ?? 0) - now;
      const senders: Record<string, number> = { ...group.senders, [String(process.pid)]: now };
      group.senders = Object.fromEntries(Object.entries(senders).filter(([, seen]) => seen > now - 2 * group.windowMs));
      // Beside another process, in the first windows of the ledger, one slot stays spare for a
      // request sent before that process found it (later, every request is in the ledger).
      const young = now - (group.since ?? 0) < 2 * group.windowMs;
      const spare = young && Object.keys(group.senders).length > 1 ? 1 : 0;
      const oldest = group.sends[0];
      if (group.sends.length >= Math.max(1, group.limit - spare) && oldest !== undefined) {
        return oldest + group.windowMs + arrivalMargin(group.windowMs) - now;
      }
      group.sends.push(now);
      return 0;
    });
  }

  /**
   * Records a route's group and limits from an answer's headers, once per route and process, as
   * soon as the ledger exists or another process is seen (`shared`).
   */
  async learn(route: string, headers: Headers, shared: boolean): Promise<void> {
    if (this.known.has(route)) return;
    const name = headers.get('x-rate-limit-group');
    const limit = Number(headers.get('x-rate-limit-limit'));
    const windowMs = Number(headers.get('x-rate-limit-window')) * 1000;
    if (!name || !(limit > 0 && limit <= MAX_SENDS) || !(windowMs > 0 && windowMs <= 3_600_000)) return;
    const remaining = Number(headers.get('x-rate-limit-remaining'));
    // Alone and far from the limit: no file. Near it (a run that ends there leaves its requests in the
    // window for the next process) or beside another process: the ledger.
    if (!shared && !(remaining <= limit / 2) && !existsSync(this.file)) return;
    this.known.add(route);
    await this.update((ledger) => {
      ledger.routes[route] = name;
      const previous = ledger.groups[name];
      const group =
        previous && previous.limit === limit && previous.windowMs === windowMs
          ? previous
          : {
              limit,
              windowMs,
              sends: previous?.sends ?? [],
              since: Date.now(),
              ...(previous?.blockedUntil ? { blockedUntil: previous.blockedUntil } : {}),
            };
      ledger.groups[name] = group;
      group.sends = [...group.sends, ...(ledger.unrouted?.[route] ?? [])].sort((a, b) => a - b);
      delete ledger.unrouted?.[route];
      // Requests the server counted that no slot was taken for (first requests of a group): counted
      // as sent just now, which frees them later than the server will: on the safe side.
      const counted = Number.isFinite(remaining) ? limit - remaining : 0;
      const now = Date.now();
      while (group.sends.length < Math.min(counted, limit)) group.sends.push(now);
    });
  }

  /** The request sent in the slot taken at `reservedAt` was answered at `doneAt`: the slot is counted from then. */
  async settle(route: string, reservedAt: number, doneAt: number): Promise<void> {
    await this.update((ledger) => {
      const group = ledger.groups[ledger.routes[route] ?? ''];
      const at = group ? group.sends.indexOf(reservedAt) : -1;
      if (!group || at < 0) return;
      group.sends.splice(at, 1);
      group.sends = [...group.sends, doneAt].sort((a, b) => a - b);
    });
  }

  /** A 429 on `route`: every process waits until `until`. */
  async block(route: string, until: number): Promise<void> {
    await this.update((ledger) => {
      const group = ledger.groups[ledger.routes[route] ?? ''];
      if (group) group.blockedUntil = Math.max(group.blockedUntil ?? 0, until);
    });
  }

  private async update<T>(change: (ledger: Ledger) => T): Promise<T | undefined> {
    let release: (() => Promise<void>) | undefined;
    try {
      const { default: lockfile } = await import('proper-lockfile');
      release = await lockfile.lock(this.file, {
        realpath: false,
        stale: 5000,
        retries: { retries: 100, factor: 1, minTimeout: 10, maxTimeout: 10 },
      });
      const ledger = this.read();
      const result = change(ledger);
      writeFileAtomic(this.file, JSON.stringify(ledger));
      return result;
    } catch {
      return undefined;
    } finally {
      await release?.().catch(() => undefined);
    }
  }

  private read(): Ledger {
    try {
      const ledger = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Ledger>;
      if (
        ledger.version === 1 &&
        typeof ledger.routes === 'object' &&
        typeof ledger.groups === 'object' &&
        ledger.routes &&
        ledger.groups
      ) {
        return ledger as Ledger;
      }
    } catch {
      // Missing or damaged: start a new one (it only ever holds the last minute or so).
    }
    return { version: 1, routes: {}, groups: {} };
  }
}
