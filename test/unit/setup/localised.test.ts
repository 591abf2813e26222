import assert from 'node:assert/strict';
import { describeWithheld, resolveWorkspaceSettings, type Inspected } from '../../../src/core/destinations';
import { english, fill, formatMessage, isMessage, msg, type Message, type MessageArg } from '../../../src/core/messages';
import { tierName } from '../../../src/core/routing/tiers';
import { checkProvider, type ProviderCheck, type ProviderCheckInput } from '../../../src/core/setup/check';
import { gatewayNote } from '../../../src/core/setup/gateway';
import { LOCAL_SERVERS, localServerName } from '../../../src/core/setup/local';

function rawArgs(m: MessageArg): string[] {
  if (typeof m === 'number') return [];
  if (typeof m === 'string') return [m];
  return m.args.flatMap(rawArgs);
}

/** What is left in Latin letters once every template word is "字" and the raw arguments are taken out. */
function englishLeft(m: Message): string[] {
  let text = formatMessage(m, (template, args) => fill(template.replace(/[A-Za-z]+/g, '字'), args));
  for (const a of rawArgs(m).sort((x, y) => y.length - x.length)) text = text.split(a).join(' ');
  return text.match(/[A-Za-z]{2,}/g) ?? [];
}

const base: ProviderCheckInput = { provider: 'openai', label: 'OpenAI', needsKey: true, hasKey: true, baseUrl: 'https://api.openai.com/v1', tierModels: ['gpt-4o-mini', 'gpt-4o'], today: '2026-12-07' };
let t = 0;
const now = () => (t += 120);

/** Every item and fix of a check is worded by templates, its English alongside. */
function assertWorded(r: ProviderCheck): void {
  for (const i of r.items) {
    assert.ok(i.textMsg, `${i.area}: ${i.text}`);
    assert.equal(i.text, english(i.textMsg));
    assert.deepEqual(englishLeft(i.textMsg), [], i.text);
    if (i.fix) {
      assert.ok(i.fix.titleMsg, i.fix.title);
      assert.equal(i.fix.title, english(i.fix.titleMsg));
      assert.deepEqual(englishLeft(i.fix.titleMsg), [], i.fix.title);
    }
  }
}

describe('setup: sentences for users are catalogue messages', () => {
  it('Check Setup: every item and fix, in every outcome, is a message; tiers inside are tier messages', async () => {
    const checks = await Promise.all([
      checkProvider({ ...base, hasKey: false }, { listModels: async () => [], tinyCall: async () => undefined, now }),
      checkProvider(
        { ...base, provider: 'dashscope', label: 'DashScope (Qwen)', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', region: 'china', tierModels: ['qwen-turbo'] },
        { listModels: async () => Promise.reject(Object.assign(new Error('HTTP 401'), { status: 401 })), tinyCall: async () => undefined, now },
      ),
      checkProvider({ ...base, provider: 'openaiCompatible', label: 'Local', needsKey: false, hasKey: false, baseUrl: 'http://127.0.0.1:11434/v1', local: true }, { listModels: async () => Promise.reject(new TypeError('fetch failed')), tinyCall: async () => undefined, now }),
      checkProvider({ ...base, tierModels: ['gpt-4o-mini', 'gpt-4o', 'gpt-old'] }, { listModels: async () => ({ ids: ['gpt-4o-mini', 'gpt-4o', 'gpt-4o-2024'], shutdown: { 'gpt-4o-mini': '2026-01-01', 'gpt-4o': '2027-06-01' } }), tinyCall: async () => undefined, now }),
      checkProvider({ ...base, hasKey: true }, { listModels: async () => Promise.reject(Object.assign(new Error('HTTP 404'), { status: 404 })), tinyCall: async () => Promise.reject(new Error('boom')), now }),
      checkProvider(base, { listModels: async () => ['gpt-4o-mini', 'gpt-4o'], tinyCall: async () => undefined, now }),
    ]);
    for (const r of checks) assertWorded(r);
    const missing = checks[3]!.items.find((i) => i.area === 'models' && i.state === 'problem' && i.textMsg!.id.startsWith('setup.models.missing'))!;
    assert.equal(missing.textMsg!.id, 'setup.models.missingForKeyClosest');
    assert.deepEqual(missing.textMsg!.args[1], tierName('complex'));
    const shut = checks[3]!.items.find((i) => i.textMsg!.id === 'setup.models.wasShutDown')!;
    assert.deepEqual(shut.textMsg!.args.slice(0, 2), ['gpt-4o-mini', tierName('simple')]);
    const region = checks[1]!.items.find((i) => i.area === 'region')!;
    assert.deepEqual(region.textMsg, msg('setup.region', msg('setup.region.china'), msg('setup.currency.cny')));
  });

  it('local servers: the one whose name has words to translate is a message; product names stay as they are', () => {
    assert.deepEqual(
      LOCAL_SERVERS.map((k) => localServerName(k)),
      [msg('common.asIs', 'Ollama'), msg('common.asIs', 'LM Studio'), msg('setup.local.llamacpp'), msg('common.asIs', 'vLLM')],
    );
    for (const k of LOCAL_SERVERS) assert.equal(english(localServerName(k)), k.label);
  });

  it('gateway notes and withheld destinations are messages', () => {
    const notes = [
      gatewayNote('gpt-4o', { kind: 'list', of: { provider: 'openai', id: 'gpt-4o' }, reported: false })!,
      gatewayNote('gpt-4o', { kind: 'list', of: { provider: 'openai', id: 'gpt-4o' }, reported: true })!,
      gatewayNote('team', { kind: 'none', reported: false })!,
      gatewayNote('team', { kind: 'none', reported: true })!,
    ];
    assert.deepEqual(notes.map((n) => n.id), ['setup.gateway.listPrice', 'setup.gateway.listPriceReported', 'setup.gateway.priceUnknown', 'setup.gateway.noListPriceReported']);
    for (const n of notes) assert.deepEqual(englishLeft(n), [], english(n));

    const inspect = (key: string): Inspected => (key === 'providers.openai.baseUrl' ? { workspaceValue: 'https://gw.example.com/v1' } : {});
    for (const trusted of [true, false]) {
      const ws = resolveWorkspaceSettings(inspect, { trusted, approved: () => false });
      const w = ws.withheld[0]!;
      const m = describeWithheld(w, ws.destinations.openai);
      assert.ok(isMessage(m));
      assert.equal(m.id, trusted ? 'setup.withheld.unapproved' : 'setup.withheld.untrusted');
      assert.deepEqual(m.args.at(-1), msg('setup.withheld.fromDefault'));
      assert.deepEqual(englishLeft(m), [], english(m));
    }
    const ws = resolveWorkspaceSettings(inspect, { trusted: true, approved: () => false });
    assert.equal(
      english(describeWithheld(ws.withheld[0]!, ws.destinations.openai)),
      "This workspace's tierwise.providers.openai.baseUrl (gw.example.com) is not approved for this workspace: OpenAI requests go to api.openai.com from the provider default.",
    );
  });
});
