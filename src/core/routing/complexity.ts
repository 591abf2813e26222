/**
 * The local complexity router for free-form requests (Ask About Selection, and tasks whose tier is `auto`).
 *
 * It reads what the request asks (its intents, clause by clause, in English and Chinese), how many steps it asks
 * for, what the selection is (code or prose, its language and size) and how long an answer it expects, and gives a
 * tier, a max_tokens sized for that answer, a confidence, and the signals behind the decision in words.
 * Pure and synchronous: no network, no model call, no vscode. The features it returns hold numbers only, never the
 * text, so they can be stored to learn from the user.
 */
import type { Tier } from '../types';
import { TIERS } from '../types';
import { clauseIntents, INTENTS, intentAnswer, intentNoun, intentTier, LONG_ANSWER, NUMBERED, SHORT_ANSWER, type Intent } from './intents';
import { formatCount, roughTokens } from './text';
import { english, joined, msg, type Message, type MessageArg } from '../messages';

/** The languages a selection may be in, by VS Code language id. Everything else not prose counts as code. */
const PROSE_LANGUAGES = new Set(['plaintext', 'markdown', 'text', 'latex', 'restructuredtext', 'asciidoc', '']);
const DATA_LANGUAGES = new Set(['json', 'jsonc', 'yaml', 'toml', 'xml', 'csv', 'ini', 'properties', 'env']);

export type SelectionKind = 'code' | 'data' | 'prose';

export interface ComplexityInput {
  /** The user's request (the question), or for an `auto` task its label and question. */
  request: string;
  selectionText: string;
  /** Tokens of the selection as counted by the host; counted roughly when not given. */
  selectionTokens?: number;
  languageId?: string;
}

/**
 * What the router saw, as numbers only (safe to store). `vector()` turns it into the vector used for learning.
 */
export interface ComplexityFeatures {
  /** Index into INTENTS of the main (hardest) intent, or -1 when none was recognised. */
  intent: number;
  /** Number of recognised intents per tier, [simple, medium, complex]. */
  tierHits: [number, number, number];
  steps: number;
  selectionTokens: number;
  requestTokens: number;
  kind: 0 | 1 | 2;
  /** 1 when the request is mostly Chinese. */
  cjk: 0 | 1;
  /** -1 asks for a short answer, 1 for a long one, 0 neither. */
  length: -1 | 0 | 1;
  expectedTokens: number;
}

export interface Assessment {
  tier: Tier;
  /** 0..1: how sure the rules are. Below JUDGE_CONFIDENCE the judge (if enabled) is asked. */
  confidence: number;
  /** Output budget for the expected answer. */
  maxTokens: number;
  /** The answer length the router expects, in tokens. */
  expectedTokens: number;
  intents: Intent[];
  steps: number;
  kind: SelectionKind;
  features: ComplexityFeatures;
  /** The signals for users, for the reason line: "asks for a proof and an implementation (2 steps)". */
  signalMsgs: Message[];
  /** The same in English (`english` of each), for benches and logs. */
  signals: string[];
  /** A continuous difficulty score (higher = harder), for ranking in benchmarks. */
  score: number;
}

/** Below this confidence the judge, if enabled, decides. */
export const JUDGE_CONFIDENCE = 0.6;

const KIND_INDEX: Record<SelectionKind, 0 | 1 | 2> = { prose: 0, data: 1, code: 2 };

export function selectionKind(languageId: string | undefined, text: string): SelectionKind {
  const lang = (languageId ?? '').trim().toLowerCase();
  if (DATA_LANGUAGES.has(lang)) return 'data';
  if (lang && !PROSE_LANGUAGES.has(lang)) return 'code';
  if (lang && lang !== 'plaintext' && lang !== 'text') return 'prose';
  // Untitled or plain text: sniff a sample for code punctuation.
  const sample = text.slice(0, 2000);
  if (/^\s*[[{]/.test(sample) && /[}\]]\s*$/.test(sample.trimEnd())) return 'data';
  const codeMarks = (sample.match(/[{};=<>()]|=>|\b(function|def|class|return|import|const|let|var|public|fn)\b/g) ?? []).length;
  return codeMarks > Math.max(6, sample.length / 40) ? 'code' : 'prose';
}

function isMostlyCjk(s: string): boolean {
  let cjk = 0;
  let latin = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x4e00 && c <= 0x9fff) cjk++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
  }
  return cjk > 0 && cjk * 3 >= latin;
}

function tierIndex(t: Tier): number {
  return TIERS.indexOf(t);
}

/** "a, b and c", in the language of the messages. */
function words(list: readonly Message[]): MessageArg {
  if (list.length <= 1) return list[0] ?? '';
  return msg('routing.list.and', joined(list.slice(0, -1), msg('routing.separator.comma')), list[list.length - 1]!);
}

/** The size and kind of a selection: "5,000-token typescript selection". */
function selectionSize(tokens: number, kind: SelectionKind, languageId: string | undefined): Message {
  const n = formatCount(tokens);
  if (kind === 'data') return msg('routing.signal.size.data', n);
  if (kind === 'prose') return msg('routing.signal.size.prose', n);
  const lang = (languageId ?? '').trim();
  return lang ? msg('routing.signal.size.code', n, lang) : msg('routing.signal.size.anyCode', n);
}

/** The answer a request expects, in tokens, from its main intent, the selection size and any length cue. */
function expectedAnswer(intent: Intent | undefined, selectionTokens: number, steps: number, length: -1 | 0 | 1): number {
  let n = intent ? intentAnswer(intent, Math.max(0, selectionTokens)) : 500;
  if (steps > 1) n = Math.round(n * (1 + 0.4 * (steps - 1)));
  if (length < 0) n = Math.min(n, intent === 'conversion' || intent === 'rewriting' ? n : 150);
  if (length > 0) n = Math.round(n * 1.6);
  return Math.max(16, n);
}

/** Assesses a free-form request. Deterministic; a few tens of microseconds for an ordinary question. */
export function assessComplexity(input: ComplexityInput): Assessment {
  const request = input.request.slice(0, 4000);
  const selectionTokens = Math.max(0, input.selectionTokens ?? roughTokens(input.selectionText));
  const kind = selectionKind(input.languageId, input.selectionText);
  const cjk = isMostlyCjk(request);
  const length: -1 | 0 | 1 = SHORT_ANSWER.test(request) ? -1 : LONG_ANSWER.test(request) ? 1 : 0;

  const numbered = (request.match(NUMBERED) ?? []).length;
  const found = clauseIntents(request);
  const intentClauses = found.length;
  const steps = Math.max(intentClauses, numbered, found.length ? 1 : 0);
  const distinct = [...new Set(found)];
  const tierHits: [number, number, number] = [0, 0, 0];
  for (const i of found) tierHits[tierIndex(intentTier(i))]++;

  // The main intent: the hardest one asked for.
  const main = distinct.reduce<Intent | undefined>(
    (best, i) => (best === undefined || tierIndex(intentTier(i)) > tierIndex(intentTier(best)) ? i : best),
    undefined,
  );
  const requestTokens = roughTokens(request);
  const signals: Message[] = [];
  let tier: Tier;
  let confidence: number;
  let score: number;
  // What the request asks for, at the tier it needs ("a proof and an implementation"); worded once the steps are known.
  const asked = main ? words(distinct.filter((i) => intentTier(i) === intentTier(main)).map((i) => intentNoun(i))) : undefined;

  if (main) {
    tier = intentTier(main);
    const mixed = tierHits.filter((h) => h > 0).length > 1;
    confidence = mixed ? 0.7 : 0.9;
    score = tierIndex(tier) * 10 + steps;
  } else {
    tier = 'medium';
    confidence = 0.35;
    score = 10;
  }

  // Several steps make a small job a bigger one.
  const multiStep = steps >= 3 && tier !== 'complex';
  if (multiStep) {
    tier = 'complex';
    confidence = Math.min(confidence, 0.75);
    score += 10;
  } else if (steps === 2 && tier === 'simple' && tierHits[0] < 2) {
    tier = 'medium';
    confidence = Math.min(confidence, 0.65);
  }
  if (asked === undefined) signals.push(multiStep ? msg('routing.signal.noClearTaskMultiStep', steps) : msg('routing.signal.noClearTask'));
  else if (multiStep) signals.push(msg('routing.signal.asksForMultiStep', asked, steps));
  else signals.push(steps > 1 ? msg('routing.signal.asksForSteps', asked, steps) : msg('routing.signal.asksFor', asked));

  // The selection: a long stretch of code to explain or document is real work; a tiny lookup stays simple.
  const size = selectionSize(selectionTokens, kind, input.languageId);
  const longCode = tier === 'medium' && kind === 'code' && selectionTokens > 3000 && (main === 'explanation' || main === 'documentation');
  const longOther = tier === 'simple' && selectionTokens > 6000 && main !== 'lookup' && main !== 'classification';
  if (longCode || longOther) {
    tier = longCode ? 'complex' : 'medium';
    signals.push(msg('routing.signal.longSelection', size));
    confidence = Math.min(confidence, 0.6);
    score += 5;
  } else if (!main && selectionTokens > 2000) {
    signals.push(msg('routing.signal.selection', size));
  }
  // An unclear request with detailed requirements: lean up.
  if (!main && requestTokens > 60) {
    tier = 'complex';
    signals.push(msg('routing.signal.longRequest', formatCount(requestTokens)));
    score += 8;
  }
  if (length !== 0) signals.push(length < 0 ? msg('routing.signal.shortAnswer') : msg('routing.signal.detailedAnswer'));
  score += Math.log2(1 + selectionTokens) / 4 + Math.log2(1 + requestTokens) / 4 + length;

  const expectedTokens = expectedAnswer(main, selectionTokens, steps, length);
  const maxTokens = Math.min(16_000, Math.max(32, Math.ceil((expectedTokens * 1.5) / 16) * 16));
  const features: ComplexityFeatures = {
    intent: main ? INTENTS.indexOf(main) : -1,
    tierHits,
    steps,
    selectionTokens,
    requestTokens,
    kind: KIND_INDEX[kind],
    cjk: cjk ? 1 : 0,
    length,
    expectedTokens,
  };
  return { tier, confidence, maxTokens, expectedTokens, intents: distinct, steps, kind, features, signalMsgs: signals, signals: signals.map(english), score };
}

/** The feature vector used for nearest-neighbour learning (each coordinate roughly in 0..1). */
export function featureVector(f: ComplexityFeatures): number[] {
  const hits = f.tierHits[0] + f.tierHits[1] + f.tierHits[2] || 1;
  return [
    f.tierHits[0] / hits,
    f.tierHits[1] / hits,
    f.tierHits[2] / hits,
    Math.min(1, (f.steps - 1) / 4),
    Math.min(1, Math.log2(1 + f.selectionTokens) / 16),
    Math.min(1, Math.log2(1 + f.requestTokens) / 10),
    f.kind / 2,
    (f.length + 1) / 2,
  ];
}

/** Checks a stored feature object (from global state, which may be old or edited). */
export function isComplexityFeatures(v: unknown): v is ComplexityFeatures {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  return (
    num(f.intent) &&
    Array.isArray(f.tierHits) &&
    f.tierHits.length === 3 &&
    f.tierHits.every(num) &&
    num(f.steps) &&
    num(f.selectionTokens) &&
    num(f.requestTokens) &&
    num(f.kind) &&
    num(f.cjk) &&
    num(f.length) &&
    num(f.expectedTokens)
  );
}
