/**
 * Streaming markdown into one container, at most one DOM update per animation frame.
 *
 * - Finished blocks are rendered, sanitised and inserted once.
 * - The open tail is shown cheaply every frame: an open fenced code block as plain text appended to its `<code>`
 *   (highlighted once it closes); other blocks by appending the new raw text to the last formatted element.
 * - The tail is re-rendered as markdown only when it has doubled since its last render or half a second has
 *   passed, so the total work stays proportional to the text (not to text × frames).
 * When the stream ends everything is committed: the container's HTML equals the sanitised one-shot render.
 */
import { IncrementalMarkdown } from './incremental';
import { codeBlock, tailDom } from './tailDom';
import type { Sanitizer } from './sanitize';

/** requestAnimationFrame, injectable so tests and benchmarks can drive frames. */
export type FrameScheduler = (cb: () => void) => void;

export interface RenderInfo {
  /** ms of CPU spent parsing, sanitising and updating the DOM in this frame. */
  ms: number;
  /** Characters of tail source rendered as markdown in this frame (0 when only raw text was appended). */
  tailChars: number;
  /** Blocks committed (rendered for good) in this frame, as HTML characters. */
  committedChars: number;
  /** Of `ms`: markdown parsing and rendering (highlighting included). */
  markdownMs: number;
  /** Of `ms`: sanitising into fragments. */
  sanitizeMs: number;
}

/** Re-render the tail as markdown when it has grown by this factor since its last render… */
const TAIL_GROWTH = 2;
/** …or this long after its last render… */
const TAIL_MAX_AGE_MS = 1000;
/** …but not for fewer characters than this. */
const TAIL_MIN_CHARS = 48;

/** Elements the raw tail text may flow into (the deepest last one of these is used). */
const FLOW = new Set(['P', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TD', 'TH']);

export class StreamView {
  private readonly inc = new IncrementalMarkdown();
  /** Nodes showing the tail (formatted render, raw text, plain code block). */
  private tailNodes: Node[] = [];
  /** Where raw text is appended, and the source offset shown up to. */
  private rawTarget: Node | undefined;
  private shownTo = 0;
  /** The plain code block shown for an open fence (keyed by where its code starts). */
  private fenceAt = -1;
  private formattedLen = 0;
  private formattedAt = 0;
  private scheduled = false;
  private finished = false;
  /** Called after every DOM update (benchmarks measure with it). */
  onRender?: (info: RenderInfo) => void;

  constructor(
    readonly container: HTMLElement,
    private readonly sanitizer: Sanitizer,
    private readonly schedule: FrameScheduler,
    /** Clock for the re-render policy (the cost in RenderInfo is always measured with performance.now). */
    private readonly clock: () => number = () => performance.now(),
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
        if (!this.finished) this.frame();
      });
    }
  }

  /** The stream is over: render everything now. Later appends are ignored. */
  finish(): void {
    if (this.finished) return;
    const t0 = performance.now();
    const step = this.inc.finish();
    const t1 = performance.now();
    this.clearTail();
    const frag = step.committed ? this.sanitizer.fragment(step.committed) : undefined;
    const t2 = performance.now();
    if (frag) this.container.append(frag);
    this.finished = true;
    const t3 = performance.now();
    this.onRender?.({ ms: t3 - t0, tailChars: 0, committedChars: step.committed.length, markdownMs: t1 - t0, sanitizeMs: t2 - t1 });
  }

  private frame(): void {
    if (!this.inc.hasPending) return;
    const t0 = performance.now();
    const now = this.clock();
    const fenceBefore = this.inc.openFence;
    const tailLen = this.inc.tailLength;
    const wantFormat =
      !fenceBefore &&
      tailLen >= TAIL_MIN_CHARS &&
      (tailLen >= this.formattedLen * TAIL_GROWTH || (now - this.formattedAt >= TAIL_MAX_AGE_MS && tailLen > this.formattedLen));
    const step = this.inc.step(wantFormat);
    const markdownMs = performance.now() - t0;
    let sanitizeMs = 0;
    if (step.committed) {
      this.clearTail();
      const ts = performance.now();
      const frag = this.sanitizer.fragment(step.committed);
      sanitizeMs += performance.now() - ts;
      this.container.append(frag);
    }
    let tailChars = 0;
    const fence = this.inc.openFence;
    if (fence) {
      this.showFence(fence.lang, fence.codeStart);
    } else if (step.tail !== undefined) {
      this.clearTail();
      tailChars = this.inc.tailLength;
      const frag = tailDom(step.tail, this.container.ownerDocument);
      this.tailNodes = Array.from(frag.childNodes);
      this.container.append(frag);
      this.formattedLen = tailChars;
      this.formattedAt = now;
      // Markdown drops trailing spaces of a paragraph; show them again with the next raw text.
      this.shownTo = this.inc.length - (/\s*$/.exec(this.inc.slice(this.inc.tailStart))?.[0].length ?? 0);
      this.rawTarget = undefined;
    } else {
      this.showRaw();
    }
    this.onRender?.({ ms: performance.now() - t0, tailChars, committedChars: step.committed.length, markdownMs, sanitizeMs });
  }

  private clearTail(): void {
    for (const n of this.tailNodes) n.parentNode?.removeChild(n);
    this.tailNodes = [];
    this.rawTarget = undefined;
    this.fenceAt = -1;
    this.formattedLen = 0;
    this.formattedAt = this.clock();
    this.shownTo = this.inc.tailStart;
  }

  /** An open code block: plain text appended as it comes (built with DOM calls, never parsed as HTML). */
  private showFence(lang: string, codeStart: number): void {
    if (this.fenceAt !== codeStart) {
      this.clearTail();
      const { block, code } = codeBlock('', this.container.ownerDocument, lang);
      this.container.append(block);
      this.tailNodes = [block];
      this.rawTarget = code;
      this.fenceAt = codeStart;
      this.shownTo = codeStart;
    }
    this.appendRaw();
  }

  /** Other open blocks: the new text flows into the last formatted element until the next markdown render. */
  private showRaw(): void {
    if (!this.rawTarget) {
      let target: Element | undefined;
      for (let i = this.tailNodes.length - 1; i >= 0 && !target; i--) {
        const n = this.tailNodes[i];
        if (n.nodeType === 1 && FLOW.has((n as Element).tagName)) target = n as Element;
      }
      while (target?.lastElementChild && FLOW.has(target.lastElementChild.tagName)) target = target.lastElementChild;
      if (!target) {
        const p = this.container.ownerDocument.createElement('p');
        p.className = 'md-raw';
        this.container.append(p);
        this.tailNodes.push(p);
        target = p;
        this.shownTo = this.inc.tailStart;
      }
      this.rawTarget = target;
    }
    this.appendRaw();
  }

  private appendRaw(): void {
    if (!this.rawTarget || this.shownTo >= this.inc.length) return;
    const text = this.inc.slice(this.shownTo);
    this.shownTo = this.inc.length;
    const last = this.rawTarget.lastChild;
    if (last?.nodeType === 3) (last as Text).appendData(text);
    else this.rawTarget.appendChild(this.container.ownerDocument.createTextNode(text));
  }
}
