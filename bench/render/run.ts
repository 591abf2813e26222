/**
 * Render benchmark: a 20,000-token markdown answer (prose, lists, tables, many code blocks) streamed in small chunks
 * through the host-side coalescer and the answer webview's renderer running in jsdom.
 *
 * Time is simulated: chunks arrive on a virtual clock at a given speed, the coalescer's 16 ms timer and the
 * webview's animation frames (60 Hz) run on that clock, and the real CPU time of each frame's render is added to it
 * (a frame that takes long delays the next one). Printed:
 *   - messages the host posted vs. animation frames elapsed (goal: at most one per frame),
 *   - total render time of the stream vs. one render of the final text (goal: within 2x),
 *   - added delay from a chunk's arrival to its being on screen, p50/p95 (goal: p95 < 50 ms),
 *   - whether the final DOM is identical to one render of the final text.
 * The first and the last do not depend on the machine once each render is charged a fixed simulated time: they are
 * asserted in the unit tests (test/unit/webview/renderBench.test.ts, a smaller answer). The timings are not.
 *
 * Run: npx tsx bench/render/run.ts [--quick] [--jsdom-only | --browser-only]
 * (the browser run uses headless Chromium through playwright-core when /usr/bin/chromium or TIERWISE_CHROMIUM exists)
 */
import { JSDOM } from 'jsdom';
import { getEncoding } from 'js-tiktoken';
import { streamedAnswer } from './answer';
import { simulate, type Result } from './sim';

const TARGET_TOKENS = 20_000;

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
  const { text, tokens, chunks, tokensPerChunk } = streamedAnswer(TARGET_TOKENS, getEncoding('o200k_base'));
  const codeBlocks = (text.match(/^```\w/gm) ?? []).length;
  console.log(`answer: ${tokens} tokens, ${text.length} chars, ${codeBlocks} code blocks; ${chunks.length} chunks of 1-4 tokens`);
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
