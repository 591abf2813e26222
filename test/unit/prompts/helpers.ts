import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import type { TextEdit } from '../../../src/core/prompts';
import { TextIndex } from '../../../src/core/prompts';

export const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

export function example(name: string): string {
  return readFileSync(join(EXAMPLES, name), 'utf8');
}

const enc = getEncoding('o200k_base');
/** Exact o200k count (the tokenizer of gpt-4o and later). */
export const o200k = (text: string): number => enc.encode(text).length;

/** Apply non-overlapping edits (given against the original text). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const idx = new TextIndex(text);
  const withOffsets = edits.map((e) => ({ start: idx.offsetAt(e.range.start), end: idx.offsetAt(e.range.end), text: e.newText }));
  withOffsets.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Text covered by a range. */
export function textAt(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
}

export const md = (lines: string[]): string => lines.join('\n');
