/** Time as a port, so that retries, limits and timeouts can be driven by tests without sleeping. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError-like error when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('The operation was aborted.');
  e.name = 'AbortError';
  return e;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/**
 * A clock that only moves when told to. `advance(ms)` fires due sleepers in time order and lets
 * the promise jobs they start run before moving on.
 */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private sleepers: { at: number; seq: number; resolve: () => void }[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  /** Number of pending sleeps (useful to wait until code under test has scheduled its wait). */
  get pending(): number {
    return this.sleepers.length;
  }

  /** The time the next sleeper wakes, or undefined. */
  nextWake(): number | undefined {
    return this.sleepers.length ? Math.min(...this.sleepers.map((s) => s.at)) : undefined;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const entry = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve: () => resolve() };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== entry);
        reject(abortError(signal));
      };
      entry.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.sleepers.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Move time forward by `ms`, waking sleepers in order and flushing microtasks between them. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await flushMicrotasks();
      const due = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
    }
    this.t = target;
    await flushMicrotasks();
  }

  /** Advance to each next wake-up until nothing is sleeping (bounded). */
  async runAll(maxSteps = 10_000): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      await flushMicrotasks();
      const next = this.nextWake();
      if (next === undefined) return;
      await this.advance(next - this.t);
    }
    throw new Error('ManualClock.runAll: too many steps');
  }
}

export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
