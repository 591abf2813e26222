/**
 * The streaming simulation shared by the node (jsdom) and browser (Chromium) runs of the render benchmark.
 * Time is virtual: chunks arrive on a simulated clock, the host coalescer's 16 ms timer and 60 Hz animation frames
 * run on it, and the real CPU time of each frame's render is added (a slow frame delays the next one). The unit test
 * (test/unit/webview/renderBench.test.ts) charges a fixed simulated cost per render instead, so that what it asserts
 * (messages per frame, the final DOM) comes out the same on any machine.
 */
import { UpdateCoalescer, type TimerPort } from '../../src/host/panels/coalescer';
import type { BatchMsg } from '../../src/shared/protocol';
import { AnswerApp } from '../../src/webview/answerApp';
import { createSanitizer } from '../../src/webview/sanitize';
import { StreamView, type RenderInfo } from '../../src/webview/streamView';

const FRAME = 1000 / 60;

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

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

export interface Result {
  tokensPerSecond: number;
  chunks: number;
  streamSeconds: number;
  frames: number;
  posted: number;
  /** Shortest time between two messages the host posted during the stream (simulated ms; Infinity for fewer than two). */
  minPostGapMs: number;
  renders: number;
  renderMs: number;
  oneShotMs: number;
  p50: number;
  p95: number;
  max: number;
  maxTail: number;
  identical: boolean;
  oneShotParts: string;
  byKind: string;
}

export interface SimOptions {
  /**
   * Simulated ms a render takes on the virtual clock (a frame busy rendering delays the next one). By default its real
   * CPU time, `info.ms`, as the bench measures it: then the frame figures depend on the machine's speed.
   */
  renderCost?: (info: RenderInfo) => number;
  /** One-shot renders of the final text (the fastest is reported; the last is compared with the streamed DOM). */
  oneShotRuns?: number;
}

export function simulate(win: Window, text: string, chunks: string[], tokensPerChunk: number[], tokensPerSecond: number, options: SimOptions = {}): Result {
  const renderCost = options.renderCost ?? ((info: RenderInfo) => info.ms);
  const sanitizer = createSanitizer(win);
  const clock = { now: 0 };
  const timers = new VirtualTimers(clock);
  let rafQueue: (() => void)[] = [];
  let busyUntil = 0;
  let renderMs = 0;
  let simulatedMs = 0; // render cost charged to the virtual clock
  let renders = 0;
  let maxTail = 0;
  const byKind: Record<string, { n: number; ms: number; md: number; san: number }> = {};
  const delivered: number[] = []; // arrival times of chunks delivered to the webview, not yet on screen
  const delays: number[] = [];
  let pendingArrivals: number[] = []; // arrival times of chunks pushed to the coalescer, not yet posted
  const postedAt: number[] = []; // when the host posted each message

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
      postedAt.push(clock.now);
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
    simulatedMs += renderCost(info);
    const k = info.committedChars && info.tailChars ? 'commit+tail' : info.committedChars ? 'commit' : info.tailChars ? 'tail' : 'raw';
    byKind[k] = byKind[k] ?? { n: 0, ms: 0, md: 0, san: 0 };
    byKind[k].n++;
    byKind[k].ms += info.ms;
    byKind[k].md += info.markdownMs;
    byKind[k].san += info.sanitizeMs;
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
        const before = simulatedMs;
        for (const cb of q) cb();
        const cost = simulatedMs - before;
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
  app.handle({ type: 'answer.end', id: 'bench', outcome: 'done' });

  // One render of the final text into a fresh container in the same page (best of 5, like the stream it lands in
  // an attached element).
  const oneShots: number[] = [];
  let oneShotParts = '';
  let oneShotHtml = '';
  for (let k = 0; k < (options.oneShotRuns ?? 5); k++) {
    const el = win.document.createElement('div');
    win.document.body.append(el);
    const v = new StreamView(el, sanitizer, () => undefined);
    let ms = 0;
    v.onRender = (info) => {
      ms = info.ms;
      oneShotParts = `markdown ${info.markdownMs.toFixed(0)}, sanitise ${info.sanitizeMs.toFixed(0)}`;
    };
    v.append(text);
    v.finish();
    oneShots.push(ms);
    oneShotHtml = el.innerHTML;
    el.remove();
  }
  const identical = view.container.innerHTML === oneShotHtml;
  // Between the stream's messages (the first one posted, answer.start, is not one of them).
  let minPostGapMs = Infinity;
  for (let i = 2; i < postedAt.length; i++) minPostGapMs = Math.min(minPostGapMs, postedAt[i] - postedAt[i - 1]);
  return {
    tokensPerSecond,
    chunks: chunks.length,
    streamSeconds,
    frames: Math.ceil((t + 200) / FRAME),
    posted: coalescer.posted - 1,
    minPostGapMs,
    renders,
    renderMs,
    oneShotMs: Math.min(...oneShots),
    p50: pct(delays, 50),
    p95: pct(delays, 95),
    max: Math.max(...delays),
    maxTail,
    identical,
    oneShotParts,
    byKind: Object.entries(byKind).map(([k, v]) => `${k} ${v.n} frames ${v.ms.toFixed(0)} ms (markdown ${v.md.toFixed(0)}, sanitise ${v.san.toFixed(0)})`).join(', '),
  };
}

