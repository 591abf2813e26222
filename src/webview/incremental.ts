/**
 * Incremental markdown: text arrives in chunks; finished top-level blocks are rendered once and never again, and
 * only the open tail is looked at again. The concatenation of everything committed is exactly
 * `md.render(fullText)` once `finish` has run (tested on random chunkings).
 *
 * When is a block finished? markdown-it parses line by line and a top-level block ends when a following line starts
 * a new block. Only the last line of the text can still change (it may be incomplete: "2" may become "2. item",
 * which would continue an ordered list above). So block i is final once block i+1 starts on a complete line. A
 * closed fenced code block, a heading and a thematic break are final as soon as their last line is complete: no
 * later line can extend them. Reference definitions, the one construct where later text changes earlier blocks,
 * are disabled in `createMarkdown`.
 *
 * Parsing the tail is skipped when no tail tokens are wanted and no line (other than blank ones, or inside an open
 * fence, one that could close it) was completed since the last parse, so a long line streaming in costs nothing
 * here per frame. A parse looks at block structure only; inline content is parsed for the blocks returned.
 *
 * Only the uncommitted text is kept as one string (committed text is kept in pieces): slicing or searching a string
 * built by appending flattens it, which would copy the whole answer on every frame.
 */
import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { getMarkdown } from './markdown';

export interface RenderStep {
  /** HTML of blocks that became final since the previous step (append it after earlier committed HTML). */
  committed: string;
  /**
   * markdown-it tokens of the still-open tail, when asked for (they replace the previous tail). Not rendered to HTML
   * here: the view builds a provisional DOM from them (see `tailDom.ts`). Empty after `finish`.
   */
  tail?: Token[];
  /**
   * With `step(…, true)`: the tokens of the blocks that became final, not rendered (`committed` is then empty).
   * `md.renderer.render` of the tokens of consecutive steps, joined, gives the same HTML as their `committed` would.
   */
  final?: Token[];
}

/** The open tail is a single fenced code block that is not closed yet. */
export interface OpenFence {
  lang: string;
  /** Offset in `source` where the code starts (the line after the opening fence). */
  codeStart: number;
  /** The opening marker, e.g. "```" or "~~~~". */
  markup: string;
}

export class IncrementalMarkdown {
  /** Committed text, in pieces (joined only when `source` is read). */
  private done: string[] = [];
  /** Offset in the whole text where the part not yet committed starts (always the start of a line). */
  private base = 0;
  /**
   * The text not yet committed. Only this part is kept as one growing string: slicing or searching a string that
   * grows by concatenation flattens it, so keeping the whole answer here would copy all of it on every frame.
   */
  private text = '';
  private pendingCR = false;
  private dirty = false;
  private lineCompleted = true;
  private fence: OpenFence | undefined;
  /** Whole-text length at the last parse. */
  private parsedTo = 0;

  constructor(private readonly md: MarkdownIt = getMarkdown()) {}

  /** All text so far, with line endings normalised the way markdown-it normalises them. */
  get source(): string {
    if (this.done.length > 1) this.done = [this.done.join('')];
    const all = (this.done[0] ?? '') + this.text;
    return this.pendingCR ? all + '\n' : all;
  }

  /** Normalised text received so far (a trailing CR waits for the next chunk). */
  get length(): number {
    return this.base + this.text.length;
  }

  /** The text from offset `from` (cheap when `from` is in the uncommitted tail). */
  slice(from: number): string {
    if (from >= this.base) return this.text.slice(from - this.base);
    return this.source.slice(from, this.length);
  }

  /** Offset where the uncommitted tail starts. */
  get tailStart(): number {
    return this.base;
  }

  /** Length of the uncommitted tail. */
  get tailLength(): number {
    return this.text.length;
  }

  /** Whether text arrived since the last `step`. */
  get hasPending(): boolean {
    return this.dirty;
  }

  /** Set when, as of the last parse, the tail is one fenced code block still open. */
  get openFence(): OpenFence | undefined {
    return this.fence;
  }

  append(chunk: string): void {
    if (!chunk) return;
    let s = this.pendingCR ? '\r' + chunk : chunk;
    this.pendingCR = s.endsWith('\r');
    if (this.pendingCR) s = s.slice(0, -1);
    if (s.includes('\r')) s = s.replace(/\r\n?/g, '\n');
    if (s.includes('\0')) s = s.replace(/\0/g, '\uFFFD');
    if (!s) return;
    this.text += s;
    this.dirty = true;
    if (s.includes('\n')) this.lineCompleted = true;
  }

  /**
   * Commit what became final and, if `renderTail`, return the open tail's tokens. Without `renderTail`, nothing is
   * parsed unless a line was completed since the last parse (only then can a block become final).
   * With `tokensOnly`, finished blocks come as tokens in `final` instead of HTML in `committed`, so that the caller
   * can render several steps' blocks together.
   */
  step(renderTail = true, tokensOnly = false): RenderStep {
    this.dirty = false;
    if (!renderTail && !this.lineCompleted) return tokensOnly ? { committed: '', final: [] } : { committed: '' };
    // Inside an open fence only a closing marker can change anything: skip parsing the whole block per line.
    // Blank lines alone cannot make a block final (no block starts on them, none ends with them): skip too.
    if (!renderTail && (this.fence ? !this.closingLineSince(this.parsedTo) : this.blankLinesSince(this.parsedTo))) {
      this.lineCompleted = false;
      this.parsedTo = this.length;
      return tokensOnly ? { committed: '', final: [] } : { committed: '' };
    }
    return this.run(false, renderTail, tokensOnly);
  }

  /** The stream is over: commit everything. */
  finish(): RenderStep {
    if (this.pendingCR) {
      this.text += '\n';
      this.pendingCR = false;
    }
    this.dirty = false;
    return { committed: this.run(true, false, false).committed, tail: [] };
  }

  /** Whether the lines completed since (whole-text) offset `from` are all blank. */
  private blankLinesSince(from: number): boolean {
    const t = this.text;
    const start = Math.max(0, t.lastIndexOf('\n', from - this.base - 1) + 1);
    const end = t.lastIndexOf('\n');
    return !/\S/.test(t.slice(start, Math.max(start, end)));
  }

  /** Whether a complete line that could close the open fence arrived after (whole-text) offset `from`. */
  private closingLineSince(from: number): boolean {
    const f = this.fence;
    if (!f) return true;
    const t = this.text;
    const start = Math.max(f.codeStart - this.base, t.lastIndexOf('\n', from - this.base - 1) + 1);
    const end = t.lastIndexOf('\n');
    if (end < start) return false;
    const re = /^ {0,3}(`{3,}|~{3,})[ \t]*$/gm;
    const chunk = t.slice(start, end);
    for (let m = re.exec(chunk); m; m = re.exec(chunk)) {
      if (m[1][0] === f.markup[0] && m[1].length >= f.markup.length) return true;
    }
    return false;
  }

  private run(final: boolean, renderTail: boolean, tokensOnly: boolean): RenderStep {
    this.lineCompleted = false;
    this.parsedTo = this.length;
    // Without tail tokens, only complete lines matter (a block becomes final only once a later line is complete),
    // so the line still streaming in is not parsed.
    const all = this.text;
    const src = renderTail || final ? all : all.slice(0, all.lastIndexOf('\n') + 1);
    const env = {};
    // Block structure only: inline content is parsed for the blocks returned (below), each final block once, not
    // again at every line while its block is open.
    const tokens: Token[] = [];
    this.md.block.parse(src, this.md, env, tokens);
    // Top-level blocks: opening (or self-contained) tokens at level 0.
    const blocks: { token: number; line: number; end: number }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.level === 0 && t.nesting !== -1 && t.map) blocks.push({ token: i, line: t.map[0], end: t.map[1] });
    }
    const lines = lineStarts(src);
    /** Line `l` exists and is terminated by a newline. */
    const complete = (l: number) => l + 1 < lines.length;
    let keep = 0; // index of the first block that stays open
    if (final) keep = blocks.length;
    else {
      while (keep < blocks.length) {
        const b = blocks[keep];
        const next = blocks[keep + 1];
        if (next && complete(next.line)) keep++;
        else if (closedAtLineEnd(tokens[b.token], src, lines) && complete(b.end - 1)) keep++;
        else break;
      }
    }
    const options = this.md.options;
    const split = keep < blocks.length ? blocks[keep].token : tokens.length;
    const finalTokens = this.inline(tokens.slice(0, split), env);
    const committed = split > 0 && !tokensOnly ? this.md.renderer.render(finalTokens, options, env) : '';
    const tail = renderTail ? this.inline(tokens.slice(split), env) : undefined;
    const base = this.base;
    // The tail restarts at the first open block, or right after the last committed one: never at the end of the
    // text, whose last line may hold indentation that belongs to the next block.
    let cut = 0;
    if (final) cut = this.text.length;
    else if (keep < blocks.length) cut = lines[blocks[keep].line];
    else if (keep > 0) cut = lines[blocks[keep - 1].end];
    if (cut > 0) {
      this.done.push(this.text.slice(0, cut));
      this.text = this.text.slice(cut);
      this.base += cut;
    }

    this.fence = undefined;
    if (!final && keep === blocks.length - 1) {
      const t = tokens[blocks[keep].token];
      if (t.type === 'fence' && !fenceClosed(t, src, lines)) {
        const codeLine = blocks[keep].line + 1;
        this.fence = {
          lang: (t.info.trim().split(/\s+/)[0] ?? '').slice(0, 40),
          codeStart: base + (codeLine < lines.length ? lines[codeLine] : src.length),
          markup: t.markup,
        };
      }
    }
    const out: RenderStep = { committed };
    if (tail !== undefined) out.tail = tail;
    if (tokensOnly) out.final = finalTokens;
    return out;
  }

  /**
   * Runs markdown-it's core chain after block parsing (inline parsing, text joining, any plugin's core rules) on
   * these block tokens: the chain run over an empty source adds no blocks of its own and only processes `tokens`.
   */
  private inline(tokens: Token[], env: object): Token[] {
    if (!tokens.length) return tokens;
    const state = new this.md.core.State('', this.md, env);
    state.tokens = tokens;
    this.md.core.process(state);
    return state.tokens;
  }
}

/** Start offsets of every line; a text ending in "\n" has an empty last line. */
function lineStarts(s: string): number[] {
  const out = [0];
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** Blocks that nothing after them can extend: a closed fence, a heading, a thematic break. */
function closedAtLineEnd(t: Token, src: string, lines: number[]): boolean {
  if (t.type === 'heading_open' || t.type === 'hr') return true;
  return t.type === 'fence' && fenceClosed(t, src, lines);
}

/** Whether markdown-it found the closing marker of this fence (its last line is a closing fence). */
function fenceClosed(t: Token, src: string, lines: number[]): boolean {
  if (!t.map || t.map[1] - t.map[0] < 2) return false;
  const last = t.map[1] - 1;
  const line = src.slice(lines[last], last + 1 < lines.length ? lines[last + 1] - 1 : src.length);
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[1][0] === t.markup[0] && m[1].length >= t.markup.length;
}
