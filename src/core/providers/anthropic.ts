import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageCreateParamsStreaming, MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { Clock } from '../clock';
import { ProviderError } from '../errors';
import type { ChatRequest, FinishReason, StreamEvent, ToolDefinition } from '../types';
import { ToolCallAssembler } from './toolCalls';
import { defaultBaseUrl } from './baseUrls';
import { Attempt } from './attempt';
import { missingKeyError, sdkFailureClassifier, toProviderError } from './errorMapping';
import { mapAnthropicStopReason } from './finishReason';
import type { Provider, ProviderConfig } from './types';
import { fromAnthropicUsage, mergeAnthropicUsage, type AnthropicWireUsage } from './usage';

const EPHEMERAL = { type: 'ephemeral' } as const;

/** System prompt: a plain string, or a text block carrying cache_control when a breakpoint is asked for. */
export function toAnthropicSystem(req: ChatRequest): string | TextBlockParam[] | undefined {
  if (!req.system) return undefined;
  return req.systemCacheBreakpoint ? [{ type: 'text', text: req.system, cache_control: EPHEMERAL }] : req.system;
}

export function toAnthropicMessages(req: ChatRequest): MessageParam[] {
  return req.messages.map((m) => {
    if (!m.toolCalls?.length && !m.toolResults?.length) {
      return m.cacheBreakpoint
        ? { role: m.role, content: [{ type: 'text', text: m.content, cache_control: EPHEMERAL }] }
        : { role: m.role, content: m.content };
    }
    // Tool results lead the user turn; tool calls follow the assistant's text. The cache mark goes on the last block.
    const blocks: ContentBlockParam[] = [];
    for (const r of m.toolResults ?? []) blocks.push({ type: 'tool_result', tool_use_id: r.callId, content: r.content, ...(r.isError ? { is_error: true } : {}) });
    if (m.content) blocks.push({ type: 'text', text: m.content });
    for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.input });
    const last = blocks[blocks.length - 1];
    if (m.cacheBreakpoint && last && last.type !== 'thinking' && last.type !== 'redacted_thinking') (last as { cache_control?: typeof EPHEMERAL }).cache_control = EPHEMERAL;
    return { role: m.role, content: blocks };
  });
}

/** VS Code's tool definitions as Anthropic `tools`. */
export function toAnthropicTools(tools: readonly ToolDefinition[]): Tool[] {
  return tools.map((t) => ({ name: t.name, description: t.description, input_schema: (t.inputSchema ?? { type: 'object', properties: {} }) as Tool['input_schema'] }));
}

/**
 * Claude Sonnet 5+, Opus 4.7+, Haiku 5+, Fable and Mythos answer a non-default `temperature` with a 400: it is
 * left out for them (a simple task's temperature 0 must not break when a long input moves it to such a model).
 */
export function acceptsTemperature(model: string): boolean {
  const m = model.toLowerCase();
  return !/claude-(sonnet|opus|haiku)-([5-9]|\d{2,})|claude-opus-4-([7-9]|\d{2,})|fable|mythos/.test(m);
}

export function buildMessagesBody(req: ChatRequest): MessageCreateParamsStreaming {
  const system = toAnthropicSystem(req);
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    messages: toAnthropicMessages(req),
    ...(system !== undefined ? { system } : {}),
    ...(req.temperature !== undefined && acceptsTemperature(req.model) ? { temperature: req.temperature } : {}),
    ...(req.tools?.length ? { tools: toAnthropicTools(req.tools), tool_choice: { type: req.toolChoice === 'required' ? 'any' : 'auto' } } : {}),
    stream: true,
  };
}

const classify = sdkFailureClassifier({ APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError });

/** Anthropic Messages API streaming through the official `@anthropic-ai/sdk`. */
export class AnthropicProvider implements Provider {
  readonly id = 'anthropic' as const;
  private readonly baseUrl: string;
  private client?: Anthropic;

  constructor(
    private readonly cfg: ProviderConfig,
    private readonly clock: Clock,
  ) {
    this.baseUrl = cfg.baseUrl ?? defaultBaseUrl('anthropic');
  }

  private getClient(): Anthropic {
    this.client ??= new Anthropic({
      apiKey: this.cfg.apiKey,
      authToken: null,
      baseURL: this.baseUrl,
      maxRetries: 0,
      ...(this.cfg.fetch ? { fetch: this.cfg.fetch } : {}),
      ...(this.cfg.headers ? { defaultHeaders: this.cfg.headers } : {}),
    });
    return this.client;
  }

  async *stream(req: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
    if (!this.cfg.apiKey) throw missingKeyError('anthropic', req.model);
    const a = new Attempt('anthropic', req, this.baseUrl, this.clock, this.cfg.timeoutMs, signal, this.cfg.apiKey);
    let finish: FinishReason | undefined;
    let stopped = false;
    let wireUsage: AnthropicWireUsage | undefined;
    const tools = new ToolCallAssembler();
    try {
      try {
        const { data, response, request_id } = await this.getClient()
          .messages.create(buildMessagesBody(req), { signal: a.signal })
          .withResponse();
        yield a.started(response.headers, request_id);
        a.arm();
        for await (const ev of data) {
          a.pause();
          if (a.aborted) break; // cancelled or timed out: no more text after that point
          switch (ev.type) {
            case 'message_start':
              a.answeringModel = ev.message.model;
              wireUsage = mergeAnthropicUsage(undefined, ev.message.usage);
              a.reported = fromAnthropicUsage(wireUsage);
              break;
            case 'content_block_start':
              if (ev.content_block.type === 'tool_use') tools.add(ev.index, { id: ev.content_block.id, name: ev.content_block.name });
              break;
            case 'content_block_delta':
              if (ev.delta.type === 'text_delta' && ev.delta.text) {
                a.addText(ev.delta.text);
                yield { type: 'text', text: ev.delta.text };
              } else if (ev.delta.type === 'input_json_delta') tools.add(ev.index, { args: ev.delta.partial_json });
              break;
            case 'message_delta':
              finish = mapAnthropicStopReason(ev.delta.stop_reason);
              wireUsage = mergeAnthropicUsage(wireUsage, ev.usage as AnthropicWireUsage);
              a.reported = fromAnthropicUsage(wireUsage);
              break;
            case 'message_stop':
              stopped = true;
              break;
            default:
              break;
          }
          a.arm();
        }
        a.pause();
      } catch (e) {
        throw e instanceof ProviderError ? e : toProviderError(classify(e), a.context());
      }
      if (a.aborted) throw toProviderError({ cls: 'userAbort', message: 'aborted', cause: undefined }, a.context());
      if (!stopped) {
        // message_start usage alone is not the final count: treat the result as interrupted.
        throw toProviderError(
          { cls: 'other', message: 'stream ended early', cause: new Error('the stream ended before message_stop') },
          a.context(),
        );
      }
      const calls = tools.finish();
      for (const call of calls) yield { type: 'toolCall', call };
      const result = a.result(finish ?? 'unknown', req.model);
      if (calls.length) result.toolCalls = calls;
      yield { type: 'usage', usage: result.usage };
      yield { type: 'finish', result };
    } finally {
      a.dispose();
    }
  }

  async countTokens(req: ChatRequest, signal?: AbortSignal): Promise<number | undefined> {
    if (!this.cfg.apiKey) throw missingKeyError('anthropic', req.model);
    const a = new Attempt('anthropic', req, this.baseUrl, this.clock, this.cfg.timeoutMs, signal, this.cfg.apiKey);
    try {
      const system = toAnthropicSystem(req);
      const res = await this.getClient().messages.countTokens(
        { model: req.model, messages: toAnthropicMessages(req), ...(system !== undefined ? { system } : {}), ...(req.tools?.length ? { tools: toAnthropicTools(req.tools) } : {}) },
        { signal: a.signal },
      );
      return res.input_tokens;
    } catch (e) {
      throw toProviderError(classify(e), a.context());
    } finally {
      a.dispose();
    }
  }
}
