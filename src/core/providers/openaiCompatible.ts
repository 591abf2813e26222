import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionContentPartText, ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Clock } from '../clock';
import { ProviderError } from '../errors';
import type { ChatRequest, FinishReason, StreamEvent, ToolDefinition } from '../types';
import { ToolCallAssembler } from './toolCalls';
import { supportsDashScopeExplicitCache } from '../resilience/caching';
import { defaultBaseUrl, providerNeedsKey } from './baseUrls';
import { Attempt } from './attempt';
import { missingKeyError, sdkFailureClassifier, toProviderError } from './errorMapping';
import { mapOpenAIFinishReason } from './finishReason';
import type { Provider, ProviderConfig } from './types';
import { fromOpenAIUsage } from './usage';

import { isReasoningModel, reasoningRoomTokens, thinksByDefault } from './reasoning';

export { isReasoningModel };

/** A text part carrying DashScope's explicit-cache mark (the OpenAI types do not know `cache_control`). */
interface CachedTextPart {
  type: 'text';
  text: string;
  cache_control: { type: 'ephemeral' };
}

/**
 * Chat messages in the OpenAI shape. DashScope models with an explicit cache (not in batch, which has no cache
 * discount): a message carrying a
 * cache mark (`systemCacheBreakpoint`, `cacheBreakpoint`) is sent as one text part with
 * `cache_control: {type: 'ephemeral'}`, DashScope's explicit context cache; other messages stay plain strings.
 * Elsewhere the marks are not sent.
 * Consecutive user messages without cache marks (an editor request's selection, then its question) are sent as
 * one, joined by a blank line: some chat templates of local servers refuse two user turns in a row, and the
 * automatic prefix caches see the same prefix either way (the selection comes first).
 */
export function toOpenAIMessages(req: ChatRequest): ChatCompletionMessageParam[] {
  const marks = req.provider === 'dashscope' && !req.batch && supportsDashScopeExplicitCache(req.model);
  const content = (text: string, mark: boolean | undefined): string | ChatCompletionContentPartText[] => {
    if (!marks || !mark) return text;
    const part: CachedTextPart = { type: 'text', text, cache_control: { type: 'ephemeral' } };
    return [part];
  };
  const out: ChatCompletionMessageParam[] = [];
  if (req.system) out.push({ role: 'system', content: content(req.system, req.systemCacheBreakpoint) });
  let prev: ChatRequest['messages'][number] | undefined;
  for (const m of req.messages) {
    // Tool results go first, one `tool` message per call, answering the assistant turn before.
    for (const r of m.toolResults ?? []) out.push({ role: 'tool', tool_call_id: r.callId, content: r.content });
    if (m.role === 'assistant' && m.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.input) } })),
      });
      prev = m;
      continue;
    }
    if (m.toolResults?.length && !m.content) {
      prev = m;
      continue;
    }
    const c = content(m.content, m.cacheBreakpoint);
    const last = out[out.length - 1];
    if (prev && m.role === 'user' && prev.role === 'user' && !m.cacheBreakpoint && !prev.cacheBreakpoint && last?.role === 'user' && typeof last.content === 'string' && typeof c === 'string') {
      last.content = `${last.content}\n\n${c}`;
    } else out.push(m.role === 'user' ? { role: 'user', content: c } : { role: 'assistant', content: c });
    prev = m;
  }
  return out;
}

/** VS Code's tool definitions as OpenAI `tools` (DashScope and OpenAI-compatible servers take the same shape). */
export function toOpenAITools(tools: readonly ToolDefinition[]): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: (t.inputSchema ?? { type: 'object', properties: {} }) as Record<string, unknown> },
  }));
}

export function buildChatBody(cfg: Pick<ProviderConfig, 'id'>, req: ChatRequest): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model: req.model,
    messages: toOpenAIMessages(req),
    stream: true,
    stream_options: { include_usage: true },
  };
  const reasoning = isReasoningModel(req.model);
  // OpenAI deprecated max_tokens and rejects it for reasoning models; DashScope and local servers expect max_tokens.
  if (cfg.id === 'openai' && reasoning) body.max_completion_tokens = req.maxTokens + reasoningRoomTokens(cfg.id, req.model);
  else body.max_tokens = req.maxTokens;
  if (req.temperature !== undefined && !reasoning) body.temperature = req.temperature;
  if (req.tools?.length) {
    body.tools = toOpenAITools(req.tools);
    body.tool_choice = req.toolChoice === 'required' ? 'required' : 'auto';
  }
  if (thinksByDefault(cfg.id, req.model)) (body as ChatCompletionCreateParamsStreaming & { enable_thinking?: boolean }).enable_thinking = false;
  return body;
}

const classify = sdkFailureClassifier({ APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError });

/** OpenAI, DashScope (compatible mode) and any OpenAI-compatible server, through the official `openai` SDK. */
export class OpenAICompatibleProvider implements Provider {
  readonly id: ProviderConfig['id'];
  private readonly baseUrl: string;
  private client?: OpenAI;

  constructor(
    private readonly cfg: ProviderConfig,
    private readonly clock: Clock,
  ) {
    this.id = cfg.id;
    this.baseUrl = cfg.baseUrl ?? defaultBaseUrl(cfg.id, cfg.region);
  }

  private getClient(): OpenAI {
    if (this.client) return this.client;
    const key = this.cfg.apiKey;
    this.client = new OpenAI({
      // Without a key (local servers) the SDK still wants one; the Authorization header is removed below.
      apiKey: key || 'no-key',
      baseURL: this.baseUrl,
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: 0,
      ...(this.cfg.fetch ? { fetch: this.cfg.fetch } : {}),
      defaultHeaders: { ...(this.cfg.headers ?? {}), ...(key ? {} : { Authorization: null }) },
    });
    return this.client;
  }

  async *stream(req: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
    if (providerNeedsKey(this.id) && !this.cfg.apiKey) throw missingKeyError(this.id, req.model);
    const a = new Attempt(this.id, req, this.baseUrl, this.clock, this.cfg.timeoutMs, signal, this.cfg.apiKey);
    let finish: FinishReason | undefined;
    const tools = new ToolCallAssembler();
    try {
      try {
        const { data, response, request_id } = await this.getClient()
          .chat.completions.create(buildChatBody(this.cfg, req), { signal: a.signal })
          .withResponse();
        yield a.started(response.headers, request_id);
        a.arm();
        for await (const chunk of data) {
          a.pause();
          if (a.aborted) break; // cancelled or timed out: no more text after that point
          if (chunk.model) a.answeringModel = chunk.model;
          if (!a.requestId && chunk.id) a.requestId = chunk.id;
          if (chunk.usage) a.reported = fromOpenAIUsage(chunk.usage);
          for (const choice of chunk.choices ?? []) {
            if (choice.index !== 0) continue;
            const delta = choice.delta?.content;
            if (typeof delta === 'string' && delta) {
              a.addText(delta);
              yield { type: 'text', text: delta };
            }
            for (const t of choice.delta?.tool_calls ?? []) tools.add(t.index, { id: t.id, name: t.function?.name, args: t.function?.arguments });
            if (choice.finish_reason) finish = mapOpenAIFinishReason(choice.finish_reason);
          }
          a.arm();
        }
        a.pause();
      } catch (e) {
        throw e instanceof ProviderError ? e : toProviderError(classify(e), a.context());
      }
      // The SDK ends the iteration quietly when the request is aborted: tell the caller why it ended.
      if (a.aborted) throw toProviderError({ cls: 'userAbort', message: 'aborted', cause: undefined }, a.context());
      if (finish === undefined) {
        throw toProviderError(
          { cls: 'other', message: 'stream ended early', cause: new Error('the stream ended without a finish reason') },
          a.context(),
        );
      }
      const calls = tools.finish();
      for (const call of calls) yield { type: 'toolCall', call };
      const result = a.result(finish, req.model);
      if (calls.length) result.toolCalls = calls;
      yield { type: 'usage', usage: result.usage };
      yield { type: 'finish', result };
    } finally {
      a.dispose();
    }
  }
}
