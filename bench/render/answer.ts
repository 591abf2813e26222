/**
 * The render benchmark's answer: markdown with prose, numbered lists, tables and many code blocks (TypeScript and
 * Python), made from a fixed seed, and cut into chunks of 1–4 tokens the way streaming APIs deliver text. Shared by
 * the bench (bench/render/run.ts, 20,000 tokens) and its unit test (test/unit/webview/renderBench.test.ts, smaller).
 */
import { rng } from './sim';

const WORDS = 'the parser tokens cache request model tier stream retry budget latency provider function value returns when because each batch input output cost'.split(' ');

function sentence(r: () => number): string {
  const n = 8 + Math.floor(r() * 14);
  const w = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]);
  if (r() < 0.3) w[Math.floor(r() * n)] = '`' + w[0] + '()`';
  if (r() < 0.2) w[Math.floor(r() * n)] = '**' + w[1] + '**';
  w[0] = w[0][0].toUpperCase() + w[0].slice(1);
  return w.join(' ') + '.';
}

function codeBlock(r: () => number, i: number): string {
  if (r() < 0.5) {
    const lines = [`export async function step${i}(input: string, limit = ${i}): Promise<number[]> {`, '  const out: number[] = [];'];
    for (let k = 0; k < 6 + Math.floor(r() * 18); k++) lines.push(`  if (input.length > ${k}) out.push(input.charCodeAt(${k}) * ${k + 1}); // keep ${WORDS[k % WORDS.length]}`);
    lines.push('  return out.slice(0, limit);', '}');
    return '```ts\n' + lines.join('\n') + '\n```';
  }
  const lines = [`def step_${i}(items, limit=${i}):`, '    """Return the first items that pass."""', '    result = []'];
  for (let k = 0; k < 6 + Math.floor(r() * 18); k++) lines.push(`    if len(items) > ${k}:\n        result.append(items[${k}] * ${k + 1})  # ${WORDS[k % WORDS.length]}`);
  lines.push('    return result[:limit]');
  return '```python\n' + lines.join('\n') + '\n```';
}

/** Markdown of at least `targetTokens` tokens (as `countTokens` counts them), grown 20 blocks at a time. */
export function makeAnswer(targetTokens: number, countTokens: (s: string) => number): string {
  const r = rng(42);
  const parts: string[] = ['# Review of the request pipeline', ''];
  let i = 0;
  let text = '';
  while (countTokens(text) < targetTokens) {
    for (let b = 0; b < 20; b++, i++) {
      const kind = i % 7;
      if (kind === 0) parts.push(`## Part ${i / 7 + 1}: ${sentence(r).slice(0, 40)}`);
      else if (kind === 1 || kind === 4) parts.push(Array.from({ length: 3 + Math.floor(r() * 4) }, () => sentence(r)).join(' '));
      else if (kind === 2) parts.push(Array.from({ length: 3 + Math.floor(r() * 4) }, (_, k) => `${k + 1}. ${sentence(r)}`).join('\n'));
      else if (kind === 3 || kind === 6) parts.push(codeBlock(r, i));
      else parts.push('| step | cost | note |\n|---|---:|---|\n' + Array.from({ length: 4 }, (_, k) => `| ${k} | ${(r() * 3).toFixed(4)} | ${WORDS[k]} |`).join('\n'));
      parts.push('');
    }
    text = parts.join('\n');
  }
  return text;
}

export interface StreamedAnswer {
  text: string;
  /** Tokens of the whole text. */
  tokens: number;
  /** The text in chunks of 1–4 tokens, in order (they join to `text`). */
  chunks: string[];
  /** Tokens in each chunk. */
  tokensPerChunk: number[];
}

/** The answer of about `targetTokens` tokens of `encoding` (o200k in the bench), cut into chunks of 1–4 tokens. */
export function streamedAnswer(targetTokens: number, encoding: { encode(s: string): number[]; decode(ids: number[]): string }): StreamedAnswer {
  const text = makeAnswer(targetTokens, (s) => encoding.encode(s).length);
  const ids = encoding.encode(text);
  const r = rng(3);
  const chunks: string[] = [];
  const tokensPerChunk: number[] = [];
  for (let i = 0; i < ids.length; ) {
    const n = 1 + Math.floor(r() * 4);
    chunks.push(encoding.decode(ids.slice(i, i + n)));
    tokensPerChunk.push(Math.min(n, ids.length - i));
    i += n;
  }
  if (chunks.join('') !== text) throw new Error('chunking lost text');
  return { text, tokens: ids.length, chunks, tokensPerChunk };
}
