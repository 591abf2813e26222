import { REASONING_ROOM_TOKENS } from '../../../src/core/providers/reasoning';
import assert from 'node:assert/strict';
import { msg } from '../../../src/core/messages';
import { ProviderError } from '../../../src/core/errors';
import type { ChatRequest } from '../../../src/core/types';
import { buildOpenAIBatchJsonl, parseOpenAIBatch, parseOpenAIResults } from '../../../src/core/batch/openai';
import { buildAnthropicBatchBody, parseAnthropicBatch, parseAnthropicResults } from '../../../src/core/batch/anthropic';
import { validateBatchItems } from '../../../src/core/batch/validate';
import { parseJsonl } from '../../../src/core/batch/jsonl';

function req(patch: Partial<ChatRequest> = {}): ChatRequest {
  return {
    provider: 'openai',
    model: 'gpt-4o-mini',
    system: 'Classify.',
    messages: [
      { role: 'user', content: 'great' },
      { role: 'assistant', content: 'positive' },
      { role: 'user', content: 'awful' },
    ],
    maxTokens: 10,
    temperature: 0,
    ...patch,
  };
}

describe('batch / request building', () => {
  it('OpenAI: one JSONL line per request, system first, non-streaming chat body', () => {
    const jsonl = buildOpenAIBatchJsonl([
      { customId: 'a-1', request: req() },
      { customId: 'a-2', request: req({ system: undefined, messages: [{ role: 'user', content: 'hi' }], temperature: undefined }) },
    ]);
    assert.ok(jsonl.endsWith('\n'));
    const { values, errors } = parseJsonl(jsonl);
    assert.deepEqual(errors, []);
    assert.deepEqual(values, [
      {
        custom_id: 'a-1',
        method: 'POST',
        url: '/v1/chat/completions',
        body: {
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: 'Classify.' },
            { role: 'user', content: 'great' },
            { role: 'assistant', content: 'positive' },
            { role: 'user', content: 'awful' },
          ],
          max_tokens: 10,
          temperature: 0,
        },
      },
      {
        custom_id: 'a-2',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 },
      },
    ]);
  });

  it('OpenAI: reasoning models get max_completion_tokens (the answer plus room for reasoning) and no temperature', () => {
    const [line] = parseJsonl(buildOpenAIBatchJsonl([{ customId: 'r', request: req({ model: 'gpt-5-nano' }) }])).values as {
      body: Record<string, unknown>;
    }[];
    assert.equal(line!.body.max_completion_tokens, 10 + REASONING_ROOM_TOKENS);
    assert.equal(line!.body.max_tokens, undefined);
    assert.equal(line!.body.temperature, undefined);
  });

  it('Anthropic: requests with custom_id and Messages params, cache breakpoints kept', () => {
    const body = buildAnthropicBatchBody([
      {
        customId: 'doc-1',
        request: req({
          provider: 'anthropic',
          model: 'claude-haiku-4-5',
          systemCacheBreakpoint: true,
          messages: [{ role: 'user', content: 'long doc', cacheBreakpoint: true }],
        }),
      },
      { customId: 'doc-2', request: req({ provider: 'anthropic', model: 'claude-haiku-4-5', temperature: undefined }) },
    ]);
    assert.deepEqual(body.requests[0], {
      custom_id: 'doc-1',
      params: {
        model: 'claude-haiku-4-5',
        max_tokens: 10,
        system: [{ type: 'text', text: 'Classify.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'long doc', cache_control: { type: 'ephemeral' } }] }],
        temperature: 0,
      },
    });
    assert.deepEqual(body.requests[1]!.params, {
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      system: 'Classify.',
      messages: [
        { role: 'user', content: 'great' },
        { role: 'assistant', content: 'positive' },
        { role: 'user', content: 'awful' },
      ],
    });
    assert.equal('stream' in body.requests[1]!.params, false);
  });

  it('validates before sending: ids, duplicates, provider, one model per OpenAI batch', () => {
    const bad = (provider: 'openai' | 'anthropic', items: Parameters<typeof validateBatchItems>[1]) => {
      try {
        validateBatchItems(provider, items);
      } catch (e) {
        assert.ok(e instanceof ProviderError);
        assert.equal(e.kind, 'badRequest');
        return e.message;
      }
      return 'valid';
    };
    assert.equal(bad('openai', []), 'Batch not sent: it has no requests.');
    assert.equal(
      bad('openai', [{ customId: 'has space', request: req() }]),
      `Batch not sent: custom id "has space" must be 1-64 letters, digits, '_' or '-'.`,
    );
    assert.equal(
      bad('openai', [
        { customId: 'x', request: req() },
        { customId: 'x', request: req() },
      ]),
      'Batch not sent: custom id "x" is used twice.',
    );
    assert.equal(bad('anthropic', [{ customId: 'x', request: req() }]), 'Batch not sent: request "x" is for openai, not anthropic.');
    assert.equal(
      bad('openai', [
        { customId: 'x', request: req() },
        { customId: 'y', request: req({ model: 'gpt-4o' }) },
      ]),
      'Batch not sent: an OpenAI batch takes one model per batch, got gpt-4o-mini, gpt-4o.',
    );
    assert.equal(bad('openai', [{ customId: 'x', request: req({ maxTokens: 0 }) }]), 'Batch not sent: request "x" needs maxTokens of at least 1.');
    // Anthropic allows several models in one batch.
    assert.equal(
      bad('anthropic', [
        { customId: 'x', request: req({ provider: 'anthropic', model: 'claude-haiku-4-5' }) },
        { customId: 'y', request: req({ provider: 'anthropic', model: 'claude-sonnet-4-5' }) },
      ]),
      'valid',
    );
  });
});

describe('batch / status parsing', () => {
  it('OpenAI: a batch just created is validating, with its times in ms', () => {
    const info = parseOpenAIBatch({
      id: 'batch_abc123',
      object: 'batch',
      endpoint: '/v1/chat/completions',
      errors: null,
      input_file_id: 'file-abc123',
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: 1714508499,
      in_progress_at: null,
      expires_at: 1714536634,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: null,
    });
    assert.deepEqual(info, {
      provider: 'openai',
      id: 'batch_abc123',
      status: 'validating',
      rawStatus: 'validating',
      done: false,
      counts: { total: 0, succeeded: 0, failed: 0, processing: 0, cancelled: 0, expired: 0 },
      errors: [],
      createdAt: 1714508499000,
      expiresAt: 1714536634000,
    });
  });

  it('OpenAI: completed with output and error files; live counts while running', () => {
    const done = parseOpenAIBatch({
      id: 'batch_abc123',
      object: 'batch',
      status: 'completed',
      output_file_id: 'file-cvaTdG',
      error_file_id: 'file-HOWS94',
      created_at: 1711471533,
      completed_at: 1711493163,
      request_counts: { total: 100, completed: 95, failed: 5 },
    });
    assert.equal(done.status, 'completed');
    assert.equal(done.done, true);
    assert.equal(done.outputFileId, 'file-cvaTdG');
    assert.equal(done.errorFileId, 'file-HOWS94');
    assert.equal(done.endedAt, 1711493163000);
    assert.deepEqual(done.counts, { total: 100, succeeded: 95, failed: 5, processing: 0, cancelled: 0, expired: 0 });
    const running = parseOpenAIBatch({ id: 'b', status: 'in_progress', request_counts: { total: 10, completed: 4, failed: 1 } });
    assert.equal(running.status, 'inProgress');
    assert.equal(running.counts.processing, 5);
  });

  it('OpenAI: a failed batch carries its validation errors', () => {
    const info = parseOpenAIBatch({
      id: 'b',
      status: 'failed',
      errors: {
        object: 'list',
        data: [{ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', param: null, line: 1 }],
      },
    });
    assert.equal(info.status, 'failed');
    assert.equal(info.done, true);
    assert.deepEqual(info.errors, ['line 1: This line is not parseable as valid JSON. (invalid_json_line)']);
  });

  it('Anthropic: in progress, then ended with counts and results_url; cancelled and expired batches', () => {
    const fresh = parseAnthropicBatch({
      id: 'msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d',
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      created_at: '2024-09-24T18:37:24.100435Z',
      expires_at: '2024-09-25T18:37:24.100435Z',
      archived_at: null,
      cancel_initiated_at: null,
      results_url: null,
    });
    assert.equal(fresh.status, 'inProgress');
    assert.equal(fresh.done, false);
    assert.equal(fresh.counts.total, 2);
    assert.equal(fresh.createdAt, Date.parse('2024-09-24T18:37:24.100Z'));
    assert.equal(fresh.resultsUrl, undefined);

    const ended = parseAnthropicBatch({
      id: 'msgbatch_1',
      processing_status: 'ended',
      request_counts: { processing: 0, succeeded: 50, errored: 30, canceled: 10, expired: 10 },
      ended_at: '2024-08-20T18:37:24.100435Z',
      cancel_initiated_at: null,
      results_url: 'https://api.anthropic.com/v1/messages/batches/msgbatch_1/results',
    });
    assert.equal(ended.status, 'completed');
    assert.equal(ended.done, true);
    assert.deepEqual(ended.counts, { total: 100, succeeded: 50, failed: 30, processing: 0, cancelled: 10, expired: 10 });
    assert.equal(ended.resultsUrl, 'https://api.anthropic.com/v1/messages/batches/msgbatch_1/results');

    assert.equal(parseAnthropicBatch({ id: 'c', processing_status: 'canceling', cancel_initiated_at: '2024-08-20T18:37:24Z' }).status, 'cancelling');
    assert.equal(parseAnthropicBatch({ id: 'c', processing_status: 'ended', cancel_initiated_at: '2024-08-20T18:37:24Z' }).status, 'cancelled');
    assert.equal(
      parseAnthropicBatch({ id: 'e', processing_status: 'ended', request_counts: { expired: 3 } }).status,
      'expired',
    );
  });
});

describe('batch / result parsing', () => {
  it('OpenAI: output lines (any order) and error-file lines, with usage normalised', () => {
    const output = [
      '{"id": "batch_req_123", "custom_id": "request-2", "response": {"status_code": 200, "request_id": "req_123", "body": {"id": "chatcmpl-123", "object": "chat.completion", "created": 1711652795, "model": "gpt-3.5-turbo-0125", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello."}, "logprobs": null, "finish_reason": "stop"}], "usage": {"prompt_tokens": 22, "completion_tokens": 2, "total_tokens": 24, "prompt_tokens_details": {"cached_tokens": 10}}, "system_fingerprint": "fp_123"}}, "error": null}',
      '{"id": "batch_req_456", "custom_id": "request-1", "response": {"status_code": 200, "request_id": "req_789", "body": {"id": "chatcmpl-abc", "object": "chat.completion", "created": 1711652789, "model": "gpt-3.5-turbo-0125", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I assist you today?"}, "logprobs": null, "finish_reason": "length"}], "usage": {"prompt_tokens": 20, "completion_tokens": 9, "total_tokens": 29}, "system_fingerprint": "fp_3ba"}}, "error": null}',
      '',
    ].join('\n');
    const errorsFile = [
      '{"id": "batch_req_123", "custom_id": "request-3", "response": null, "error": {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}}',
      `{"id": "batch_req_000004", "custom_id": "request-4", "response": {"status_code": 400, "request_id": "req_000005", "body": {"error": {"message": "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 10 instead.", "type": "invalid_request_error", "param": "max_output_tokens", "code": "integer_below_min_value"}}}, "error": null}`,
      '{"id": "batch_req_7", "custom_id": "request-5", "response": {"status_code": 500, "request_id": "req_7", "body": {"error": {"message": "The server had an error", "type": "server_error"}}}, "error": null}',
      '{"custom_id": "request-6", "response": null, "error": {"code": "batch_cancelled", "message": "cancelled"}}',
      'not json',
    ].join('\r\n');
    const { results, unreadable } = parseOpenAIResults(output, errorsFile);
    assert.deepEqual(unreadable.length, 1);
    assert.match(unreadable[0]!, /^line 5: /);
    assert.deepEqual(results[0], {
      customId: 'request-2',
      ok: true,
      text: 'Hello.',
      finishReason: 'stop',
      usage: { inputTokens: 22, outputTokens: 2, cacheReadTokens: 10, cacheWriteTokens: 0, reasoningTokens: 0 },
      model: 'gpt-3.5-turbo-0125',
      requestId: 'req_123',
    });
    assert.equal(results[1]!.ok && results[1]!.finishReason, 'length');
    assert.deepEqual(results.slice(2), [
      {
        customId: 'request-3',
        ok: false,
        outcome: 'expired',
        code: 'batch_expired',
        message: 'This request could not be executed before the completion window expired.',
        retryable: true,
      },
      {
        customId: 'request-4',
        ok: false,
        outcome: 'errored',
        code: 'integer_below_min_value',
        message: "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 10 instead.",
        status: 400,
        retryable: false,
      },
      {
        customId: 'request-5',
        ok: false,
        outcome: 'errored',
        code: 'server_error',
        message: 'The server had an error',
        status: 500,
        retryable: true,
      },
      { customId: 'request-6', ok: false, outcome: 'cancelled', code: 'batch_cancelled', message: 'cancelled', retryable: true },
    ]);
  });

  it('Anthropic: succeeded, errored, canceled and expired lines; usage with cache reads added back', () => {
    const lines = [
      '{"custom_id":"my-second-request","result":{"type":"succeeded","message":{"id":"msg_014VwiXbi91y3JMjcpyGBHX5","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello again! "},{"type":"text","text":"How can I help?"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":36,"cache_read_input_tokens":100,"service_tier":"batch"}}}}',
      '{"custom_id":"my-third-request","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001"},"request_id":null}}}',
      '{"custom_id":"my-overloaded","result":{"type":"errored","error":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}}}',
      '{"custom_id":"my-fourth-request","result":{"type":"canceled"}}',
      '{"custom_id":"my-fifth-request","result":{"type":"expired"}}',
      '{"custom_id":"weird","result":{"type":"mystery"}}',
    ].join('\n');
    const { results, unreadable } = parseAnthropicResults(lines);
    assert.equal(unreadable.length, 1);
    assert.match(unreadable[0]!, /^unexpected result /);
    assert.deepEqual(results, [
      {
        customId: 'my-second-request',
        ok: true,
        text: 'Hello again! How can I help?',
        finishReason: 'stop',
        usage: { inputTokens: 111, outputTokens: 36, cacheReadTokens: 100, cacheWriteTokens: 0, reasoningTokens: 0 },
        model: 'claude-sonnet-4-5-20250929',
        requestId: 'msg_014VwiXbi91y3JMjcpyGBHX5',
      },
      {
        customId: 'my-third-request',
        ok: false,
        outcome: 'errored',
        code: 'invalid_request_error',
        message: 'max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001',
        retryable: false,
      },
      { customId: 'my-overloaded', ok: false, outcome: 'errored', code: 'overloaded_error', message: 'Overloaded', retryable: true },
      {
        customId: 'my-fourth-request',
        ok: false,
        outcome: 'cancelled',
        message: 'The batch was cancelled before this request ran.',
        text: msg('errors.batch.item.batchCancelled'),
        retryable: true,
      },
      { customId: 'my-fifth-request', ok: false, outcome: 'expired', message: 'The batch expired before this request ran.', text: msg('errors.batch.item.batchExpired'), retryable: true },
    ]);
  });
});
