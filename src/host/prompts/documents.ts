import * as vscode from 'vscode';
import type { PromptFile, PromptFormat } from '../../core/prompts';
import { formatForPath, parsePromptFile } from '../../core/prompts';

export const PROMPT_LANGUAGE = 'tierwise-prompt';
export const PROMPTY_LANGUAGE = 'prompty';

/** `prompts/**\/*.md` matches anywhere in the workspace: relative globs get a `**\/` prefix. */
export function normaliseGlob(glob: string): string {
  const g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('**/') || g.startsWith('/') || /^[A-Za-z]:\//.test(g)) return g;
  return `**/${g.replace(/^\.\//, '')}`;
}

export function promptSelector(extraGlobs: readonly string[]): vscode.DocumentFilter[] {
  return [
    { language: PROMPT_LANGUAGE },
    { language: PROMPTY_LANGUAGE },
    { pattern: '**/*.prompt.md' },
    { pattern: '**/*.prompty' },
    ...extraGlobs.filter((g) => g.trim() !== '').map((g) => ({ pattern: normaliseGlob(g) })),
  ];
}

export function formatOf(doc: vscode.TextDocument): PromptFormat {
  if (doc.languageId === PROMPTY_LANGUAGE) return 'prompty';
  if (doc.languageId === PROMPT_LANGUAGE) return 'promptMd';
  return formatForPath(doc.uri.path);
}

/** Parses each document once per version. */
export class ParseCache {
  private readonly cache = new Map<string, { version: number; format: PromptFormat; file: PromptFile }>();

  get(doc: vscode.TextDocument): PromptFile {
    const key = doc.uri.toString();
    const format = formatOf(doc);
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version && hit.format === format) return hit.file;
    const file = parsePromptFile(doc.getText(), format);
    this.cache.set(key, { version: doc.version, format, file });
    return file;
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }
}

export function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
