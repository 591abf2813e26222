import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';
import type { ProviderId } from '../../src/core/types';
import type { PendingRequest } from '../../src/host/requests/requests';
import { countTokens } from '../fake-provider/server';
import { fakeRequests, fakeReset, fakeUrl, setting, tierwise } from './helpers';

/**
 * Fifty requests started at once across OpenAI, Anthropic and DashScope, in the extension host, against the fake
 * enforcing 10 requests per minute per model with 429s and rate-limit headers. OpenAI has its limits configured;
 * Anthropic only a concurrency cap and DashScope nothing: both learn their limits from the headers. So each
 * provider's 11th request onwards waits for the minute to pass (about 60 s of queueing, in real time).
 *
 * The event-loop delay of the host is measured throughout and printed ("load:" lines); with TIERWISE_LOAD_BENCH=1
 * (bench/load) an idle period of the same length is measured afterwards as the baseline.
 */
const FAKE_RPM = 10;
const PER_PROVIDER: Record<'openai' | 'anthropic' | 'dashscope', number> = { openai: 17, anthropic: 17, dashscope: 14 };
/** Two more go to a model the fake always answers with HTTP 400: they must fail clearly, once. */
const FAILING = 2;
const PATHS: Record<string, ProviderId> = { '/v1/chat/completions': 'openai', '/v1/messages': 'anthropic', '/compatible-mode/v1/chat/completions': 'dashscope' };

const ms = (ns: number) => ns / 1e6;
/** Counts turns of the event loop that came more than `limitMs` late (a 10 ms interval timer). */
function stalls(limitMs: number): { stop(): number } {
  let last = performance.now();
  let n = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last - 10 > limitMs) n++;
    last = now;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return n;
    },
  };
}
function figures(h: IntervalHistogram): string {
  return `max ${ms(h.max).toFixed(1)} ms, p99 ${ms(h.percentile(99)).toFixed(1)} ms, mean ${ms(h.mean).toFixed(1)} ms (10 ms resolution)`;
}

suite('Load: fifty requests at once under rate limits', () => {
  const limitKeys = ['limits.openai.rpm', 'limits.openai.tpm', 'limits.openai.concurrency', 'limits.anthropic.concurrency'];

  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', 'sk-test-load-openai-0123456789');
    await app.keys.set('anthropic', 'sk-ant-test-load-0123456789');
    await app.keys.set('dashscope', 'sk-test-load-dashscope-0123456789');
    await setting('limits.openai.rpm', FAKE_RPM);
    await setting('limits.openai.tpm', 100_000);
    await setting('limits.openai.concurrency', 3);
    await setting('limits.anthropic.concurrency', 2);
  });

  suiteTeardown(async () => {
    for (const k of limitKeys) await setting(k, undefined);
    await fakeReset();
  });

  test('each request queues, finishes or fails clearly, and leaves exactly one ledger record', async function () {
    this.timeout(240_000);
    const app = await tierwise();
    await fakeReset();
    if (process.env.TIERWISE_LOAD_BENCH) {
      // The bench measures a warm host: a session's first request loads the SDKs and tokenizers once (a cost that
      // bench/activation measures). One request per provider, on other models than the fifty use.
      const warm = (['openai', 'anthropic', 'dashscope'] as const).map((provider) => app.requests.send({ task: 'extractKeywords', title: 'warm-up', text: 'warm up', override: { provider, tier: 'medium' } }));
      await Promise.all(warm);
      await fakeReset();
    }
    await fetch(`${fakeUrl()}/__fake/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rpm: FAKE_RPM }) });
    const ledger = app.services.ledger();
    const before = ledger.all().length;

    // Every request has its own length, so its ledger record can be told apart by the input tokens.
    const pendings: { provider: ProviderId; tag: string; pending: PendingRequest }[] = [];
    let i = 0;
    const add = (provider: ProviderId, model?: string) => {
      const tag = `Load request #${i}.`;
      const text = `${tag} ${'word '.repeat(20 + 8 * i)}`;
      i++;
      pendings.push({ provider, tag, pending: { task: 'extractKeywords', title: tag, text, override: model ? { provider, model } : { provider } } });
    };
    for (const [provider, n] of Object.entries(PER_PROVIDER) as [ProviderId, number][]) for (let k = 0; k < n; k++) add(provider);
    for (let k = 0; k < FAILING; k++) add('openai', 'fake-error-400');
    assert.equal(pendings.length, 50);

    const loop = monitorEventLoopDelay({ resolution: 10 });
    const burst = monitorEventLoopDelay({ resolution: 10 }); // the first 5 s: the fifty are routed and the first sent
    const loadStalls = stalls(50);
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    loop.enable();
    burst.enable();
    const burstEnd = setTimeout(() => burst.disable(), 5000);
    const started = Date.now();
    await Promise.all(pendings.map((p) => app.requests.send(p.pending)));
    const elapsed = Date.now() - started;
    loop.disable();
    const loadStallCount = loadStalls.stop();
    const loadElu = performance.eventLoopUtilization(elu0).utilization;
    const loadCpu = process.cpuUsage(cpu0);
    clearTimeout(burstEnd);
    burst.disable();

    // The ledger: one record per request, matched by provider and input tokens (as the fake counted them).
    const records = ledger.all().slice(before);
    const http = (await fakeRequests()).filter((r) => PATHS[r.path]);
    const tokensOf = new Map<string, number>();
    for (const r of http) {
      const tag = /Load request #\d+\./.exec(JSON.stringify(r.body))?.[0];
      if (tag) tokensOf.set(tag, countTokens(r.body, PATHS[r.path] === 'anthropic' ? 'anthropic' : PATHS[r.path] === 'dashscope' ? 'dashscope' : 'openai'));
    }
    assert.equal(records.length, 50, `${records.length} ledger records for 50 requests`);
    const ok = records.filter((r) => r.outcome === 'ok');
    const failed = records.filter((r) => r.outcome === 'error');
    assert.equal(ok.length, 48);
    assert.equal(failed.length, FAILING);
    for (const f of failed) assert.equal(f.model, 'fake-error-400');
    for (const p of pendings.filter((x) => !x.pending.override?.model)) {
      const expected = tokensOf.get(p.tag);
      assert.ok(expected !== undefined, `${p.tag} never reached the fake`);
      const mine = ok.filter((r) => r.provider === p.provider && r.inputTokens === expected);
      assert.equal(mine.length, 1, `${p.tag} (${p.provider}, ${expected} input tokens) has ${mine.length} ledger records`);
    }

    // Each HTTP request was either the one answered attempt of a request or a 429 that a retry followed.
    const retries = records.reduce((n, r) => n + r.retries, 0);
    assert.equal(http.length, 50 + retries, `${http.length} HTTP requests for 50 requests and ${retries} retries`);
    const per = (p: ProviderId) => ({ http: http.filter((r) => PATHS[r.path] === p).length, retries: records.filter((r) => r.provider === p).reduce((n, r) => n + r.retries, 0) });
    const o = per('openai');
    assert.equal(o.retries, 0, 'OpenAI has its limits configured: no request may be answered 429');
    // Queued, not sent at once: the 11th OpenAI request went out only once the first had left the minute's window.
    const sent = http.filter((r) => PATHS[r.path] === 'openai' && (r.body as { model: string }).model !== 'fake-error-400').map((r) => r.at).sort((x, y) => x - y);
    assert.ok(sent[FAKE_RPM]! - sent[0]! >= 59_000, `the 11th OpenAI request went out ${sent[FAKE_RPM]! - sent[0]!} ms after the first`);

    const a = per('anthropic');
    const d = per('dashscope');
    console.log(`load: 50 requests (${ok.length} ok, ${failed.length} failed clearly) in ${(elapsed / 1000).toFixed(1)} s; HTTP requests openai ${o.http}, anthropic ${a.http}, dashscope ${d.http}; 429s retried: openai ${o.retries}, anthropic ${a.retries}, dashscope ${d.retries}`);
    console.log(`load: extension host event-loop delay under load (${(elapsed / 1000).toFixed(1)} s): ${figures(loop)}`);
    console.log(`load: extension host event-loop delay in the first 5 s (the burst): ${figures(burst)}`);
    console.log(`load: stalls over 50 ms under load: ${loadStallCount}`);
    const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
    console.log(`load: extension host busy ${(loadElu * 100).toFixed(1)} % of the time (event-loop utilisation), CPU ${cpuMs(loadCpu).toFixed(0)} ms (host process, all threads)`);
    if (process.env.TIERWISE_LOAD_BENCH) {
      const idle = monitorEventLoopDelay({ resolution: 10 });
      const idleStalls = stalls(50);
      const idleElu0 = performance.eventLoopUtilization();
      const idleCpu0 = process.cpuUsage();
      idle.enable();
      await new Promise((r) => setTimeout(r, elapsed));
      idle.disable();
      const idleElu = performance.eventLoopUtilization(idleElu0).utilization;
      const idleCpu = process.cpuUsage(idleCpu0);
      console.log(`load: stalls over 50 ms idle (same length): ${idleStalls.stop()}`);
      console.log(`load: extension host idle: busy ${(idleElu * 100).toFixed(1)} % of the time, CPU ${cpuMs(idleCpu).toFixed(0)} ms; under load / idle: busy ${(loadElu / Math.max(1e-6, idleElu)).toFixed(2)}, CPU ${(cpuMs(loadCpu) / Math.max(1, cpuMs(idleCpu))).toFixed(2)}`);
      console.log(`load: extension host event-loop delay idle (baseline, ${(elapsed / 1000).toFixed(1)} s): ${figures(idle)}`);
      console.log(`load: max delay, under load / idle: ${(loop.max / Math.max(1, idle.max)).toFixed(2)}; burst / idle: ${(burst.max / Math.max(1, idle.max)).toFixed(2)}; p99 under load / idle: ${(loop.percentile(99) / Math.max(1, idle.percentile(99))).toFixed(2)}`);
      console.log(`load: longest stall under load ${ms(loop.max).toFixed(1)} ms (goal < 50 ms): ${ms(loop.max) < 50 ? 'PASS' : 'FAIL'}`);
    }
  });
});
