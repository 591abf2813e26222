/** Text edits (as data) that quick fixes apply to a prompt file's front matter and body. */
import type { KeyLocation, PromptFile, TextEdit } from './model';
import { findKey } from './frontMatter';
import { eolOf, TextIndex } from './text';

function isEmptyRange(k: KeyLocation): boolean {
  const r = k.valueRange;
  return r.start.line === r.end.line && r.start.character === r.end.character;
}

/** Last line a key's entry occupies (key and value, nested children included). */
function lastLineOf(file: PromptFile, k: KeyLocation): number {
  let last = k.keyRange.end.line;
  const consider = (x: KeyLocation) => {
    const e = x.valueRange.end;
    const line = e.character === 0 && e.line > x.valueRange.start.line ? e.line - 1 : e.line;
    last = Math.max(last, line, x.keyRange.end.line);
  };
  consider(k);
  for (const x of file.frontMatter?.keys ?? []) if (x.path.startsWith(k.path + '.')) consider(x);
  return last;
}

/**
 * Set `path` (dotted, e.g. `max_tokens` or `model.parameters.max_tokens`) to `valueText` (YAML as written).
 * Replaces an existing scalar, or inserts the key (and any missing parents) as block YAML. Returns undefined
 * when there is no safe edit (unclosed front matter, a flow mapping in the way).
 */
export function setFrontMatterValue(file: PromptFile, path: string, valueText: string): TextEdit[] | undefined {
  const eol = eolOf(file.text);
  const fm = file.frontMatter;
  const segs = path.split('.');
  if (!fm) {
    const lines = segs.map((s, j) => `${'  '.repeat(j)}${s}:${j === segs.length - 1 ? ' ' + valueText : ''}`);
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: ['---', ...lines, '---', ''].join(eol) }];
  }
  if (fm.closeLine === undefined) return undefined;
  const existing = findKey(fm, path);
  if (existing) {
    if (isEmptyRange(existing)) return [{ range: existing.valueRange, newText: ' ' + valueText }];
    if (fm.keys.some((x) => x.path.startsWith(path + '.'))) return undefined;
    return [{ range: existing.valueRange, newText: valueText }];
  }
  let k = segs.length - 1;
  while (k > 0 && !findKey(fm, segs.slice(0, k).join('.'))) k--;
  let indent: number;
  let line: number;
  if (k === 0) {
    const top = fm.keys.find((x) => !x.path.includes('.'));
    indent = top ? top.keyRange.start.character : 0;
    line = fm.closeLine;
  } else {
    const ancPath = segs.slice(0, k).join('.');
    const anc = findKey(fm, ancPath)!;
    const children = fm.keys.filter((x) => x.path.startsWith(ancPath + '.') && x.path.split('.').length === k + 1);
    if (children.length) {
      indent = children[0].keyRange.start.character;
      if (indent <= anc.keyRange.start.character || children[0].keyRange.start.line === anc.keyRange.start.line) return undefined;
      line = lastLineOf(file, anc) + 1;
    } else if (isEmptyRange(anc)) {
      indent = anc.keyRange.start.character + 2;
      line = anc.keyRange.start.line + 1;
    } else {
      return undefined;
    }
  }
  line = Math.min(line, fm.closeLine);
  const lines: string[] = [];
  for (let j = k; j < segs.length; j++) {
    lines.push(`${' '.repeat(indent + 2 * (j - k))}${segs[j]}:${j === segs.length - 1 ? ' ' + valueText : ''}`);
  }
  const at = { line, character: 0 };
  return [{ range: { start: at, end: at }, newText: lines.join(eol) + eol }];
}

/** Delete a front-matter key written on one line (`name: value`). */
export function removeFrontMatterKey(file: PromptFile, path: string): TextEdit[] | undefined {
  const k = findKey(file.frontMatter, path);
  if (!k) return undefined;
  const last = lastLineOf(file, k);
  if (last !== k.keyRange.start.line) return undefined;
  const idx = new TextIndex(file.text);
  if (last + 1 >= idx.lineCount) return undefined;
  return [{ range: { start: { line: last, character: 0 }, end: { line: last + 1, character: 0 } }, newText: '' }];
}

/** Insert `count` empty few-shot pairs before the user turn. */
export function insertExamplePairs(file: PromptFile, count = 2): TextEdit[] | undefined {
  const eol = eolOf(file.text);
  const users = file.sections.filter((s) => s.role === 'user' && !s.example);
  const user = users[users.length - 1];
  if (!user) return undefined;
  const implicit = user.headerRange.start.line === user.headerRange.end.line && user.headerRange.start.character === user.headerRange.end.character && user.label === '';
  const pair =
    file.format === 'promptMd'
      ? ['## example user', '<example input>', '', '## example assistant', '<expected answer>', '', '']
      : ['user:', '<example input>', '', 'assistant:', '<expected answer>', '', ''];
  let text = '';
  for (let i = 0; i < count; i++) text += pair.join(eol);
  if (implicit && file.format === 'promptMd') text += '## user' + eol;
  if (implicit && file.format === 'prompty') text += 'user:' + eol;
  const at = { line: user.headerRange.start.line, character: 0 };
  return [{ range: { start: at, end: at }, newText: text }];
}
