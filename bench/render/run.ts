/**
 * Render benchmark: a 20,000-token markdown answer (prose, lists, tables, many code blocks) streamed in small chunks
 * through the host-side coalescer and the answer webview's renderer running in jsdom.
 *
 * Time is simulated: chunks arrive on a virtual clock at a given speed, the coalescer's 16 ms timer and the
 * webview's animation frames (60 Hz) run on that clock, and the real CPU time of each frame's render is added to it
 * (a frame that takes long delays the next one). Printed, not asserted:
 *   - messages the host posted vs. animation frames elapsed (goal: at most one per frame),
 *   - total render time of the stream vs. one render of the final text (goal: within 2x),
 *   - added delay from a chunk's arrival to its being on screen, p50/p95 (goal: p95 < 50 ms).
 *
 * Run: npx tsx bench/render/run.ts [--quick] [--jsdom-only | --browser-only]
 * (the browser run uses headless Chromium through playwright-core when /usr/bin/chromium or TIERWISE_CHROMIUM exists)
 */
import { JSDOM } from 'jsdom';
import { getEncoding } from 'js-tiktoken';
import { rng, simulate, type Result } from './sim';

const TARGET_TOKENS = 20_000;
// ---- the answer -------------------------------------------------------------------------------------------------

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

function makeAnswer(countTokens: (s: string) => number): string {
  const r = rng(42);
  const parts: string[] = ['# Review of the request pipeline', ''];
  let i = 0;
  let text = '';
  while (countTokens(text) < TARGET_TOKENS) {
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

function jsdomRun(text: string, chunks: string[], tpc: number[], speed: number): Result {
  const dom = new JSDOM('<!doctype html><body></body>', { pretendToBeVisual: true });
  try {
    return simulate(dom.window as unknown as Window, text, chunks, tpc, speed);
  } finally {
    dom.window.close();
  }
}

function print(where: string, speed: number, res: Result): void {
  console.log(`\n-- ${where}, ${speed} tokens/s (stream of ${res.streamSeconds.toFixed(1)} s simulated)`);
  console.log(`host messages posted: ${res.posted} for ${res.chunks} chunks; animation frames elapsed: ${res.frames} (${(res.posted / res.frames).toFixed(2)} per frame)`);
  console.log(`renders: ${res.renders}; total render time ${res.renderMs.toFixed(0)} ms vs one render of the final text ${res.oneShotMs.toFixed(0)} ms (best of 5; ${res.oneShotParts}) (${(res.renderMs / res.oneShotMs).toFixed(2)}x); largest tail rendered as markdown ${res.maxTail} chars`);
  console.log(`render time by frame kind: ${res.byKind}`);
  console.log(`added delay chunk arrival -> on screen: p50 ${res.p50.toFixed(1)} ms, p95 ${res.p95.toFixed(1)} ms, max ${res.max.toFixed(1)} ms`);
  console.log(`final DOM identical to the one-shot render: ${res.identical}`);
}

async function browserRuns(text: string, chunks: string[], tpc: number[], speeds: number[]): Promise<void> {
  const esbuild = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const { existsSync } = await import('node:fs');
  const exe = process.env.TIERWISE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((x) => existsSync(x));
  if (!exe) {
    console.log('\n(no Chromium found: browser run skipped)');
    return;
  }
  const bundle = await esbuild.build({
    entryPoints: ['bench/render/browserEntry.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
  });
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    for (const speed of speeds) {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><html><body></body></html>');
      await page.addScriptTag({ content: bundle.outputFiles[0].text });
      // Warm up (JIT, highlight.js grammar compilation) the same way as the jsdom run.
      await page.evaluate(
        ([t, c, k]) => void (window as unknown as { tierwiseBench: typeof simulate }).tierwiseBench(window, t, c, k, 2000),
        [text.slice(0, 20_000), chunks.slice(0, 1500), tpc.slice(0, 1500)] as const,
      );
      const res = (await page.evaluate(
        ([t, c, k, s]) => (window as unknown as { tierwiseBench: typeof simulate }).tierwiseBench(window, t, c, k, s),
        [text, chunks, tpc, speed] as const,
      )) as Result;
      print('Chromium (headless)', speed, res);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const enc = getEncoding('o200k_base');
  const text = makeAnswer((s) => enc.encode(s).length);
  const ids = enc.encode(text);
  // Chunks of 1–4 tokens, the way streaming APIs deliver text.
  const r = rng(3);
  const chunks: string[] = [];
  const tokensPerChunk: number[] = [];
  for (let i = 0; i < ids.length; ) {
    const n = 1 + Math.floor(r() * 4);
    chunks.push(enc.decode(ids.slice(i, i + n)));
    tokensPerChunk.push(Math.min(n, ids.length - i));
    i += n;
  }
  if (chunks.join('') !== text) throw new Error('chunking lost text');
  const codeBlocks = (text.match(/^```\w/gm) ?? []).length;
  console.log(`answer: ${ids.length} tokens, ${text.length} chars, ${codeBlocks} code blocks; ${chunks.length} chunks of 1-4 tokens`);
  const quick = process.argv.includes('--quick');
  const speeds = quick ? [150] : [60, 150, 400];

  if (!process.argv.includes('--browser-only')) {
    // Warm up the JIT on a short run so the first scenario is not penalised.
    jsdomRun(text.slice(0, 20_000), chunks.slice(0, 1500), tokensPerChunk.slice(0, 1500), 2000);
    for (const speed of speeds) print('jsdom', speed, jsdomRun(text, chunks, tokensPerChunk, speed));
  }
  if (!process.argv.includes('--jsdom-only')) await browserRuns(text, chunks, tokensPerChunk, speeds);
}

void main();
