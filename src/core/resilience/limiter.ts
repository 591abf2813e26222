import type { Clock } from '../clock';
import { abortError } from '../clock';
import type { RateLimits } from './settings';
import { parseResetMs } from './retry';

/**
 * Client-side rate limiting: per budget key (a provider, or a provider/model) a request budget (RPM), a token
 * budget (TPM) and a concurrency cap, with one FIFO queue in front of all three.
 *
 * The budgets are sliding one-minute windows of reservations rather than continuously refilled buckets: a bucket
 * that starts full and refills continuously lets through up to twice its limit in the first minute, which a
 * server counting per window answers with 429s. A window never admits more than the limit in any minute, so it
 * is safe against both kinds of server and loses nothing in steady state. Each reservation can be settled to the
 * real amount later, and response headers that report what is left shrink the budget.
 *
 * bottleneck / p-queue / cockatiel's bulkhead were considered: none takes an injected clock (they use timers and
 * Date.now), a request cancelled while queued stays in cockatiel's queue until its turn, and none can settle a
 * token reservation after the fact. So this is a small primitive of our own.
 */

interface Reservation {
  amount: number;
  expiresAt: number;
}

/** A budget of `limit` units per sliding window. `limit` undefined means unlimited (until headers teach one). */
export class WindowBudget {
  private entries: Reservation[] = [];
  private configured: number | undefined;
  private learned: number | undefined;

  constructor(
    limit: number | undefined,
    readonly windowMs = 60_000,
  ) {
    this.configured = limit;
  }

  /** The limit in force: the configured one, or the one the provider reported; the smaller when both. */
  get limit(): number | undefined {
    if (this.configured === undefined) return this.learned;
    if (this.learned === undefined) return this.configured;
    return Math.min(this.configured, this.learned);
  }

  setConfigured(limit: number | undefined): void {
    this.configured = limit;
  }

  private prune(now: number): void {
    if (this.entries.some((e) => e.expiresAt <= now)) this.entries = this.entries.filter((e) => e.expiresAt > now);
  }

  used(now: number): number {
    this.prune(now);
    let s = 0;
    for (const e of this.entries) s += e.amount;
    return s;
  }

  /** Units still free now (Infinity when unlimited; may be negative after an under-estimate). */
  available(now: number): number {
    const l = this.limit;
    return l === undefined ? Infinity : l - this.used(now);
  }

  /**
   * ms until `n` units fit (0 = now). A request larger than the whole limit fits once the window is empty, so it
   * is slow rather than stuck forever.
   */
  waitMs(n: number, now: number): number {
    const l = this.limit;
    if (l === undefined) return 0;
    const need = Math.min(n, l);
    let used = this.used(now);
    if (used + need <= l) return 0;
    const byExpiry = [...this.entries].sort((a, b) => a.expiresAt - b.expiresAt);
    for (const e of byExpiry) {
      used -= e.amount;
      if (used + need <= l) return e.expiresAt - now;
    }
    return 0;
  }

  /** Reserves `n` units now; settle the returned reservation to the real amount later. */
  take(n: number, now: number): Reservation {
    const r = { amount: n, expiresAt: now + this.windowMs };
    this.entries.push(r);
    return r;
  }

  /** Replaces a reservation's estimate with the real amount (a refund when the estimate was higher). */
  settle(r: Reservation, actual: number): void {
    r.amount = Math.max(0, actual);
  }

  /**
   * Folds in what the provider reported: its limit (learned when none is configured) and the units remaining,
   * which reset within `resetMs`. When the provider had less left than we thought, the difference (usage we did not
   * know of: other clients, other windows) is held back until the reset (at most one window).
   *
   * Headers describe the moment the request was admitted, which can be long before they are read (they come back
   * with the finished stream): reservations may have aged out since. And requests admitted together reach the
   * server in any order, so one admitted after us may already be in its count. Hence the gap is the smaller of the
   * comparison with our count then (`then.used` units in use at `then.at`) and with our count now.
   */
  adapt(report: { limit?: number; remaining?: number; resetMs?: number }, now: number, then?: { at: number; used: number }): void {
    if (report.limit !== undefined && report.limit > 0) this.learned = report.limit;
    const limit = this.limit;
    if (report.remaining === undefined || limit === undefined) return;
    const remaining = Math.max(0, report.remaining);
    const at = then?.at ?? now;
    const gapNow = limit - this.used(now) - remaining;
    const gap = then ? Math.min(gapNow, limit - then.used - remaining) : gapNow;
    if (gap <= 0) return;
    const expiresAt = at + Math.min(this.windowMs, Math.max(1, report.resetMs ?? this.windowMs));
    if (expiresAt > now) this.entries.push({ amount: gap, expiresAt });
  }
}

export interface RateLimitReport {
  requests: { limit?: number; remaining?: number; resetMs?: number };
  tokens: { limit?: number; remaining?: number; resetMs?: number };
}

function int(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** Reads x-ratelimit-* (OpenAI, DashScope) and anthropic-ratelimit-* response headers (lower-case names). */
export function parseRateLimitHeaders(h: Record<string, string>, now: number): RateLimitReport {
  const anth = (what: string, f: string) => h[`anthropic-ratelimit-${what}-${f}`];
  const oai = (f: string, what: string) => h[`x-ratelimit-${f}-${what}`];
  const pick = (what: 'requests' | 'tokens') => {
    const limit = int(oai('limit', what) ?? anth(what, 'limit'));
    const remaining = int(oai('remaining', what) ?? anth(what, 'remaining'));
    const resetMs = parseResetMs(oai('reset', what) ?? anth(what, 'reset'), now);
    const r: { limit?: number; remaining?: number; resetMs?: number } = {};
    if (limit !== undefined) r.limit = limit;
    if (remaining !== undefined) r.remaining = remaining;
    if (resetMs !== undefined) r.resetMs = resetMs;
    return r;
  };
  return { requests: pick('requests'), tokens: pick('tokens') };
}

/** A granted slot. Always `release()` it (in a finally). */
export interface Permit {
  /** Replaces the token estimate with the real usage (input + output tokens). */
  settle(actualTokens: number): void;
  /** Lets the budgets learn from response headers (on success and on error responses). */
  adapt(headers: Record<string, string>): void;
  /** Frees the concurrency slot. Idempotent. */
  release(): void;
  /** ms spent queued. */
  readonly waitedMs: number;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Called once if the request has to wait, with "queued (rate limit)" or "queued (concurrency limit)". */
  onQueued?: (reason: string) => void;
}

interface Waiter {
  tokens: number;
  enqueuedAt: number;
  resolve(p: Permit): void;
  reject(e: unknown): void;
  cleanup(): void;
}

class Lane {
  readonly rpm: WindowBudget;
  readonly tpm: WindowBudget;
  concurrency = Infinity;
  active = 0;
  readonly queue: Waiter[] = [];
  timer?: AbortController;

  constructor(windowMs: number) {
    this.rpm = new WindowBudget(undefined, windowMs);
    this.tpm = new WindowBudget(undefined, windowMs);
  }

  setLimits(l: RateLimits): void {
    this.rpm.setConfigured(l.rpm);
    this.tpm.setConfigured(l.tpm);
    this.concurrency = l.concurrency ?? Infinity;
  }
}

export class RateLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = 60_000,
  ) {}

  private lane(key: string): Lane {
    let l = this.lanes.get(key);
    if (!l) {
      l = new Lane(this.windowMs);
      this.lanes.set(key, l);
    }
    return l;
  }

  /** Budgets of a key, for display and tests. */
  snapshot(key: string): { rpmUsed: number; tpmUsed: number; rpmLimit?: number; tpmLimit?: number; active: number; queued: number } {
    const l = this.lane(key);
    const now = this.clock.now();
    return {
      rpmUsed: l.rpm.used(now),
      tpmUsed: l.tpm.used(now),
      rpmLimit: l.rpm.limit,
      tpmLimit: l.tpm.limit,
      active: l.active,
      queued: l.queue.length,
    };
  }

  /**
   * Waits (FIFO per key) until a request of `estimatedTokens` fits all budgets of `key`, then reserves one request
   * and the tokens. Rejects with an AbortError if `signal` aborts while queued.
   */
  acquire(key: string, limits: RateLimits, estimatedTokens: number, options: AcquireOptions = {}): Promise<Permit> {
    const lane = this.lane(key);
    lane.setLimits(limits);
    const { signal, onQueued } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const enqueuedAt = this.clock.now();
    if (lane.queue.length === 0 && this.blockedFor(lane, estimatedTokens) === 0) {
      return Promise.resolve(this.grant(lane, estimatedTokens, enqueuedAt));
    }
    return new Promise<Permit>((resolve, reject) => {
      const onAbort = () => {
        const i = lane.queue.indexOf(waiter);
        if (i >= 0) lane.queue.splice(i, 1);
        reject(abortError(signal));
        this.pump(lane);
      };
      const waiter: Waiter = {
        tokens: estimatedTokens,
        enqueuedAt,
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.queue.push(waiter);
      onQueued?.(lane.active >= lane.concurrency ? 'queued (concurrency limit)' : 'queued (rate limit)');
      this.pump(lane);
    });
  }

  /** 0 when the request fits now, Infinity when it waits for a concurrency slot, else ms until the budgets allow it. */
  private blockedFor(lane: Lane, tokens: number): number {
    if (lane.active >= lane.concurrency) return Infinity;
    const now = this.clock.now();
    return Math.max(lane.rpm.waitMs(1, now), lane.tpm.waitMs(tokens, now));
  }

  private pump(lane: Lane): void {
    if (lane.timer) {
      lane.timer.abort();
      lane.timer = undefined;
    }
    while (lane.queue.length > 0) {
      const head = lane.queue[0]!;
      const wait = this.blockedFor(lane, head.tokens);
      if (wait === Infinity) return; // a release will pump again
      if (wait > 0) {
        const timer = new AbortController();
        lane.timer = timer;
        this.clock.sleep(wait, timer.signal).then(
          () => {
            if (lane.timer === timer) lane.timer = undefined;
            this.pump(lane);
          },
          () => undefined, // re-planned or cancelled
        );
        return;
      }
      lane.queue.shift();
      head.cleanup();
      head.resolve(this.grant(lane, head.tokens, head.enqueuedAt));
    }
  }

  private grant(lane: Lane, tokens: number, enqueuedAt: number): Permit {
    const now = this.clock.now();
    lane.active++;
    lane.rpm.take(1, now);
    const reservation = lane.tpm.take(tokens, now);
    const rpmThen = { at: now, used: lane.rpm.used(now) };
    const tpmThen = { at: now, used: lane.tpm.used(now) };
    let released = false;
    return {
      waitedMs: now - enqueuedAt,
      settle: (actual) => {
        lane.tpm.settle(reservation, actual);
        this.pump(lane);
      },
      adapt: (headers) => {
        const t = this.clock.now();
        const r = parseRateLimitHeaders(headers, t);
        lane.rpm.adapt(r.requests, t, rpmThen);
        lane.tpm.adapt(r.tokens, t, tpmThen);
        this.pump(lane);
      },
      release: () => {
        if (released) return;
        released = true;
        lane.active--;
        this.pump(lane);
      },
    };
  }
}
