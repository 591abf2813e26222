import type { ChatMessage, ChatRequest, ProviderId } from '../types';
import { messageText, toolsText, unmarked } from '../types';

/**
 * Prompt caching. Anthropic caches a prefix only where the request marks it (cache_control, at most 4 marks) and
 * only when that prefix is long enough; OpenAI and DashScope cache repeated prefixes of ≥1024 tokens by
 * themselves, so for them all that matters is that the stable part comes first.
 */

export const MAX_CACHE_BREAKPOINTS = 4;

/**
 * Smallest prefix Anthropic will cache for a model (below it the request works but nothing is cached):
 * 2048 for Haiku 3 / 3.5, 4096 for Haiku 4.5 and Opus 4.5+, 1024 for Sonnet and the other Opus models.
 * Other providers: 1024 (OpenAI's and DashScope's automatic caching threshold).
 */
export function minCacheableTokens(provider: ProviderId, model: string): number {
  if (provider !== 'anthropic') return 1024;
  const m = model.toLowerCase();
  if (m.includes('haiku')) {
    // Haiku 4.5 and later: 4096; Haiku 3 / 3.5: 2048.
    return /haiku-[4-9]|[4-9]-\d-haiku/.test(m) ? 4096 : 2048;
  }
  if (/opus-4-[5-9]|opus-4\.[5-9]|opus-[5-9]|fable|mythos/.test(m)) return 4096;
  return 1024;
}

/**
 * DashScope models with an explicit (cache_control) context cache, as Model Studio's "Context cache" page lists
 * them (qwen4-max: its own model page, checked 2026-12-07); dated snapshots and "-latest" of these ids count too.
 * Other models get the implicit cache only.
 */
export const DASHSCOPE_EXPLICIT_CACHE_MODELS: readonly string[] = ['qwen-max', 'qwen-plus', 'qwen-flash', 'qwen3-coder-plus', 'qwen3-coder-flash', 'qwen4-max'];

export function supportsDashScopeExplicitCache(model: string): boolean {
  const m = model.trim().toLowerCase().replace(/^dashscope\//, '');
  return DASHSCOPE_EXPLICIT_CACHE_MODELS.some((id) => {
    if (m === id || m === `${id}-latest`) return true;
    return m.startsWith(`${id}-`) && /^\d{4}-\d{2}-\d{2}$/.test(m.slice(id.length + 1));
  });
}

/**
 * A small in-memory record of recently sent prompt prefixes, by hash only (never the text), so that a cache write
 * (which costs a premium on Anthropic) is paid only for a prefix likely to be read again. Entries expire after
 * `ttlMs` (default one hour) and at most `max` (default 256) are kept, oldest dropped first.
 */
export class PrefixMemory {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 60 * 60_000,
    private readonly max = 256,
  ) {}

  /** true when `key` was noted before (and has not expired); notes it either way. */
  seenBefore(key: string): boolean {
    const t = this.now();
    const last = this.seenAt.get(key);
    const seen = last !== undefined && t - last <= this.ttlMs;
    this.seenAt.delete(key);
    this.seenAt.set(key, t);
    while (this.seenAt.size > this.max) this.seenAt.delete(this.seenAt.keys().next().value as string);
    return seen;
  }

  get size(): number {
    return this.seenAt.size;
  }
}

/** A 64-bit hash of the prefix text as 16 hex digits: two 32-bit FNV-1a-style lanes with different seeds and primes. */
export function prefixHash(parts: readonly string[]): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193) >>> 0;
      b = Math.imul(b ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0;
    }
    a = Math.imul(a ^ 0x1f, 0x01000193) >>> 0; // separator between parts
    b = Math.imul(b ^ 0x1f, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** The hash identifying a request's prefix up to and including message `upTo` (-1: the system prompt only). */
export function requestPrefixKey(req: ChatRequest, upTo: number): string {
  const parts = [req.provider, req.model, toolsText(req.tools), req.system ?? ''];
  for (let i = 0; i <= upTo && i < req.messages.length; i++) parts.push(req.messages[i]!.role, messageText(req.messages[i]!));
  return prefixHash(parts);
}

export interface CachingOptions {
  /** `tierwise.cache.enabled`; when false the request is returned unchanged (DashScope: without cache marks). */
  enabled: boolean;
  /** Minimum cacheable prefix in tokens for the model (see `minCacheableTokens`). */
  minTokens: number;
  /** Token count of a piece of text (an estimate is fine). */
  countTokens(text: string): number;
  /** Breakpoints to use at most (default and maximum 4). */
  maxBreakpoints?: number;
  /** Recently sent prefixes; needed for `cachePolicy: 'whenSeen'` (without it such requests are not marked). */
  memory?: PrefixMemory;
}

/**
 * Marks the stable prefix of an Anthropic request with cache breakpoints: after the system prompt and after
 * earlier messages (few-shot examples, a long shared document, the conversation so far) — never after the last
 * message, which is the new question, unless that message is itself `stable` (an editor request about a selection
 * with no question: the whole prompt is the prefix). Only positions whose prefix reaches `minTokens` are marked (a
 * shorter prefix cannot be cached, and marking it would buy nothing), at most 4 in all counting breakpoints already
 * present. Preference: the longest prefix, the system prompt (the most stable), then the ends of the largest blocks.
 *
 * `cachePolicy: 'whenSeen'` (simple-tier editor tasks): the first time a prefix is sent nothing is marked, so no
 * write premium is paid for a prefix that is probably used once; from the second time on it is marked as usual.
 *
 * DashScope models with an explicit cache (see `supportsDashScopeExplicitCache`) are marked the same way; their
 * provider sends the marks as `cache_control` on content parts. For OpenAI, other DashScope models and compatible
 * servers the request is returned as it is (caching is automatic and the request already puts the system prompt
 * and history before the question); cache marks are dropped.
 */
export function applyPromptCaching(req: ChatRequest, o: CachingOptions): ChatRequest {
  if (req.provider === 'dashscope') {
    // DashScope's explicit cache takes Anthropic's marks (cache_control on content blocks, at most 4, a prefix of
    // at least 1,024 tokens): the same placement, existing marks kept. Batch calls get no cache discount. With
    // caching switched off, or on a model without an explicit cache, no mark is sent (marks from a prompt file or
    // the editor included).
    if (!o.enabled || req.batch || !supportsDashScopeExplicitCache(req.model)) return withoutCacheMarks(req);
    const marked = applyPromptCaching({ ...req, provider: 'anthropic' }, o);
    return dashscopeMarksThatCache({ ...marked, provider: req.provider }, o);
  }
  if (!o.enabled) return withoutCacheMarks(req); // off: no breakpoint at all, a prompt file's included
  if (req.provider !== 'anthropic') {
    if (!req.systemCacheBreakpoint && !req.messages.some((m) => m.cacheBreakpoint)) return req;
    return {
      ...req,
      systemCacheBreakpoint: undefined,
      messages: req.messages.map(unmarked),
    };
  }

  const max = Math.min(MAX_CACHE_BREAKPOINTS, o.maxBreakpoints ?? MAX_CACHE_BREAKPOINTS);
  const existing = (req.systemCacheBreakpoint ? 1 : 0) + req.messages.filter((m) => m.cacheBreakpoint).length;
  let slots = max - existing;
  if (slots <= 0) return req;

  // Positions: -1 = after the system prompt, i = after message i (the last message is excluded).
  interface Pos {
    index: number;
    prefixTokens: number;
    blockTokens: number;
    marked: boolean;
  }
  const positions: Pos[] = [];
  // Tool definitions come first on the wire (Anthropic: tools, system, messages): every breakpoint covers them.
  let cumulative = req.tools?.length ? o.countTokens(toolsText(req.tools)) : 0;
  if (req.system) {
    const t = o.countTokens(req.system);
    cumulative += t;
    positions.push({ index: -1, prefixTokens: cumulative, blockTokens: t, marked: !!req.systemCacheBreakpoint });
  }
  const lastIndex = req.messages.length - 1;
  const upTo = req.messages[lastIndex]?.stable ? req.messages.length : lastIndex;
  for (let i = 0; i < upTo; i++) {
    const m = req.messages[i]!;
    const t = o.countTokens(messageText(m));
    cumulative += t;
    positions.push({ index: i, prefixTokens: cumulative, blockTokens: t, marked: !!m.cacheBreakpoint });
  }
  const eligible = positions.filter((p) => p.prefixTokens >= o.minTokens && !p.marked);
  if (eligible.length === 0) return req;
  if (req.cachePolicy === 'whenSeen') {
    const longest = eligible[eligible.length - 1]!;
    if (!o.memory || !o.memory.seenBefore(requestPrefixKey(req, longest.index))) return req;
  } else if (o.memory) {
    o.memory.seenBefore(requestPrefixKey(req, eligible[eligible.length - 1]!.index));
  }

  const chosen = new Set<number>();
  const choose = (p: Pos | undefined) => {
    if (p && slots > 0 && !chosen.has(p.index)) {
      chosen.add(p.index);
      slots--;
    }
  };
  choose(eligible[eligible.length - 1]);
  choose(eligible.find((p) => p.index === -1));
  for (const p of [...eligible].sort((a, b) => b.blockTokens - a.blockTokens)) choose(p);

  const messages: ChatMessage[] = req.messages.map((m, i) => (chosen.has(i) ? { ...m, cacheBreakpoint: true } : m));
  return { ...req, systemCacheBreakpoint: req.systemCacheBreakpoint || chosen.has(-1) || undefined, messages };
}

/**
 * DashScope: a request with explicit marks gets no implicit-cache hits, so a mark on a prefix shorter than the
 * minimum (which caches nothing) is dropped, as are marks past the 4th (the last, longest, ones are kept). With no
 * mark left the request goes unmarked and the implicit cache applies.
 */
function dashscopeMarksThatCache(req: ChatRequest, o: CachingOptions): ChatRequest {
  let cumulative = 0;
  const keep: number[] = []; // -1 = the system prompt, i = message i
  if (req.system) {
    cumulative += o.countTokens(req.system);
    if (req.systemCacheBreakpoint && cumulative >= o.minTokens) keep.push(-1);
  }
  req.messages.forEach((m, i) => {
    cumulative += o.countTokens(messageText(m));
    if (m.cacheBreakpoint && cumulative >= o.minTokens) keep.push(i);
  });
  const kept = new Set(keep.slice(-MAX_CACHE_BREAKPOINTS));
  if (kept.size === countCacheBreakpoints(req)) return req;
  return {
    ...req,
    systemCacheBreakpoint: kept.has(-1) || undefined,
    messages: req.messages.map((m, i) => (kept.has(i) ? m : unmarked(m))),
  };
}

/** The request without any cache breakpoint (`tierwise.cache.enabled` off: nothing cached, no write premium). */
export function withoutCacheMarks(req: ChatRequest): ChatRequest {
  if (!countCacheBreakpoints(req)) return req;
  return { ...req, systemCacheBreakpoint: undefined, messages: req.messages.map(unmarked) };
}

/** Counts the cache breakpoints of a request. */
export function countCacheBreakpoints(req: ChatRequest): number {
  return (req.systemCacheBreakpoint ? 1 : 0) + req.messages.filter((m) => m.cacheBreakpoint).length;
}

/**
 * Orders the parts of a prompt so the stable ones come first, which is what makes automatic prefix caching
 * (OpenAI, DashScope) and explicit breakpoints (Anthropic) hit: shared context (documents, examples) before the
 * conversation so far, before the new question.
 */
export function stableFirst(parts: { shared?: ChatMessage[]; history?: ChatMessage[]; question: ChatMessage }): ChatMessage[] {
  return [...(parts.shared ?? []), ...(parts.history ?? []), parts.question];
}
