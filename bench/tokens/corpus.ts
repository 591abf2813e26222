/**
 * The token bench's texts, shared with its unit test (test/unit/tokens/benchCorpus.test.ts): real code and Markdown
 * from node_modules, in a fixed order, so the bench and the test count the same characters.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');
export const nm = (p: string) => path.join(root, 'node_modules', p);

/** `bytes` characters of TypeScript, JavaScript and Markdown files from a few packages, repeated with changes if short. */
export function corpus(bytes: number): string {
  const dirs = ['typescript/lib', 'openai/src/resources', '@anthropic-ai/sdk/src/resources', 'highlight.js/lib/languages', 'markdown-it/lib', 'yaml/dist'];
  const parts: string[] = [];
  let n = 0;
  for (const d of dirs) {
    let files: string[] = [];
    try {
      files = readdirSync(nm(d), { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const f of files.sort()) {
      if (!/\.(ts|js|md)$/.test(f)) continue;
      try {
        const t = readFileSync(path.join(nm(d), f), 'utf8');
        parts.push(t);
        n += t.length;
      } catch {
        continue;
      }
      if (n >= bytes) return parts.join('\n').slice(0, bytes);
    }
  }
  // Not enough distinct files: repeat, but make every copy differ (so chunk caches see new text throughout).
  const s = parts.join('\n');
  const copies: string[] = [];
  for (let k = 0; copies.length * s.length < bytes; k++) copies.push(k === 0 ? s : s.replace(/\n(?=[a-z])/g, `\nr${k} `));
  return copies.join('\n').slice(0, bytes);
}

/** Markdown files from node_modules (READMEs, docs), up to `bytes`. */
export function markdownCorpus(bytes: number): string {
  const parts: string[] = [];
  let n = 0;
  const walk = (dir: string, depth: number) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      if (n >= bytes) return;
      const p = path.join(dir, e);
      if (/\.md$/i.test(e)) {
        try {
          const t = readFileSync(p, 'utf8');
          parts.push(t);
          n += t.length;
        } catch {
          continue;
        }
      } else if (depth < 4 && !e.startsWith('.')) {
        try {
          if (statSync(p).isDirectory()) walk(p, depth + 1);
        } catch {
          continue;
        }
      }
    }
  };
  walk(path.join(root, 'node_modules'), 0);
  return parts.join('\n').slice(0, bytes);
}

/** The JavaScript text of the throughput figures: the start of typescript.js. */
export function javascriptCorpus(bytes = 6_000_000): string {
  return readFileSync(nm('typescript/lib/typescript.js'), 'utf8').slice(0, bytes);
}

/** The English prose sample of the estimate figures: a few package READMEs. */
export function proseCorpus(): string {
  return ['openai/README.md', '@anthropic-ai/sdk/README.md', 'esbuild/README.md', 'eslint/README.md', 'markdown-it/README.md']
    .map((p) => {
      try {
        return readFileSync(nm(p), 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
}

/**
 * One-character edits at random places, as the live figures make them: a deterministic sequence (the same seed gives
 * the same edits on the same text). Each call takes the current text and returns it edited, with the edit.
 */
export function oneCharEdits(seed = 7): (text: string) => { text: string; edit: { offset: number; deleteCount: number; text: string } } {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return (t) => {
    const offset = Math.floor(rand() * t.length);
    const del = rand() < 0.3 ? 1 : 0;
    const ins = del ? '' : 'x';
    return { text: t.slice(0, offset) + ins + t.slice(offset + del), edit: { offset, deleteCount: del, text: ins } };
  };
}
