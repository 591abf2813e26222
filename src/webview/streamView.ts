/**
 * Streaming markdown into one container: finished blocks are sanitised and inserted once; only the open tail is
 * replaced, at most once per animation frame. The container's final HTML equals the sanitised one-shot render.
 */
import { IncrementalMarkdown } from './incremental';
import type { Sanitizer } from './sanitize';

/** requestAnimationFrame, injectable so tests and benchmarks can drive frames. */
export type FrameScheduler = (cb: () => void) => void;

export interface RenderInfo {
  /** ms spent parsing, sanitising and updating the DOM for this frame. */
  ms: number;
  /** Characters of source re-rendered for the tail in this frame. */
  tailChars: number;
}

export class StreamView {
  private readonly inc = new IncrementalMarkdown();
  private tailNodes: Node[] = [];
  private scheduled = false;
  private finished = false;
  /** Called after every DOM update (benchmarks measure delay with it). */
  onRender?: (info: RenderInfo) => void;

  constructor(
    readonly container: HTMLElement,
    private readonly sanitizer: Sanitizer,
    private readonly schedule: FrameScheduler,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get text(): string {
    return this.inc.source;
  }

  append(text: string): void {
    if (this.finished || !text) return;
    this.inc.append(text);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => {
        this.scheduled = false;
        if (!this.finished) this.apply(false);
      });
    }
  }

  /** The stream is over: render everything now. Later appends are ignored. */
  finish(): void {
    if (this.finished) return;
    this.apply(true);
    this.finished = true;
  }

  private apply(final: boolean): void {
    if (!final && !this.inc.hasPending) return;
    const t0 = this.now();
    const tailChars = this.inc.tailLength;
    const step = final ? this.inc.finish() : this.inc.step();
    for (const n of this.tailNodes) n.parentNode?.removeChild(n);
    this.tailNodes = [];
    if (step.committed) this.container.append(this.sanitizer.fragment(step.committed));
    if (step.tail) {
      const frag = this.sanitizer.fragment(step.tail);
      this.tailNodes = Array.from(frag.childNodes);
      this.container.append(frag);
    }
    this.onRender?.({ ms: this.now() - t0, tailChars });
  }
}
