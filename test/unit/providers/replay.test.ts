/**
 * Recorded provider responses (test/fixtures/wire, see its README) replayed through Tierwise's providers and batch
 * clients — the official openai and @anthropic-ai/sdk SDKs over real HTTP — against a local replay server. Each
 * test asserts what Tierwise derives from the recording: the text, the usage with cache and reasoning tokens, the
 * finish reason, and the kind of error.
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock';
import { createProvider } from '../../../src/core/providers';
import { BatchClient } from '../../../src/core/batch/client';
import type { ChatRequest, ProviderId } from '../../../src/core/types';
import { tickingClock } from '../../helpers/clocks';
import { caught } from '../../helpers/errors';
import { recording, startReplay, type ReplayServer } from '../../helpers/replay';
import { collect } from './collect';

const KEYS: Record<ProviderId, string> = {
  openai: 'sk-replay-openai-0123456789abcdef',
  anthropic: 'sk-ant-replay-0123456789abcdef',
  dashscope: 'sk-replay-dashscope-0123456789',
  openaiCompatible: 'sk-replay-compatible-0123456789',
};
/** Where each provider's requests go on the replay server (the provider's own paths under its base URL). */
const PATHS: Record<'openai' | 'anthropic' | 'dashscope', { base: string; path: string }> = {
  openai: { base: '/v1', path: '/v1/chat/completions' },
  anthropic: { base: '', path: '/v1/messages' },
  dashscope: { base: '/compatible-mode/v1', path: '/compatible-mode/v1/chat/completions' },
};

function req(provider: ProviderId, model: string): ChatRequest {
  return { provider, model, system: 'Answer briefly.', messages: [{ role: 'user', content: 'Hello!' }], maxTokens: 100 };
}

describe('recorded provider transcripts replayed through the SDKs', () => {
  let replay: ReplayServer;
  before(async () => {
    replay = await startReplay({ rewriteOrigins: ['https://api.anthropic.com'] });
  });
  after(async () => {
    await replay.close();
  });
  beforeEach(() => replay.reset());

  /** Streams one request of `provider` against the recording `name`. */
  async function replayed(provider: 'openai' | 'anthropic' | 'dashscope', name: string, model: string) {
    const { base, path } = PATHS[provider];
    replay.serve('POST', path, name);
    const p = createProvider({ id: provider, baseUrl: `${replay.url}${base}`, apiKey: KEYS[provider] }, tickingClock());
    const c = await collect(p.stream(req(provider, model)));
    assert.equal(replay.requests.length, 1, 'one HTTP request, no SDK retry');
    return c;
  }

  describe('streams', () => {
    it('OpenAI chat stream with usage (gpt-3.5-turbo): text, usage, finish', async () => {
      const c = await replayed('openai', 'openai-chat-stream-usage', 'gpt-3.5-turbo');
      assert.equal(c.error, undefined);
      assert.equal(c.text, 'Hi, how are you?');
      assert.equal(c.events.filter((e) => e.type === 'text').length, 6, 'one text event per content delta');
      const r = c.result!;
      assert.equal(r.finishReason, 'stop');
      assert.equal(r.usageReported, true);
      assert.deepEqual(r.usage, { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
      // Tierwise asked for the usage chunk; without it there would be nothing to bill.
      assert.deepEqual(JSON.parse(replay.requests[0]!.body).stream_options, { include_usage: true });
    });

    it('OpenAI reasoning model that spent its whole budget reasoning (gpt-5-nano): no text, length, reasoning tokens, recorded headers', async () => {
      const c = await replayed('openai', 'openai-chat-stream-reasoning-length', 'gpt-5-nano');
      assert.equal(c.error, undefined);
      assert.equal(c.text, '');
      const r = c.result!;
      assert.equal(r.finishReason, 'length');
      assert.deepEqual(r.usage, { inputTokens: 12, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 100 });
      assert.equal(r.requestId, 'req_0b2a28d2d6414b5a94c1c7933cf7c1a6');
      assert.equal(r.headers['x-ratelimit-remaining-tokens'], '199992');
    });

    const usage = (input: number, output: number, cacheRead = 0, cacheWrite = 0, reasoning = 0) => ({ inputTokens: input, outputTokens: output, cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite, reasoningTokens: reasoning });
    const streams: { what: string; provider: 'openai' | 'anthropic' | 'dashscope'; name: string; model: string; text?: string; finish?: string; usage: ReturnType<typeof usage> }[] = [
      { what: 'Anthropic messages stream (SDK fixture, ping with a space)', provider: 'anthropic', name: 'anthropic-messages-stream', model: 'claude-opus-4-8', text: 'Hello there!', finish: 'stop', usage: usage(11, 6) },
      // Anthropic's input_tokens excludes the cache; Tierwise adds it back.
      { what: 'Anthropic stream that writes the prompt cache', provider: 'anthropic', name: 'anthropic-messages-stream-cache-write', model: 'claude-opus-4-8', usage: usage(21 + 188086, 393, 0, 188086) },
      { what: 'Anthropic stream that reads the prompt cache', provider: 'anthropic', name: 'anthropic-messages-stream-cache-read', model: 'claude-opus-4-8', usage: usage(21 + 188086, 393, 188086, 0) },
      { what: 'Anthropic newest stream shape (padded data lines, cumulative message_delta usage, thinking tokens, refusal)', provider: 'anthropic', name: 'anthropic-messages-stream-refusal-padded', model: 'claude-fable-5', text: 'Hi', finish: 'content_filter', usage: usage(28, 106, 0, 0, 67) },
      { what: 'DashScope compatible-mode stream (official doc transcript, Chinese text across deltas)', provider: 'dashscope', name: 'dashscope-compat-stream', model: 'qwen-plus', text: '我是来自阿里云的超大规模语言模型，我叫通义千问。', finish: 'stop', usage: usage(22, 17) },
      // cached_tokens are inside prompt_tokens.
      { what: 'DashScope stream with an implicit cache hit', provider: 'dashscope', name: 'dashscope-compat-stream-cached', model: 'qwen-plus', usage: usage(3019, 104, 2048) },
    ];
    for (const t of streams) {
      it(`${t.what}: ${t.text !== undefined ? 'text, ' : ''}usage${t.finish ? ', finish' : ''}`, async () => {
        const c = await replayed(t.provider, t.name, t.model);
        assert.equal(c.error, undefined);
        if (t.text !== undefined) assert.equal(c.text, t.text);
        if (t.finish) assert.equal(c.result!.finishReason, t.finish);
        assert.deepEqual(c.result!.usage, t.usage);
      });
    }

    it('Anthropic overloaded_error event inside a 200 stream: overloaded, with the text so far', async () => {
      const c = await replayed('anthropic', 'anthropic-messages-stream-error-overloaded', 'claude-sonnet-4-6');
      assert.equal(c.text, 'Hello');
      assert.equal(c.error?.kind, 'overloaded');
      assert.equal(c.error?.partialText, 'Hello');
    });
  });

  describe('error responses', () => {
    const cases: { provider: 'openai' | 'anthropic' | 'dashscope'; name: string; model: string; kind: string; status: number; code?: string; message?: RegExp; retryAfter?: string }[] = [
      { provider: 'openai', name: 'openai-error-401-invalid-api-key', model: 'gpt-4o', kind: 'auth', status: 401, code: 'invalid_api_key' },
      { provider: 'openai', name: 'openai-error-429-rate-limit', model: 'gpt-4o-mini', kind: 'rateLimit', status: 429, code: 'rate_limit_exceeded', retryAfter: '20' },
      { provider: 'openai', name: 'openai-error-400-context-length', model: 'gpt-4o', kind: 'contextLength', status: 400, code: 'context_length_exceeded', message: /4,?294/ },
      { provider: 'anthropic', name: 'anthropic-error-401-authentication', model: 'claude-sonnet-4-6', kind: 'auth', status: 401, code: 'authentication_error' },
      { provider: 'anthropic', name: 'anthropic-error-429-rate-limit', model: 'claude-sonnet-4-6', kind: 'rateLimit', status: 429, code: 'rate_limit_error', retryAfter: '7' },
      { provider: 'anthropic', name: 'anthropic-error-400-prompt-too-long', model: 'claude-sonnet-4-6', kind: 'contextLength', status: 400, code: 'invalid_request_error', message: /205,?351/ },
      { provider: 'anthropic', name: 'anthropic-error-529-overloaded', model: 'claude-sonnet-4-6', kind: 'overloaded', status: 529, code: 'overloaded_error' },
      { provider: 'dashscope', name: 'dashscope-error-401-invalid-api-key', model: 'qwen-plus', kind: 'auth', status: 401, code: 'invalid_api_key', message: /region-locked/ },
      { provider: 'dashscope', name: 'dashscope-error-400-input-length', model: 'qwen-plus', kind: 'contextLength', status: 400, code: 'invalid_parameter_error', message: /983,?616/ },
      { provider: 'dashscope', name: 'dashscope-stream-error-429', model: 'qwen-plus', kind: 'rateLimit', status: 429, code: 'Throttling.AllocationQuota' },
      { provider: 'dashscope', name: 'dashscope-stream-error-400-arrearage', model: 'qwen-plus', kind: 'quota', status: 400, code: 'Arrearage', message: /good standing/ },
    ];
    for (const t of cases) {
      it(`${t.name} → ${t.kind}`, async () => {
        const c = await replayed(t.provider, t.name, t.model);
        const e = c.error;
        assert.ok(e, 'the stream failed');
        assert.equal(e.kind, t.kind, e.message);
        assert.equal(e.status, t.status);
        if (t.code) assert.equal(e.code, t.code, e.message);
        if (t.message) assert.match(e.message, t.message);
        if (t.retryAfter) assert.equal(e.headers['retry-after'], t.retryAfter);
        assert.ok(!e.message.includes(KEYS[t.provider]), 'no key in the message');
        assert.equal(c.text, '');
      });
    }
  });

  describe('batch result files', () => {
    it('OpenAI: a completed batch, its output file and its error file', async () => {
      replay.serve('GET', '/v1/batches/batch_abc123', 'openai-batch-completed');
      replay.serve('GET', '/v1/files/file-cvaTdG/content', 'openai-batch-output');
      replay.serve('GET', '/v1/files/file-HOWS94/content', 'openai-batch-errors');
      const client = new BatchClient({ provider: 'openai', apiKey: KEYS.openai, baseUrl: `${replay.url}/v1`, clock: new ManualClock() });
      const info = await client.retrieve('batch_abc123');
      assert.equal(info.done, true);
      assert.equal(info.outputFileId, 'file-cvaTdG');
      assert.equal(info.errorFileId, 'file-HOWS94');
      const { results } = await client.results(info, { order: ['request-1', 'request-2', 'request-3', 'exp:t00010'] });
      assert.deepEqual(results.map((r) => [r.customId, r.ok]), [
        ['request-1', true],
        ['request-2', true],
        ['request-3', false],
        ['exp:t00010', false],
      ]);
      const [one, two, expired, refused] = results;
      assert.ok(one!.ok && two!.ok);
      assert.equal(one!.text, 'Hello! How can I assist you today?');
      assert.deepEqual(one!.usage, { inputTokens: 20, outputTokens: 9, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
      assert.equal(two!.text, 'Hello.');
      assert.ok(!expired!.ok && !refused!.ok);
      assert.equal(expired!.outcome, 'expired');
      assert.match(refused!.message, /max_output_tokens/);
      for (const r of replay.requests) assert.equal(r.headers.authorization, `Bearer ${KEYS.openai}`);
    });

    it('Anthropic: an ended Message Batch and its results (succeeded, errored, canceled, expired)', async () => {
      replay.serve('GET', '/v1/messages/batches/msgbatch_013Zva2CMHLNnXjNJJKqJ2EF', 'anthropic-batch-ended');
      replay.serve('GET', '/v1/messages/batches/msgbatch_013Zva2CMHLNnXjNJJKqJ2EF/results', 'anthropic-batch-results');
      const client = new BatchClient({ provider: 'anthropic', apiKey: KEYS.anthropic, baseUrl: replay.url, clock: new ManualClock() });
      const info = await client.retrieve('msgbatch_013Zva2CMHLNnXjNJJKqJ2EF');
      assert.equal(info.done, true);
      assert.equal(info.resultsUrl, `${replay.url}/v1/messages/batches/msgbatch_013Zva2CMHLNnXjNJJKqJ2EF/results`);
      const order = ['my-first-request', 'my-second-request', 'my-third-request', 'my-fourth-request', 'my-fifth-request'];
      const { results } = await client.results(info, { order });
      assert.deepEqual(results.map((r) => r.customId), order);
      const [first, second, third, fourth, fifth] = results;
      assert.ok(first!.ok && second!.ok);
      assert.match(first!.text, /^Hello! How can I assist you today\?/);
      assert.deepEqual(first!.usage, { inputTokens: 10, outputTokens: 34, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
      assert.deepEqual(second!.usage, { inputTokens: 11, outputTokens: 36, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
      assert.ok(!third!.ok && !fourth!.ok && !fifth!.ok);
      assert.match(third!.message, /max_tokens: 100000 > 64000/);
      assert.equal(fourth!.outcome, 'cancelled');
      assert.equal(fifth!.outcome, 'expired');
    });

    it('Anthropic: a results_url on another host than the API is refused, and the key is not sent there', async () => {
      const ended = recording('anthropic-batch-ended');
      replay.serve('GET', '/v1/messages/batches/msgbatch_013Zva2CMHLNnXjNJJKqJ2EF', ended);
      const client = new BatchClient({ provider: 'anthropic', apiKey: KEYS.anthropic, baseUrl: `${replay.url}/`.replace('127.0.0.1', 'localhost').replace(/\/$/, ''), clock: new ManualClock() });
      const info = await client.retrieve('msgbatch_013Zva2CMHLNnXjNJJKqJ2EF');
      const e = await caught(client.results(info));
      assert.equal(e.kind, 'malformed');
      assert.match(e.message, /is not on http:\/\/localhost/);
      assert.equal(replay.requests.length, 1, 'only the batch itself was fetched');
    });
  });
});
