/**
 * Judge mode (`tierwise.routing.classifier: model`): when the local rules are unsure of a request, the simple-tier
 * model is asked which tier it needs, with a tiny max_tokens. Any error, timeout or unreadable reply keeps the local
 * decision. The call itself goes through the host's provider machinery; this module holds the prompt, the parsing
 * and the decision, with the judge injected so tests can drive it.
 */
import type { Clock } from '../clock';
import type { Tier } from '../types';
import type { Assessment } from './complexity';
import { JUDGE_CONFIDENCE } from './complexity';

export type Classifier = 'local' | 'model';
export const CLASSIFIERS: readonly Classifier[] = ['local', 'model'];

/** Output budget of the judge call: one word. */
export const JUDGE_MAX_TOKENS = 5;
export const JUDGE_TIMEOUT_MS = 3000;

export const JUDGE_SYSTEM = `You route requests made in a code editor to a model tier.
simple: lookup, extraction, conversion, classification.
medium: explanation, summary, rewriting, documentation.
complex: design, proof, refactoring, implementation, debugging, review, multi-step work.
Reply with one word: simple, medium or complex.`;

/** The judge's user message: the request and a description of the selection (its size and kind, not its text). */
export function judgePrompt(request: string, a: Pick<Assessment, 'kind' | 'features'>, languageId?: string): string {
  const lang = a.kind === 'code' && languageId ? ` ${languageId}` : '';
  return `Request: ${request.slice(0, 2000)}\nSelection: ${a.features.selectionTokens} tokens of${lang} ${a.kind}.`;
}

/** Reads a tier from the judge's reply ("Complex.", "medium", "复杂"); undefined when it names none or several. */
export function parseJudgeReply(text: string): Tier | undefined {
  const t = text.trim().toLowerCase();
  const hits: Tier[] = [];
  if (/\bsimple\b|简单/.test(t)) hits.push('simple');
  if (/\bmedium\b|中等/.test(t)) hits.push('medium');
  if (/\bcomplex\b|复杂/.test(t)) hits.push('complex');
  return hits.length === 1 ? hits[0] : undefined;
}

/** Calls the simple-tier model with the prompt; resolves to its reply text. Must honour the signal. */
export type JudgeFn = (prompt: { system: string; user: string; maxTokens: number }, signal: AbortSignal) => Promise<string>;

export interface JudgeDecision {
  tier: Tier;
  source: 'local' | 'judge';
  /** Why the local decision was kept, when the judge was asked and failed. */
  fallback?: 'error' | 'timeout' | 'unreadable';
  /** true when the judge was called (its cost must be recorded). */
  called: boolean;
}

/** Whether the judge should be asked about this assessment. */
export function needsJudge(classifier: Classifier, a: Pick<Assessment, 'confidence'>): boolean {
  return classifier === 'model' && a.confidence < JUDGE_CONFIDENCE;
}

/**
 * Asks the judge when the classifier is `model` and the local confidence is low; the local tier otherwise, and on
 * any error, timeout (driven by `clock`) or unreadable reply.
 */
export async function decideWithJudge(
  classifier: Classifier,
  a: Assessment,
  prompt: { request: string; languageId?: string },
  judge: JudgeFn,
  clock: Clock,
  timeoutMs = JUDGE_TIMEOUT_MS,
): Promise<JudgeDecision> {
  if (!needsJudge(classifier, a)) return { tier: a.tier, source: 'local', called: false };
  const controller = new AbortController();
  const stopTimer = new AbortController();
  const timeout = clock.sleep(timeoutMs, stopTimer.signal).then(
    () => 'timeout' as const,
    () => 'stopped' as const,
  );
  try {
    const reply = await Promise.race([
      judge({ system: JUDGE_SYSTEM, user: judgePrompt(prompt.request, a, prompt.languageId), maxTokens: JUDGE_MAX_TOKENS }, controller.signal),
      timeout,
    ]);
    if (reply === 'timeout' || reply === 'stopped') {
      controller.abort();
      return { tier: a.tier, source: 'local', fallback: 'timeout', called: true };
    }
    const tier = parseJudgeReply(reply);
    if (!tier) return { tier: a.tier, source: 'local', fallback: 'unreadable', called: true };
    return { tier, source: 'judge', called: true };
  } catch {
    return { tier: a.tier, source: 'local', fallback: 'error', called: true };
  } finally {
    stopTimer.abort();
  }
}
