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
 * Run: npx tsx bench/render/run.ts
 */
import { JSDOM } from 'jsdom';
import { getEncoding } from 'js-tiktoken';
import { UpdateCoalescer, type TimerPort } from '../../src/host/panels/coalescer';
import type { BatchMsg } from '../../src/shared/protocol';
import { AnswerApp } from '../../src/webview/answerApp';
import { createSanitizer } from '../../src/webview/sanitize';
import { StreamView } from '../../src/webview/streamView';

const TARGET_TOKENS = 20_000;
const FRAME = 1000 / 60;

// ---- the answer -------------------------------------------------------------------------------------------------

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

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

// ---- simulation -------------------------------------------------------------------------------------------------

class VirtualTimers implements TimerPort {
  private id = 1;
  readonly timers = new Map<number, { at: number; cb: () => void }>();
  constructor(private readonly clock: { now: number }) {}
  setTimeout(cb: () => void, ms: number): number {
    const id = this.id++;
    this.timers.set(id, { at: this.clock.now + ms, cb });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  next(): [number, { at: number; cb: () => void }] | undefined {
    let best: [number, { at: number; cb: () => void }] | undefined;
    for (const e of this.timers) if (!best || e[1].at < best[1].at) best = e;
    return best;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

interface Result {
  tokensPerSecond: number;
  chunks: number;
  streamSeconds: number;
  frames: number;
  posted: number;
  renders: number;
  renderMs: number;
  oneShotMs: number;
  p50: number;
  p95: number;
  max: number;
  maxTail: number;
  identical: boolean;
  byKind: string;
}

function simulate(text: string, chunks: string[], tokensPerChunk: number[], tokensPerSecond: number): Result {
  const dom = new JSDOM('<!doctype html><body></body>', { pretendToBeVisual: true });
  const win = dom.window as unknown as Window & typeof globalThis;
  const sanitizer = createSanitizer(win);
  const clock = { now: 0 };
  const timers = new VirtualTimers(clock);
  let rafQueue: (() => void)[] = [];
  let busyUntil = 0;
  let renderMs = 0;
  let renders = 0;
  let maxTail = 0;
  const byKind: Record<string, { n: number; ms: number }> = {};
  const delivered: number[] = []; // arrival times of chunks delivered to the webview, not yet on screen
  const delays: number[] = [];
  let pendingArrivals: number[] = []; // arrival times of chunks pushed to the coalescer, not yet posted

  const app = new AnswerApp(win.document.body, {
    doc: win.document,
    sanitizer,
    schedule: (cb) => void rafQueue.push(cb),
    post: () => undefined,
    saveState: () => undefined,
    setTimer: () => undefined,
    now: () => clock.now,
  });
  const coalescer = new UpdateCoalescer(
    (msg: BatchMsg) => {
      // Structured clone stands in for postMessage; the webview handles the batch at once.
      app.handle(structuredClone(msg));
      delivered.push(...pendingArrivals);
      pendingArrivals = [];
    },
    timers,
  );
  coalescer.push({ type: 'answer.start', id: 'bench', title: 'Bench', meta: { provider: 'openai', model: 'm', tier: 'medium', reason: 'bench', task: 'explain' }, startedAt: 0 });
  coalescer.flush();
  const view = app.entry('bench')!.view;
  view.onRender = (info) => {
    renderMs += info.ms;
    const k = info.committedChars && info.tailChars ? 'commit+tail' : info.committedChars ? 'commit' : info.tailChars ? 'tail' : 'raw';
    byKind[k] = byKind[k] ?? { n: 0, ms: 0 };
    byKind[k].n++;
    byKind[k].ms += info.ms;
    renders++;
    maxTail = Math.max(maxTail, info.tailChars);
  };

  const runUntil = (T: number) => {
    for (;;) {
      const t = timers.next();
      const tTimer = t ? t[1].at : Infinity;
      const earliestFrame = Math.max(clock.now, busyUntil);
      const tFrame = rafQueue.length ? Math.ceil(earliestFrame / FRAME - 1e-9) * FRAME : Infinity;
      const tNext = Math.min(tTimer, tFrame);
      if (tNext > T) break;
      clock.now = Math.max(clock.now, tNext);
      if (tTimer <= tFrame && t) {
        timers.timers.delete(t[0]);
        t[1].cb();
      } else {
        const q = rafQueue;
        rafQueue = [];
        const before = renderMs;
        for (const cb of q) cb();
        const cost = renderMs - before;
        busyUntil = clock.now + cost;
        for (const a of delivered) delays.push(clock.now + cost - a);
        delivered.length = 0;
      }
    }
    clock.now = Math.max(clock.now, T);
  };

  // Arrivals: tokens at the given mean speed, with jitter (exponential gaps), as providers send them.
  const r = rng(7);
  let t = 0;
  chunks.forEach((c, i) => {
    t += (-Math.log(1 - r()) * tokensPerChunk[i] * 1000) / tokensPerSecond;
    runUntil(t);
    pendingArrivals.push(clock.now);
    coalescer.push({ type: 'answer.delta', id: 'bench', text: c });
  });
  runUntil(t + 200);
  const streamSeconds = t / 1000;
  const before = renderMs;
  app.handle({ type: 'answer.end', id: 'bench', outcome: 'done' });
  void before;

  // One render of the final text into a fresh container in the same page (best of 5, like the stream it lands in
  // an attached element).
  const oneShots: number[] = [];
  let oneShotHtml = '';
  for (let k = 0; k < 5; k++) {
    const el = win.document.createElement('div');
    win.document.body.append(el);
    const v = new StreamView(el, sanitizer, () => undefined);
    let ms = 0;
    v.onRender = (info) => (ms = info.ms);
    v.append(text);
    v.finish();
    oneShots.push(ms);
    oneShotHtml = el.innerHTML;
    el.remove();
  }
  const identical = view.container.innerHTML === oneShotHtml;
  win.close();
  return {
    tokensPerSecond,
    chunks: chunks.length,
    streamSeconds,
    frames: Math.ceil((t + 200) / FRAME),
    posted: coalescer.posted - 1,
    renders,
    renderMs,
    oneShotMs: Math.min(...oneShots),
    p50: pct(delays, 50),
    p95: pct(delays, 95),
    max: Math.max(...delays),
    maxTail,
    identical,
    byKind: Object.entries(byKind).map(([k, v]) => `${k} ${v.n} frames ${v.ms.toFixed(0)} ms`).join(', '),
  };
}

function main(): void {
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

  // Warm up the JIT on a short run so the first scenario is not penalised.
  simulate(text.slice(0, 20_000), chunks.slice(0, 1500), tokensPerChunk.slice(0, 1500), 2000);

  for (const speed of process.argv.includes("--quick") ? [150] : [60, 150, 400]) {
    const res = simulate(text, chunks, tokensPerChunk, speed);
    console.log(`\n-- ${speed} tokens/s (stream of ${res.streamSeconds.toFixed(1)} s simulated)`);
    console.log(`host messages posted: ${res.posted} for ${res.chunks} chunks; animation frames elapsed: ${res.frames} (${(res.posted / res.frames).toFixed(2)} per frame)`);
    console.log(`renders: ${res.renders}; total render time ${res.renderMs.toFixed(0)} ms vs one render of the final text ${res.oneShotMs.toFixed(0)} ms (best of 5) (${(res.renderMs / res.oneShotMs).toFixed(2)}x); largest re-rendered tail ${res.maxTail} chars`);
    console.log(`render time by frame kind: ${res.byKind}`);
    console.log(`added delay chunk arrival -> on screen: p50 ${res.p50.toFixed(1)} ms, p95 ${res.p95.toFixed(1)} ms, max ${res.max.toFixed(1)} ms`);
    console.log(`final DOM identical to the one-shot render: ${res.identical}`);
  }
}

main();
