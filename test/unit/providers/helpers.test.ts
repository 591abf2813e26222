import assert from 'node:assert/strict';
import { estimateTokens } from '../../../src/core/tokens/estimate';
import {
  defaultBaseUrl,
  estimateUsage,
  fromAnthropicUsage,
  fromOpenAIUsage,
  isReasoningModel,
  mapAnthropicStopReason,
  mapOpenAIFinishReason,
  providerNeedsKey,
  scrubSecret,
} from '../../../src/core/providers';
import { contextNumbers, describeCause, errorDetails, toProviderError, type AttemptContext } from '../../../src/core/providers/errorMapping';
import { mergeAnthropicUsage } from '../../../src/core/providers/usage';
import { uncachedInputTokens } from '../../../src/core/types';

const ctx = (over: Partial<AttemptContext> = {}): AttemptContext => ({
  provider: 'openai',
  model: 'm',
  baseUrl: 'https://api.openai.com/v1',
  timedOut: false,
  userAborted: false,
  responseStarted: false,
  partialText: '',
  ...over,
});

describe('providers: helpers', () => {
  it('OpenAI/Qwen usage: prompt_tokens includes cached_tokens', () => {
    const u = fromOpenAIUsage({
      prompt_tokens: 3019,
      completion_tokens: 104,
      prompt_tokens_details: { cached_tokens: 2048 },
      completion_tokens_details: { reasoning_tokens: 40 },
    });
    assert.deepEqual(u, { inputTokens: 3019, outputTokens: 104, cacheReadTokens: 2048, cacheWriteTokens: 0, reasoningTokens: 40 });
    assert.equal(uncachedInputTokens(u), 971);
    assert.deepEqual(fromOpenAIUsage({ prompt_tokens: 5, completion_tokens: 2 }), { inputTokens: 5, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('DashScope explicit cache creation counts as a cache write', () => {
    const u = fromOpenAIUsage({ prompt_tokens: 3564, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 0, cache_creation_input_tokens: 3550 } });
    assert.equal(u.cacheWriteTokens, 3550);
    assert.equal(uncachedInputTokens(u), 14);
  });

  it('Anthropic usage: input_tokens excludes cache reads and writes', () => {
    const u = fromAnthropicUsage({ input_tokens: 21, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0, output_tokens: 393 });
    assert.deepEqual(u, { inputTokens: 188107, outputTokens: 393, cacheReadTokens: 0, cacheWriteTokens: 188086, reasoningTokens: 0 });
    assert.equal(uncachedInputTokens(u), 21);
    const merged = mergeAnthropicUsage({ input_tokens: 25, cache_read_input_tokens: 100, output_tokens: 1 }, { output_tokens: 15, input_tokens: null });
    assert.deepEqual(merged, { input_tokens: 25, cache_read_input_tokens: 100, output_tokens: 15 });
  });

  it('estimates usage of a broken stream from what was reported and what arrived', () => {
    const req = { provider: 'openai' as const, model: 'm', system: 'abcd', messages: [{ role: 'user' as const, content: 'x'.repeat(8) }], maxTokens: 10 };
    const e = estimateTokens;
    assert.deepEqual(estimateUsage(req, 'y'.repeat(9)), { inputTokens: e('abcd') + 3 + e('x'.repeat(8)) + 3, outputTokens: e('y'.repeat(9)), cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    const reported = { inputTokens: 50, outputTokens: 1, cacheReadTokens: 20, cacheWriteTokens: 0, reasoningTokens: 0 };
    assert.deepEqual(estimateUsage(req, 'y'.repeat(9) + ' y'.repeat(20), reported), { ...reported, outputTokens: e('y'.repeat(9) + ' y'.repeat(20)) });
  });

  it('maps finish reasons', () => {
    assert.equal(mapOpenAIFinishReason('stop'), 'stop');
    assert.equal(mapOpenAIFinishReason('length'), 'length');
    assert.equal(mapOpenAIFinishReason('content_filter'), 'content_filter');
    assert.equal(mapOpenAIFinishReason('function_call'), 'tool_calls');
    assert.equal(mapOpenAIFinishReason(null), 'unknown');
    assert.equal(mapAnthropicStopReason('end_turn'), 'stop');
    assert.equal(mapAnthropicStopReason('stop_sequence'), 'stop');
    assert.equal(mapAnthropicStopReason('max_tokens'), 'length');
    assert.equal(mapAnthropicStopReason('tool_use'), 'tool_calls');
    assert.equal(mapAnthropicStopReason('refusal'), 'content_filter');
    assert.equal(mapAnthropicStopReason('pause_turn'), 'unknown');
  });

  it('base URLs and key requirements', () => {
    assert.equal(defaultBaseUrl('openai'), 'https://api.openai.com/v1');
    assert.equal(defaultBaseUrl('anthropic'), 'https://api.anthropic.com');
    assert.equal(defaultBaseUrl('openaiCompatible'), 'http://localhost:11434/v1');
    assert.deepEqual(['openai', 'anthropic', 'dashscope', 'openaiCompatible'].map((p) => providerNeedsKey(p as never)), [true, true, true, false]);
  });

  it('recognises reasoning model families', () => {
    for (const m of ['o1', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-nano', 'openai/o3', 'gpt-6-luna', 'gpt-6.1-sol', 'gpt-6.2-astra']) assert.ok(isReasoningModel(m), m);
    for (const m of ['gpt-4o', 'gpt-4.1-mini', 'qwen-plus', 'llama3']) assert.ok(!isReasoningModel(m), m);
  });

  it('reads token count and window from the providers’ context messages', () => {
    assert.deepEqual(contextNumbers("This model's maximum context length is 8192 tokens. However, your messages resulted in 8227 tokens."), { window: 8192, tokens: 8227 });
    assert.deepEqual(contextNumbers("This model's maximum context length is 4096 tokens. However, you requested 4118 tokens (3118 in the messages, 1000 in the completion)."), { window: 4096, tokens: 4118 });
    assert.deepEqual(contextNumbers('prompt is too long: 205351 tokens > 200000 maximum'), { tokens: 205351, window: 200000 });
    assert.deepEqual(contextNumbers('<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 983616]'), { window: 983616 });
    assert.deepEqual(contextNumbers('nothing here'), {});
  });

  it('extracts details from every error body shape', () => {
    assert.deepEqual(errorDetails({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' }, ''), { message: 'Overloaded', codes: ['overloaded_error'], requestId: 'req_1' });
    assert.deepEqual(errorDetails({ message: 'q', type: 'insufficient_quota', code: 'insufficient_quota' }, '').codes, ['insufficient_quota']);
    const ds = errorDetails(undefined, '429 id:1\nevent:error\n:HTTP_STATUS/429\ndata:{"request_id":"r-9","code":"Throttling.RateQuota","message":"Too fast"}\n\n');
    assert.deepEqual(ds, { message: 'Too fast', codes: ['Throttling.RateQuota'], requestId: 'r-9' });
  });

  it('scrubs the key from messages', () => {
    assert.equal(scrubSecret('key sk-abcdef was bad; sk-abcdef', 'sk-abcdef'), 'key *** was bad; ***');
    assert.equal(scrubSecret('x', undefined), 'x');
    const e = toProviderError({ cls: 'api', status: 400, body: { message: 'echo sk-secret-123', type: 'invalid_request_error', code: null }, message: '400 echo sk-secret-123', cause: undefined }, ctx({ apiKey: 'sk-secret-123' }));
    assert.ok(!e.message.includes('sk-secret-123'));
  });

  it('classifies by status, code and context', () => {
    const api = (status: number | undefined, body: unknown) => ({ cls: 'api' as const, status, body, message: '', cause: undefined });
    assert.equal(toProviderError(api(402, {}), ctx()).kind, 'quota');
    assert.equal(toProviderError(api(408, {}), ctx()).kind, 'requestTimeout');
    assert.equal(toProviderError(api(409, {}), ctx()).kind, 'conflict');
    assert.equal(toProviderError(api(413, {}), ctx()).kind, 'contextLength');
    assert.equal(toProviderError(api(422, {}), ctx()).kind, 'badRequest');
    assert.equal(toProviderError(api(403, { error: { type: 'AllocationQuota.FreeTierOnly', message: 'free quota exhausted' } }), ctx({ provider: 'dashscope' })).kind, 'quota');
    assert.equal(toProviderError(api(undefined, { type: 'error', error: { type: 'rate_limit_error', message: '' } }), ctx()).kind, 'rateLimit');
    assert.equal(toProviderError(api(undefined, {}), ctx({ partialText: 'abc' })).kind, 'streamInterrupted');
    assert.equal(toProviderError(api(500, {}), ctx({ userAborted: true })).kind, 'aborted');
    assert.equal(toProviderError({ cls: 'userAbort', message: '', cause: undefined }, ctx({ timedOut: true, timeoutMs: 100 })).kind, 'timeout');
    assert.equal(toProviderError({ cls: 'connectionTimeout', message: '', cause: undefined }, ctx()).kind, 'timeout');
    assert.equal(toProviderError({ cls: 'other', message: '', cause: new SyntaxError('Unexpected token') }, ctx()).kind, 'malformed');
    assert.equal(toProviderError({ cls: 'other', message: '', cause: new TypeError('terminated') }, ctx({ partialText: 'a' })).kind, 'streamInterrupted');
    assert.equal(toProviderError({ cls: 'other', message: '', cause: new TypeError('terminated') }, ctx({ responseStarted: true })).kind, 'network');
  });
});

describe('describeCause', () => {
  it('joins a message and its cause without "error.:"', () => {
    const e = new Error('Connection error.', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    assert.equal(describeCause(e), 'Connection error: ECONNREFUSED');
    assert.equal(describeCause(new Error('Connection error.')), 'Connection error.');
  });
});
