import type { ChatRequest, ProviderId } from '../types';
import type { TokenCount, TokenCounter } from './client';

/**
 * Per-message framing overhead, in tokens, of what is really sent.
 * - OpenAI (chat completions, documented in OpenAI's cookbook "How to count tokens"): every message costs 3 tokens
 *   (`<|start|>{role}\n … <|end|>`), the role name is counted as text, and the reply is primed with 3 tokens
 *   (`<|start|>assistant<|message|>`).
 * - DashScope/Qwen (ChatML: `<|im_start|>{role}\n{content}<|im_end|>\n`): 5 tokens per message including the role,
 *   plus 3 for `<|im_start|>assistant\n`.
 * - Anthropic: not published; we use the same 3 per message + 3 as OpenAI and mark the total as an estimate. The
 *   provider's count_tokens endpoint gives the exact number.
 * - OpenAI-compatible local servers: chat templates vary by model; OpenAI's numbers are used as an estimate.
 */
export interface Framing {
  perMessage: number;
  /** Count the role name as text (OpenAI); Qwen's perMessage already includes it. */
  countRole: boolean;
  replyPriming: number;
}

export const FRAMING: Record<ProviderId, Framing> = {
  openai: { perMessage: 3, countRole: true, replyPriming: 3 },
  anthropic: { perMessage: 3, countRole: true, replyPriming: 3 },
  dashscope: { perMessage: 5, countRole: false, replyPriming: 3 },
  openaiCompatible: { perMessage: 3, countRole: true, replyPriming: 3 },
};

export interface RequestCount extends TokenCount {
  /** Tokens of the text parts alone. */
  content: number;
  /** Framing tokens added on top. */
  framing: number;
  /** Tokens per part, in the order sent: system first (when present), then each message. */
  parts: number[];
}

/** An exact counter from the provider (e.g. Anthropic's count_tokens endpoint via Provider.countTokens). */
export type ProviderTokenCounter = (req: ChatRequest) => Promise<number>;

/**
 * Tokens of everything a request sends: system prompt, every message (few-shot examples included), plus framing.
 * When `providerCount` is given (and works), its number wins and is exact.
 */
export async function countRequest(counter: TokenCounter, req: ChatRequest, providerCount?: ProviderTokenCounter): Promise<RequestCount> {
  const local = await countRequestLocally(counter, req);
  if (providerCount) {
    try {
      const tokens = await providerCount(req);
      return { ...local, tokens, exact: true, method: 'provider' };
    } catch {
      // fall back to the local count
    }
  }
  return local;
}

export async function countRequestLocally(counter: TokenCounter, req: ChatRequest): Promise<RequestCount> {
  const texts: { role: string; content: string }[] = [];
  if (req.system) texts.push({ role: 'system', content: req.system });
  for (const m of req.messages) texts.push(m);
  const framing = FRAMING[req.provider];
  const counts = await Promise.all(texts.map((t) => counter.count(req.provider, req.model, t.content)));
  const parts = counts.map((c) => c.tokens);
  const content = parts.reduce((a, b) => a + b, 0);
  const frame = texts.length * framing.perMessage + (framing.countRole ? texts.length : 0) + framing.replyPriming;
  const first = counts[0];
  return {
    tokens: content + frame,
    exact: counts.every((c) => c.exact) && req.provider === 'openai',
    method: first?.method ?? (req.provider === 'openai' ? 'tiktoken-o200k' : 'estimate'),
    content,
    framing: frame,
    parts,
  };
}

/** Synchronous approximate total, for the first paint before the worker has answered. */
export function approximateRequest(counter: TokenCounter, req: ChatRequest): RequestCount {
  const texts: string[] = [];
  if (req.system) texts.push(req.system);
  for (const m of req.messages) texts.push(m.content);
  const framing = FRAMING[req.provider];
  const parts = texts.map((t) => counter.approximate(req.provider, req.model, t).tokens);
  const content = parts.reduce((a, b) => a + b, 0);
  const frame = texts.length * framing.perMessage + (framing.countRole ? texts.length : 0) + framing.replyPriming;
  return { tokens: content + frame, exact: false, method: 'estimate', content, framing: frame, parts };
}
