/** Splitting a body into sections by header lines, skipping fenced code blocks. */
import { msg, type Message } from '../messages';
import type { PromptDiagnostic, PromptRole, PromptSection, Range, VariableRef } from './model';
import { said } from './model';
import type { TextIndex } from './text';
import { findReferences } from './variables';

export interface HeaderMatch {
  role: PromptRole;
  example: boolean;
}

export interface RawSection {
  header?: HeaderMatch;
  label: string;
  headerLine: number;
  /** First and last line of the content (inclusive); last < first when empty. */
  firstLine: number;
  lastLine: number;
}

const FENCE_OPEN = /^\s{0,3}(`{3,}|~{3,})/;

export function splitSections(
  idx: TextIndex,
  bodyStartLine: number,
  matchHeader: (line: string) => HeaderMatch | undefined,
): { preamble?: RawSection; sections: RawSection[] } {
  const sections: RawSection[] = [];
  let fence: string | undefined;
  let current: RawSection = { label: '', headerLine: bodyStartLine, firstLine: bodyStartLine, lastLine: bodyStartLine - 1 };
  let preamble: RawSection | undefined = current;
  for (let i = bodyStartLine; i < idx.lineCount; i++) {
    const text = idx.lines[i].text;
    const f = FENCE_OPEN.exec(text);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && text.trim() === f[1]) fence = undefined;
    } else if (f) {
      fence = f[1];
    } else {
      const h = matchHeader(text);
      if (h) {
        current = { header: h, label: text.trim(), headerLine: i, firstLine: i + 1, lastLine: i };
        if (preamble === current) preamble = undefined;
        sections.push(current);
        continue;
      }
    }
    current.lastLine = i;
  }
  return { preamble, sections };
}

/** Trim blank lines at both ends of a raw section and turn it into a PromptSection. */
export function toSection(idx: TextIndex, raw: RawSection, header: HeaderMatch, implicit: boolean): PromptSection {
  let first = raw.firstLine;
  let last = Math.min(raw.lastLine, idx.lineCount - 1);
  while (first <= last && idx.lines[first].text.trim() === '') first++;
  while (last >= first && idx.lines[last].text.trim() === '') last--;
  const headerRange: Range = implicit
    ? { start: { line: raw.headerLine, character: 0 }, end: { line: raw.headerLine, character: 0 } }
    : idx.lineRange(raw.headerLine);
  let bodyRange: Range;
  let text = '';
  if (first <= last) {
    const start = idx.lines[first].start;
    const end = idx.lines[last].end;
    bodyRange = idx.range(start, end);
    text = idx.text.slice(start, end).replace(/\r\n?/g, '\n');
  } else {
    const line = Math.min(raw.headerLine + (implicit ? 0 : 1), idx.lineCount - 1);
    const p = { line, character: 0 };
    bodyRange = { start: p, end: p };
  }
  return { role: header.role, example: header.example, label: raw.label, headerRange, bodyRange, text };
}

export function sectionReferences(idx: TextIndex, sections: PromptSection[]): VariableRef[] {
  const refs: VariableRef[] = [];
  sections.forEach((s, i) => {
    const from = idx.offsetAt(s.bodyRange.start);
    const to = idx.offsetAt(s.bodyRange.end);
    for (const r of findReferences(idx, from, to)) refs.push({ name: r.name, range: r.range, section: i });
  });
  return refs;
}

export function nonBlank(idx: TextIndex, raw: RawSection | undefined): boolean {
  if (!raw) return false;
  for (let i = raw.firstLine; i <= raw.lastLine && i < idx.lineCount; i++) if (idx.lines[i].text.trim() !== '') return true;
  return false;
}

export function strayTextProblem(idx: TextIndex, raw: RawSection, what: Message): PromptDiagnostic {
  let first = raw.firstLine;
  while (first <= raw.lastLine && idx.lines[first].text.trim() === '') first++;
  return { range: idx.lineRange(first), severity: 'warning', code: 'stray-text', ...said(msg('prompts.strayText', what)) };
}
