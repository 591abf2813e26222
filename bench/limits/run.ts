/**
 * Rate-limit benchmark, in simulated time: 300 mixed-size requests against the fake provider enforcing RPM 120 and
 * TPM 40,000 (sliding one-minute windows on the fake's injected clock, input tokens counted).
 *
 *   (a) limits configured in Tierwise: expect zero 429s and the binding limit used to ≥ 95 %;
 *   (b) limits not configured (OpenAI): Tierwise learns them from the response headers (x-ratelimit-*), sending one
 *       request at a time until the first response; goal ≤ 2 % of requests answered 429 and ≥ 95 % of the limit;
 *   (c) the same against Anthropic's Messages API (anthropic-ratelimit-* headers, input tokens limited).
 * Every request must complete exactly once. The fake sends the headers real providers send, on every answer
 * (limit, remaining, time until fully replenished) and on its 429s (with retry-after).
 *
 * Time only moves when no HTTP request is in flight: the driver then jumps the ManualClock to the next wake-up
 * (a queued request's turn or a backoff). So a request takes no simulated time; the figures measure scheduling.
 *
 * Run: npx tsx bench/limits/run.ts
 */
import { ManualClock, flushMicrotasks } from '../../src/core/clock';
import { createProvider } from '../../src/core/providers';
import { estimateInputTokens } from '../../src/core/providers/usage';
import { CallRunner } from '../../src/core/resilience/pipeline';
import type { CallOutcome } from '../../src/core/resilience/pipeline';
import { resolveResilienceSettings } from '../../src/core/resilience/settings';
import type { ResilienceSettingsInput } from '../../src/core/resilience/settings';
import type { StreamingProvider } from '../../src/core/resilience/timeouts';
import type { ChatRequest, StreamEvent } from '../../src/core/types';
import { countTokens, startFakeProvider } from '../../test/fake-provider/server';
import type { FakeProvider } from '../../test/fake-provider/server';

const N = 300;
const RPM = 120;
const TPM = 40_000;
const WINDOW = 60_000;
const MODELS = { openai: 'gpt-4o-mini', anthropic: 'claude-3-5-haiku-latest' } as const;
type Bench = keyof typeof MODELS;

/** Deterministic mixed sizes: mostly small prompts, some medium, a few large (xorshift, fixed seed). */
function workload(provider: Bench = 'openai'): ChatRequest[] {
  let s = 0x2545f491;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const out: ChatRequest[] = [];
  for (let i = 0; i < N; i++) {
    const r = rnd();
    const tokens = r < 0.6 ? 40 + Math.floor(rnd() * 260) : r < 0.9 ? 300 + Math.floor(rnd() * 900) : 1200 + Math.floor(rnd() * 2800);
    const tag = `Request #${i}. `;
    out.push({
      provider,
      model: MODELS[provider],
      system: 'You are a concise assistant.',
      messages: [{ role: 'user', content: tag + 'lorem '.repeat(Math.max(1, Math.round((tokens * 4 - tag.length) / 6))) }],
      maxTokens: 200,
    });
  }
  return out;
}

interface Stats {
  completed: number;
  failed: number;
  http: number;
  rateLimited: number;
  retries: number;
  queuedEvents: number;
  simulatedMs: number;
  tokenUtilisation: number;
  requestUtilisation: number;
  binding: 'tokens' | 'requests';
  lost: number;
  duplicated: number;
  /** Requests sent while the limits were still unknown (the cautious start). */
  sentBlind: number;
  learned: string;
}

/**
 * `externalTokens`: another client on the same key (another window, a script) spends this many input tokens of the
 * minute's budget at the start, which Tierwise only learns of from the remaining counts in the headers.
 */
async function scenario(fake: FakeProvider, settingsIn: ResilienceSettingsInput, provider: Bench = 'openai', externalTokens = 0): Promise<Stats> {
  fake.reset();
  const clock = new ManualClock(0);
  fake.setLimits({ rpm: RPM, tpm: TPM, now: () => clock.now() });
  const baseUrl = provider === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl;
  const base = createProvider({ id: provider, apiKey: 'sk-bench', baseUrl }, clock);
  let inFlight = 0;
  const counted: StreamingProvider = {
    async *stream(req: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
      inFlight++;
      try {
        yield* base.stream(req, signal);
      } finally {
        inFlight--;
      }
    },
  };
  const runner = new CallRunner({
    clock,
    providerFor: () => counted,
    settings: resolveResilienceSettings(settingsIn),
    estimateTokens: estimateInputTokens,
  });

  const reqs = workload(provider);
  let sentBlind = 0;
  const admissions: { at: number; tokens: number }[] = [];
  for (let left = externalTokens; left > 0; left -= 5000) {
    const body = { model: MODELS[provider], max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(Math.min(5000, left) * 4) }] };
    const r = await fetch(`${fake.openaiBaseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-other' }, body: JSON.stringify(body) });
    await r.text();
    admissions.push({ at: clock.now(), tokens: countTokens(body, 'openai') });
  }
  const externalHttp = fake.requests.length;
  let rateLimited = 0;
  let retries = 0;
  let queuedEvents = 0;
  const rateLimitedPerId = new Array<number>(N).fill(0);
  const outcomes: (CallOutcome | undefined)[] = new Array(N);
  let done = 0;
  const all = reqs.map((req, i) =>
    runner
      .run([req], (e) => {
        if (e.type === 'attempt' && runner.limits(provider, MODELS[provider]).learning) sentBlind++;
        if (e.type === 'start') admissions.push({ at: clock.now(), tokens: estimateInputTokens(req) });
        else if (e.type === 'retry') {
          retries++;
          if (e.error.status === 429) {
            rateLimited++;
            rateLimitedPerId[i]!++;
          }
        } else if (e.type === 'queued') queuedEvents++;
      })
      .then((o) => {
        outcomes[i] = o;
        done++;
      }),
  );

  // Drive simulated time: whenever nothing is on the wire, jump to the next wake-up.
  while (done < N) {
    let idleRounds = 0;
    while (idleRounds < 3) {
      await new Promise((r) => setTimeout(r, inFlight > 0 ? 1 : 0));
      await flushMicrotasks(5);
      idleRounds = inFlight === 0 ? idleRounds + 1 : 0;
      if (done >= N) break;
    }
    if (done >= N) break;
    const next = clock.nextWake();
    if (next === undefined) continue;
    await clock.advance(next - clock.now());
  }
  await Promise.all(all);

  // Lost / duplicated: per request id (in the prompt), the fake must have answered exactly once with a 200
  // (its HTTP requests for that id minus the 429s the pipeline saw), and the caller must hold that one result.
  const httpPerId = new Array<number>(N).fill(0);
  for (const r of fake.requests) {
    const m = /Request #(\d+)\./.exec(JSON.stringify(r.body));
    if (m) httpPerId[Number(m[1])]!++;
  }
  const answeredPerId = httpPerId.map((n, i) => n - rateLimitedPerId[i]!);
  const completed = outcomes.filter((o) => o?.result).length;
  const lost = outcomes.filter((o, i) => !o?.result || answeredPerId[i] === 0).length;
  const duplicated = answeredPerId.filter((n) => n > 1).length;

  // Utilisation of each limit over the complete one-minute windows of the run.
  const end = Math.max(...admissions.map((a) => a.at));
  const windows = Math.max(1, Math.floor(end / WINDOW));
  let tok = 0;
  let req = 0;
  for (let w = 0; w < windows; w++) {
    const inW = admissions.filter((a) => a.at >= w * WINDOW && a.at < (w + 1) * WINDOW);
    tok += inW.reduce((n, a) => n + a.tokens, 0) / TPM;
    req += inW.length / RPM;
  }
  const totalTokens = reqs.reduce((n, r) => n + estimateInputTokens(r), 0);
  const binding = totalTokens / TPM >= N / RPM ? 'tokens' : 'requests';
  const l = runner.limits(provider, MODELS[provider]);
  const learned = `rpm ${l.rpmLimit ?? '-'}, tpm ${l.tpmLimit ?? '-'} (counting ${l.tpmBasis === 'input' ? 'input' : 'input + output'}), input tpm ${l.inputTpmLimit ?? '-'}`;
  return {
    sentBlind,
    learned,
    completed,
    failed: N - completed,
    http: fake.requests.length - externalHttp,
    rateLimited,
    retries,
    queuedEvents,
    simulatedMs: clock.now(),
    tokenUtilisation: tok / windows,
    requestUtilisation: req / windows,
    binding,
    lost,
    duplicated,
  };
}

function print(title: string, s: Stats): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  console.log(`\n${title}`);
  console.log(`  completed            ${s.completed} / ${N}   (failed ${s.failed}, lost ${s.lost}, duplicated ${s.duplicated})`);
  console.log(`  HTTP requests        ${s.http}`);
  console.log(`  429s received        ${s.rateLimited}   (${pct(s.rateLimited / N)} of requests)`);
  console.log(`  sent before limits   ${s.sentBlind}   (limits in force at the end: ${s.learned})`);
  console.log(`  retries              ${s.retries}`);
  console.log(`  'queued' events      ${s.queuedEvents}`);
  console.log(`  simulated time       ${(s.simulatedMs / 1000).toFixed(1)} s`);
  console.log(`  binding limit        ${s.binding === 'tokens' ? `TPM ${TPM}` : `RPM ${RPM}`}`);
  console.log(`  throughput           ${pct(s.binding === 'tokens' ? s.tokenUtilisation : s.requestUtilisation)} of the binding limit (TPM ${pct(s.tokenUtilisation)}, RPM ${pct(s.requestUtilisation)}, over complete minutes)`);
}

async function main(): Promise<void> {
  const fake = await startFakeProvider();
  try {
    const reqs = workload();
    const totalTokens = reqs.reduce((n, r) => n + estimateInputTokens(r), 0);
    console.log(`${N} requests, ${totalTokens} input tokens in all (mean ${Math.round(totalTokens / N)}), fake limits RPM ${RPM}, TPM ${TPM}`);
    console.log(`lower bound on simulated time: ${((Math.max(totalTokens / TPM, N / RPM) - 1) * 60).toFixed(0)} s`);

    const a = await scenario(fake, { limits: { openai: { rpm: RPM, tpm: TPM, tpmBasis: 'input', concurrency: 16 } } });
    print('(a) limits configured (rpm 120, tpm 40000, input tokens, concurrency 16)', a);
    const b = await scenario(fake, {});
    print('(b) limits not configured, OpenAI (learned from x-ratelimit-* headers; default retry settings)', b);
    const c = await scenario(fake, {}, 'anthropic');
    print('(c) limits not configured, Anthropic (learned from anthropic-ratelimit-* headers)', c);

    const d = await scenario(fake, {}, 'openai', 15_000);
    print('(d) as (b), while another client on the same key spends 15,000 tokens of the first minute', d);

    const util = (s: Stats) => (s.binding === 'tokens' ? s.tokenUtilisation : s.requestUtilisation);
    const whole = (s: Stats) => s.completed === N && s.lost === 0 && s.duplicated === 0;
    const okA = whole(a) && a.rateLimited === 0 && util(a) >= 0.95;
    const learnedOk = (s: Stats) => whole(s) && s.rateLimited <= 0.02 * N && util(s) >= 0.95;
    const okB = learnedOk(b);
    const okC = learnedOk(c);
    console.log(`\n(a) ${okA ? 'PASS' : 'FAIL'}: zero 429s, ≥ 95 % of the binding limit, all ${N} completed once`);
    console.log(`(b) ${okB ? 'PASS' : 'FAIL'}: ≤ 2 % of requests answered 429 (${b.rateLimited}), ≥ 95 % of the binding limit, all ${N} completed once`);
    console.log(`(c) ${okC ? 'PASS' : 'FAIL'}: the same goals (${c.rateLimited} 429s)`);
    const okD = whole(d) && d.rateLimited <= 0.02 * N;
    console.log(`(d) ${okD ? 'PASS' : 'FAIL'}: ≤ 2 % of requests answered 429 (${d.rateLimited}), all ${N} completed once (throughput shown, not a goal)`);
    process.exitCode = okA && okB && okC && okD ? 0 : 1;
  } finally {
    await fake.close();
  }
}

void main();
