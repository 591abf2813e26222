/**
 * Shared vocabulary of the core. Pure TypeScript: nothing here may import 'vscode'.
 */

export type ProviderId = 'openai' | 'anthropic' | 'dashscope' | 'openaiCompatible';
export const PROVIDER_IDS: readonly ProviderId[] = ['openai', 'anthropic', 'dashscope', 'openaiCompatible'];
export const PROVIDER_LABELS: Record<ProviderId, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  dashscope: 'DashScope (Qwen)',
  openaiCompatible: 'OpenAI-compatible (local / gateway)',
};

export type Tier = 'simple' | 'medium' | 'complex';
export const TIERS: readonly Tier[] = ['simple', 'medium', 'complex'];

export type Currency = 'USD' | 'CNY';

/**
 * Normalised token usage. Every provider adapter converts its own reporting shape into this one:
 * - `inputTokens` is ALL prompt tokens of the request: uncached + cache read + cache write.
 *   (Anthropic reports `input_tokens` WITHOUT the cached parts, so the adapter adds them;
 *    OpenAI/Qwen report `prompt_tokens` that already INCLUDE `cached_tokens`.)
 * - `outputTokens` is all generated tokens, reasoning included (reasoning bills as output).
 * - `reasoningTokens` is the part of `outputTokens` spent on reasoning, where reported.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /**
   * DashScope: the cache counts are those of an explicit (`cache_control`) cache, whose hits bill at another
   * price than implicit-cache hits. Absent: implicit (or the provider has one kind).
   */
  explicitCache?: boolean;
}

export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

/** Input tokens billed at the full input price. */
export function uncachedInputTokens(u: Usage): number {
  return Math.max(0, u.inputTokens - u.cacheReadTokens - u.cacheWriteTokens);
}

/** A tool the model may call (VS Code's `LanguageModelChatTool`): its name, description and JSON-schema input. */
export interface ToolDefinition {
  name: string;
  description: string;
  /** A JSON schema of the input object; undefined: no input. */
  inputSchema?: object;
}

/** Whether the model must call a tool (`required`: one of the tools) or may answer in text (`auto`). */
export type ToolChoice = 'auto' | 'required';

/** A tool call the model made: an id the result refers to, the tool's name and its input (parsed JSON). */
export interface ToolCall {
  id: string;
  name: string;
  input: object;
}

/** The result of an earlier tool call, sent back on the next turn (text parts only). */
export interface ToolResult {
  callId: string;
  content: string;
  isError?: boolean;
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  /** Assistant turns: the tool calls the model made after `content`. */
  toolCalls?: ToolCall[];
  /** User turns: results of the previous turn's tool calls, sent before `content`. */
  toolResults?: ToolResult[];
  /** Put a prompt-cache breakpoint after this message (Anthropic cache_control). */
  cacheBreakpoint?: boolean;
  /**
   * Ends the stable part of the prompt (the document or selection an editor request is about): prompt caching may
   * put a breakpoint after it even when it is the last message. Never sent on the wire.
   */
  stable?: boolean;
}

export interface ChatRequest {
  provider: ProviderId;
  model: string;
  system?: string;
  /** Put a prompt-cache breakpoint after the system prompt (Anthropic cache_control). */
  systemCacheBreakpoint?: boolean;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
  /** Use the provider's batch API (half price, asynchronous). */
  batch?: boolean;
  /**
   * When a cache write is worth its premium: `always` (the prefix is likely to be asked about again), or
   * `whenSeen` (only once the same prefix has been sent before, e.g. simple-tier tasks). Default `always`.
   */
  cachePolicy?: 'always' | 'whenSeen';
  /** Tools the model may call; their definitions are part of the stable prefix. */
  tools?: ToolDefinition[];
  /** With `tools`: may the model answer without a call (`auto`, default) or must it call one (`required`). */
  toolChoice?: ToolChoice;
}

/** The text of a message as counted: its content, its tool calls' names and inputs, its tool results. */
export function messageText(m: ChatMessage): string {
  if (!m.toolCalls?.length && !m.toolResults?.length) return m.content;
  const parts: string[] = [];
  for (const r of m.toolResults ?? []) parts.push(r.content);
  if (m.content) parts.push(m.content);
  for (const c of m.toolCalls ?? []) parts.push(`${c.name} ${JSON.stringify(c.input)}`);
  return parts.join('\n');
}

/** The tool definitions as counted (name, description, schema), one per line; '' without tools. */
export function toolsText(tools: readonly ToolDefinition[] | undefined): string {
  return (tools ?? []).map((t) => `${t.name} ${t.description} ${t.inputSchema ? JSON.stringify(t.inputSchema) : ''}`).join('\n');
}

/** A message without its cache mark (every other field kept). */
export function unmarked(m: ChatMessage): ChatMessage {
  if (!m.cacheBreakpoint) return m;
  const { cacheBreakpoint: _mark, ...rest } = m;
  return rest;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'error' | 'cancelled' | 'unknown';

export interface Timing {
  /** ms from sending the request to the first text delta; undefined when no text arrived. */
  timeToFirstTokenMs?: number;
  /** ms from sending the request to the end of the stream. */
  totalMs: number;
  /** output tokens per second over the generation window (first token to end). */
  tokensPerSecond?: number;
}

/** Normalised stream events, the same for every provider. */
export type StreamEvent =
  | { type: 'start'; requestId?: string; model?: string; headers?: Record<string, string> }
  | { type: 'text'; text: string }
  /** A complete tool call (its input fully streamed and parsed). */
  | { type: 'toolCall'; call: ToolCall }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; result: CallResult };

export interface CallResult {
  text: string;
  /** Tool calls the model made, in order (finish reason `tool_calls`). */
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** true when usage came from the provider; false when it is an estimate (for example a broken stream). */
  usageReported: boolean;
  /** The model that actually answered, as the provider named it. */
  model: string;
  requestId?: string;
  timing: Timing;
  /** Response headers that matter downstream (rate-limit headers, request ids). Lower-case names. */
  headers: Record<string, string>;
}
