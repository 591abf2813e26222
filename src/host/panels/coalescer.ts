/**
 * Host-side coalescing of answer updates: however fast tokens arrive, the panel receives at most one message per
 * frame (~16 ms). Within a frame, consecutive deltas of one answer are joined, live-meta updates merged and only the
 * latest status kept. Pure TypeScript (no vscode), so tests and the render benchmark drive it with a fake timer.
 */
import type { AnswerUpdate, BatchMsg } from '../../shared/protocol/answer';
import { mergeLive } from '../../shared/protocol/answer';

export interface TimerPort {
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: TimerPort = {
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** One animation frame. */
export const FRAME_MS = 16;

export class UpdateCoalescer {
  private queue: AnswerUpdate[] = [];
  private timer: unknown;
  private disposed = false;
  /** Messages posted so far (one per flushed frame). */
  posted = 0;
  /** Updates pushed so far (what would have been posted without coalescing). */
  pushed = 0;

  constructor(
    private readonly post: (msg: BatchMsg) => void,
    private readonly timers: TimerPort = systemTimers,
    private readonly frameMs = FRAME_MS,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  push(u: AnswerUpdate): void {
    if (this.disposed) return;
    this.pushed++;
    if (!this.merge(u)) this.queue.push(clone(u));
    if (this.timer === undefined) this.timer = this.timers.setTimeout(() => this.flush(), this.frameMs);
  }

  /** Post everything pending now (as one message). */
  flush(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.queue.length || this.disposed) return;
    const updates = this.queue;
    this.queue = [];
    this.posted++;
    this.post({ type: 'batch', updates });
  }

  /** Drop everything pending (used when the webview is sent a full state restore instead). */
  clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  /**
   * Fold `u` into a queued update of the same answer. Deltas, status and meta of one answer commute with each
   * other (they touch different parts of the entry), so the search skips over them, but never across that
   * answer's start or end.
   */
  private merge(u: AnswerUpdate): boolean {
    if (u.type === 'answer.start' || u.type === 'answer.end') return false;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i];
      if (q.id !== u.id) continue;
      if (q.type === 'answer.start' || q.type === 'answer.end') return false;
      if (q.type !== u.type) continue;
      if (q.type === 'answer.delta' && u.type === 'answer.delta') q.text += u.text;
      else if (q.type === 'answer.meta' && u.type === 'answer.meta') q.meta = mergeLive(q.meta, u.meta);
      else if (q.type === 'answer.status' && u.type === 'answer.status') q.text = u.text;
      return true;
    }
    return false;
  }
}

function clone(u: AnswerUpdate): AnswerUpdate {
  return u.type === 'answer.meta' ? { ...u, meta: { ...u.meta } } : { ...u };
}
