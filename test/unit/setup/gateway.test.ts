import * as assert from 'node:assert/strict';
import { Catalogue } from '../../../src/core/pricing/catalogue';
import { english } from '../../../src/core/messages';
import { catalogueLookupId, gatewayListModel, gatewayNote, gatewayPriceSettingExample, gatewayPricing } from '../../../src/core/setup/gateway';
import type { ProviderId } from '../../../src/core/types';

describe('Gateway models: the list price their name maps to', () => {
  const catalogue = new Catalogue({ dashscopeRegion: 'international' });
  const known = (p: ProviderId, id: string) => catalogue.get(p, id)?.id;
  const map = (name: string) => gatewayListModel(name, known);

  it('a provider prefix names the provider: openai/, anthropic/, dashscope/ (and azure/, qwen/)', () => {
    assert.deepEqual(map('openai/gpt-4o'), { provider: 'openai', id: 'gpt-4o' });
    assert.deepEqual(map('anthropic/claude-sonnet-4-5'), { provider: 'anthropic', id: 'claude-sonnet-4-5' });
    assert.deepEqual(map('dashscope/qwen-plus'), { provider: 'dashscope', id: 'qwen-plus' });
    assert.deepEqual(map('azure/gpt-4o-mini'), { provider: 'openai', id: 'gpt-4o-mini' });
    assert.deepEqual(map('qwen/qwen-max'), { provider: 'dashscope', id: 'qwen-max' });
    assert.deepEqual(map(' OpenAI/GPT-4o '), { provider: 'openai', id: 'gpt-4o' }, 'case and spaces do not matter');
  });

  it('a dated or aliased id maps to its catalogue entry', () => {
    assert.deepEqual(map('anthropic/claude-3-5-sonnet-20241022'), { provider: 'anthropic', id: 'claude-3-5-sonnet' });
    assert.deepEqual(map('gpt-4o-2024-08-06'), { provider: 'openai', id: 'gpt-4o' });
  });

  it('a bare name is found in whichever catalogue has it', () => {
    assert.deepEqual(map('gpt-4o'), { provider: 'openai', id: 'gpt-4o' });
    assert.deepEqual(map('claude-haiku-4-5'), { provider: 'anthropic', id: 'claude-haiku-4-5' });
    assert.deepEqual(map('qwen-plus'), { provider: 'dashscope', id: 'qwen-plus' });
  });

  it('maps nothing for a name no list price fits', () => {
    assert.equal(map('llama3.2'), undefined);
    assert.equal(map('my-team-model'), undefined);
    assert.equal(map('groq/llama-3.1-8b-instant'), undefined, 'an unknown prefix: not a list price we know');
    assert.equal(map('my-team/gpt-4o'), undefined, 'a team alias is not assumed to be the list model');
    assert.equal(map('anthropic/gpt-4o'), undefined, 'the prefix decides the provider');
    assert.equal(map('openai/'), undefined);
    assert.equal(map('openai/x/gpt-4o'), undefined);
    assert.equal(map(''), undefined);
  });

  it('decides the label: settings first, else the list price (reported or not), else none', () => {
    assert.deepEqual(gatewayPricing('openai/gpt-4o', { userPriced: true, reported: true, known }), { kind: 'settings' });
    assert.deepEqual(gatewayPricing('openai/gpt-4o', { userPriced: false, reported: false, known }), { kind: 'list', of: { provider: 'openai', id: 'gpt-4o' }, reported: false });
    assert.deepEqual(gatewayPricing('openai/gpt-4o', { userPriced: false, reported: true, known }), { kind: 'list', of: { provider: 'openai', id: 'gpt-4o' }, reported: true });
    assert.deepEqual(gatewayPricing('team-llm', { userPriced: false, reported: false, known }), { kind: 'none', reported: false });
  });

  it('the setting example is a valid tierwise.models entry for the model', () => {
    assert.deepEqual(JSON.parse(gatewayPriceSettingExample('team-llm')), { provider: 'openaiCompatible', id: 'team-llm', input: 1, output: 2 });
  });

  it('labels: the list model and what the ledger records, or how to set a price', () => {
    const of = { provider: 'openai', id: 'gpt-4o' } as const;
    assert.equal(english(gatewayNote('gpt-4o', { kind: 'list', of, reported: false })!), "list price of openai/gpt-4o; the gateway's cost is recorded after the call");
    assert.equal(english(gatewayNote('gpt-4o', { kind: 'list', of, reported: true })!), "list price of openai/gpt-4o for estimates; the ledger uses the gateway's cost");
    assert.match(english(gatewayNote('team-llm', { kind: 'none', reported: false })!), /^price unknown: .* tierwise\.models: \{"provider":"openaiCompatible","id":"team-llm","input":1,"output":2\}$/);
    assert.equal(gatewayNote('x', { kind: 'settings' }), undefined);
  });

  it('the catalogue looks a prefixed name up without its prefix', () => {
    assert.equal(catalogueLookupId('OpenAI/GPT-4o'), 'gpt-4o');
    assert.equal(catalogueLookupId('dashscope/qwen-plus'), 'qwen-plus');
    assert.equal(catalogueLookupId('azure/gpt-4o'), 'azure/gpt-4o');
  });
});
