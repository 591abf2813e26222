import assert from 'node:assert/strict';
import { msg } from '../../../src/core/messages';
import { checkProvider, type ProviderCheckInput } from '../../../src/core/setup/check';

const base: ProviderCheckInput = { provider: 'openai', label: 'OpenAI', needsKey: true, hasKey: true, baseUrl: 'https://api.openai.com/v1', tierModels: ['gpt-4o-mini', 'gpt-4o'] };
let t = 0;
const now = () => (t += 120);

describe('setup: Check Setup for one provider', () => {
  it('all good: key, endpoint, models and the latency of one call', async () => {
    const called: string[] = [];
    const r = await checkProvider(base, { listModels: async () => ['gpt-4o', 'gpt-4o-mini', 'o3'], tinyCall: async (m) => void called.push(m), now });
    assert.equal(r.ok, true);
    assert.deepEqual(r.items.map((i) => [i.area, i.state]), [['key', 'ok'], ['endpoint', 'ok'], ['models', 'ok'], ['latency', 'ok']]);
    assert.equal(r.latencyMs, 120);
    assert.deepEqual(called, ['gpt-4o-mini']);
  });

  it('a missing key is the one problem, with Set API Key as its fix, and nothing is sent', async () => {
    const r = await checkProvider({ ...base, hasKey: false }, { listModels: async () => assert.fail('no call without a key'), tinyCall: async () => assert.fail('no call'), now });
    assert.equal(r.ok, false);
    const { titleMsg, ...fix } = r.items[0]!.fix!;
    assert.deepEqual(fix, { title: 'Set API Key', command: 'tierwise.setApiKey', args: ['openai'] });
    assert.deepEqual(titleMsg, msg('setup.fix.setKey'));
    assert.ok(r.items.slice(1).every((i) => i.state === 'skipped'));
  });

  it('DashScope: a rejected key points at the other region, with a fix that switches it', async () => {
    const r = await checkProvider(
      { ...base, provider: 'dashscope', label: 'DashScope (Qwen)', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', region: 'china', tierModels: ['qwen-turbo'] },
      { listModels: async () => Promise.reject(Object.assign(new Error('HTTP 401'), { status: 401 })), tinyCall: async () => undefined, now },
    );
    const region = r.items.find((i) => i.area === 'region')!;
    assert.equal(region.state, 'problem');
    const { titleMsg, ...fix } = region.fix!;
    assert.deepEqual(fix, { title: 'Switch to International (Singapore)', command: 'tierwise.setup.setDashScopeRegion', args: ['international'] });
    assert.deepEqual(titleMsg, msg('setup.fix.switchRegion', msg('setup.region.international')));
    assert.match(r.items.find((i) => i.area === 'endpoint')!.text, /other region/);
  });

  it('an unreachable local server says so and offers Find Local Models; a missing tier model is named', async () => {
    const local: ProviderCheckInput = { ...base, provider: 'openaiCompatible', label: 'Local', needsKey: false, hasKey: false, baseUrl: 'http://127.0.0.1:11434/v1', local: true, tierModels: ['llama3.2', 'qwen3:8b'] };
    const down = await checkProvider(local, { listModels: async () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })), tinyCall: async () => undefined, now });
    const ep = down.items.find((i) => i.area === 'endpoint')!;
    assert.match(ep.text, /cannot be reached \(fetch failed: ECONNREFUSED\)\. Is the local server running\?/);
    assert.equal(ep.fix?.command, 'tierwise.findLocalModels');
    const partial = await checkProvider(local, { listModels: async () => ['llama3.2:latest'], tinyCall: async () => undefined, now });
    const models = partial.items.find((i) => i.area === 'models')!;
    assert.equal(models.state, 'problem');
    assert.match(models.text, /^"qwen3:8b" \(medium tier, tierwise\.tiers\.openaiCompatible\.medium\) is not in Local's model list \(1 model listed\)\. Closest listed: llama3\.2:latest\.$/);
    assert.equal(partial.items.find((i) => i.area === 'latency')!.state, 'ok', 'the latency is measured on the model that is there');
  });

  it('a failing tiny call is a problem with its reason', async () => {
    const r = await checkProvider(base, { listModels: async () => ['gpt-4o-mini', 'gpt-4o'], tinyCall: async () => Promise.reject(new Error('429 insufficient quota')), now });
    const l = r.items.find((i) => i.area === 'latency')!;
    assert.equal(l.state, 'problem');
    assert.match(l.text, /insufficient quota/);
  });
});
