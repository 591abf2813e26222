import type { Clock } from '../../src/core/clock';

/**
 * A clock that moves `step` ms each time it is read, so timing figures (time to first token, tokens per second)
 * are deterministic and non-zero. Its sleeps never end: a test that waits on it has a bug.
 */
export function tickingClock(start = 0, step = 10): Clock {
  let t = start;
  return { now: () => (t += step), sleep: () => new Promise<void>(() => undefined) };
}
