import assert from 'node:assert/strict';
import type { ChatRequest, ProviderId } from '../../../src/core/types';
import { parseInput } from '../../../src/core/providers/toolCalls';
import { useFakeProvider } from '../../helpers/fakeProvider';
import { collect } from './collect';

const KEY = 'sk-test-SECRET-tools-0123456789';
const TOOL = { name: 'read_file', description: 'Reads a file of the workspace', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } };
const MODELS: Record<Exclude<ProviderId, 'openaiCompatible'>, string> = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5', dashscope: 'qwen-plus' };

function req(provider: ProviderId, over: Partial<ChatRequest> = {}): ChatRequest {
  return { provider, model: MODELS[provider as keyof typeof MODELS], messages: [{ role: 'user', content: 'What is in README.md?' }], maxTokens: 256, tools: [TOOL], ...over };
}

describe('providers: tool calls (official SDKs against the fake provider)', () => {
  const fx = useFakeProvider();

  for (const provider of ['openai', 'anthropic', 'dashscope'] as const) {
    it(`${provider}: sends the tools and tool_choice, streams the call back with its parsed input`, async () => {
      fx.fake.enqueue({ kind: 'ok', text: 'Reading it.', toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }, { name: 'read_file', arguments: { path: 'docs/a.md' } }] });
      const c = await collect(fx.provider(provider, KEY).stream(req(provider, { toolChoice: 'required' })));
      assert.equal(c.error, undefined);
      assert.equal(c.text, 'Reading it.');
      const calls = c.events.filter((e) => e.type === 'toolCall').map((e) => (e.type === 'toolCall' ? e.call : undefined));
      assert.deepEqual(calls.map((x) => [x!.name, x!.input]), [['read_file', { path: 'README.md' }], ['read_file', { path: 'docs/a.md' }]]);
      assert.ok(calls.every((x) => x!.id.length > 4));
      assert.equal(c.result!.finishReason, 'tool_calls');
      assert.deepEqual(c.result!.toolCalls, calls);
      const body = fx.fake.requests[0]!.body;
      if (provider === 'anthropic') {
        assert.deepEqual(body.tools, [{ name: 'read_file', description: TOOL.description, input_schema: TOOL.inputSchema }]);
        assert.deepEqual(body.tool_choice, { type: 'any' });
      } else {
        assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'read_file', description: TOOL.description, parameters: TOOL.inputSchema } }]);
        assert.equal(body.tool_choice, 'required');
      }
    });

    it(`${provider}: sends an earlier call and its result back in the provider's shape`, async () => {
      const r = req(provider, {
        messages: [
          { role: 'user', content: 'What is in README.md?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'read_file', input: { path: 'README.md' } }] },
          { role: 'user', content: '', toolResults: [{ callId: 'call_1', content: '# Tierwise' }] },
        ],
      });
      const c = await collect(fx.provider(provider, KEY).stream(r));
      assert.equal(c.error, undefined);
      const msgs = fx.fake.requests[0]!.body.messages as Record<string, unknown>[];
      if (provider === 'anthropic') {
        assert.deepEqual(msgs[1], { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'README.md' } }] });
        assert.deepEqual(msgs[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '# Tierwise' }] });
      } else {
        assert.deepEqual(msgs[1], { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"README.md"}' } }] });
        assert.deepEqual(msgs[2], { role: 'tool', tool_call_id: 'call_1', content: '# Tierwise' });
        assert.equal(msgs.length, 3);
      }
    });
  }

  it('a request without tools sends no tools field', async () => {
    await collect(fx.provider('openai', KEY).stream(req('openai', { tools: undefined })));
    assert.equal(fx.fake.requests[0]!.body.tools, undefined);
    assert.equal(fx.fake.requests[0]!.body.tool_choice, undefined);
  });

  it('broken tool arguments (untrusted model output) keep the raw text instead of failing the turn', async () => {
    fx.fake.enqueue({ kind: 'ok', text: '', toolCalls: [{ name: 'read_file', arguments: '{"path": "READ' }] });
    const c = await collect(fx.provider('openai', KEY).stream(req('openai')));
    assert.equal(c.error, undefined);
    assert.deepEqual(c.result!.toolCalls![0]!.input, { _raw: '{"path": "READ' });
    assert.deepEqual(parseInput('[1,2]'), { _raw: '[1,2]' });
    assert.deepEqual(parseInput(''), {});
  });
});
