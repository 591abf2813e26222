/**
 * A sliding-window budget: reservations that expire a window after they were taken (or confirmed), rather than a
 * continuously refilled bucket (see limiter.ts for why).
 */

export interface Reservation {
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

  /**
   * The provider counted the reservation at some time between its admission and `now` (its response has
   * arrived): keep it a whole window from `now`, so that it cannot leave our window before it leaves the
   * provider's (which starts when the request reached the server, a network round trip after admission).
   */
  confirm(r: Reservation, now: number): void {
    r.expiresAt = Math.max(r.expiresAt, now + this.windowMs);
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
   *
   * Returns the amount held back, if any: part of it may be the request's own estimate falling short, which its
   * settle then takes out again (see `RateLimiter`), so that the same tokens are not counted twice.
   */
  adapt(report: { limit?: number; remaining?: number; resetMs?: number }, now: number, then?: { at: number; used: number }): Reservation | undefined {
    if (report.limit !== undefined && report.limit > 0) this.learned = report.limit;
    const limit = this.limit;
    if (report.remaining === undefined || limit === undefined) return undefined;
    const remaining = Math.max(0, report.remaining);
    const at = then?.at ?? now;
    const gapNow = limit - this.used(now) - remaining;
    const gap = then ? Math.min(gapNow, limit - then.used - remaining) : gapNow;
    if (gap <= 0) return undefined;
    const expiresAt = at + Math.min(this.windowMs, Math.max(1, report.resetMs ?? this.windowMs));
    if (expiresAt <= now) return undefined;
    const held = { amount: gap, expiresAt };
    this.entries.push(held);
    return held;
  }
}
