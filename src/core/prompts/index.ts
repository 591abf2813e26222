/** Prompt files (`.prompt.md`, `.prompty`): parsing, rendering, counting and linting. Pure TypeScript. */
import type { PromptFile, PromptFormat } from './model';
import { parsePromptMd } from './promptMd';
import { parsePrompty } from './prompty';

export * from './model';
export { parsePromptMd } from './promptMd';
export { parsePrompty } from './prompty';
export * from './render';
export * from './counts';
export * from './cost';
export * from './lint';
export * from './target';
export { setFrontMatterValue, insertExamplePairs } from './edits';
export { TextIndex } from './text';

/** `.prompty` files are Prompty; everything else (`.prompt.md`, files matched by the extra globs) is `.prompt.md`. */
export function formatForPath(path: string): PromptFormat {
  return /\.prompty$/i.test(path) ? 'prompty' : 'promptMd';
}

export function parsePromptFile(text: string, format: PromptFormat): PromptFile {
  return format === 'prompty' ? parsePrompty(text) : parsePromptMd(text);
}
