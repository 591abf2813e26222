/**
 * The rate-limit simulation behind bench/limits/run.ts and its unit test (test/unit/resilience/limitsBench.test.ts):
 * 300 mixed-size requests against the fake provider enforcing RPM 120 and TPM 40,000 (sliding one-minute windows on
 * the fake's injected clock, input tokens counted as the fake counts them).
 *
 *   (a) limits configured in Tierwise: goal zero 429s and the binding limit used to ≥ 95 %;
 *   (b) limits not configured (OpenAI): Tierwise learns them from the response headers (x-ratelimit-*), sending one
 *       request at a time until the first response; goal ≤ 2 % of requests answered 429 and ≥ 95 % of the limit;
 *   (c) the same against Anthropic's Messages API (anthropic-ratelimit-* headers, input tokens limited);
 *   (d) as (b) while another client on the same key spends 15,000 tokens of the first minute: ≤ 2 % 429s.
 * Each runs with Tierwise's own rough estimate of a request's tokens, and (a) to (c) also with an estimate that is
 * 30 % under and 30 % over what the server counts: the limiter has to hold whatever the estimator says.
 * Every request must complete exactly once. The fake sends the headers real providers send, on every answer
 * (limit, remaining, time until fully replenished) and on its 429s (with retry-after).
 *
 * Time only moves when no HTTP request is in flight: the driver then jumps the ManualClock to the next wake-up
 * (a queued request's turn or a backoff). So a request takes no simulated time; the figures measure scheduling and
 * do not depend on the machine.
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
import { countTokens } from '../../test/fake-provider/server';
import type { FakeProvider } from '../../test/fake-provider/server';

export const N = 300;
export const RPM = 120;
export const TPM = 40_000;
const WINDOW = 60_000;
const MODELS = { openai: 'gpt-4o-mini', anthropic: 'claude-3-5-haiku-latest' } as const;
export type Bench = keyof typeof MODELS;

/** Input tokens the fake server counts for a request (its wire body, as the OpenAI protocol sends it). */
export function serverTokens(req: ChatRequest): number {
  const messages = [...(req.system ? [{ role: 'system', content: req.system }] : []), ...req.messages];
  return countTokens({ model: req.model, messages }, 'openai');
}

/** The client's estimate of a request's input tokens: Tierwise's own, or the server's count off by a factor. */
export type Estimator = 'rough' | 'under30' | 'over30';
export const ESTIMATORS: Record<Estimator, { label: string; estimate(req: ChatRequest): number }> = {
  rough: { label: "Tierwise's rough estimate", estimate: estimateInputTokens },
  under30: { label: 'an estimate 30 % under the server count', estimate: (r) => Math.round(serverTokens(r) * 0.7) },
  over30: { label: 'an estimate 30 % over the server count', estimate: (r) => Math.round(serverTokens(r) * 1.3) },
};

/** Deterministic mixed sizes: mostly small prompts, some medium, a few large (xorshift, fixed seed). */
export function workload(provider: Bench = 'openai'): ChatRequest[] {
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

export interface Stats {
  completed: number;
  failed: number;
  http: number;
  rateLimited: number;
  retries: number;
  queuedEvents: number;
  simulatedMs: number;
  /** Shares of the fake's limits used over the complete minutes of the run, as the fake counted them. */
  tokenUtilisation: number;
  requestUtilisation: number;
  binding: 'tokens' | 'requests';
  lost: number;
  duplicated: number;
  /** Requests sent while the limits were still unknown (the cautious start). */
  sentBlind: number;
  learned: string;
}

export interface ScenarioOptions {
  provider?: Bench;
  /** Another client on the same key (another window, a script) spends this many input tokens of the minute's
   * budget at the start, which Tierwise only learns of from the remaining counts in the headers. */
  externalTokens?: number;
  estimator?: Estimator;
}

export async function scenario(fake: FakeProvider, settingsIn: ResilienceSettingsInput, options: ScenarioOptions = {}): Promise<Stats> {
  const provider = options.provider ?? 'openai';
  const externalTokens = options.externalTokens ?? 0;
  const estimate = ESTIMATORS[options.estimator ?? 'rough'].estimate;
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
    estimateTokens: estimate,
  });

  const reqs = workload(provider);
  let sentBlind = 0;
  for (let left = externalTokens; left > 0; left -= 5000) {
    const body = { model: MODELS[provider], max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(Math.min(5000, left) * 4) }] };
    const r = await fetch(`${fake.openaiBaseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-other' }, body: JSON.stringify(body) });
    await r.text();
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
  // The answered request of an id is its last one (a retry only follows a 429).
  const httpPerId = new Array<number>(N).fill(0);
  const answered: { at: number; tokens: number }[] = [];
  const lastPerId = new Map<number, { at: number; tokens: number }>();
  for (const r of fake.requests) {
    const m = /Request #(\d+)\./.exec(JSON.stringify(r.body));
    if (!m) continue;
    const id = Number(m[1]);
    httpPerId[id]!++;
    lastPerId.set(id, { at: r.at, tokens: countTokens(r.body, provider) });
  }
  answered.push(...lastPerId.values());
  const answeredPerId = httpPerId.map((n, i) => n - rateLimitedPerId[i]!);
  const completed = outcomes.filter((o) => o?.result).length;
  const lost = outcomes.filter((o, i) => !o?.result || answeredPerId[i] === 0).length;
  const duplicated = answeredPerId.filter((n) => n > 1).length;

  // Utilisation of each limit over the complete one-minute windows of the run, from what the server admitted and
  // counted (not from the client's estimate, which may be off).
  const end = Math.max(...answered.map((a) => a.at));
  const windows = Math.max(1, Math.floor(end / WINDOW));
  let tok = 0;
  let req = 0;
  for (let w = 0; w < windows; w++) {
    const inW = answered.filter((a) => a.at >= w * WINDOW && a.at < (w + 1) * WINDOW);
    tok += inW.reduce((n, a) => n + a.tokens, 0) / TPM;
    req += inW.length / RPM;
  }
  const totalTokens = answered.reduce((n, a) => n + a.tokens, 0);
  const binding = totalTokens / TPM >= N / RPM ? 'tokens' : 'requests';
  const l = runner.limits(provider, MODELS[provider]);
  const learned = `rpm ${l.rpmLimit ?? '-'}, tpm ${l.tpmLimit ?? '-'} (counting ${l.tpmBasis === 'input' ? 'input' : 'input + output'}), input tpm ${l.inputTpmLimit ?? '-'}, estimate × ${l.estimateScale.toFixed(2)}`;
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

export const utilisation = (s: Stats): number => (s.binding === 'tokens' ? s.tokenUtilisation : s.requestUtilisation);
const whole = (s: Stats) => s.completed === N && s.lost === 0 && s.duplicated === 0;

/** The scenarios and their goals. `check` says what failed, or nothing. */
export interface Case {
  id: string;
  title: string;
  goal: string;
  settings: ResilienceSettingsInput;
  options: ScenarioOptions;
  check(s: Stats): string[];
}

function goals(max429: number, minUtil: number | undefined): (s: Stats) => string[] {
  return (s) => {
    const out: string[] = [];
    if (!whole(s)) out.push(`completed ${s.completed}/${N}, lost ${s.lost}, duplicated ${s.duplicated}`);
    if (s.rateLimited > max429) out.push(`${s.rateLimited} 429s (at most ${max429})`);
    if (minUtil !== undefined && utilisation(s) < minUtil) out.push(`${(utilisation(s) * 100).toFixed(1)} % of the binding limit (at least ${minUtil * 100} %)`);
    return out;
  };
}

const CONFIGURED: ResilienceSettingsInput = { limits: { openai: { rpm: RPM, tpm: TPM, tpmBasis: 'input', concurrency: 16 } } };

export function cases(): Case[] {
  const out: Case[] = [];
  const est: Estimator[] = ['rough', 'under30', 'over30'];
  const suffix = (e: Estimator) => (e === 'rough' ? '' : e === 'under30' ? ' −30%' : ' +30%');
  for (const e of est) {
    out.push({
      id: `a${suffix(e)}`,
      title: `(a)${suffix(e)} limits configured (rpm 120, tpm 40000, input tokens, concurrency 16), ${ESTIMATORS[e].label}`,
      goal: 'zero 429s, ≥ 95 % of the binding limit, all completed once',
      settings: CONFIGURED,
      options: { estimator: e },
      check: goals(0, 0.95),
    });
    out.push({
      id: `b${suffix(e)}`,
      title: `(b)${suffix(e)} limits not configured, OpenAI (learned from x-ratelimit-* headers), ${ESTIMATORS[e].label}`,
      goal: '≤ 2 % of requests answered 429, ≥ 95 % of the binding limit, all completed once',
      settings: {},
      options: { estimator: e },
      check: goals(0.02 * N, 0.95),
    });
    out.push({
      id: `c${suffix(e)}`,
      title: `(c)${suffix(e)} limits not configured, Anthropic (learned from anthropic-ratelimit-* headers), ${ESTIMATORS[e].label}`,
      goal: '≤ 2 % of requests answered 429, ≥ 95 % of the binding limit, all completed once',
      settings: {},
      options: { provider: 'anthropic', estimator: e },
      check: goals(0.02 * N, 0.95),
    });
  }
  out.push({
    id: 'd',
    title: '(d) as (b), while another client on the same key spends 15,000 tokens of the first minute',
    goal: '≤ 2 % of requests answered 429, all completed once (throughput shown, not a goal)',
    settings: {},
    options: { externalTokens: 15_000 },
    check: goals(0.02 * N, undefined),
  });
  return out;
}
