/** Front matter: find the `---` fences, parse the YAML between them, keep every key's location. */
import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Node as YamlNode, YAMLMap } from 'yaml';
import { msg } from '../messages';
import type { FrontMatter, KeyLocation, PromptDiagnostic } from './model';
import { said } from './model';
import type { TextIndex } from './text';

const FENCE = /^---\s*$/;
const CLOSE_FENCE = /^(---|\.\.\.)\s*$/;
const MAX_KEY_DEPTH = 4;

export interface FrontMatterResult {
  frontMatter?: FrontMatter;
  /** First line of the body. */
  bodyStartLine: number;
  problems: PromptDiagnostic[];
}

export function readFrontMatter(idx: TextIndex): FrontMatterResult {
  const problems: PromptDiagnostic[] = [];
  const first = idx.lines[0].text.replace(/^\uFEFF/, '');
  if (!FENCE.test(first)) return { bodyStartLine: 0, problems };

  let closeLine: number | undefined;
  for (let i = 1; i < idx.lineCount; i++) {
    if (CLOSE_FENCE.test(idx.lines[i].text)) {
      closeLine = i;
      break;
    }
  }
  if (closeLine === undefined) {
    problems.push({
      range: idx.lineRange(0),
      severity: 'error',
      code: 'front-matter-unclosed',
      ...said(msg('prompts.frontMatter.unclosed')),
    });
  }
  const endLine = closeLine ?? idx.lineCount;
  const sourceStart = idx.lineCount > 1 ? idx.lines[1].start : idx.text.length;
  const sourceEnd = endLine < idx.lineCount ? idx.lines[endLine].start : idx.text.length;
  const source = idx.text.slice(sourceStart, Math.max(sourceStart, sourceEnd));
  const lastLine = Math.min(endLine, idx.lineCount - 1);
  const fm: FrontMatter = {
    range: { start: { line: 0, character: 0 }, end: idx.lineRange(lastLine).end },
    openLine: 0,
    closeLine,
    source,
    keys: [],
  };

  parseYaml(fm, idx, sourceStart, problems);
  return { frontMatter: fm, bodyStartLine: closeLine !== undefined ? closeLine + 1 : idx.lineCount, problems };
}

function parseYaml(fm: FrontMatter, idx: TextIndex, base: number, problems: PromptDiagnostic[]): void {
  if (fm.source.trim() === '') {
    fm.data = {};
    return;
  }
  let doc;
  try {
    doc = parseDocument(fm.source, { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  } catch (e) {
    problems.push({ range: fm.range, severity: 'error', code: 'yaml-invalid', ...said(msg('prompts.yaml.invalid', String(e))) });
    return;
  }
  for (const err of doc.errors) {
    problems.push({
      range: errorRange(idx, base, err.pos),
      severity: 'error',
      code: 'yaml-invalid',
      ...said(msg('prompts.yaml.invalid', firstLine(err.message))),
    });
  }
  for (const warn of doc.warnings) {
    problems.push({
      range: errorRange(idx, base, warn.pos),
      severity: 'warning',
      code: 'yaml-warning',
      ...said(msg('prompts.yaml.warning', firstLine(warn.message))),
    });
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === undefined))) {
    fm.data = {};
    return;
  }
  if (!isMap(contents)) {
    problems.push({
      range: contents.range ? errorRange(idx, base, [contents.range[0], contents.range[1]]) : fm.range,
      severity: 'error',
      code: 'yaml-invalid',
      ...said(msg('prompts.frontMatter.notMapping')),
    });
    return;
  }
  collectKeys(contents, '', 0, idx, base, fm.keys);
  try {
    const data: unknown = doc.toJS({ maxAliasCount: 50 });
    if (data && typeof data === 'object' && !Array.isArray(data)) fm.data = data as Record<string, unknown>;
  } catch (e) {
    problems.push({ range: fm.range, severity: 'error', code: 'yaml-invalid', ...said(msg('prompts.yaml.invalid', firstLine(String(e)))) });
  }
}

function collectKeys(map: YAMLMap, prefix: string, depth: number, idx: TextIndex, base: number, out: KeyLocation[]): void {
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    const key = item.key;
    const keyRange = key.range!;
    const path = prefix + String(key.value);
    const value = item.value as YamlNode | null;
    const valueRange =
      value && value.range
        ? idx.range(base + value.range[0], base + value.range[1])
        : emptyAfterKey(idx, base, keyRange[1]);
    out.push({ path, keyRange: idx.range(base + keyRange[0], base + keyRange[1]), valueRange });
    if (depth < MAX_KEY_DEPTH && value && isMap(value)) collectKeys(value, path + '.', depth + 1, idx, base, out);
  }
}

function emptyAfterKey(idx: TextIndex, base: number, keyEnd: number): { start: ReturnType<TextIndex['positionAt']>; end: ReturnType<TextIndex['positionAt']> } {
  // Just after the colon that follows the key, when it is on the same line.
  const p = idx.positionAt(base + keyEnd);
  const line = idx.lines[p.line].text;
  const colon = line.indexOf(':', p.character);
  const at = { line: p.line, character: colon >= 0 ? colon + 1 : line.length };
  return { start: at, end: at };
}

function errorRange(idx: TextIndex, base: number, pos: [number, number]) {
  const start = base + Math.max(0, pos[0]);
  const end = base + Math.max(pos[0], pos[1]);
  const r = idx.range(start, end);
  if (r.start.line === r.end.line && r.start.character === r.end.character) {
    // Point errors: underline the rest of the line (or the whole line when at its end).
    const line = idx.lineRange(r.start.line);
    return r.start.character < line.end.character ? { start: r.start, end: line.end } : line;
  }
  return r;
}

function firstLine(s: string): string {
  return s.split(/\r?\n/)[0].trim();
}

export function findKey(fm: FrontMatter | undefined, path: string): KeyLocation | undefined {
  return fm?.keys.find((k) => k.path === path);
}
