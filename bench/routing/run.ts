/**
 * Routing benchmark: how well the local complexity router picks the tier of free-form requests, what that costs,
 * and how fast it is.
 *
 *   1. The labelled set (bench/routing/labelled.jsonl, see LABELLING.md): accuracy on the dev and the held-out test
 *      half, the confusion matrix, complex requests sent to simple, and the cost of the routed requests against
 *      always-medium and always-complex on the default OpenAI models (catalogue prices).
 *   2. Speed: time per routed request, as a ratio to routing a fixed-tier task in the same process.
 *   3. Public data, read from a local copy when its path is given (nothing is downloaded, nothing is committed):
 *      - TIERWISE_LITELLM_EVAL: LiteLLM's complexity-router evaluation file
 *        (litellm/router_strategy/complexity_router/evals/eval_complexity_router.py);
 *      - TIERWISE_ROUTELLM_DIR: a RouteLLM checkout (or its routellm/evals folder), for MMLU, GSM8K and MT-Bench:
 *        quality at a given share of strong-model (GPT-4) calls, Tierwise's ranking against random routing, and the
 *        share of GPT-4 calls needed to reach 95% of GPT-4's quality.
 *
 * Run: npx tsx bench/routing/run.ts [--verbose]
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toUsd } from '../../src/core/pricing';
import type { RouteInput } from '../../src/core/routing';
import { assessComplexity, roughTokens } from '../../src/core/routing';
import type { ProviderId, Tier } from '../../src/core/types';
import { TIERS } from '../../src/core/types';
import { config, inputFor, labelledItems, ports, route, type Item } from './labelled';

const verbose = process.argv.includes('--verbose');

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');
const usd = (x: number) => `$${x.toFixed(4)}`;

// ------------------------------------------------------------------------------------------------------------
// 1. The labelled set

/** The answer lengths assumed for costing, by the label (the same for every strategy, so only prices differ). */
const ANSWER_TOKENS: Record<Tier, number> = { simple: 80, medium: 400, complex: 1200 };

const PRICED: readonly ProviderId[] = ['openai', 'anthropic', 'dashscope'];

function priceOn(tier: Tier, prompt: number, output: number, provider: ProviderId = 'openai'): number {
  const model = config.tiers[provider][tier];
  const info = ports.modelInfo(provider, model);
  if (!info) return NaN;
  return toUsd((info.inputPerM * prompt + info.outputPerM * output) / 1e6, info.currency);
}

function labelled(): void {
  const items = labelledItems();
  console.log(`Labelled set: ${items.length} requests (${items.filter((i) => i.split === 'dev').length} dev, ${items.filter((i) => i.split === 'test').length} held-out test), models ${TIERS.map((t) => config.tiers.openai[t]).join(' / ')}`);
  const groups: [string, (i: Item) => boolean][] = [
    ['dev', (i) => i.split === 'dev'],
    ['test (held out)', (i) => i.split === 'test'],
    ['all', () => true],
  ];
  for (const [name, pick] of groups) {
    const set = items.filter(pick);
    const m = TIERS.map(() => TIERS.map(() => 0));
    let right = 0;
    const costs = Object.fromEntries(PRICED.map((p) => [p, { routed: 0, medium: 0, complex: 0 }])) as Record<ProviderId, { routed: number; medium: number; complex: number }>;
    const by = { en: [0, 0], zh: [0, 0], code: [0, 0], prose: [0, 0], long: [0, 0], short: [0, 0] };
    const misses: string[] = [];
    for (const it of set) {
      const r = route(inputFor(it.q, it.sel));
      const got = r.tier;
      m[TIERS.indexOf(it.tier)]![TIERS.indexOf(got)]!++;
      const ok = got === it.tier;
      if (ok) right++;
      else misses.push(`  ${it.id} ${it.tier}→${got}: ${it.q.replace(/\n/g, ' ')}  [${r.reason}]`);
      const kind = r.auto?.assessment.kind === 'prose' ? 'prose' : 'code';
      const size = r.inputTokens - 0 > 2000 ? 'long' : 'short';
      for (const k of [it.lang, kind, size] as const) {
        by[k][0]!++;
        if (ok) by[k][1]!++;
      }
      const out = ANSWER_TOKENS[it.tier];
      for (const p of PRICED) {
        costs[p].routed += priceOn(got, r.inputTokens, out, p);
        costs[p].medium += priceOn('medium', r.inputTokens, out, p);
        costs[p].complex += priceOn('complex', r.inputTokens, out, p);
      }
    }
    const c = TIERS.indexOf('complex');
    const complexTotal = m[c]!.reduce((a, b) => a + b, 0);
    console.log(`\n[${name}] accuracy ${right}/${set.length} = ${pct(right, set.length)}; complex sent to simple: ${m[c]![0]}/${complexTotal} = ${pct(m[c]![0]!, complexTotal)} (goal ≥ 85% right, ≤ 5% complex→simple)`);
    console.log('  confusion (rows: label, columns: routed)   simple  medium complex');
    for (const t of TIERS) console.log(`  ${t.padEnd(40)} ${m[TIERS.indexOf(t)]!.map((n) => String(n).padStart(7)).join(' ')}`);
    const slice = (k: keyof typeof by) => `${k} ${pct(by[k][1]!, by[k][0]!)} of ${by[k][0]}`;
    console.log(`  by slice: ${(['en', 'zh', 'code', 'prose', 'short', 'long'] as const).map(slice).join(', ')}`);
    for (const p of PRICED) {
      const cost = costs[p];
      console.log(
        `  cost on ${p} (${TIERS.map((t) => config.tiers[p][t]).join(' / ')}): routed ${usd(cost.routed)}, always-medium ${usd(cost.medium)} (routed = ${(cost.routed / cost.medium).toFixed(2)}×), always-complex ${usd(cost.complex)} (routed = ${(cost.routed / cost.complex).toFixed(2)}×)`,
      );
    }
    if (verbose || name !== 'all') for (const l of misses) console.log(l);
  }
  console.log(`  (cost: prompt as routed, incl. the task's system prompt; answers assumed ${TIERS.map((t) => `${ANSWER_TOKENS[t]}`).join('/')} tokens by label, the same for every strategy)`);
}

// ------------------------------------------------------------------------------------------------------------
// 2. Speed

function speed(): void {
  const items = labelledItems();
  const inputs = items.map((i) => inputFor(i.q, i.sel));
  const longQ = inputFor(`${'Please refactor this and then explain it, and add tests. '.repeat(70)}`, 'ts-long');
  const fixed = inputs.map((i) => ({ ...i, task: 'explainCode' }));
  const time = (list: RouteInput[], rounds: number) => {
    for (const i of list) route(i); // warm up
    const samples: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const i of list) {
        const t0 = performance.now();
        route(i);
        samples.push(performance.now() - t0);
      }
    }
    samples.sort((a, b) => a - b);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    return { mean, p99: samples[Math.floor(samples.length * 0.99)]!, max: samples[samples.length - 1]! };
  };
  const base = time(fixed, 20);
  const auto = time(inputs, 20);
  const worst = time([longQ], 200);
  const t0 = performance.now();
  for (let r = 0; r < 20; r++) for (const i of inputs) assessComplexity({ request: i.question!, selectionText: i.selectionText, languageId: i.languageId });
  const assessOnly = (performance.now() - t0) / (20 * inputs.length);
  console.log('\nSpeed (per request, this machine, same process)');
  console.log(`  fixed-tier task (baseline): mean ${(base.mean * 1000).toFixed(1)} µs, p99 ${(base.p99 * 1000).toFixed(1)} µs`);
  console.log(`  auto (complexity router):   mean ${(auto.mean * 1000).toFixed(1)} µs, p99 ${(auto.p99 * 1000).toFixed(1)} µs, max ${(auto.max * 1000).toFixed(0)} µs = ${(auto.mean / base.mean).toFixed(2)}× the baseline`);
  console.log(`  assessment alone: mean ${(assessOnly * 1000).toFixed(1)} µs; a 4,000-character request on a long selection: mean ${(worst.mean * 1000).toFixed(1)} µs, p99 ${(worst.p99 * 1000).toFixed(1)} µs (goal < 5 ms)`);
}

// ------------------------------------------------------------------------------------------------------------
// 3a. LiteLLM's complexity-router evaluation prompts

function litellm(): void {
  const file = process.env.TIERWISE_LITELLM_EVAL;
  console.log('\nLiteLLM complexity-router evaluation prompts (TIERWISE_LITELLM_EVAL)');
  if (!file || !existsSync(file)) {
    console.log('  not present: set TIERWISE_LITELLM_EVAL to a local copy of litellm/router_strategy/complexity_router/evals/eval_complexity_router.py');
    return;
  }
  const src = readFileSync(file, 'utf8');
  const cases: { prompt: string; expected: Tier; acceptable: Tier[]; raw: string }[] = [];
  const mapTier = (t: string): Tier => (t === 'SIMPLE' ? 'simple' : t === 'MEDIUM' ? 'medium' : 'complex');
  for (const m of src.matchAll(/EvalCase\(([\s\S]*?)\n?\s*\),?\s*(?=\n\s*(?:EvalCase|#|\]))/g)) {
    const body = m[1]!;
    const p = /prompt\s*=\s*((?:\s*"(?:[^"\\]|\\.)*"\s*)+),/.exec(body);
    const e = /expected_tier\s*=\s*ComplexityTier\.(\w+)/.exec(body);
    if (!p || !e) continue;
    const prompt = [...p[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => JSON.parse(`"${x[1]}"`) as string).join('');
    const acc = /acceptable_tiers\s*=\s*\[([^\]]*)\]/.exec(body);
    const acceptable = acc ? [...acc[1]!.matchAll(/ComplexityTier\.(\w+)/g)].map((x) => mapTier(x[1]!)) : [];
    cases.push({ prompt, expected: mapTier(e[1]!), acceptable, raw: e[1]! });
  }
  if (!cases.length) {
    console.log(`  ${file}: no EvalCase entries found`);
    return;
  }
  let exact = 0;
  let accepted = 0;
  const misses: string[] = [];
  for (const c of cases) {
    const r = route({ task: 'answer', question: c.prompt, selectionText: '', inputTokens: roughTokens(c.prompt) });
    if (r.tier === c.expected) exact++;
    if (r.tier === c.expected || c.acceptable.includes(r.tier)) accepted++;
    else misses.push(`  ${c.raw.toLowerCase()}→${r.tier}: ${c.prompt.slice(0, 90)}  [${r.auto?.assessment.signals.join(', ')}]`);
  }
  console.log(`  ${cases.length} prompts (REASONING counted as complex): exact tier ${exact}/${cases.length} = ${pct(exact, cases.length)}; exact or acceptable ${accepted}/${cases.length} = ${pct(accepted, cases.length)}`);
  for (const l of misses) console.log(l);
}

// ------------------------------------------------------------------------------------------------------------
// 3b. RouteLLM: quality against the share of strong-model calls

/** RFC 4180 CSV rows (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else q = false;
      } else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

interface Scored {
  /** The router's difficulty score (higher: send to the strong model first). */
  score: number;
  /** Quality of the weak and the strong model's answer (correct = 1, MT-Bench: judge score). */
  weak: number;
  strong: number;
  tier: Tier;
}

const STRONG = 'gpt-4-1106-preview';
const WEAK = 'mistralai/Mixtral-8x7B-Instruct-v0.1';

function contaminated(dir: string): Set<string> {
  const out = new Set<string>();
  const f = join(dir, 'contaminated_prompts.jsonl');
  if (!existsSync(f)) return out;
  for (const l of readFileSync(f, 'utf8').split('\n')) {
    if (!l.trim()) continue;
    try {
      out.add((JSON.parse(l) as { eval_prompt: string }).eval_prompt);
    } catch {
      // skipped
    }
  }
  return out;
}

function scorePrompt(prompt: string): { score: number; tier: Tier } {
  const a = assessComplexity({ request: prompt, selectionText: '' });
  return { score: a.score, tier: a.tier };
}

function fromCsv(file: string, skip: Set<string>): Scored[] {
  const rows = parseCsv(readFileSync(file, 'utf8'));
  const head = rows[0] ?? [];
  const pi = head.indexOf('prompt');
  const wi = head.indexOf(WEAK);
  const si = head.indexOf(STRONG);
  if (pi < 0 || wi < 0 || si < 0) return [];
  const out: Scored[] = [];
  for (const r of rows.slice(1)) {
    if (r.length < head.length || skip.has(r[pi]!)) continue;
    out.push({ ...scorePrompt(r[pi]!), weak: r[wi] === 'True' ? 1 : 0, strong: r[si] === 'True' ? 1 : 0 });
  }
  return out;
}

function curve(name: string, data: Scored[], unit: string): void {
  const n = data.length;
  const weakQ = data.reduce((a, d) => a + d.weak, 0) / n;
  const strongQ = data.reduce((a, d) => a + d.strong, 0) / n;
  // Rank by the router's score; ties in a fixed pseudo-random order (so a tie is no better than random).
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const ranked = data.map((d) => ({ d, t: rnd() })).sort((a, b) => b.d.score - a.d.score || a.t - b.t).map((x) => x.d);
  // Prefix sums: quality with the first k ranked prompts on the strong model, the rest on the weak one.
  const strongPrefix = [0];
  const weakPrefix = [0];
  for (const d of ranked) {
    strongPrefix.push(strongPrefix[strongPrefix.length - 1]! + d.strong);
    weakPrefix.push(weakPrefix[weakPrefix.length - 1]! + d.weak);
  }
  const qualityAt = (k: number) => (strongPrefix[k]! + weakPrefix[n]! - weakPrefix[k]!) / n;
  const randomAt = (k: number) => weakQ + (k / n) * (strongQ - weakQ);
  const fmt = (q: number) => (unit === '%' ? `${(100 * q).toFixed(1)}%` : q.toFixed(2));
  const shares = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  console.log(`\n  ${name}: ${n} prompts; weak (Mixtral 8x7B) ${fmt(weakQ)}, strong (GPT-4) ${fmt(strongQ)}`);
  console.log(`    GPT-4 calls   ${shares.map((s) => `${Math.round(s * 100)}%`.padStart(6)).join(' ')}`);
  console.log(`    Tierwise      ${shares.map((s) => fmt(qualityAt(Math.round(s * n))).padStart(6)).join(' ')}`);
  console.log(`    random        ${shares.map((s) => fmt(randomAt(Math.round(s * n))).padStart(6)).join(' ')}`);
  const target = 0.95 * strongQ;
  const need = (f: (k: number) => number) => {
    for (let k = 0; k <= n; k++) if (f(k) >= target - 1e-12) return k / n;
    return 1;
  };
  const ours = need(qualityAt);
  const rand = need(randomAt);
  const pgr = (f: (k: number) => number, p: number) => {
    const gap = strongQ - weakQ;
    if (gap <= 0) return 0;
    for (let k = 0; k <= n; k++) if ((f(k) - weakQ) / gap >= p - 1e-12) return k / n;
    return 1;
  };
  console.log(
    `    95% of GPT-4 quality (${fmt(target)}) needs ${pct(ours * n, n)} GPT-4 calls with Tierwise vs ${pct(rand * n, n)} random: ${(100 * (1 - ours)).toFixed(0)}% vs ${(100 * (1 - rand)).toFixed(0)}% fewer GPT-4 calls than all-GPT-4`,
  );
  console.log(`    CPT(50%) Tierwise ${pct(pgr(qualityAt, 0.5) * n, n)} vs random ${pct(pgr(randomAt, 0.5) * n, n)}; CPT(80%) Tierwise ${pct(pgr(qualityAt, 0.8) * n, n)} vs random ${pct(pgr(randomAt, 0.8) * n, n)}`);
  const complex = data.filter((d) => d.tier === 'complex').length;
  const distinct = new Set(data.map((d) => d.score)).size;
  console.log(`    Tierwise's own tiers: ${pct(data.filter((d) => d.tier === 'simple').length, n)} simple, ${pct(data.filter((d) => d.tier === 'medium').length, n)} medium, ${pct(complex, n)} complex; ${distinct} distinct scores`);
}

function routellm(): void {
  const root = process.env.TIERWISE_ROUTELLM_DIR;
  console.log('\nRouteLLM evaluation data (TIERWISE_ROUTELLM_DIR)');
  if (!root) {
    console.log('  not present: set TIERWISE_ROUTELLM_DIR to a local RouteLLM checkout (github.com/lm-sys/RouteLLM)');
    return;
  }
  const dir = [join(root, 'routellm', 'evals'), join(root, 'evals'), root].find((d) => existsSync(join(d, 'mmlu')) || existsSync(join(d, 'gsm8k')));
  if (!dir) {
    console.log(`  not present: no routellm/evals under ${root}`);
    return;
  }
  const mmluDir = join(dir, 'mmlu', 'responses');
  if (existsSync(mmluDir)) {
    const skip = contaminated(join(dir, 'mmlu'));
    const data = readdirSync(mmluDir)
      .filter((f) => f.endsWith('.csv'))
      .flatMap((f) => fromCsv(join(mmluDir, f), skip));
    if (data.length) curve('MMLU (decontaminated)', data, '%');
    else console.log('  MMLU: responses present but unreadable (LFS pointers?)');
  } else console.log('  MMLU: not present');
  const gsm = join(dir, 'gsm8k', 'gsm8k_responses.csv');
  if (existsSync(gsm)) {
    const data = fromCsv(gsm, contaminated(join(dir, 'gsm8k')));
    if (data.length) curve('GSM8K (decontaminated)', data, '%');
    else console.log('  GSM8K: file present but unreadable');
  } else console.log('  GSM8K: not present');
  const qf = join(dir, 'mt_bench', 'question.jsonl');
  const jf = join(dir, 'mt_bench', 'judgements.jsonl');
  if (existsSync(qf) && existsSync(jf)) {
    const skip = contaminated(join(dir, 'mt_bench'));
    const scores = new Map<string, number[]>();
    for (const l of readFileSync(jf, 'utf8').split('\n')) {
      if (!l.trim()) continue;
      const j = JSON.parse(l) as { question_id: number; model: string; score: number };
      const k = `${j.question_id}|${j.model}`;
      scores.set(k, [...(scores.get(k) ?? []), j.score]);
    }
    const mean = (xs: number[] | undefined) => (xs && xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
    const data: Scored[] = [];
    for (const l of readFileSync(qf, 'utf8').split('\n')) {
      if (!l.trim()) continue;
      const q = JSON.parse(l) as { question_id: number; turns: string[] };
      if (q.turns.some((t) => skip.has(t))) continue;
      const w = mean(scores.get(`${q.question_id}|${WEAK}`));
      const s = mean(scores.get(`${q.question_id}|${STRONG}`));
      if (w === undefined || s === undefined) continue;
      // Routed on the first turn, as RouteLLM does; the score is the mean judge score of both turns.
      data.push({ ...scorePrompt(q.turns[0] ?? ''), weak: w, strong: s });
    }
    if (data.length) curve('MT-Bench (judge score 1–10, routed on the first turn, decontaminated)', data, 'score');
  } else console.log('  MT-Bench: not present');
}

labelled();
speed();
litellm();
routellm();
