/**
 * Streaming markdown into one container, at most one DOM update per animation frame.
 *
 * - Finished blocks are rendered, sanitised and inserted once, several at a time: finished prose is held (shown by
 *   a provisional DOM built from its tokens, whose links are not actionable yet and whose images show as their alt
 *   text) and committed with the next closed code fence, or once it is large or ten seconds old. Each commit is one
 *   markdown render and one DOMPurify call, whose fixed cost (a new document per call) is then paid about once per
 *   code block instead of once per block.
 * - The open tail is shown cheaply every frame: an open fenced code block as plain text appended to its `<code>`
 *   (highlighted once it closes); other blocks by appending the new raw text to the last formatted element.
 * - The tail is re-shown formatted only when it has doubled since it last was or a second has passed, so the
 *   total work stays proportional to the text (not to text × frames). That provisional DOM is built from tokens
 *   with DOM calls (`tailDom.ts`): no HTML is parsed, so it needs no sanitiser pass.
 * When the stream ends everything is committed: the container's HTML equals the sanitised one-shot render.
 */
import type Token from 'markdown-it/lib/token.mjs';
import { IncrementalMarkdown } from './incremental';
import { getMarkdown } from './markdown';
import { codeBlock, tailDom } from './tailDom';
import type { Sanitizer } from './sanitize';

/** requestAnimationFrame, injectable so tests and benchmarks can drive frames. */
export type FrameScheduler = (cb: () => void) => void;

export interface RenderInfo {
  /** ms of CPU spent parsing, sanitising and updating the DOM in this frame. */
  ms: number;
  /** Characters of tail source shown formatted in this frame (0 when only raw text was appended). */
  tailChars: number;
  /** Blocks committed (rendered for good) in this frame, as HTML characters. */
  committedChars: number;
  /** Of `ms`: markdown parsing and rendering (highlighting included). */
  markdownMs: number;
  /** Of `ms`: sanitising into fragments. */
  sanitizeMs: number;
}

/** Re-show the tail formatted when it has grown by this factor since it last was… */
const TAIL_GROWTH = 2;
/** …or this long after… */
const TAIL_MAX_AGE_MS = 1000;
/** …but not for fewer characters than this. */
const TAIL_MIN_CHARS = 48;
/** Finished prose is held at most this long… */
const HOLD_MAX_MS = 10_000;
/** …and for at most this many characters of source before it is committed. */
const HOLD_MAX_CHARS = 4000;

/** Elements the raw tail text may flow into (the deepest last one of these is used). */
const FLOW = new Set(['P', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TD', 'TH']);

export class StreamView {
  private readonly inc = new IncrementalMarkdown();
  private readonly md = getMarkdown();
  /** Nodes showing the tail (formatted render, raw text, plain code block). */
  private tailNodes: Node[] = [];
  /** Where raw text is appended, and the source offset shown up to. */
  private rawTarget: Node | undefined;
  private shownTo = 0;
  /** The plain code block shown for an open fence (keyed by where its code starts). */
  private fenceAt = -1;
  private formattedLen = 0;
  private formattedAt = 0;
  /** Finished blocks not committed yet: their tokens, the provisional nodes showing them, their source size. */
  private heldTokens: Token[] = [];
  private heldNodes: Node[] = [];
  private heldChars = 0;
  private heldSince = 0;
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
    const html = this.renderHeld() + step.committed;
    const t1 = performance.now();
    this.clearTail();
    const frag = html ? this.sanitizer.fragment(html) : undefined;
    const t2 = performance.now();
    this.replaceHeld(frag);
    this.finished = true;
    const t3 = performance.now();
    this.onRender?.({ ms: t3 - t0, tailChars: 0, committedChars: html.length, markdownMs: t1 - t0, sanitizeMs: t2 - t1 });
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
    const tailStart = this.inc.tailStart;
    const step = this.inc.step(wantFormat, true);
    const final = step.final ?? [];
    let html = '';
    let held: DocumentFragment | undefined;
    if (final.length) {
      // The tail's display showed these blocks; they are shown held (or committed) before the new tail instead.
      this.clearTail();
      if (!this.heldTokens.length) this.heldSince = now;
      this.heldChars += this.inc.tailStart - tailStart;
      for (const t of final) this.heldTokens.push(t);
      if (final.some((t) => t.type === 'fence') || this.heldChars >= HOLD_MAX_CHARS || now - this.heldSince >= HOLD_MAX_MS) {
        html = this.renderHeld();
      } else {
        held = tailDom(final, this.container.ownerDocument);
      }
    } else if (this.heldTokens.length && now - this.heldSince >= HOLD_MAX_MS) {
      html = this.renderHeld();
    }
    const markdownMs = performance.now() - t0;
    let sanitizeMs = 0;
    if (html) {
      const ts = performance.now();
      const frag = this.sanitizer.fragment(html);
      sanitizeMs += performance.now() - ts;
      this.replaceHeld(frag);
    } else if (held) {
      for (const n of Array.from(held.childNodes)) this.heldNodes.push(n);
      this.insertBeforeTail(held);
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
      const tail = this.inc.slice(this.inc.tailStart);
      let end = tail.length;
      while (end > 0 && /\s/.test(tail[end - 1])) end--;
      this.shownTo = this.inc.tailStart + end;
      this.rawTarget = undefined;
    } else {
      this.showRaw();
    }
    this.onRender?.({ ms: performance.now() - t0, tailChars, committedChars: html.length, markdownMs, sanitizeMs });
  }

  /** HTML of the held blocks (which are then no longer held; their provisional nodes stay until `replaceHeld`). */
  private renderHeld(): string {
    if (!this.heldTokens.length) return '';
    const html = this.md.renderer.render(this.heldTokens, this.md.options, {});
    this.heldTokens = [];
    this.heldChars = 0;
    return html;
  }

  /** Put the sanitised render where the held blocks' provisional nodes are (before the tail). */
  private replaceHeld(frag: DocumentFragment | undefined): void {
    if (frag) {
      const anchor = this.heldNodes[0]?.parentNode === this.container ? this.heldNodes[0] : undefined;
      if (anchor) this.container.insertBefore(frag, anchor);
      else this.insertBeforeTail(frag);
    }
    for (const n of this.heldNodes) n.parentNode?.removeChild(n);
    this.heldNodes = [];
  }

  private insertBeforeTail(node: Node): void {
    const first = this.tailNodes[0];
    if (first?.parentNode === this.container) this.container.insertBefore(node, first);
    else this.container.append(node);
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
    const start = this.shownTo;
    this.shownTo = this.inc.length;
    if (this.fenceAt >= 0) {
      this.put(this.rawTarget, this.inc.slice(start));
      return;
    }
    // A blank line ends a block: what follows starts a new raw paragraph rather than flowing into the block before
    // (finished prose may be held in the tail, see HOLD_MAX_MS). The two characters before `start` are looked at too.
    const from = Math.max(this.inc.tailStart, start - 2);
    const seg = this.inc.slice(from);
    const k = seg.lastIndexOf('\n\n');
    const next = k + 2 + from;
    if (k === -1 || !/\S/.test(seg.slice(k + 2))) {
      this.put(this.rawTarget, seg.slice(start - from));
      return;
    }
    if (next > start) this.put(this.rawTarget, seg.slice(start - from, k + 2));
    const p = this.container.ownerDocument.createElement('p');
    p.className = 'md-raw';
    this.container.append(p);
    this.tailNodes.push(p);
    this.rawTarget = p;
    this.put(p, seg.slice(Math.max(start, next) - from).replace(/^\n+/, ''));
  }

  private put(target: Node, text: string): void {
    if (!text) return;
    const last = target.lastChild;
    if (last?.nodeType === 3) (last as Text).appendData(text);
    else target.appendChild(this.container.ownerDocument.createTextNode(text));
  }
}
