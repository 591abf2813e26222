import type { TimerPort } from '../../../src/host/panels/coalescer';

/** Timers that only fire when the test moves time. */
export class FakeTimers implements TimerPort {
  now = 0;
  private next = 1;
  private timers = new Map<number, { at: number; cb: () => void }>();

  setTimeout(cb: () => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, { at: this.now + Math.max(0, ms), cb });
    return id;
  }

  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let due: [number, { at: number; cb: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!due || e[1].at < due[1].at)) due = e;
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].cb();
    }
    this.now = end;
  }
}
