import type { ChatRequest, ProviderId } from '../types';
import { messageText, toolsText } from '../types';
import type { TokenCount, TokenCounter } from './client';

/**
 * Per-message framing overhead, in tokens, of what is really sent.
 * - OpenAI (chat completions, documented in OpenAI's cookbook "How to count tokens"): every message costs 3 tokens
 *   (`<|start|>{role}\n … <|end|>`), the role name is counted as text, and the reply is primed with 3 tokens
 *   (`<|start|>assistant<|message|>`).
 * - DashScope/Qwen (ChatML: `<|im_start|>{role}\n{content}<|im_end|>\n`): `<|im_start|>`, the role (one token for
 *   system, user and assistant), `<|im_end|>` and the newline after it are 4 tokens per message; the newline after
 *   the role is counted with the content (it can merge with a content that starts with blanks or newlines), plus 3
 *   for `<|im_start|>assistant\n`. With no system message DashScope inserts its default one
 *   (DASHSCOPE_DEFAULT_SYSTEM, 11 tokens with its markers): a lone user message "你是谁？" is billed 22 prompt tokens.
 * - Anthropic: not published; we use the same 3 per message + 3 as OpenAI and mark the total as an estimate. The
 *   provider's count_tokens endpoint gives the exact number.
 * - OpenAI-compatible local servers: chat templates vary by model; OpenAI's numbers are used as an estimate.
 */
export interface Framing {
  perMessage: number;
  /** Count the role name as text (OpenAI); Qwen's perMessage already includes it. */
  countRole: boolean;
  replyPriming: number;
  /** ChatML: the newline after the role is counted together with the content. */
  newlineWithContent?: boolean;
  /** Inserted by the provider when the request has no system message. */
  defaultSystem?: string;
}

/** The system prompt DashScope adds to a request that has none. */
export const DASHSCOPE_DEFAULT_SYSTEM = 'You are a helpful assistant.';

export const FRAMING: Record<ProviderId, Framing> = {
  openai: { perMessage: 3, countRole: true, replyPriming: 3 },
  anthropic: { perMessage: 3, countRole: true, replyPriming: 3 },
  dashscope: { perMessage: 4, countRole: false, replyPriming: 3, newlineWithContent: true, defaultSystem: DASHSCOPE_DEFAULT_SYSTEM },
  openaiCompatible: { perMessage: 3, countRole: true, replyPriming: 3 },
};

export interface RequestCount extends TokenCount {
  /** Tokens of the text parts alone (for ChatML, each with the newline after its role). */
  content: number;
  /** Framing tokens added on top (for a calibrated estimate, scaled with it: `tokens` − `content`). */
  framing: number;
  /** Tokens per part, in the order sent: system first (when present), then each message. */
  parts: number[];
}

/** Tokens of everything a request sends: system prompt, every message (few-shot examples included), plus framing. */
export async function countRequestLocally(counter: TokenCounter, req: ChatRequest): Promise<RequestCount> {
  const framing = FRAMING[req.provider];
  const texts = messageTexts(req);
  const counts = await Promise.all(texts.map((t) => counter.count(req.provider, req.model, t)));
  const implicit = framing.defaultSystem !== undefined && !req.system ? await counter.count(req.provider, req.model, withNewline(framing, framing.defaultSystem)) : undefined;
  const parts = counts.map((c) => c.tokens);
  const content = parts.reduce((a, b) => a + b, 0);
  const frame = framingTokens(framing, texts.length, implicit?.tokens);
  const first = counts[0];
  const exact = counts.every((c) => c.exact) && (implicit?.exact ?? true) && (req.provider === 'openai' || req.provider === 'dashscope');
  const method = first?.method ?? (req.provider === 'openai' ? 'tiktoken-o200k' : 'estimate');
  const cal = first?.calibration;
  if (!cal) return { tokens: content + frame, exact, method, content, framing: frame, parts };
  // A calibrated estimate: the factor was fitted on whole requests (framing included), so it scales the whole
  // uncorrected total, which is also what a calibration sample records (calibration.ts).
  const before = (c: TokenCount | undefined) => c?.calibration?.uncorrected ?? c?.tokens;
  const uncorrected = counts.reduce((a, c) => a + (before(c) ?? 0), 0) + framingTokens(framing, texts.length, before(implicit));
  const tokens = cal.calibrated ? Math.max(1, Math.round(uncorrected * cal.factor)) : uncorrected;
  return { tokens, exact, method, content, framing: tokens - content, parts, calibration: { ...cal, uncorrected } };
}

/** Synchronous approximate total, for the first paint before the worker has answered. */
export function approximateRequest(counter: TokenCounter, req: ChatRequest): RequestCount {
  const framing = FRAMING[req.provider];
  const texts = messageTexts(req);
  const parts = texts.map((t) => counter.approximate(req.provider, req.model, t).tokens);
  const implicit = framing.defaultSystem !== undefined && !req.system ? counter.approximate(req.provider, req.model, withNewline(framing, framing.defaultSystem)).tokens : undefined;
  const content = parts.reduce((a, b) => a + b, 0);
  const frame = framingTokens(framing, texts.length, implicit);
  return { tokens: content + frame, exact: false, method: 'estimate', content, framing: frame, parts };
}

/** The texts counted per message, in the order sent: system first (when present), then each message. */
function messageTexts(req: ChatRequest): string[] {
  const framing = FRAMING[req.provider];
  const texts: string[] = [];
  if (req.tools?.length) texts.push(toolsText(req.tools));
  if (req.system) texts.push(withNewline(framing, req.system));
  for (const m of req.messages) texts.push(withNewline(framing, messageText(m)));
  return texts;
}

function withNewline(framing: Framing, content: string): string {
  return framing.newlineWithContent ? `\n${content}` : content;
}

/** Framing tokens of `messages` messages; `implicitSystem`: tokens of the provider's default system text. */
function framingTokens(framing: Framing, messages: number, implicitSystem: number | undefined): number {
  const perMessage = framing.perMessage + (framing.countRole ? 1 : 0);
  const implicit = implicitSystem === undefined ? 0 : perMessage + implicitSystem;
  return messages * perMessage + framing.replyPriming + implicit;
}
