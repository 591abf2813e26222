/** Offset ↔ position helpers over one text, tolerant of \n, \r\n and \r line ends. */
import type { Position, Range } from './model';

export interface LineInfo {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the line's content (before its line break). */
  end: number;
  text: string;
}

export class TextIndex {
  readonly lines: LineInfo[];

  constructor(readonly text: string) {
    const lines: LineInfo[] = [];
    const re = /\r\n|\r|\n/g;
    let start = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      lines.push({ start, end: m.index, text: text.slice(start, m.index) });
      start = m.index + m[0].length;
    }
    lines.push({ start, end: text.length, text: text.slice(start) });
    this.lines = lines;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(this.text.length, offset));
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid].start <= o) lo = mid;
      else hi = mid - 1;
    }
    const line = this.lines[lo];
    return { line: lo, character: Math.min(o, line.end) - line.start };
  }

  offsetAt(p: Position): number {
    if (p.line < 0) return 0;
    if (p.line >= this.lines.length) return this.text.length;
    const line = this.lines[p.line];
    return line.start + Math.max(0, Math.min(p.character, line.end - line.start));
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  lineRange(line: number): Range {
    const l = this.lines[Math.max(0, Math.min(line, this.lines.length - 1))];
    const n = Math.max(0, Math.min(line, this.lines.length - 1));
    return { start: { line: n, character: 0 }, end: { line: n, character: l.end - l.start } };
  }

  /** Empty range at the end of the text. */
  endRange(): Range {
    const p = this.positionAt(this.text.length);
    return { start: p, end: p };
  }
}

/** The end-of-line sequence the text uses most (for inserted lines). */
export function eolOf(text: string): string {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}
