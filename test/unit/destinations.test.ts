import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  atLeastAsStrict,
  hostOf,
  isLoopbackHost,
  isPlainHttpRemote,
  mayUseStoredUrl,
  resolveWorkspaceSettings,
  restrictedSettings,
  type Inspected,
  type TrustContext,
} from '../../src/core/destinations';
import { checkModelSettings, noCheaperThanKnown } from '../../src/core/modelSettings';
import { english } from '../../src/core/messages';
import type { ProviderId } from '../../src/core/types';

/** An `inspect` built from plain maps: defaults, user values and workspace values by key (without `tierwise.`). */
function settings(user: Record<string, unknown> = {}, workspace: Record<string, unknown> = {}, defaults: Record<string, unknown> = {}) {
  return (key: string): Inspected => ({ defaultValue: defaults[key], globalValue: user[key], workspaceValue: workspace[key] });
}
const trusted: TrustContext = { trusted: true, approved: () => false };
const approving = (...pairs: [ProviderId, string][]): TrustContext => ({ trusted: true, approved: (p, h) => pairs.some(([ap, ah]) => ap === p && ah === h) });

describe('Destinations: where a provider’s requests and key go', () => {
  it('no settings: every provider goes to its default host', () => {
    const r = resolveWorkspaceSettings(settings(), trusted);
    assert.equal(r.destinations.openai.url, 'https://api.openai.com/v1');
    assert.equal(r.destinations.openai.source, 'default');
    assert.equal(r.destinations.anthropic.host, 'api.anthropic.com');
    assert.equal(r.destinations.dashscope.host, 'dashscope.aliyuncs.com', 'china is the default region');
    assert.deepEqual(r.withheld, []);
  });

  it("the user's own base URL is used without asking", () => {
    const r = resolveWorkspaceSettings(settings({ 'providers.openai.baseUrl': ' https://gw.example.com/v1 ' }), trusted);
    assert.equal(r.destinations.openai.baseUrl, 'https://gw.example.com/v1');
    assert.equal(r.destinations.openai.source, 'user');
    assert.deepEqual(r.withheld, []);
  });

  it("a workspace base URL is withheld until approved; the user's value stays in effect", () => {
    const inspect = settings({ 'providers.openai.baseUrl': 'https://gw.example.com/v1' }, { 'providers.openai.baseUrl': 'https://attacker.test:8443/v1' });
    const r = resolveWorkspaceSettings(inspect, trusted);
    assert.equal(r.destinations.openai.url, 'https://gw.example.com/v1');
    assert.deepEqual(r.withheld, [{ provider: 'openai', setting: 'tierwise.providers.openai.baseUrl', value: 'https://attacker.test:8443/v1', host: 'attacker.test:8443', reason: 'unapproved' }]);

    const ok = resolveWorkspaceSettings(inspect, approving(['openai', 'attacker.test:8443']));
    assert.equal(ok.destinations.openai.url, 'https://attacker.test:8443/v1');
    assert.equal(ok.destinations.openai.source, 'workspace');
    assert.deepEqual(ok.withheld, []);
  });

  it('an approval is for one provider and host: the same host for another provider is not approved', () => {
    const inspect = settings({}, { 'providers.anthropic.baseUrl': 'https://proxy.test/v1', 'providers.openai.baseUrl': 'https://proxy.test/v1' });
    const r = resolveWorkspaceSettings(inspect, approving(['openai', 'proxy.test']));
    assert.equal(r.destinations.openai.source, 'workspace');
    assert.equal(r.destinations.anthropic.url, 'https://api.anthropic.com');
    assert.deepEqual(r.withheld.map((w) => w.provider), ['anthropic']);
  });

  it('a workspace that switches to openaiCompatible with its own base URL: the provider switch is kept, its URL is withheld', () => {
    const inspect = settings({ provider: 'openai' }, { provider: 'openaiCompatible', 'providers.openaiCompatible.baseUrl': 'http://evil.test/v1' });
    const r = resolveWorkspaceSettings(inspect, trusted);
    assert.equal(r.provider, 'openaiCompatible', 'routing among checked destinations is the workspace’s to choose');
    assert.deepEqual(r.workspaceRouting, ['tierwise.provider'], 'and said');
    assert.equal(r.destinations.openaiCompatible.url, 'http://localhost:11434/v1');
    assert.equal(r.withheld[0]?.host, 'evil.test');
  });

  it("a workspace base URL on the provider's own host needs no approval", () => {
    const r = resolveWorkspaceSettings(settings({ 'providers.openai.baseUrl': 'https://gw.test/v1' }, { 'providers.openai.baseUrl': 'https://api.openai.com/v1', 'providers.dashscope.baseUrl': 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1' }), trusted);
    assert.deepEqual(r.withheld, []);
    assert.equal(r.destinations.openai.url, 'https://api.openai.com/v1');
    assert.equal(r.destinations.dashscope.host, 'dashscope-intl.aliyuncs.com');
  });

  it('the workspace value equal to the user value needs no approval', () => {
    const r = resolveWorkspaceSettings(settings({ 'providers.openai.baseUrl': 'https://gw.test/v1' }, { 'providers.openai.baseUrl': 'https://gw.test/v1' }), trusted);
    assert.deepEqual(r.withheld, []);
    assert.equal(r.destinations.openai.source, 'user');
  });

  it('the DashScope region from a workspace is a destination: withheld until its host is approved', () => {
    const inspect = settings({}, { 'providers.dashscope.region': 'international' }, { 'providers.dashscope.region': 'china' });
    const r = resolveWorkspaceSettings(inspect, trusted);
    assert.equal(r.dashscopeRegion, 'china');
    assert.equal(r.destinations.dashscope.host, 'dashscope.aliyuncs.com');
    assert.deepEqual(r.withheld.map((w) => [w.setting, w.host]), [['tierwise.providers.dashscope.region', 'dashscope-intl.aliyuncs.com']]);
    const ok = resolveWorkspaceSettings(inspect, approving(['dashscope', 'dashscope-intl.aliyuncs.com']));
    assert.equal(ok.dashscopeRegion, 'international');
    assert.equal(ok.destinations.dashscope.host, 'dashscope-intl.aliyuncs.com');
  });

  it('Restricted Mode: workspace values are ignored, even approved ones, and reported as untrusted', () => {
    const inspect = settings(
      { provider: 'anthropic', confirmAboveUsd: 1 },
      { provider: 'openai', 'providers.openai.baseUrl': 'https://attacker.test/v1', 'tiers.anthropic.simple': 'x', confirmAboveUsd: 0.1, fallback: { simple: ['openai/gpt-4o'] } },
    );
    const r = resolveWorkspaceSettings(inspect, { trusted: false, approved: () => true });
    assert.equal(r.provider, 'anthropic');
    assert.equal(r.destinations.openai.source, 'default');
    assert.deepEqual(r.tiers, {});
    assert.equal(r.fallback, undefined);
    assert.deepEqual(r.workspaceRouting, []);
    assert.equal(r.confirmAboveUsd, 1, 'even a stricter workspace value is ignored in Restricted Mode');
    assert.deepEqual(r.withheld.map((w) => [w.provider, w.reason]), [['openai', 'untrusted']]);
  });

  it('workspace folder values count as workspace values', () => {
    const r = resolveWorkspaceSettings((key) => (key === 'providers.anthropic.baseUrl' ? { workspaceFolderValue: 'https://folder.test' } : undefined), trusted);
    assert.equal(r.withheld[0]?.host, 'folder.test');
  });

  it('invalid base URLs are reported with the URL used instead', () => {
    const r = resolveWorkspaceSettings(settings({ 'providers.openai.baseUrl': 'ftp://x' }, { 'providers.anthropic.baseUrl': 'not a url' }), trusted);
    assert.equal(r.destinations.openai.source, 'default');
    assert.deepEqual(r.problems.map(english), [
      'tierwise.providers.openai.baseUrl: "ftp://x" is not an http(s) URL; using https://api.openai.com/v1.',
      'tierwise.providers.anthropic.baseUrl (workspace): "not a url" is not an http(s) URL; using https://api.anthropic.com.',
    ]);
    assert.deepEqual(r.withheld, []);
  });
});

describe('Spending checks: a workspace may only make them stricter', () => {
  it('atLeastAsStrict: lower is stricter; 0 is off (the loosest) where it means off', () => {
    assert.equal(atLeastAsStrict(0.1, 0.5, true), true);
    assert.equal(atLeastAsStrict(0.5, 0.5, true), true);
    assert.equal(atLeastAsStrict(2, 0.5, true), false);
    assert.equal(atLeastAsStrict(0, 0.5, true), false, '0 = never confirm is looser than any threshold');
    assert.equal(atLeastAsStrict(5, 0, true), true, 'any budget is stricter than none');
    assert.equal(atLeastAsStrict(2, 4, false), true);
    assert.equal(atLeastAsStrict(8, 4, false), false);
  });

  it('a lower confirmation threshold and a smaller budget from the workspace are used', () => {
    const r = resolveWorkspaceSettings(settings({ 'budget.dailyUsd': 10 }, { confirmAboveUsd: 0.05, 'budget.dailyUsd': 2, 'budget.monthlyUsd': 30, 'limits.openai.rpm': 10, 'limits.openai.concurrency': 1 }), trusted);
    assert.equal(r.confirmAboveUsd, 0.05);
    assert.deepEqual(r.budget, { dailyUsd: 2, monthlyUsd: 30, workspaceMonthlyUsd: 0 });
    assert.equal(r.limits.openai.rpm, 10);
    assert.equal(r.limits.openai.concurrency, 1);
    assert.deepEqual(r.loosened, []);
  });

  it('looser workspace values are ignored for that setting, each said once', () => {
    const r = resolveWorkspaceSettings(
      settings({ confirmAboveUsd: 0.5, 'budget.dailyUsd': 5, 'limits.anthropic.tpm': 1000 }, { confirmAboveUsd: 0, 'budget.dailyUsd': 500, 'limits.anthropic.tpm': 0, 'limits.anthropic.concurrency': 64, 'currency.cnyPerUsd': 1000 }),
      trusted,
    );
    assert.equal(r.confirmAboveUsd, 0.5);
    assert.equal(r.budget.dailyUsd, 5);
    assert.equal(r.limits.anthropic.tpm, 1000);
    assert.equal(r.limits.anthropic.concurrency, 4);
    assert.equal(r.cnyPerUsd, 7.2);
    assert.deepEqual(r.loosened.map(english), [
      "tierwise.confirmAboveUsd: this workspace's value 0 would loosen your 0.5; using 0.5.",
      "tierwise.budget.dailyUsd: this workspace's value 500 would loosen your 5; using 5.",
      "tierwise.limits.anthropic.tpm: this workspace's value 0 would loosen your 1000; using 1000.",
      "tierwise.limits.anthropic.concurrency: this workspace's value 64 would loosen your 4; using 4.",
      "tierwise.currency.cnyPerUsd: this workspace's value 1000 would loosen your 7.2; using 7.2.",
    ]);
  });

  it("a workspace's monthly budget: set by the user for every workspace, by a workspace only when stricter", () => {
    const key = 'budget.workspaceMonthlyUsd';
    assert.equal(resolveWorkspaceSettings(settings({ [key]: 20 }), trusted).budget.workspaceMonthlyUsd, 20, 'the user value applies to each workspace');
    assert.equal(resolveWorkspaceSettings(settings({}, { [key]: 5 }), trusted).budget.workspaceMonthlyUsd, 5, 'a workspace may set one where the user has none');
    assert.equal(resolveWorkspaceSettings(settings({ [key]: 20 }, { [key]: 5 }), trusted).budget.workspaceMonthlyUsd, 5, 'a smaller one is used');
    const looser = resolveWorkspaceSettings(settings({ [key]: 20 }, { [key]: 200 }), trusted);
    assert.equal(looser.budget.workspaceMonthlyUsd, 20, 'a larger one is not');
    assert.deepEqual(looser.loosened.map(english), ["tierwise.budget.workspaceMonthlyUsd: this workspace's value 200 would loosen your 20; using 20."]);
    const off = resolveWorkspaceSettings(settings({ [key]: 20 }, { [key]: 0 }), trusted);
    assert.equal(off.budget.workspaceMonthlyUsd, 20, '0 (none) from a workspace does not switch it off');
    assert.equal(resolveWorkspaceSettings(settings({ [key]: 20 }, { [key]: 5 }), { trusted: false, approved: () => false }).budget.workspaceMonthlyUsd, 20, 'Restricted Mode: the user value only');
    assert.ok(restrictedSettings().includes('tierwise.budget.workspaceMonthlyUsd'));
  });

  it('invalid numbers are reported with the default used: negative limits, a non-numeric budget', () => {
    const r = resolveWorkspaceSettings(settings({ 'limits.openai.rpm': -5, 'budget.monthlyUsd': 'lots', 'limits.dashscope.concurrency': 0 }, { 'budget.dailyUsd': 'ten' }), trusted);
    assert.equal(r.limits.openai.rpm, 0);
    assert.equal(r.budget.monthlyUsd, 0);
    assert.equal(r.limits.dashscope.concurrency, 4);
    assert.deepEqual(r.problems.map(english), [
      'tierwise.budget.dailyUsd (workspace): "ten" is not a number ≥ 0; using 0.',
      'tierwise.budget.monthlyUsd: "lots" is not a number ≥ 0; using 0 (no budget).',
      'tierwise.limits.openai.rpm: -5 is not a number ≥ 0; using 0 (unknown).',
      'tierwise.limits.dashscope.concurrency: 0 is not a number ≥ 1; using 4.',
    ]);
  });
});

describe('Hosts', () => {
  it('loopback and plain http', () => {
    for (const h of ['localhost:11434', '127.0.0.1', '127.1.2.3:80', '[::1]:8080', 'api.localhost']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['10.0.0.2', 'example.com', 'localhost.example.com', '128.0.0.1']) assert.equal(isLoopbackHost(h), false, h);
    assert.equal(isPlainHttpRemote('http://gateway.corp:4000/v1'), true);
    assert.equal(isPlainHttpRemote('https://gateway.corp/v1'), false);
    assert.equal(isPlainHttpRemote('http://127.0.0.1:8080/v1'), false);
    assert.equal(hostOf('https://a.test:1/x'), 'a.test:1');
    assert.equal(hostOf('file:///etc/passwd'), undefined);
  });

  it('a stored URL (a batch job) is used only where this window sends the provider, or on its own host', () => {
    const r = resolveWorkspaceSettings(settings({ 'providers.openai.baseUrl': 'https://gw.test/v1' }), trusted);
    assert.equal(mayUseStoredUrl('openai', 'https://gw.test/v1', r.destinations.openai), true);
    assert.equal(mayUseStoredUrl('openai', 'https://api.openai.com/v1', r.destinations.openai), true);
    assert.equal(mayUseStoredUrl('openai', 'https://other.test/v1', r.destinations.openai), false);
    assert.equal(mayUseStoredUrl('dashscope', 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', r.destinations.dashscope), true, 'either region’s own host');
    assert.equal(mayUseStoredUrl('dashscope', 'https://dashscope.aliyuncs.com/compatible-mode/v1', r.destinations.dashscope), true);
  });

  it('package.json restricts in untrusted workspaces exactly the settings the code ignores there', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, unknown> }[] };
    };
    const contributed = new Set(pkg.contributes.configuration.flatMap((section) => Object.keys(section.properties)));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), restrictedSettings().sort());
    for (const k of restrictedSettings()) assert.ok(contributed.has(k), `${k} is a contributed setting`);
  });
});

describe('tierwise.models entries', () => {
  it('malformed entries and fields are dropped, each named once', () => {
    const r = checkModelSettings([
      { provider: 'openai', id: 'gpt-x', input: 1, output: -2 },
      'gpt-y',
      { provider: 'mistral', id: 'm' },
      { provider: 'anthropic' },
      { provider: 'dashscope', id: 'qwen-z', input: '0.3', currency: 'EUR' },
    ]);
    assert.deepEqual(r.entries, [
      { provider: 'openai', id: 'gpt-x', input: 1 },
      { provider: 'dashscope', id: 'qwen-z' },
    ]);
    assert.equal(r.problems.length, 6);
    assert.match(english(r.problems[0]!), /^tierwise\.models\[0\] \(openai\/gpt-x\): "output" must be a number ≥ 0/);
    assert.match(english(r.problems[2]!), /^tierwise\.models\[2\]: unknown provider "mistral"/);
    assert.match(english(r.problems[3]!), /^tierwise\.models\[3\]: "id" .* missing/);
  });

  it('not a list', () => {
    assert.match(english(checkModelSettings({ a: 1 }).problems[0]!), /must be a list/);
    assert.deepEqual(checkModelSettings(undefined), { entries: [], problems: [] });
  });
});

describe('tierwise.models from a workspace', () => {
  const known = (p: string, id: string) => (p === 'openai' && id === 'gpt-4o' ? { currency: 'USD', inputPerM: 2.5, outputPerM: 10, cachedInputPerM: 1.25 } : undefined);

  it('may raise the price of a known model and add new ones, never lower a known price or change its currency', () => {
    const r = noCheaperThanKnown(
      [
        { provider: 'openai', id: 'gpt-4o', input: 0, output: 12, cachedInput: 0.1, currency: 'CNY' },
        { provider: 'openai', id: 'my-finetune', input: 0, output: 0 },
      ],
      known as never,
    );
    assert.deepEqual(r.entries, [
      { provider: 'openai', id: 'gpt-4o', output: 12 },
      { provider: 'openai', id: 'my-finetune', input: 0, output: 0 },
    ]);
    assert.deepEqual(r.loosened.map(english), [
      'tierwise.models (workspace) openai/gpt-4o: the currency stays USD.',
      'tierwise.models (workspace) openai/gpt-4o: "input" 0 is below the known 2.5; using 2.5.',
      'tierwise.models (workspace) openai/gpt-4o: "cachedInput" 0.1 is below the known 1.25; using 1.25.',
    ]);
  });
});
