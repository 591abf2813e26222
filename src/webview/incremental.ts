/**
 * Incremental markdown: text arrives in chunks; finished top-level blocks are rendered once and never again, and
 * only the open tail (the last block or two) is parsed and rendered on each frame. The concatenation of everything
 * committed plus the final tail is exactly `md.render(fullText)` (tested on random chunkings).
 *
 * When is a block finished? markdown-it parses line by line and a top-level block ends when a following line starts
 * a new block. Only the last line of the text can still change (it may be incomplete: "2" may become "2. item", which
 * would continue an ordered list above). So block i is final once block i+1 starts on a complete line. Reference
 * definitions, the one construct where later text changes earlier blocks, are disabled in `createMarkdown`.
 */
import type MarkdownIt from 'markdown-it';
import { getMarkdown } from './markdown';

export interface RenderStep {
  /** HTML of blocks that became final since the previous step (append it after earlier committed HTML). */
  committed: string;
  /** HTML of the still-open tail (replaces the previous tail). Empty after `finish`. */
  tail: string;
}

export class IncrementalMarkdown {
  private text = '';
  private pendingCR = false;
  /** Offset in `text` where the part not yet committed starts (always the start of a line). */
  private stable = 0;
  private dirty = false;

  constructor(private readonly md: MarkdownIt = getMarkdown()) {}

  /** All text so far, with line endings normalised the way markdown-it normalises them. */
  get source(): string {
    return this.pendingCR ? this.text + '\n' : this.text;
  }

  /** Length of the part that is still re-rendered on each step (for diagnostics and benchmarks). */
  get tailLength(): number {
    return this.text.length - this.stable;
  }

  /** Whether text arrived since the last `step`. */
  get hasPending(): boolean {
    return this.dirty;
  }

  append(chunk: string): void {
    if (!chunk) return;
    let s = this.pendingCR ? '\r' + chunk : chunk;
    this.pendingCR = s.endsWith('\r');
    if (this.pendingCR) s = s.slice(0, -1);
    this.text += s.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
    this.dirty = true;
  }

  /** Render the text received so far. */
  step(): RenderStep {
    return this.run(false);
  }

  /** The stream is over: commit everything. */
  finish(): RenderStep {
    if (this.pendingCR) {
      this.text += '\n';
      this.pendingCR = false;
    }
    return this.run(true);
  }

  private run(final: boolean): RenderStep {
    this.dirty = false;
    const src = this.text.slice(this.stable);
    const env = {};
    const tokens = this.md.parse(src, env);
    // Top-level blocks: opening (or self-contained) tokens at level 0.
    const blocks: { token: number; line: number }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.level === 0 && t.nesting !== -1 && t.map) blocks.push({ token: i, line: t.map[0] });
    }
    let keep: number; // index of the first block that stays open
    if (final) keep = blocks.length;
    else if (blocks.length === 0) keep = 0;
    else {
      const last = blocks[blocks.length - 1];
      const lastStart = lineOffset(src, last.line);
      const lastLineComplete = lastStart >= 0 && src.indexOf('\n', lastStart) !== -1;
      keep = Math.max(0, lastLineComplete ? blocks.length - 1 : blocks.length - 2);
    }
    const options = this.md.options;
    if (keep === 0) {
      return { committed: '', tail: final ? '' : this.md.renderer.render(tokens, options, env) };
    }
    const split = keep < blocks.length ? blocks[keep].token : tokens.length;
    const committed = this.md.renderer.render(tokens.slice(0, split), options, env);
    const tail = split < tokens.length ? this.md.renderer.render(tokens.slice(split), options, env) : '';
    if (keep < blocks.length) this.stable += lineOffset(src, blocks[keep].line);
    else this.stable = this.text.length;
    return { committed, tail };
  }
}

/** Offset of the start of line `line` (0-based) in `s`, or -1. */
function lineOffset(s: string, line: number): number {
  let off = 0;
  for (let i = 0; i < line; i++) {
    const nl = s.indexOf('\n', off);
    if (nl === -1) return -1;
    off = nl + 1;
  }
  return off;
}
