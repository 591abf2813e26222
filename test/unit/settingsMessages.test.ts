import * as assert from 'node:assert/strict';
import { english } from '../../src/core/messages';
import { checkModelSettings } from '../../src/core/modelSettings';
import { resolveTelemetrySettings } from '../../src/core/telemetry';

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
});
