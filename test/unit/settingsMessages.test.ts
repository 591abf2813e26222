import * as assert from 'node:assert/strict';
import { english } from '../../src/core/messages';
import { checkModelSettings, noCheaperThanKnown } from '../../src/core/modelSettings';
import { resolveTelemetrySettings } from '../../src/core/telemetry';
import { routingConfigFromSettings } from '../../src/core/routing/config';
import { mergeTasks } from '../../src/core/routing/taskSettings';
import { parseModelRef, resolveTierTable } from '../../src/core/routing/tiers';
import { resolveWorkspaceSettings, type Inspected } from '../../src/core/destinations';
import type { SettingProblem } from '../../src/core/settingProblems';

/** Each problem as [id, setting to open, English text]. */
const said = (problems: readonly SettingProblem[]) => problems.map((p) => [p.id, p.setting, english(p)]);

describe('Setting problems as catalogue messages', () => {
  it('tierwise.models problems carry their ids and read as before in English', () => {
    const r = checkModelSettings([
      { provider: 'openai', id: 'gpt-x', output: -2 },
      'gpt-y',
      { provider: 'mistral', id: 'm' },
      { provider: 'anthropic' },
      { provider: 'dashscope', id: 'qwen-z', currency: 'EUR' },
    ]);
    assert.deepEqual(
      r.problems.map((p) => p.id),
      ['settings.models.badNumber', 'settings.models.notObject', 'settings.models.unknownProvider', 'settings.models.missingId', 'settings.models.badCurrency'],
    );
    assert.deepEqual(r.problems.map(english), [
      'tierwise.models[0] (openai/gpt-x): "output" must be a number ≥ 0, not -2; the catalogue value is used.',
      'tierwise.models[1]: must be an object like { "provider": "openai", "id": "gpt-4o", "input": 2.5 }; entry ignored.',
      'tierwise.models[2]: unknown provider "mistral" (one of openai, anthropic, dashscope, openaiCompatible); entry ignored.',
      'tierwise.models[3]: "id" (the model name) is missing; entry ignored.',
      'tierwise.models[4] (dashscope/qwen-z): "currency" must be USD or CNY, not "EUR"; the provider\'s currency is used.',
    ]);
    const notList = checkModelSettings({ a: 1 }, 'tierwise.models (workspace)').problems;
    assert.equal(notList[0]!.id, 'settings.models.notList');
    assert.equal(english(notList[0]!), 'tierwise.models (workspace) must be a list of { "provider", "id", … } entries; ignored (catalogue prices are used).');
  });

  it('telemetry setting problems carry their ids and read as before in English', () => {
    const values: Record<string, { globalValue: unknown }> = {
      otlpEndpoint: { globalValue: 'ftp://x' },
      headers: { globalValue: ['Authorization', 'bad header'] },
      resourceAttributes: { globalValue: { 'bad key': 'x' } },
    };
    const s = resolveTelemetrySettings((k) => values[k]);
    assert.deepEqual(s.problems.map((p) => p.id), ['settings.telemetry.endpoint', 'settings.telemetry.headers', 'settings.telemetry.attribute']);
    assert.deepEqual(s.problems.map(english), [
      'tierwise.telemetry.otlpEndpoint: must be an http(s) URL; export stays off.',
      "tierwise.telemetry.headers: only header names are kept (letters, digits and !#$%&'*+.^_`|~-).",
      'tierwise.telemetry.resourceAttributes: bad key is not used (a name of letters, digits, _ . - and a text value).',
    ]);
  });

  it('routing problems carry their ids and settings, and read as before in English', () => {
    const { problems } = routingConfigFromSettings({
      provider: 'bedrock',
      routing: { classifier: 'gpt', policy: 'fastest', perTier: { simple: 'bedrock', giant: 'openai' }, localSimpleTier: 'yes', longDocumentTokens: -1 },
      fallback: { simple: ['openai/gpt-4o-mini', 'nope', 3, 'azure/x', 'openai/a b'], huge: [], medium: 'openai/gpt-4o' },
    });
    assert.deepEqual(said(problems), [
      ['settings.provider.unknown', 'tierwise.provider', 'tierwise.provider: unknown provider "bedrock"; using openai.'],
      ['settings.notOneOf', 'tierwise.routing.classifier', 'tierwise.routing.classifier: must be one of local, model; using local.'],
      ['settings.notOneOf', 'tierwise.routing.policy', 'tierwise.routing.policy: must be one of provider, perTier, cheapest; using provider.'],
      ['settings.perTier.unknownProvider', 'tierwise.routing.perTier', 'tierwise.routing.perTier.simple: unknown provider "bedrock"; ignored.'],
      ['settings.perTier.unknownTier', 'tierwise.routing.perTier', 'tierwise.routing.perTier.giant: unknown tier; ignored.'],
      ['settings.notBoolean', 'tierwise.routing.localSimpleTier', 'tierwise.routing.localSimpleTier must be true or false; ignored.'],
      ['settings.notPositiveInteger', 'tierwise.routing.longDocumentTokens', 'tierwise.routing.longDocumentTokens must be a positive integer; using 8000.'],
      ['settings.fallback.badEntry', 'tierwise.fallback', 'tierwise.fallback.simple: "nope" must look like "provider/model"; skipped.'],
      ['settings.fallback.badEntry', 'tierwise.fallback', 'tierwise.fallback.simple: must be a string "provider/model"; skipped.'],
      ['settings.fallback.badEntry', 'tierwise.fallback', 'tierwise.fallback.simple: "azure/x": unknown provider "azure" (known: openai, anthropic, dashscope, openaiCompatible); skipped.'],
      ['settings.fallback.badEntry', 'tierwise.fallback', 'tierwise.fallback.simple: "openai/a b": model name contains spaces; skipped.'],
      ['settings.unknownTier', 'tierwise.fallback', 'tierwise.fallback.huge: unknown tier (known: simple, medium, complex); ignored.'],
      ['settings.fallback.notList', 'tierwise.fallback', 'tierwise.fallback.medium must be a list of "provider/model"; ignored.'],
    ]);
    assert.deepEqual(said(routingConfigFromSettings({ routing: 'fast', fallback: ['x'] }).problems), [
      ['settings.notObject', 'tierwise.routing', 'tierwise.routing must be an object; ignored.'],
      ['settings.fallback.notObject', 'tierwise.fallback', 'tierwise.fallback must be an object like { "simple": ["openai/gpt-4o-mini"] }; ignored.'],
    ]);
    assert.deepEqual(said(routingConfigFromSettings({ routing: { perTier: 'dashscope' } }).problems), [
      ['settings.notObject', 'tierwise.routing.perTier', 'tierwise.routing.perTier must be an object; ignored.'],
    ]);
    // What a "provider/model" reference lacks is a message of its own, nested in the fallback sentence.
    assert.deepEqual(parseModelRef('gpt-4o'), { id: 'settings.modelRef.noSlash', args: ['gpt-4o'] });
  });

  it('tier table problems carry their ids and settings, and read as before in English', () => {
    assert.deepEqual(said(resolveTierTable({ openai: { complex: 'o3' }, dashscope: { medium: 'qwen plus' }, mistral: {}, anthropic: { huge: 'x' }, openaiCompatible: 'llama3.2' }).problems), [
      ['settings.tiers.badModel', 'tierwise.tiers.dashscope.medium', 'tierwise.tiers.dashscope.medium: must be a model name without spaces; ignored.'],
      ['settings.tiers.unknownProvider', 'tierwise.tiers', 'tierwise.tiers.mistral: unknown provider (known: openai, anthropic, dashscope, openaiCompatible); ignored.'],
      ['settings.unknownTier', 'tierwise.tiers.anthropic', 'tierwise.tiers.anthropic.huge: unknown tier (known: simple, medium, complex); ignored.'],
      ['settings.tiers.providerNotObject', 'tierwise.tiers.openaiCompatible', 'tierwise.tiers.openaiCompatible: must be an object with simple, medium and complex; ignored.'],
    ]);
    assert.deepEqual(said(resolveTierTable([]).problems), [
      ['settings.tiers.notObject', 'tierwise.tiers', 'tierwise.tiers must be an object like { "openai": { "simple": "gpt-4o-mini" } }; ignored.'],
    ]);
  });

  it('task problems carry their ids, are about tierwise.tasks, and read as before in English', () => {
    const { problems } = mergeTasks({
      classify: { label: '', noun: 3, code: 'yes', examples: 'none', question: { label: 'Tone', prompt: 1 } },
      a: { system: 'Do it.', maxTokens: 1.5, question: { label: 'Q', required: 'no' } },
      b: { tier: 'auto', maxTokens: { perInputToken: 1, base: -1 }, question: { label: 'Q', default: 2 } },
      c: { maxTokens: { perInputToken: 1, max: 0 }, question: 7 },
      d: { maxTokens: 'lots', examples: [{ user: 'u', assistant: 'a' }, 'x'], system: 'word '.repeat(600), tier: 'simple' },
      e: {},
    });
    assert.ok(problems.every((p) => p.setting === 'tierwise.tasks'));
    assert.deepEqual(problems.map((p) => [p.id, p.args[1] && typeof p.args[1] === 'object' ? (p.args[1] as { id: string }).id : undefined]), [
      ['settings.tasks.badField', 'settings.tasks.nonEmptyString'],
      ['settings.tasks.badField', 'settings.tasks.nonEmptyString'],
      ['settings.tasks.badField', 'settings.tasks.examplesShape'],
      ['settings.tasks.badField', 'settings.tasks.questionPrompt'],
      ['settings.tasks.badField', 'settings.tasks.boolean'],
      ['settings.tasks.badField', 'settings.tasks.maxTokensRange'],
      ['settings.tasks.badField', 'settings.tasks.questionRequired'],
      ['settings.tasks.newNeeds', undefined],
      ['settings.tasks.badField', 'settings.tasks.base'],
      ['settings.tasks.badField', 'settings.tasks.questionDefault'],
      ['settings.tasks.newNeeds', undefined],
      ['settings.tasks.badField', 'settings.tasks.max'],
      ['settings.tasks.badField', 'settings.tasks.questionShape'],
      ['settings.tasks.newNeedsBoth', undefined],
      ['settings.tasks.longSystem', undefined],
      ['settings.tasks.badField', 'settings.tasks.exampleItem'],
      ['settings.tasks.badField', 'settings.tasks.maxTokensShape'],
      ['settings.tasks.newNeedsBoth', undefined],
    ]);
    const text = problems.map(english);
    assert.deepEqual(text.slice(0, 8), [
      'tierwise.tasks.classify.label: must be a non-empty string; ignored.',
      'tierwise.tasks.classify.noun: must be a non-empty string; ignored.',
      'tierwise.tasks.classify.examples: must be an array of { user, assistant }; ignored.',
      'tierwise.tasks.classify.question: prompt must be a string; ignored.',
      'tierwise.tasks.classify.code: must be a boolean; ignored.',
      'tierwise.tasks.a.maxTokens: must be an integer from 1 to 200000; ignored.',
      'tierwise.tasks.a.question: required must be a boolean; ignored.',
      'tierwise.tasks.a: a new task needs a valid tier; task not added.',
    ]);
    assert.ok(text.includes('tierwise.tasks.b.maxTokens: base must be a non-negative integer; ignored.'));
    assert.ok(text.includes('tierwise.tasks.b.question: default must be a string; ignored.'));
    assert.ok(text.includes('tierwise.tasks.c.maxTokens: max must be a positive integer; ignored.'));
    assert.ok(text.includes('tierwise.tasks.c.question: must be a label string or { label, prompt?, required?, default? }; ignored.'));
    assert.ok(text.includes('tierwise.tasks.c: a new task needs a valid system and tier; task not added.'));
    assert.ok(text.includes('tierwise.tasks.d.examples: item 1 must be { user: string, assistant: string }; ignored.'));
    assert.ok(text.includes('tierwise.tasks.d.maxTokens: must be a number or { perInputToken, base, max }; ignored.'));
    assert.ok(text.some((t) => /^tierwise\.tasks\.d\.system: about \d+ tokens, which is sent with every request; consider shortening it \(kept\)\.$/.test(t)));
    assert.equal(text.at(-1), 'tierwise.tasks.e: a new task needs a valid system and tier; task not added.');
    assert.deepEqual(said(mergeTasks('x').problems), [
      ['settings.tasks.notObject', 'tierwise.tasks', 'tierwise.tasks must be an object mapping task ids to task definitions; ignored.'],
    ]);
    assert.deepEqual(said(mergeTasks({ '1x': {}, y: 2 }).problems), [
      ['settings.tasks.badId', 'tierwise.tasks', "tierwise.tasks.1x: invalid task id (letters, digits, '_', '.', '-'; starting with a letter); ignored."],
      ['settings.tasks.entryNotObject', 'tierwise.tasks', 'tierwise.tasks.y: must be an object; ignored.'],
    ]);
  });

  it('destination and spending problems carry their ids and settings; loosened values are messages too', () => {
    const user: Record<string, unknown> = {
      'providers.dashscope.region': 'mars',
      'providers.openai.baseUrl': 5,
      'providers.anthropic.baseUrl': 'ftp://x',
      'budget.dailyUsd': 'lots',
      'limits.openai.rpm': -1,
      confirmAboveUsd: 0.5,
    };
    const workspace: Record<string, unknown> = { 'providers.dashscope.region': 'venus', 'providers.dashscope.baseUrl': 'nope', 'budget.monthlyUsd': 'ten', confirmAboveUsd: 2 };
    const inspect = (k: string): Inspected | undefined => (k in user || k in workspace ? { globalValue: user[k], workspaceValue: workspace[k] } : undefined);
    const r = resolveWorkspaceSettings(inspect, { trusted: true, approved: () => true });
    assert.deepEqual(said(r.problems), [
      ['settings.region.unknown', 'tierwise.providers.dashscope.region', 'tierwise.providers.dashscope.region: unknown region "mars" (china, international or us); using china.'],
      ['settings.region.unknownWorkspace', 'tierwise.providers.dashscope.region', 'tierwise.providers.dashscope.region (workspace): unknown region "venus"; using china.'],
      ['settings.baseUrl.notString', 'tierwise.providers.openai.baseUrl', 'tierwise.providers.openai.baseUrl: must be a URL; using https://api.openai.com/v1.'],
      ['settings.baseUrl.invalid', 'tierwise.providers.anthropic.baseUrl', 'tierwise.providers.anthropic.baseUrl: "ftp://x" is not an http(s) URL; using https://api.anthropic.com.'],
      ['settings.baseUrl.invalidWorkspace', 'tierwise.providers.dashscope.baseUrl', `tierwise.providers.dashscope.baseUrl (workspace): "nope" is not an http(s) URL; using ${r.destinations.dashscope.url}.`],
      ['settings.number.invalid', 'tierwise.budget.dailyUsd', 'tierwise.budget.dailyUsd: "lots" is not a number ≥ 0; using 0 (no budget).'],
      ['settings.number.invalidWorkspace', 'tierwise.budget.monthlyUsd', 'tierwise.budget.monthlyUsd (workspace): "ten" is not a number ≥ 0; using 0.'],
      ['settings.number.invalid', 'tierwise.limits.openai.rpm', 'tierwise.limits.openai.rpm: -1 is not a number ≥ 0; using 0 (unknown).'],
    ]);
    assert.deepEqual(r.loosened.map((m) => [m.id, english(m)]), [['settings.number.loosened', "tierwise.confirmAboveUsd: this workspace's value 2 would loosen your 0.5; using 0.5."]]);
    const models = noCheaperThanKnown([{ provider: 'openai', id: 'gpt-4o', input: 1, currency: 'CNY' }], () => ({ currency: 'USD', inputPerM: 2.5, outputPerM: 10 }) as never);
    assert.deepEqual(models.loosened.map((m) => [m.id, english(m)]), [
      ['settings.models.currencyStays', 'tierwise.models (workspace) openai/gpt-4o: the currency stays USD.'],
      ['settings.models.belowKnown', 'tierwise.models (workspace) openai/gpt-4o: "input" 1 is below the known 2.5; using 2.5.'],
    ]);
  });
});
