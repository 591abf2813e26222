import type { Clock } from '../clock';

/**
 * A consecutive-failures circuit breaker, timed by the Clock port.
 *
 * cockatiel's CircuitBreakerPolicy reads `Date.now()` directly to decide when an open circuit may half-open,
 * so it cannot be driven by an injected clock; and it wraps the call it guards, whereas a streamed call is
 * judged only once its stream ends. Hence this small state machine.
 */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** Time the circuit stays open before it lets one trial call through. */
  cooldownMs: number;
}

export class CircuitBreaker {
  private _state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private options: BreakerOptions,
  ) {}

  setOptions(o: BreakerOptions): void {
    this.options = o;
  }

  /** The state, moving open → halfOpen when the cool-down has passed. */
  get state(): BreakerState {
    if (this._state === 'open' && this.clock.now() - this.openedAt >= this.options.cooldownMs) {
      this._state = 'halfOpen';
      this.trialInFlight = false;
    }
    return this._state;
  }

  isOpen(): boolean {
    return this.state === 'open';
  }

  /** ms until an open circuit half-opens (0 when not open). */
  get remainingCooldownMs(): number {
    return this.state === 'open' ? Math.max(0, this.openedAt + this.options.cooldownMs - this.clock.now()) : 0;
  }

  /**
   * Asks to make a call. Closed: yes. Open: no. Half-open: yes for exactly one trial call at a time.
   * A granted call must be reported with `success()`, `failure()` or `neutral()`.
   */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open') return false;
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this._state = 'closed';
    this.failures = 0;
    this.trialInFlight = false;
  }

  failure(): void {
    if (this.state === 'halfOpen') {
      this.open();
      return;
    }
    this.failures++;
    if (this.failures >= this.options.failureThreshold) this.open();
  }

  /** The call ended in a way that says nothing about the provider's health (a 4xx, a cancel). */
  neutral(): void {
    this.trialInFlight = false;
  }

  private open(): void {
    this._state = 'open';
    this.openedAt = this.clock.now();
    this.trialInFlight = false;
    this.failures = 0;
  }
}

/** One breaker per key (provider id), created on demand. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly clock: Clock,
    private options: BreakerOptions,
  ) {}

  get(key: string): CircuitBreaker {
    let b = this.breakers.get(key);
    if (!b) {
      b = new CircuitBreaker(this.clock, this.options);
      this.breakers.set(key, b);
    }
    return b;
  }

  setOptions(o: BreakerOptions): void {
    this.options = o;
    for (const b of this.breakers.values()) b.setOptions(o);
  }
}
