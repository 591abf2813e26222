/**
 * A local HTTP server that speaks the providers' real wire formats (OpenAI Chat Completions, DashScope
 * compatible mode, Anthropic Messages), so that the official SDKs can be driven over real HTTP.
 *
 * Scenario choice for a request, first match wins:
 *   1. request header `x-fake-scenario` (JSON of a Scenario),
 *   2. a model named `fake-<kind>` / `fake-error-<status>`,
 *   3. the FIFO queue filled by `enqueue` / `POST /__fake/scenarios`,
 *   4. 'ok'.
 * Rate limits set with `setLimits` are checked before the scenario and answer 429 past the limit, per protocol and
 * model (as providers limit each model apart); every answer carries the provider's rate-limit headers.
 *
 * Token arithmetic (deterministic, so tests can compute expected costs): see `countTokens`.
 *
 * Batches (minimal): Anthropic `POST /v1/messages/batches`, `GET …/{id}`, `GET …/{id}/results`, `POST …/{id}/cancel`;
 * OpenAI and DashScope `POST {base}/files` (multipart), `GET {base}/files/{id}/content`, `POST {base}/batches`,
 * `GET {base}/batches/{id}`, `POST {base}/batches/{id}/cancel`. Each request of a batch is answered when the batch
 * is created, taking the next queued scenario ('ok' or 'error'); the batch reports in progress at creation and
 * ended / completed from the first retrieval on. DashScope batch ids, file ids and answer bodies take its shapes.
 *
 * Caches: Anthropic prefixes up to the last cache_control block (written, then read); DashScope's explicit cache
 * the same way when the request carries cache_control parts (prefix ≥1,024 tokens, usage with
 * `cache_creation_input_tokens`, `cached_tokens` and `cache_type: "ephemeral"`); otherwise the implicit prefix
 * cache of OpenAI and DashScope (`prompt_tokens_details.cached_tokens`).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  at: number;
}

/**
 * - reset: the connection is destroyed before any response header;
 * - html: an HTML error page (status default 404), as a proxy or a wrong base URL answers.
 */
export type ScenarioKind = 'ok' | 'error' | 'reset' | 'dropMidStream' | 'malformed' | 'stall' | 'html';
export type FakeErrorType =
  | 'rate_limit'
  | 'insufficient_quota'
  | 'context_length'
  | 'overloaded'
  | 'server'
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'bad_request';

export interface Scenario {
  kind: ScenarioKind;
  /** For kind 'error'. Default: derived from errorType (or 500). */
  status?: number;
  /** For kind 'error'. Default: derived from status. */
  errorType?: FakeErrorType;
  /** Extra response headers, e.g. { 'retry-after': '2' } or { 'retry-after-ms': '1500' }, 'x-should-retry'. */
  headers?: Record<string, string>;
  /** Answer text; default: a deterministic markdown answer (with a code block) that mentions the model. */
  text?: string;
  /** Characters per text delta (default 8). */
  chunkSize?: number;
  /** Delay between chunks in ms (default 0). */
  chunkDelayMs?: number;
  /**
   * For dropMidStream / stall / malformed: after how many text chunks (default 2, 1, 1).
   * For kind 'error' on a streaming request: when given, the stream starts with 200, sends this many chunks and
   * then delivers the error inside the stream (Anthropic `event: error`, OpenAI `data: {"error":…}`).
   */
  afterChunks?: number;
  /**
   * Reported usage, in normalised terms: `input` counts ALL prompt tokens (cached included), `cached` is the
   * cache read part, `cacheWrite` the cache creation part, `output` all generated tokens with `reasoning` included.
   * The fake converts to each wire shape (Anthropic `input_tokens` = input − cached − cacheWrite).
   */
  usage?: { input?: number; output?: number; cached?: number; cacheWrite?: number; reasoning?: number };
  /** DashScope: report the cache counts in the explicit-cache shape (`cache_type: "ephemeral"`). */
  explicitCache?: boolean;
  /** How many requests this scenario serves (default 1). */
  times?: number;
  /** Wait this long before answering at all (no header yet), ms. */
  delayMs?: number;
  /**
   * Tool calls the answer ends with (after its text, if any): streamed the provider's way (OpenAI/DashScope
   * `delta.tool_calls`, arguments in two pieces; Anthropic `tool_use` blocks with `input_json_delta`), finish
   * `tool_calls` / `tool_use`. `arguments` is sent as given when a string (to test broken JSON).
   */
  toolCalls?: { id?: string; name: string; arguments: Record<string, unknown> | string }[];
}

/** LiteLLM-style gateway behaviour of the fake: the cost header of each answer, and the key's spend and budget. */
export interface FakeGateway {
  costUsd?: number;
  spend?: number;
  maxBudget?: number;
}

/** The models GET /v1/models (and Ollama's /api/tags for the local ones) lists. */
export const FAKE_MODELS = {
  // The current default tiers, and the older models tests still name.
  openai: ['gpt-6-luna', 'gpt-6.1-sol', 'gpt-6.2-astra', 'gpt-4o-mini', 'gpt-4o', 'gpt-4.1'],
  anthropic: ['claude-haiku-4-5', 'claude-sonnet-5-5', 'claude-opus-5-5', 'claude-sonnet-4-5', 'claude-opus-4-5'],
  dashscope: ['qwen3.7-flash', 'qwen3.7-plus', 'qwen-plus', 'qwen3.8-max', 'qwen4-max', 'qwen-max', 'qwen-flash'],
  openaiCompatible: ['llama3.2', 'qwen2.5-coder:7b'],
} as const;

/**
 * What GET /v1/models (and /compatible-mode/v1/models) answers instead of FAKE_MODELS (`setListing`,
 * `POST /__fake/listing`): an HTTP error status, other model ids per protocol, OpenAI's `shutdown_date` per model.
 */
export interface FakeListing {
  status?: number;
  models?: Partial<Record<'openai' | 'anthropic' | 'dashscope', string[]>>;
  shutdownDates?: Record<string, string>;
}

export interface FakeLimits {
  rpm?: number;
  /** Tokens per minute, counted as the request's input tokens (see countTokens). */
  tpm?: number;
  now?: () => number;
}

export interface FakeProvider {
  url: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  dashscopeBaseUrl: string;
  requests: RecordedRequest[];
  enqueue(...s: Scenario[]): void;
  setLimits(l: FakeLimits | undefined): void;
  setListing(l: FakeListing | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

type Protocol = 'openai' | 'dashscope' | 'anthropic';

// ---------------------------------------------------------------------------------------------------------------
// Deterministic token arithmetic
// ---------------------------------------------------------------------------------------------------------------

/** Tokens of a piece of text: ceil(chars / 4). */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Per-message overhead added to the input count (the system prompt counts as one message when present). */
export const MESSAGE_OVERHEAD_TOKENS = 3;

/** Anthropic's default cache lifetime (5 minutes, refreshed on each hit). */
export const ANTHROPIC_CACHE_TTL_MS = 5 * 60_000;

/**
 * Smallest prefix the fake Anthropic API caches, per model, from Anthropic's table: 4096 for Haiku 4.5+, Opus 4.5+
 * and Fable; 2048 for Haiku 3 / 3.5; 1024 for the others.
 */
export function anthropicCacheMinimum(model: string): number {
  const m = model.toLowerCase();
  if (/haiku-[4-9]|opus-4-[5-9]|opus-[5-9]|fable|mythos/.test(m)) return 4096;
  if (m.includes('haiku')) return 2048;
  return 1024;
}

/** Tokens of an answer text: ceil(chars / 4). */
export function outputTokensOf(text: string): number {
  return textTokens(text);
}

interface Part {
  text: string;
  cache: boolean;
}
interface Prompt {
  /** system then messages, each a list of text parts */
  units: { role: string; parts: Part[] }[];
}

function partsOf(content: unknown): Part[] {
  if (typeof content === 'string') return [{ text: content, cache: false }];
  if (Array.isArray(content)) {
    return content.map((b: unknown) => {
      const o = (b ?? {}) as Record<string, unknown>;
      const text = typeof o.text === 'string' ? o.text : typeof o.content === 'string' ? o.content : '';
      return { text, cache: o.cache_control != null };
    });
  }
  return [];
}

function promptOf(body: Record<string, unknown>, protocol: Protocol): Prompt {
  const units: Prompt['units'] = [];
  if (protocol === 'anthropic' && body.system != null) {
    units.push({ role: 'system', parts: partsOf(body.system) });
  }
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  for (const m of messages) units.push({ role: String(m?.role ?? 'user'), parts: partsOf(m?.content) });
  return { units };
}

function unitTokens(u: { parts: Part[] }): number {
  return MESSAGE_OVERHEAD_TOKENS + u.parts.reduce((n, p) => n + textTokens(p.text), 0);
}

/**
 * Input tokens the fake reports for a request body: for each message (and the Anthropic `system`, which counts as
 * one), 3 tokens of overhead plus ceil(chars/4) of each text part. OpenAI system/developer messages are messages.
 */
export function countTokens(body: unknown, protocol: Protocol = 'openai'): number {
  const p = promptOf((body ?? {}) as Record<string, unknown>, protocol);
  return p.units.reduce((n, u) => n + unitTokens(u), 0);
}

/** The default answer: deterministic markdown with a code block that mentions the model. */
export function defaultAnswer(model: string): string {
  return (
    `Answer from **${model}**.\n\n` +
    'Here is a small example:\n\n' +
    '```ts\nfunction add(a: number, b: number): number {\n  return a + b;\n}\n```\n\n' +
    'The function returns the sum of its two arguments.'
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario helpers
// ---------------------------------------------------------------------------------------------------------------

const STATUS_OF: Record<FakeErrorType, number> = {
  rate_limit: 429,
  insufficient_quota: 429,
  context_length: 400,
  overloaded: 529,
  server: 500,
  auth: 401,
  permission: 403,
  not_found: 404,
  bad_request: 400,
};

function errorTypeOf(status: number): FakeErrorType {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'auth';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 429:
      return 'rate_limit';
    case 529:
      return 'overloaded';
    default:
      return 'server';
  }
}

const KINDS: ScenarioKind[] = ['ok', 'error', 'reset', 'dropMidStream', 'malformed', 'stall', 'html'];

/** The kind of page nginx or a corporate proxy shows for a path it does not know. */
export function htmlErrorPage(status: number): string {
  const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
  return `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n<body>\n<center><h1>${title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

function scenarioFromModel(model: unknown): Scenario | undefined {
  if (typeof model !== 'string' || !model.startsWith('fake-')) return undefined;
  const rest = model.slice(5);
  const m = /^error-(\d{3})$/.exec(rest);
  if (m) return { kind: 'error', status: Number(m[1]) };
  const errType = /^error-([a-z_]+)$/.exec(rest);
  if (errType && errType[1] in STATUS_OF) return { kind: 'error', errorType: errType[1] as FakeErrorType };
  if ((KINDS as string[]).includes(rest)) return { kind: rest as ScenarioKind };
  return undefined;
}

function parseScenarioHeader(v: string | undefined): Scenario | undefined {
  if (!v) return undefined;
  try {
    const s = JSON.parse(v) as Scenario;
    return s && typeof s === 'object' && typeof s.kind === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function chunkText(text: string, size: number): string[] {
  const out: string[] = [];
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

function hex(n: number, len: number): string {
  return n.toString(16).padStart(len, '0').slice(-len);
}

function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Number((s - m * 60).toFixed(3))}s`;
}

// ---------------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------------

interface Ctx {
  protocol: Protocol;
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  requestId: string;
  inputTokens: number;
  rateHeaders: Record<string, string>;
  seq: number;
}

interface ResolvedUsage {
  input: number;
  output: number;
  cached: number;
  cacheWrite: number;
  reasoning: number;
  /** DashScope: the cache counts are an explicit (cache_control) cache's. */
  explicit?: boolean;
}

export async function startFakeProvider(opts: { port?: number; host?: string } = {}): Promise<FakeProvider> {
  const host = opts.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  let queue: Scenario[] = [];
  let limits: FakeLimits | undefined;
  /** LiteLLM gateway behaviour (POST /__fake/gateway): a cost header on OpenAI-style answers and /key/info. */
  let gateway: FakeGateway | undefined;
  /** The model listing's override (POST /__fake/listing). */
  let listing: FakeListing | undefined;
  let seq = 0;
  /** Anthropic cache: prefix key -> time of last write or read. */
  let anthropicCache = new Map<string, number>();
  /** Files served under /__fake/static/<name> (kept across resets). */
  const staticFiles = new Map<string, string>();
  /** OpenAI-style implicit cache: canonical prompt strings seen, per protocol+model. */
  let prefixCache: string[] = [];
  /** Rate windows, one per protocol and model as the providers limit each model apart: (time, tokens) accepted. */
  let windows = new Map<string, { at: number; tokens: number }[]>();
  const sockets = new Set<Socket>();

  const now = () => (limits?.now ? limits.now() : Date.now());

  function takeScenario(req: http.IncomingMessage, model: unknown): Scenario {
    const fromHeader = parseScenarioHeader(req.headers['x-fake-scenario'] as string | undefined);
    if (fromHeader) return fromHeader;
    const fromModel = scenarioFromModel(model);
    if (fromModel) return fromModel;
    const head = queue[0];
    if (head) {
      const left = (head.times ?? 1) - 1;
      if (left <= 0) queue.shift();
      else queue[0] = { ...head, times: left };
      return head;
    }
    return { kind: 'ok' };
  }

  // ---- rate limits ---------------------------------------------------------------------------------------------
  const DEFAULT_RPM = 500;
  const DEFAULT_TPM = 200_000;

  function windowOf(key: string, t: number): { at: number; tokens: number }[] {
    const w = (windows.get(key) ?? []).filter((e) => t - e.at < 60_000);
    windows.set(key, w);
    return w;
  }

  /** Returns undefined when allowed (and records the request), else the 429 details. */
  function checkLimits(key: string, tokens: number): { dimension: 'requests' | 'tokens'; waitMs: number } | undefined {
    const t = now();
    const window = windowOf(key, t);
    const rpm = limits?.rpm;
    const tpm = limits?.tpm;
    if (rpm !== undefined && window.length + 1 > rpm) {
      const oldest = window[0];
      return { dimension: 'requests', waitMs: oldest ? 60_000 - (t - oldest.at) : 0 };
    }
    if (tpm !== undefined) {
      let used = window.reduce((n, w) => n + w.tokens, 0);
      if (used + tokens > tpm) {
        // wait until enough old entries expire
        let waitMs = 60_000;
        for (const w of window) {
          used -= w.tokens;
          if (used + tokens <= tpm) {
            waitMs = 60_000 - (t - w.at);
            break;
          }
        }
        return { dimension: 'tokens', waitMs };
      }
    }
    window.push({ at: t, tokens });
    return undefined;
  }

  /** The headers the providers send: limit, remaining, and the time until the window is fully replenished. */
  function rateHeaders(protocol: Protocol, key: string): Record<string, string> {
    const t = now();
    const window = windowOf(key, t);
    const rpm = limits?.rpm ?? DEFAULT_RPM;
    const tpm = limits?.tpm ?? DEFAULT_TPM;
    const usedReq = window.length;
    const usedTok = window.reduce((n, w) => n + w.tokens, 0);
    const newest = window[window.length - 1];
    const resetReqMs = newest ? 60_000 - (t - newest.at) : 0;
    const resetTokMs = newest ? 60_000 - (t - newest.at) : 0;
    if (protocol === 'anthropic') {
      const iso = (ms: number) => new Date(t + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return {
        'anthropic-ratelimit-requests-limit': String(rpm),
        'anthropic-ratelimit-requests-remaining': String(Math.max(0, rpm - usedReq)),
        'anthropic-ratelimit-requests-reset': iso(resetReqMs),
        'anthropic-ratelimit-tokens-limit': String(tpm),
        'anthropic-ratelimit-tokens-remaining': String(Math.max(0, tpm - usedTok)),
        'anthropic-ratelimit-tokens-reset': iso(resetTokMs),
        'anthropic-ratelimit-input-tokens-limit': String(tpm),
        'anthropic-ratelimit-input-tokens-remaining': String(Math.max(0, tpm - usedTok)),
        'anthropic-ratelimit-input-tokens-reset': iso(resetTokMs),
      };
    }
    return {
      'x-ratelimit-limit-requests': String(rpm),
      'x-ratelimit-limit-tokens': String(tpm),
      'x-ratelimit-remaining-requests': String(Math.max(0, rpm - usedReq)),
      'x-ratelimit-remaining-tokens': String(Math.max(0, tpm - usedTok)),
      'x-ratelimit-reset-requests': fmtDuration(resetReqMs),
      'x-ratelimit-reset-tokens': fmtDuration(resetTokMs),
    };
  }

  // ---- caching -------------------------------------------------------------------------------------------------
  /**
   * Anthropic prompt cache, as the API behaves: the prefix up to a block carrying cache_control is cached when it
   * reaches the model's minimum (below it: no error, both counters 0); a later request reads the longest cached
   * prefix among its own breakpoints (exact match) and writes the rest up to its last breakpoint. Entries live
   * 5 minutes from their last use (the default TTL, refreshed on each hit), on the server's clock. `minTokens`
   * overrides the model's minimum (DashScope's explicit cache: 1,024).
   */
  function anthropicCacheUsage(body: Record<string, unknown>, model: string, minTokens?: number): { read: number; write: number } {
    const p = promptOf(body, 'anthropic');
    const min = minTokens ?? anthropicCacheMinimum(model);
    const marks: { tokens: number; key: string }[] = [];
    let tokens = 0;
    const keyParts: string[] = [model];
    p.units.forEach((u) => {
      tokens += MESSAGE_OVERHEAD_TOKENS;
      keyParts.push(u.role);
      u.parts.forEach((part) => {
        tokens += textTokens(part.text);
        keyParts.push(part.text);
        if (part.cache) marks.push({ tokens, key: JSON.stringify(keyParts) });
      });
    });
    const t = now();
    for (const [k, at] of anthropicCache) if (t - at > ANTHROPIC_CACHE_TTL_MS) anthropicCache.delete(k);
    const cacheable = marks.filter((m) => m.tokens >= min);
    if (cacheable.length === 0) return { read: 0, write: 0 };
    let read = 0;
    for (let i = cacheable.length - 1; i >= 0; i--) {
      if (anthropicCache.has(cacheable[i]!.key)) {
        read = cacheable[i]!.tokens;
        break;
      }
    }
    const last = cacheable[cacheable.length - 1]!;
    for (const m of cacheable) if (m.tokens <= Math.max(read, last.tokens)) anthropicCache.set(m.key, t);
    return { read, write: Math.max(0, last.tokens - read) };
  }

  /** Blocks carrying cache_control in an Anthropic body (system, messages). */
  function anthropicBreakpoints(body: Record<string, unknown>): number {
    return promptOf(body, 'anthropic').units.reduce((n, u) => n + u.parts.filter((x) => x.cache).length, 0);
  }

  /**
   * What the cache served for a request: Anthropic's marked prefixes; DashScope's explicit cache when the request
   * carries cache_control marks (a marked prefix of ≥1,024 tokens is written, then read; no implicit hits in the
   * same request); otherwise the implicit prefix cache (OpenAI, DashScope).
   */
  function cacheUsage(ctx: Ctx): { read: number; write: number; explicit?: boolean } {
    if (ctx.protocol === 'anthropic') return anthropicCacheUsage(ctx.body, ctx.model);
    if (ctx.protocol === 'dashscope' && promptOf(ctx.body, 'dashscope').units.some((u) => u.parts.some((p) => p.cache))) {
      return { ...anthropicCacheUsage(ctx.body, `dashscope\u0001${ctx.model}`, 1024), explicit: true };
    }
    return { read: implicitCachedTokens(ctx.body, ctx.protocol, ctx.model, ctx.inputTokens), write: 0 };
  }

  /** OpenAI/DashScope implicit prefix cache: a repeated prefix of ≥1024 tokens is reported in 128-token steps. */
  function implicitCachedTokens(body: Record<string, unknown>, protocol: Protocol, model: string, input: number): number {
    const p = promptOf(body, protocol);
    const canonical = `${protocol}\u0001${model}\u0001` + p.units.map((u) => `${u.role}\u0002${u.parts.map((x) => x.text).join('')}`).join('\u0003');
    let best = 0;
    for (const prev of prefixCache) {
      let i = 0;
      const n = Math.min(prev.length, canonical.length);
      while (i < n && prev.charCodeAt(i) === canonical.charCodeAt(i)) i++;
      best = Math.max(best, i);
    }
    prefixCache.push(canonical);
    const headerLen = `${protocol}\u0001${model}\u0001`.length;
    if (best <= headerLen) return 0;
    const tokens = Math.floor((best - headerLen) / 4);
    if (tokens < 1024) return 0;
    return Math.min(input, Math.floor(tokens / 128) * 128);
  }

  // ---- error bodies --------------------------------------------------------------------------------------------
  function errorPayload(ctx: Ctx, type: FakeErrorType, status: number): { body: unknown; message: string; code: string } {
    const model = ctx.model;
    if (ctx.protocol === 'anthropic') {
      const map: Record<FakeErrorType, [string, string]> = {
        rate_limit: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.'],
        insufficient_quota: ['billing_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'],
        context_length: ['invalid_request_error', `prompt is too long: ${Math.max(ctx.inputTokens, 200_001)} tokens > 200000 maximum`],
        overloaded: ['overloaded_error', 'Overloaded'],
        server: ['api_error', 'Internal server error'],
        auth: ['authentication_error', 'invalid x-api-key'],
        permission: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
        not_found: ['not_found_error', `model: ${model}`],
        bad_request: ['invalid_request_error', 'messages: roles must alternate between "user" and "assistant"'],
      };
      const [t, message] = map[type];
      return { body: { type: 'error', error: { type: t, message }, request_id: ctx.requestId }, message, code: t };
    }
    const overflow = Math.max(ctx.inputTokens, 128_001);
    const openai: Record<FakeErrorType, { message: string; type: string; code: string | null; param: string | null }> = {
      rate_limit: { message: `Rate limit reached for ${model} in organization org-fake on tokens per min (TPM): Limit 200000, Used 199766, Requested 1050. Please try again in 244ms. Visit https://platform.openai.com/account/rate-limits to learn more.`, type: 'tokens', code: 'rate_limit_exceeded', param: null },
      insufficient_quota: { message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.', type: 'insufficient_quota', code: 'insufficient_quota', param: null },
      context_length: { message: `This model's maximum context length is 128000 tokens. However, your messages resulted in ${overflow} tokens. Please reduce the length of the messages.`, type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' },
      overloaded: { message: 'The engine is currently overloaded, please try again later', type: 'server_error', code: null, param: null },
      server: { message: `The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error. (Please include the request ID ${ctx.requestId} in your email.)`, type: 'server_error', code: null, param: null },
      auth: { message: 'Incorrect API key provided: sk-fake***************************1234. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key', param: null },
      permission: { message: 'You are not allowed to sample from this model', type: 'invalid_request_error', code: 'model_not_allowed', param: null },
      not_found: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found', param: null },
      bad_request: { message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", type: 'invalid_request_error', code: 'empty_array', param: 'messages' },
    };
    if (ctx.protocol === 'dashscope') {
      const ds: Partial<Record<FakeErrorType, { message: string; type: string; code: string }>> = {
        context_length: { message: '<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 129024]', type: 'invalid_request_error', code: 'invalid_parameter_error' },
        insufficient_quota: { message: 'You exceeded your current quota, please check your plan and billing details. For details, see: https://help.aliyun.com/zh/model-studio/error-code#token-limit', type: 'insufficient_quota', code: 'insufficient_quota' },
        rate_limit: { message: 'Requests rate limit exceeded, please try again later.', type: 'limit_requests', code: 'limit_requests' },
        auth: { message: 'Incorrect API key provided. ', type: 'invalid_request_error', code: 'invalid_api_key' },
        permission: { message: 'Access denied.', type: 'AccessDenied', code: 'AccessDenied' },
        not_found: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' },
        server: { message: 'An internal error has occured, please try again later or contact service support.', type: 'internal_error', code: 'internal_error' },
        overloaded: { message: 'Model is overloaded, please try again later.', type: 'ServiceUnavailable', code: 'ServiceUnavailable' },
      };
      const e = ds[type] ?? { ...openai[type], code: openai[type].code ?? 'unknown' };
      return {
        body: { error: { code: e.code, message: e.message, param: null, type: e.type }, request_id: ctx.requestId },
        message: e.message,
        code: e.code,
      };
    }
    const e = openai[type];
    void status;
    return { body: { error: e }, message: e.message, code: e.code ?? e.type };
  }

  function baseHeaders(ctx: Ctx, contentType: string): Record<string, string> {
    const h: Record<string, string> = { 'content-type': contentType, ...ctx.rateHeaders };
    if (ctx.protocol === 'anthropic') {
      h['request-id'] = ctx.requestId;
      h['anthropic-organization-id'] = '00000000-0000-4000-8000-000000000000';
    } else {
      h['x-request-id'] = ctx.requestId;
      if (ctx.protocol === 'dashscope') h['x-dashscope-request-id'] = ctx.requestId;
      else h['openai-processing-ms'] = '12';
      if (ctx.protocol === 'openai' && gateway?.costUsd !== undefined) h['x-litellm-response-cost'] = String(gateway.costUsd);
    }
    return h;
  }

  function newRequestId(protocol: Protocol, n: number): string {
    if (protocol === 'anthropic') return `req_011CFake${hex(n, 16)}`;
    if (protocol === 'dashscope') return `${hex(n, 8)}-fa4e-9000-8000-${hex(n, 12)}`;
    return `req_${hex(n, 32)}`;
  }

  // ---- wire shapes ---------------------------------------------------------------------------------------------
  function openaiUsage(u: ResolvedUsage, protocol: Protocol) {
    const base: Record<string, unknown> = {
      prompt_tokens: u.input,
      completion_tokens: u.output,
      total_tokens: u.input + u.output,
      prompt_tokens_details:
        protocol === 'dashscope' && u.explicit
          ? // DashScope explicit cache (cache_control marks): creation and hits, with the cache type.
            { cached_tokens: u.cached, cache_creation_input_tokens: u.cacheWrite, cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite }, cache_type: 'ephemeral' }
          : { cached_tokens: u.cached, ...(protocol === 'openai' ? { audio_tokens: 0 } : {}) },
      completion_tokens_details:
        protocol === 'openai'
          ? { reasoning_tokens: u.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 }
          : { reasoning_tokens: u.reasoning, text_tokens: u.output - u.reasoning },
    };
    return base;
  }

  function anthropicUsage(u: ResolvedUsage) {
    return {
      input_tokens: Math.max(0, u.input - u.cached - u.cacheWrite),
      cache_creation_input_tokens: u.cacheWrite,
      cache_read_input_tokens: u.cached,
      cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 },
      output_tokens: u.output,
      ...(u.reasoning ? { output_tokens_details: { thinking_tokens: u.reasoning } } : {}),
      service_tier: 'standard',
    };
  }

  function chatChunk(ctx: Ctx, id: string, created: number, choices: unknown[], usage: unknown) {
    if (ctx.protocol === 'dashscope') {
      return { choices, object: 'chat.completion.chunk', usage, created, system_fingerprint: null, model: ctx.model, id };
    }
    return { id, object: 'chat.completion.chunk', created, model: ctx.model, service_tier: 'default', system_fingerprint: null, choices, usage };
  }

  // ---- request handling ----------------------------------------------------------------------------------------
  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, path: string, raw: string) {
    let body: Record<string, unknown> = {};
    let parsed: unknown = raw;
    try {
      parsed = raw ? JSON.parse(raw) : {};
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // keep raw text as the recorded body
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const n = ++seq;
    requests.push({ method: req.method ?? 'GET', path, headers, body: parsed, at: now() });

    const protocol: Protocol = path.startsWith('/compatible-mode/') ? 'dashscope' : path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
    const model = typeof body.model === 'string' ? body.model : 'unknown-model';
    const inputTokens = countTokens(body, protocol);
    const ctx: Ctx = {
      protocol,
      body,
      model,
      stream: body.stream === true,
      requestId: newRequestId(protocol, n),
      inputTokens,
      rateHeaders: {},
      seq: n,
    };
    const rateKey = `${protocol}/${model}`;

    if (path === '/v1/messages/count_tokens') {
      ctx.rateHeaders = rateHeaders(protocol, rateKey);
      send(res, 200, baseHeaders(ctx, 'application/json'), { input_tokens: inputTokens });
      return;
    }

    const limited = checkLimits(rateKey, inputTokens);
    ctx.rateHeaders = rateHeaders(protocol, rateKey);
    if (limited) {
      const waitS = Math.max(1, Math.ceil(limited.waitMs / 1000));
      const h = { ...baseHeaders(ctx, 'application/json'), 'retry-after': String(waitS), 'retry-after-ms': String(Math.max(0, Math.ceil(limited.waitMs))) };
      if (protocol === 'anthropic') {
        const { body: b } = errorPayload(ctx, 'rate_limit', 429);
        send(res, 429, h, b);
      } else {
        const lim = limited.dimension === 'requests' ? limits?.rpm : limits?.tpm;
        const msg = `Rate limit reached for ${model} in organization org-fake on ${limited.dimension === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)'}: Limit ${lim}, Requested ${limited.dimension === 'requests' ? 1 : inputTokens}. Please try again in ${fmtDuration(limited.waitMs)}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
        const b = protocol === 'dashscope'
          ? { error: { code: 'limit_requests', message: msg, param: null, type: 'limit_requests' }, request_id: ctx.requestId }
          : { error: { message: msg, type: limited.dimension, param: null, code: 'rate_limit_exceeded' } };
        send(res, 429, h, b);
      }
      return;
    }

    if (protocol === 'anthropic' && anthropicBreakpoints(body) > 4) {
      const message = `A maximum of 4 blocks with cache_control may be provided. Found ${anthropicBreakpoints(body)}.`;
      send(res, 400, baseHeaders(ctx, 'application/json'), { type: 'error', error: { type: 'invalid_request_error', message }, request_id: ctx.requestId });
      return;
    }
    const scenario = takeScenario(req, body.model);
    const extra = scenario.headers ?? {};
    if (scenario.delayMs) await sleep(scenario.delayMs);

    switch (scenario.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'html': {
        const page = htmlErrorPage(scenario.status ?? 404);
        res.writeHead(scenario.status ?? 404, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(page)), ...extra });
        res.end(page);
        return;
      }
      case 'error': {
        const type = scenario.errorType ?? errorTypeOf(scenario.status ?? 500);
        const status = scenario.status ?? STATUS_OF[type];
        if (ctx.stream && scenario.afterChunks !== undefined) {
          await streamAnswer(req, res, ctx, scenario, { midStreamError: type });
          return;
        }
        const { body: b, code, message } = errorPayload(ctx, type, status);
        const h = { ...baseHeaders(ctx, 'application/json'), ...extra };
        if (protocol === 'dashscope' && ctx.stream) {
          // DashScope answers streaming requests that fail up front with its native SSE error event.
          const data = { request_id: ctx.requestId, code, message };
          res.writeHead(status, { ...h, 'content-type': 'text/event-stream;charset=UTF-8' });
          res.end(`id:1\nevent:error\n:HTTP_STATUS/${status}\ndata:${JSON.stringify(data)}\n\n`);
          return;
        }
        if (protocol === 'openai' && type === 'insufficient_quota' && !('x-should-retry' in extra)) h['x-should-retry'] = 'false';
        send(res, status, h, b);
        return;
      }
      default:
        await streamAnswer(req, res, ctx, scenario, {});
    }
  }

  /** The answer text, cut at the request's max tokens like the real APIs (then finish 'length' / 'max_tokens'). */
  function answerText(ctx: Ctx, scenario: Scenario): { text: string; truncated: boolean } {
    let text = scenario.text ?? defaultAnswer(ctx.model);
    const maxTokens = Number(ctx.body.max_completion_tokens ?? ctx.body.max_tokens ?? Infinity);
    let truncated = false;
    if (scenario.usage?.output === undefined && Number.isFinite(maxTokens) && maxTokens >= 0 && outputTokensOf(text) > maxTokens) {
      text = Array.from(text).slice(0, maxTokens * 4).join('');
      truncated = true;
    }
    return { text, truncated };
  }

  function resolveUsage(ctx: Ctx, scenario: Scenario, text: string, cache: { read: number; write: number; explicit?: boolean }): ResolvedUsage {
    const u = scenario.usage ?? {};
    const reasoning = u.reasoning ?? 0;
    const output = u.output ?? outputTokensOf(text) + reasoning;
    return {
      input: u.input ?? ctx.inputTokens,
      output,
      cached: u.cached ?? cache.read,
      cacheWrite: u.cacheWrite ?? cache.write,
      reasoning,
      ...((scenario.explicitCache ?? cache.explicit) ? { explicit: true } : {}),
    };
  }

  async function streamAnswer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ctx: Ctx,
    scenario: Scenario,
    o: { midStreamError?: FakeErrorType },
  ) {
    const { protocol } = ctx;
    const { text, truncated } = answerText(ctx, scenario);
    const cache = cacheUsage(ctx);
    const usage = resolveUsage(ctx, scenario, text, cache);
    const chunks = chunkText(text, Math.max(1, scenario.chunkSize ?? 8));
    const extra = scenario.headers ?? {};
    const created = 1_764_000_000 + ctx.seq;
    const msgId = protocol === 'anthropic' ? `msg_01Fake${hex(ctx.seq, 18)}` : protocol === 'dashscope' ? `chatcmpl-${hex(ctx.seq, 8)}-fa4e-9000-8000-${hex(ctx.seq, 12)}` : `chatcmpl-Fake${hex(ctx.seq, 25)}`;
    const calls = (scenario.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? (protocol === 'anthropic' ? `toolu_01Fake${hex(ctx.seq * 10 + i, 16)}` : `call_Fake${hex(ctx.seq * 10 + i, 16)}`),
      name: c.name,
      args: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    }));
    const finishOpenai = truncated ? 'length' : calls.length ? 'tool_calls' : 'stop';
    const finishAnthropic = truncated ? 'max_tokens' : calls.length ? 'tool_use' : 'end_turn';

    const dropAt = scenario.kind === 'dropMidStream' ? (scenario.afterChunks ?? 2) : undefined;
    const stallAt = scenario.kind === 'stall' ? (scenario.afterChunks ?? 1) : undefined;
    const malformedAt = scenario.kind === 'malformed' ? (scenario.afterChunks ?? 1) : undefined;
    const errorAt = o.midStreamError ? (scenario.afterChunks ?? 0) : undefined;

    let closed = false;
    res.on('close', () => {
      closed = true;
    });

    if (!ctx.stream) {
      // Non-streaming JSON shapes.
      if (scenario.kind === 'stall') return; // never answer; closed by the client or close()
      const h = { ...baseHeaders(ctx, 'application/json'), ...extra };
      let payload: unknown;
      if (protocol === 'anthropic') {
        payload = {
          id: msgId,
          type: 'message',
          role: 'assistant',
          model: ctx.model,
          content: [{ type: 'text', text }],
          stop_reason: finishAnthropic,
          stop_sequence: null,
          usage: anthropicUsage(usage),
        };
      } else {
        const choice = { index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: finishOpenai };
        payload = protocol === 'dashscope'
          ? { choices: [choice], object: 'chat.completion', usage: openaiUsage(usage, protocol), created, system_fingerprint: null, model: ctx.model, id: msgId }
          : { id: msgId, object: 'chat.completion', created, model: ctx.model, choices: [choice], usage: openaiUsage(usage, protocol), service_tier: 'default', system_fingerprint: null };
      }
      const json = JSON.stringify(payload);
      if (scenario.kind === 'malformed') {
        res.writeHead(200, h);
        res.end(json.slice(0, Math.floor(json.length / 2)));
        return;
      }
      if (scenario.kind === 'dropMidStream') {
        res.writeHead(200, { ...h, 'content-length': String(Buffer.byteLength(json)) });
        res.write(json.slice(0, Math.floor(json.length / 2)));
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      send(res, 200, h, payload);
      return;
    }

    const sseType = protocol === 'dashscope' ? 'text/event-stream;charset=UTF-8' : 'text/event-stream; charset=utf-8';
    res.writeHead(200, { ...baseHeaders(ctx, sseType), 'cache-control': 'no-cache', connection: 'keep-alive', ...extra });
    res.flushHeaders();

    const write = (s: string) => {
      if (!closed) res.write(s);
    };
    const ev = (name: string, data: unknown) => write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const data = (d: unknown) => write(`data: ${JSON.stringify(d)}\n\n`);

    // Opening events.
    if (protocol === 'anthropic') {
      ev('message_start', {
        type: 'message_start',
        message: {
          id: msgId,
          type: 'message',
          role: 'assistant',
          model: ctx.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...anthropicUsage({ ...usage, output: 1, reasoning: 0 }) },
        },
      });
      ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      write('event: ping\ndata: {"type": "ping"}\n\n');
    } else {
      const delta = { role: 'assistant', content: '', ...(protocol === 'openai' ? { refusal: null } : {}) };
      data(chatChunk(ctx, msgId, created, [{ index: 0, delta, logprobs: null, finish_reason: null }], null));
    }

    for (let i = 0; i <= chunks.length; i++) {
      if (closed) return;
      if (dropAt !== undefined && i === dropAt) {
        // Give the socket a moment to flush what was written, then cut the connection.
        await sleep(5);
        req.socket.destroy();
        return;
      }
      if (stallAt !== undefined && i === stallAt) return; // hold the response open
      if (malformedAt !== undefined && i === malformedAt) {
        if (protocol === 'anthropic') write('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_de\n\n');
        else write('data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x\n\n');
        res.end();
        return;
      }
      if (errorAt !== undefined && i === errorAt) {
        const { message, code } = errorPayload(ctx, o.midStreamError!, 500);
        if (protocol === 'anthropic') {
          const t = o.midStreamError === 'overloaded' ? 'overloaded_error' : code;
          ev('error', { type: 'error', error: { type: t, message } });
        } else {
          data({ error: { message, type: o.midStreamError === 'rate_limit' ? 'tokens' : 'server_error', param: null, code } });
        }
        res.end();
        return;
      }
      if (i === chunks.length) break;
      if (i > 0 && scenario.chunkDelayMs) await sleep(scenario.chunkDelayMs);
      if (closed) return;
      const piece = chunks[i]!;
      if (protocol === 'anthropic') {
        ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
      } else {
        data(chatChunk(ctx, msgId, created, [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], null));
      }
    }

    // Tool calls, after the text.
    for (const [i, c] of calls.entries()) {
      if (closed) return;
      const half = Math.ceil(c.args.length / 2);
      const pieces = [c.args.slice(0, half), c.args.slice(half)].filter((x) => x);
      if (protocol === 'anthropic') {
        const index = i + 1;
        if (i === 0) ev('content_block_stop', { type: 'content_block_stop', index: 0 });
        ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } });
        for (const p of pieces) ev('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: p } });
        ev('content_block_stop', { type: 'content_block_stop', index });
      } else {
        data(chatChunk(ctx, msgId, created, [{ index: 0, delta: { tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, logprobs: null, finish_reason: null }], null));
        for (const p of pieces) data(chatChunk(ctx, msgId, created, [{ index: 0, delta: { tool_calls: [{ index: i, function: { arguments: p } }] }, logprobs: null, finish_reason: null }], null));
      }
    }

    // Closing events.
    if (protocol === 'anthropic') {
      if (!calls.length) ev('content_block_stop', { type: 'content_block_stop', index: 0 });
      const au = anthropicUsage(usage);
      ev('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: finishAnthropic, stop_sequence: null },
        usage: {
          input_tokens: au.input_tokens,
          cache_creation_input_tokens: au.cache_creation_input_tokens,
          cache_read_input_tokens: au.cache_read_input_tokens,
          output_tokens: au.output_tokens,
          ...(au.output_tokens_details ? { output_tokens_details: au.output_tokens_details } : {}),
        },
      });
      ev('message_stop', { type: 'message_stop' });
    } else {
      const delta = protocol === 'dashscope' ? { content: '' } : {};
      data(chatChunk(ctx, msgId, created, [{ index: 0, delta, logprobs: null, finish_reason: finishOpenai }], null));
      const so = ctx.body.stream_options as { include_usage?: boolean } | undefined;
      if (so?.include_usage) data(chatChunk(ctx, msgId, created, [], openaiUsage(usage, protocol)));
      write('data: [DONE]\n\n');
    }
    if (!closed) res.end();
  }

  function send(res: http.ServerResponse, status: number, headers: Record<string, string>, payload: unknown) {
    const json = JSON.stringify(payload);
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(json)) });
    res.end(json);
  }

  function resetState() {
    requests.length = 0;
    queue = [];
    limits = undefined;
    anthropicCache = new Map();
    prefixCache = [];
    windows = new Map();
    files = new Map();
    batches = new Map();
    gateway = undefined;
    listing = undefined;
  }

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string, raw: string) {
    const json = (status: number, v: unknown) => send(res, status, { 'content-type': 'application/json' }, v);
    // Static files served over loopback (e.g. a price list): PUT stores the body as sent, GET returns it.
    const stat = /^\/__fake\/static\/([\w.-]+)$/.exec(path);
    if (stat) {
      if (req.method === 'PUT') {
        staticFiles.set(stat[1]!, raw);
        return json(200, { ok: true });
      }
      const body = staticFiles.get(stat[1]!);
      if (req.method === 'GET' && body !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
        res.end(body);
        return;
      }
      return json(404, { error: `no static file ${stat[1]}` });
    }
    let parsed: unknown;
    try {
      parsed = raw ? JSON.parse(raw) : undefined;
    } catch {
      json(400, { error: 'invalid JSON' });
      return;
    }
    if (path === '/__fake/requests' && req.method === 'GET') return json(200, requests);
    if (path === '/__fake/scenarios' && req.method === 'POST') {
      const list = Array.isArray(parsed) ? (parsed as Scenario[]) : parsed ? [parsed as Scenario] : [];
      queue.push(...list);
      return json(200, { queued: queue.length });
    }
    if (path === '/__fake/reset' && req.method === 'POST') {
      resetState();
      return json(200, { ok: true });
    }
    if (path === '/__fake/gateway' && req.method === 'POST') {
      gateway = parsed && typeof parsed === 'object' ? (parsed as FakeGateway) : undefined;
      return json(200, { ok: true });
    }
    if (path === '/__fake/listing' && req.method === 'POST') {
      listing = parsed && typeof parsed === 'object' ? (parsed as FakeListing) : undefined;
      return json(200, { ok: true });
    }
    if (path === '/__fake/limits' && req.method === 'POST') {
      limits = parsed && typeof parsed === 'object' ? (parsed as FakeLimits) : undefined;
      return json(200, { ok: true });
    }
    json(404, { error: `unknown control route ${req.method} ${path}` });
  }


  // ---- batches (minimal: a batch ends on the first retrieval after its creation) --------------------------------
  interface StoredFile {
    id: string;
    filename: string;
    purpose: string;
    content: string;
    created: number;
  }
  interface StoredBatch {
    protocol: Protocol;
    id: string;
    created: number;
    polls: number;
    cancelled: boolean;
    /** Anthropic: result lines; OpenAI: output and error lines. */
    lines: { custom_id: string; ok: boolean; line: unknown }[];
    inputFileId?: string;
    endpoint?: string;
    outputFileId?: string;
    errorFileId?: string;
    total: number;
  }
  let files = new Map<string, StoredFile>();
  let batches = new Map<string, StoredBatch>();

  function isBatchRoute(path: string): boolean {
    return /^\/v1\/messages\/batches(\/|$)/.test(path) || /^(\/v1|\/compatible-mode\/v1)\/(files|batches)(\/|$)/.test(path);
  }

  /** One request of a batch, answered non-streaming with the next queued scenario ('ok' or 'error'). */
  function batchAnswer(protocol: Protocol, body: Record<string, unknown>): { ok: boolean; status: number; payload: unknown; requestId: string } {
    const n = ++seq;
    const model = typeof body.model === 'string' ? body.model : 'unknown-model';
    const ctx: Ctx = { protocol, body, model, stream: false, requestId: newRequestId(protocol, n), inputTokens: countTokens(body, protocol), rateHeaders: {}, seq: n };
    const scenario = scenarioFromModel(model) ?? (queue.length ? takeQueued() : { kind: 'ok' as const });
    if (scenario.kind === 'error') {
      const type = scenario.errorType ?? errorTypeOf(scenario.status ?? 500);
      const status = scenario.status ?? STATUS_OF[type];
      return { ok: false, status, payload: errorPayload(ctx, type, status).body, requestId: ctx.requestId };
    }
    const { text, truncated } = answerText(ctx, scenario);
    const usage = resolveUsage(ctx, scenario, text, { read: 0, write: 0 });
    const created = 1_764_000_000 + n;
    if (protocol === 'anthropic') {
      return {
        ok: true,
        status: 200,
        requestId: ctx.requestId,
        payload: { id: `msg_01Fake${hex(n, 18)}`, type: 'message', role: 'assistant', model, content: [{ type: 'text', text }], stop_reason: truncated ? 'max_tokens' : 'end_turn', stop_sequence: null, usage: { ...anthropicUsage(usage), service_tier: 'batch' } },
      };
    }
    if (protocol === 'dashscope') {
      // DashScope's non-streaming shape (choices first, a UUID id, no service_tier); batch calls get no cache.
      return {
        ok: true,
        status: 200,
        requestId: ctx.requestId,
        payload: { choices: [{ message: { role: 'assistant', content: text }, finish_reason: truncated ? 'length' : 'stop', index: 0, logprobs: null }], object: 'chat.completion', usage: openaiUsage(usage, protocol), created, system_fingerprint: null, model, id: `chatcmpl-${hex(n, 8)}-fa4e-9000-8000-${hex(n, 12)}` },
      };
    }
    return {
      ok: true,
      status: 200,
      requestId: ctx.requestId,
      payload: { id: `chatcmpl-Fake${hex(n, 25)}`, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: truncated ? 'length' : 'stop' }], usage: openaiUsage(usage, protocol), service_tier: 'batch', system_fingerprint: null },
    };
  }

  function takeQueued(): Scenario {
    const head = queue[0]!;
    const left = (head.times ?? 1) - 1;
    if (left <= 0) queue.shift();
    else queue[0] = { ...head, times: left };
    return head;
  }

  function rfc3339(ms: number): string {
    return new Date(ms).toISOString();
  }

  function anthropicBatchView(b: StoredBatch): Record<string, unknown> {
    const ended = b.polls > 0 || b.cancelled;
    const succeeded = b.lines.filter((l) => l.ok).length;
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : 'in_progress',
      request_counts: ended
        ? { processing: 0, succeeded: b.cancelled ? 0 : succeeded, errored: b.cancelled ? 0 : b.total - succeeded, canceled: b.cancelled ? b.total : 0, expired: 0 }
        : { processing: b.total, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: ended ? rfc3339(b.created + 1000) : null,
      created_at: rfc3339(b.created),
      expires_at: rfc3339(b.created + 86_400_000),
      archived_at: null,
      cancel_initiated_at: b.cancelled ? rfc3339(b.created + 500) : null,
      results_url: ended ? `${url}/v1/messages/batches/${b.id}/results` : null,
    };
  }

  function openaiBatchView(b: StoredBatch): Record<string, unknown> {
    const done = b.polls > 0 && !b.cancelled;
    const createdS = Math.floor(b.created / 1000);
    const completed = b.lines.filter((l) => l.ok).length;
    return {
      id: b.id,
      object: 'batch',
      endpoint: b.endpoint,
      errors: null,
      input_file_id: b.inputFileId,
      completion_window: '24h',
      status: b.cancelled ? 'cancelled' : done ? 'completed' : 'in_progress',
      output_file_id: done && completed > 0 ? b.outputFileId : null,
      error_file_id: done && completed < b.total ? b.errorFileId : null,
      created_at: createdS,
      in_progress_at: createdS,
      expires_at: createdS + 86_400,
      finalizing_at: done ? createdS + 1 : null,
      completed_at: done ? createdS + 1 : null,
      failed_at: null,
      expired_at: null,
      cancelling_at: b.cancelled ? createdS + 1 : null,
      cancelled_at: b.cancelled ? createdS + 1 : null,
      request_counts: { total: b.total, completed: done ? completed : 0, failed: done ? b.total - completed : 0 },
      metadata: null,
    };
  }

  async function handleBatch(req: http.IncomingMessage, res: http.ServerResponse, path: string, buf: Buffer) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const isJson = (headers['content-type'] ?? '').includes('json');
    let body: unknown = buf.length ? buf.toString('utf8') : undefined;
    if (isJson && buf.length) {
      try {
        body = JSON.parse(buf.toString('utf8'));
      } catch {
        // keep text
      }
    }
    if ((headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': headers['content-type']! }, body: new Uint8Array(buf) }).formData();
      const file = form.get('file');
      body = { purpose: form.get('purpose'), filename: typeof file === 'object' && file ? (file as File).name : undefined, content: typeof file === 'object' && file ? await (file as File).text() : String(file ?? '') };
    }
    requests.push({ method: req.method ?? 'GET', path, headers, body, at: now() });
    const protocol: Protocol = path.startsWith('/v1/messages') ? 'anthropic' : path.startsWith('/compatible-mode/') ? 'dashscope' : 'openai';
    const n = ++seq;
    const rid = newRequestId(protocol, n);
    const idHeader: Record<string, string> = protocol === 'anthropic' ? { 'request-id': rid } : { 'x-request-id': rid };
    const json = (status: number, v: unknown) => send(res, status, { 'content-type': 'application/json', ...idHeader }, v);
    const notFound = () =>
      json(404, protocol === 'anthropic' ? { type: 'error', error: { type: 'not_found_error', message: `Not found: ${path}` }, request_id: rid } : { error: { message: `No such object: ${path}`, type: 'invalid_request_error', param: null, code: null } });
    const m = (re: RegExp) => re.exec(path);
    const method = req.method ?? 'GET';
    let r: RegExpExecArray | null;

    if (protocol === 'anthropic') {
      if (method === 'POST' && path === '/v1/messages/batches') {
        const list = ((body as { requests?: { custom_id: string; params: Record<string, unknown> }[] })?.requests ?? []);
        const b: StoredBatch = { protocol, id: `msgbatch_01Fake${hex(n, 18)}`, created: now(), polls: 0, cancelled: false, lines: [], total: list.length };
        for (const item of list) {
          const a = batchAnswer('anthropic', item.params ?? {});
          b.lines.push({
            custom_id: item.custom_id,
            ok: a.ok,
            line: { custom_id: item.custom_id, result: a.ok ? { type: 'succeeded', message: a.payload } : { type: 'errored', error: { ...(a.payload as object), request_id: null } } },
          });
        }
        batches.set(b.id, b);
        return json(200, anthropicBatchView(b));
      }
      if ((r = m(/^\/v1\/messages\/batches\/([^/]+)$/)) && method === 'GET') {
        const b = batches.get(r[1]!);
        if (!b) return notFound();
        b.polls++;
        return json(200, anthropicBatchView(b));
      }
      if ((r = m(/^\/v1\/messages\/batches\/([^/]+)\/cancel$/)) && method === 'POST') {
        const b = batches.get(r[1]!);
        if (!b) return notFound();
        if (b.polls === 0) b.cancelled = true;
        return json(200, { ...anthropicBatchView(b), processing_status: b.cancelled ? 'canceling' : 'ended', results_url: null });
      }
      if ((r = m(/^\/v1\/messages\/batches\/([^/]+)\/results$/)) && method === 'GET') {
        const b = batches.get(r[1]!);
        if (!b || !(b.polls > 0 || b.cancelled)) return notFound();
        const text = b.lines.map((l) => JSON.stringify(b.cancelled ? { custom_id: l.custom_id, result: { type: 'canceled' } } : l.line)).join('\n') + '\n';
        res.writeHead(200, { 'content-type': 'application/binary', ...idHeader });
        res.end(text);
        return;
      }
      return notFound();
    }

    const base = protocol === 'dashscope' ? '/compatible-mode/v1' : '/v1';
    const sub = path.slice(base.length);
    if (method === 'POST' && sub === '/files') {
      const f = body as { purpose?: string; filename?: string; content?: string };
      const file: StoredFile = { id: protocol === 'dashscope' ? `file-batch-Fake${hex(n, 12)}` : `file-Fake${hex(n, 16)}`, filename: f.filename ?? 'input.jsonl', purpose: f.purpose ?? 'batch', content: f.content ?? '', created: now() };
      files.set(file.id, file);
      return json(200, { id: file.id, object: 'file', bytes: Buffer.byteLength(file.content), created_at: Math.floor(file.created / 1000), filename: file.filename, purpose: file.purpose, status: 'processed', expires_at: null, status_details: null });
    }
    if ((r = m(/^(?:\/v1|\/compatible-mode\/v1)\/files\/([^/]+)\/content$/)) && method === 'GET') {
      const f = files.get(r[1]!);
      if (!f) return notFound();
      res.writeHead(200, { 'content-type': 'application/octet-stream', ...idHeader });
      res.end(f.content);
      return;
    }
    if (method === 'POST' && sub === '/batches') {
      const p = body as { input_file_id?: string; endpoint?: string };
      const input = files.get(p.input_file_id ?? '');
      if (!input) return json(400, { error: { message: `Invalid input_file_id: ${p.input_file_id}`, type: 'invalid_request_error', param: 'input_file_id', code: null } });
      const lines = input.content.split('\n').filter((l) => l.trim());
      const b: StoredBatch = { protocol, id: protocol === 'dashscope' ? `batch_${hex(n, 8)}-fa4e-9000-8000-${hex(n, 12)}` : `batch_Fake${hex(n, 24)}`, created: now(), polls: 0, cancelled: false, lines: [], inputFileId: input.id, endpoint: p.endpoint ?? '/v1/chat/completions', total: lines.length };
      let i = 0;
      for (const l of lines) {
        const item = JSON.parse(l) as { custom_id: string; body: Record<string, unknown> };
        const a = batchAnswer(protocol, item.body ?? {});
        b.lines.push({ custom_id: item.custom_id, ok: a.ok, line: { id: `batch_req_${hex(n, 8)}${hex(++i, 6)}`, custom_id: item.custom_id, response: { status_code: a.status, request_id: a.requestId, body: a.payload }, error: null } });
      }
      const mk = (suffix: string, ok: boolean) => {
        const f: StoredFile = { id: protocol === 'dashscope' ? `file-batch_output-Fake${hex(n, 12)}${suffix}` : `file-Fake${hex(n, 12)}${suffix}`, filename: `${b.id}_${suffix}.jsonl`, purpose: 'batch_output', content: b.lines.filter((x) => x.ok === ok).map((x) => JSON.stringify(x.line)).join('\n') + '\n', created: now() };
        files.set(f.id, f);
        return f.id;
      };
      b.outputFileId = mk('out', true);
      b.errorFileId = mk('err', false);
      batches.set(b.id, b);
      return json(200, openaiBatchView(b));
    }
    if ((r = m(/^(?:\/v1|\/compatible-mode\/v1)\/batches\/([^/]+)$/)) && method === 'GET') {
      const b = batches.get(r[1]!);
      if (!b) return notFound();
      b.polls++;
      return json(200, openaiBatchView(b));
    }
    if ((r = m(/^(?:\/v1|\/compatible-mode\/v1)\/batches\/([^/]+)\/cancel$/)) && method === 'POST') {
      const b = batches.get(r[1]!);
      if (!b) return notFound();
      if (b.polls === 0) b.cancelled = true;
      return json(200, { ...openaiBatchView(b), status: b.cancelled ? 'cancelling' : 'completed' });
    }
    return notFound();
  }

  // ---- listings, token counts and the gateway's key budget (local servers, LiteLLM) ------------------------------
  /** GET /v1/models (OpenAI, Anthropic, DashScope, local servers), GET /api/tags (Ollama), POST /tokenize (llama.cpp,
   * vLLM), GET /key/info (LiteLLM). Recorded like every request. */
  function handleListing(req: http.IncomingMessage, res: http.ServerResponse, path: string, raw: string): boolean {
    const method = req.method ?? 'GET';
    const isListing =
      (method === 'GET' && (path === '/v1/models' || path === '/compatible-mode/v1/models' || path === '/api/tags' || path === '/key/info')) || (method === 'POST' && path === '/tokenize');
    if (!isListing) return false;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      // keep the raw text
    }
    requests.push({ method, path, headers, body, at: now() });
    const reply = (status: number, payload: unknown) => send(res, status, { 'content-type': 'application/json' }, payload);
    if (path === '/key/info') {
      if (!gateway) return (reply(404, { detail: 'Not Found' }), true);
      return (reply(200, { key: 'sk-…', info: { spend: gateway.spend ?? 0, max_budget: gateway.maxBudget ?? null } }), true);
    }
    if (path === '/tokenize') {
      const b = (body && typeof body === 'object' ? body : {}) as { prompt?: unknown; content?: unknown };
      const text = typeof b.prompt === 'string' ? b.prompt : typeof b.content === 'string' ? b.content : '';
      const n = textTokens(text);
      return (reply(200, { count: n, max_model_len: 32768, tokens: Array.from({ length: n }, (_, i) => i) }), true);
    }
    if (path === '/api/tags') return (reply(200, { models: FAKE_MODELS.openaiCompatible.map((name) => ({ name, model: name, size: 2_000_000_000 })) }), true);
    const protocol: Protocol = path.startsWith('/compatible-mode/') ? 'dashscope' : headers['x-api-key'] !== undefined ? 'anthropic' : 'openai';
    if (listing?.status) {
      const message = `listing refused (HTTP ${listing.status})`;
      return (reply(listing.status, protocol === 'anthropic' ? { type: 'error', error: { type: listing.status === 401 ? 'authentication_error' : 'api_error', message } } : { error: { message, type: 'invalid_request_error', param: null, code: null } }), true);
    }
    const ids: readonly string[] =
      listing?.models?.[protocol] ?? (protocol === 'dashscope' ? FAKE_MODELS.dashscope : protocol === 'anthropic' ? FAKE_MODELS.anthropic : [...FAKE_MODELS.openai, ...FAKE_MODELS.openaiCompatible]);
    if (protocol === 'anthropic') {
      // Anthropic's pages: `limit` (default 20, at most 1000), `after_id`, then has_more / first_id / last_id.
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const limit = Math.min(1000, Math.max(1, Number(q.get('limit')) || 20));
      const after = q.get('after_id');
      const from = after ? ids.indexOf(after) + 1 : 0;
      const page = ids.slice(from, from + limit);
      const data = page.map((id, i) => ({ type: 'model', id, display_name: id, created_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() }));
      return (reply(200, { data, has_more: from + limit < ids.length, first_id: page[0] ?? null, last_id: page.at(-1) ?? null }), true);
    }
    const shutdown = listing?.shutdownDates ?? {};
    reply(200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake', ...(shutdown[id] ? { shutdown_date: shutdown[id] } : {}) })) });
    return true;
  }

  const API_ROUTES = new Set(['/v1/chat/completions', '/compatible-mode/v1/chat/completions', '/v1/messages', '/v1/messages/count_tokens']);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const buf = Buffer.concat(chunks);
      const raw = buf.toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (!path.startsWith('/__fake/') && handleListing(req, res, path, raw)) return;
      const run = path.startsWith('/__fake/')
        ? handleControl(req, res, path, raw)
        : API_ROUTES.has(path) && req.method === 'POST'
          ? handleApi(req, res, path, raw)
          : isBatchRoute(path)
            ? handleBatch(req, res, path, buf)
            : Promise.resolve(send(res, 404, { 'content-type': 'application/json' }, { error: { message: `Unknown route ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } }));
      run.catch((e: unknown) => {
        if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, { error: { message: String(e), type: 'server_error', param: null, code: null } });
        else res.destroy();
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    dashscopeBaseUrl: `${url}/compatible-mode/v1`,
    requests,
    enqueue: (...s: Scenario[]) => {
      queue.push(...s);
    },
    setLimits: (l) => {
      limits = l;
    },
    setListing: (l) => {
      listing = l;
    },
    reset: resetState,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
