import type { CallEvent } from '../resilience/pipeline';
import type { AttemptFacts } from './types';

/**
 * Follows a call's pipeline events (CallRunner's 'attempt', 'retry', 'fallback', 'text') and keeps each attempt's
 * start, end and failure, for the child spans of the call's span.
 */
export class AttemptTimeline {
  private readonly done: AttemptFacts[] = [];
  private open: AttemptFacts | undefined;
  private next: Pick<AttemptFacts, 'kind' | 'delayMs'> = { kind: 'first' };
  private firstTextMs: number | undefined;
  readonly startMs: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startMs = now();
  }

  observe(e: CallEvent): void {
    switch (e.type) {
      case 'attempt':
        this.close();
        this.open = { ...this.next, provider: e.provider, model: e.model, attempt: e.attempt, startMs: this.now(), endMs: this.now() };
        this.next = { kind: 'retry' };
        break;
      case 'retry':
        this.close({ kind: e.error.kind, status: e.error.status });
        this.next = { kind: 'retry', delayMs: e.delayMs };
        break;
      case 'fallback':
        this.close(e.error && { kind: e.error.kind, status: e.error.status });
        this.next = { kind: 'fallback' };
        break;
      case 'text':
        this.firstTextMs ??= this.now();
        break;
      default:
        break;
    }
  }

  private close(error?: { kind: string; status?: number }): void {
    if (!this.open) return;
    const a: AttemptFacts = { ...this.open, endMs: this.now() };
    if (error) {
      a.error = error.kind;
      if (error.status !== undefined) a.status = error.status;
    }
    this.done.push(a);
    this.open = undefined;
  }

  /** The attempts once the call has ended (`error`: how its last attempt failed, if it did). */
  attempts(error?: { kind: string; status?: number }): AttemptFacts[] {
    this.close(error);
    return [...this.done];
  }

  /** ms from the start of the call to its first text, if any arrived. */
  timeToFirstTextMs(): number | undefined {
    return this.firstTextMs === undefined ? undefined : this.firstTextMs - this.startMs;
  }
}
