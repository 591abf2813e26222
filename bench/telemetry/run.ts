/**
 * Telemetry bench: does OpenTelemetry export slow a request when the collector is dead? Requests go through the real
 * path (a provider client and the CallRunner, against the fake provider in this process) in four modes, interleaved
 * request by request in the same process:
 *
 *   off     export off: no timeline, no span (what every call does until an endpoint is set)
 *   dead    export on, the collector's port refuses connections
 *   hang    export on, the collector accepts and never answers
 *   live    export on, a collector that answers 200 (for comparison)
 *
 * "Request time" is from the send to the call's span handed over (what RequestService.finish waits for), with
 * `concurrency` requests in flight. The printed ratio is dead / off (and hang / off); the issue asks that a dead
 * collector leaves requests as fast as before. Not asserted in the tests: timings depend on the machine.
 *
 * Run: npx tsx bench/telemetry/run.ts [rounds=5] [requests per mode and round=100] [concurrency=4]
 */
import { systemClock } from '../../src/core/clock';
import { createProvider } from '../../src/core/providers';
import { CallRunner } from '../../src/core/resilience/pipeline';
import { resolveResilienceSettings } from '../../src/core/resilience/settings';
import { AttemptTimeline, callFromOutcome } from '../../src/core/telemetry';
import { OtelExport } from '../../src/core/telemetry/otel';
import type { ChatRequest } from '../../src/core/types';
import { startFakeProvider } from '../../test/fake-provider/server';
import { deadPort, startOtlpReceiver } from '../../test/helpers/otlpReceiver';

type Mode = 'off' | 'dead' | 'hang' | 'live';
const MODES: Mode[] = ['off', 'dead', 'hang', 'live'];

const [rounds, perRound, concurrency] = process.argv.slice(2).map(Number);
const ROUNDS = rounds || 5;
const PER_ROUND = perRound || 100;
const CONCURRENCY = concurrency || 4;

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  // The mean without the fastest and slowest 5 % (a loaded machine stalls a request now and then, in any mode).
  const trimmed = s.slice(Math.floor(s.length * 0.05), Math.ceil(s.length * 0.95));
  return { n: s.length, mean: trimmed.reduce((a, b) => a + b, 0) / trimmed.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1]! };
}

async function main(): Promise<void> {
  const fake = await startFakeProvider();
  // Limits far above the bench's pace: its rate-limit headers must not make the pipeline queue (a real wait, in
  // every mode alike, that would drown the figures).
  fake.setLimits({ rpm: 10_000_000, tpm: 10_000_000_000 });
  const live = await startOtlpReceiver();
  const hang = await startOtlpReceiver();
  hang.answer = 'hang';
  const deadUrl = `http://127.0.0.1:${await deadPort()}`;
  const quiet = { info: () => undefined, warn: (m: string) => logged.push(m) };
  const logged: string[] = [];
  const exporter = (endpoint: string) =>
    new OtelExport({ endpoint, headers: { authorization: 'Bearer bench' }, serviceName: 'tierwise-bench', serviceVersion: '0', resourceAttributes: { team: 'bench' }, log: quiet, flushIntervalMs: 1000 });
  const exporters: Record<Exclude<Mode, 'off'>, OtelExport> = { dead: exporter(deadUrl), hang: exporter(hang.url), live: exporter(live.url) };

  const client = createProvider({ id: 'openai', apiKey: 'sk-bench-0123456789', baseUrl: fake.openaiBaseUrl }, systemClock);
  const runner = new CallRunner({
    clock: systemClock,
    providerFor: () => client,
    settings: resolveResilienceSettings({ retry: { maxRetries: 0 } }),
    estimateTokens: (r) => Math.ceil(JSON.stringify(r.messages).length / 4),
  });
  const request: ChatRequest = {
    provider: 'openai',
    model: 'gpt-6.1-sol',
    system: 'Explain the code.',
    messages: [{ role: 'user', content: 'export function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }' }],
    maxTokens: 256,
  };

  /** One request as RequestService runs it: timeline while export is on, the pipeline, then the span handed over. */
  async function one(mode: Mode): Promise<number> {
    const t0 = performance.now();
    const startMs = Date.now();
    const timeline = mode === 'off' ? undefined : new AttemptTimeline();
    const outcome = await runner.run([request], (e) => timeline?.observe(e));
    if (mode !== 'off') {
      const call = callFromOutcome({
        startMs,
        endMs: Date.now(),
        request,
        outcome,
        recorded: { outcome: outcome.result ? 'ok' : 'error', usageReported: !!outcome.result?.usageReported },
        cost: { amount: 0.001, currency: 'USD', usd: 0.001, source: 'provider' },
        timeline,
        baseUrl: fake.openaiBaseUrl,
        tier: 'medium',
        task: 'explainCode',
        workspace: 'bench',
      });
      exporters[mode].submit(call);
    }
    if (!outcome.result) throw new Error(`request failed: ${outcome.error?.message}`);
    return performance.now() - t0;
  }

  /**
   * `count` requests per mode, `CONCURRENCY` in flight, the modes taken in turn request by request, so that
   * whatever else the machine does falls on every mode alike.
   */
  async function interleaved(count: number): Promise<Record<Mode, number[]>> {
    const times: Record<Mode, number[]> = { off: [], dead: [], hang: [], live: [] };
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < count * MODES.length; i = next++) {
          const m = MODES[i % MODES.length]!;
          times[m].push(await one(m));
        }
      }),
    );
    return times;
  }

  // Warm up every path (SDK clients, JIT, the exporters' first failures).
  await interleaved(10);
  const times: Record<Mode, number[]> = { off: [], dead: [], hang: [], live: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const t = await interleaved(PER_ROUND);
    for (const m of MODES) times[m].push(...t[m]);
  }

  const s = Object.fromEntries(MODES.map((m) => [m, stats(times[m])])) as Record<Mode, ReturnType<typeof stats>>;
  console.log(`Telemetry bench: ${ROUNDS} rounds × ${PER_ROUND} requests per mode, ${CONCURRENCY} in flight, the modes interleaved request by request in one process (Node ${process.version})`);
  console.log('mode   requests   mean ms (5–95 %)   p50 ms   p95 ms   max ms');
  for (const m of MODES) console.log(`${m.padEnd(6)} ${String(s[m].n).padStart(8)}   ${s[m].mean.toFixed(3).padStart(16)}   ${s[m].p50.toFixed(3).padStart(6)}   ${s[m].p95.toFixed(3).padStart(6)}   ${s[m].max.toFixed(1).padStart(7)}`);
  const ratio = (m: Mode) => `${(s[m].p50 / s.off.p50).toFixed(3)} (p50), ${(s[m].mean / s.off.mean).toFixed(3)} (trimmed mean), ${(s[m].p95 / s.off.p95).toFixed(3)} (p95)`;
  console.log(`\nratio dead collector / export off: ${ratio('dead')}`);
  console.log(`ratio hanging collector / export off: ${ratio('hang')}`);
  console.log(`ratio live collector / export off: ${ratio('live')}`);
  for (const m of ['dead', 'hang', 'live'] as const) {
    const st = exporters[m].stats();
    console.log(`${m}: ${st.exportedSpans} spans exported, ${st.dropped} calls dropped, ${st.queued} queued, ${st.failures} failed exports`);
  }
  console.log(`log lines from the exporters: ${logged.length} (${[...new Set(logged.map((l) => l.replace(/\(.*\)/, '(…)')))].join(' | ')})`);

  await Promise.all(Object.values(exporters).map((e) => e.shutdown(500)));
  await Promise.all([live.close(), hang.close(), fake.close()]);
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
