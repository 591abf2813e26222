import assert from 'node:assert/strict';
import { parsePrompty } from '../../../src/core/prompts';
import { example, md, textAt } from './helpers';

describe('prompts: .prompty parser', () => {
  it('reads the sample: model configuration, parameters, inputs and role sections', () => {
    const text = example('support-assistant.prompty');
    const p = parsePrompty(text);
    assert.deepEqual(p.problems, []);
    assert.equal(p.format, 'prompty');
    assert.equal(p.config.provider, 'openai');
    assert.equal(p.config.model, 'gpt-6-luna');
    assert.equal(p.config.maxTokens, 400);
    assert.equal(p.config.temperature, 0.3);
    assert.equal(p.config.cache, false);
    assert.deepEqual(p.sections.map((s) => [s.role, s.example, s.label]), [['system', false, 'system:'], ['user', false, 'user:']]);
    assert.equal(p.sections[1].text, "Hi, I'm {{customer}}. {{question}}");
    const customer = p.variables.find((v) => v.name === 'customer')!;
    const question = p.variables.find((v) => v.name === 'question')!;
    assert.equal(customer.defaultValue, 'Sam');
    assert.equal(question.defaultValue, undefined);
    assert.equal(question.sample, 'Can I pitch the tent in strong wind?');
    assert.equal(textAt(text, customer.range), 'customer');
    assert.deepEqual(p.references.map((r) => [r.name, textAt(text, r.range)]), [['customer', '{{customer}}'], ['question', '{{question}}']]);
    const mt = p.frontMatter!.keys.find((k) => k.path === 'model.parameters.max_tokens')!;
    assert.equal(textAt(text, mt.valueRange), '400');
  });

  it('turns turns before the last user turn into few-shot examples', () => {
    const p = parsePrompty(md(['---', 'model:', '  configuration:', '    type: azure_openai', '    azure_deployment: gpt-4o', '---', 'system:', 'Label it.', 'user:', 'great', 'assistant:', 'positive', 'user:', '{{text}}']));
    assert.deepEqual(p.sections.map((s) => [s.role, s.example]), [['system', false], ['user', true], ['assistant', true], ['user', false]]);
    assert.equal(p.config.model, 'gpt-4o');
    assert.equal(p.config.provider, 'openai');
  });

  it('accepts a top-level sample, shorthand inputs and a plain model name', () => {
    const p = parsePrompty(md(['---', 'model: claude-sonnet-4-5', 'inputs:', '  name: string', '  city: Paris', 'sample:', '  name: Ada', '---', 'user:', '{{name}} in {{city}}']));
    assert.equal(p.config.model, 'claude-sonnet-4-5');
    assert.equal(p.config.provider, 'anthropic');
    assert.deepEqual(p.variables.map((v) => [v.name, v.defaultValue, v.sample]), [['name', undefined, 'Ada'], ['city', 'Paris', undefined]]);
  });

  it('flags unknown keys, bad parameters and an unknown provider type at their lines', () => {
    const text = md(['---', 'nme: x', 'model:', '  api: completion', '  configuration:', '    type: bedrock', '    model: foo', '  parameters:', '    max_tokens: lots', '  extra: 1', '---', 'user:', 'x']);
    const p = parsePrompty(text);
    const at = (c: string) => p.problems.filter((d) => d.code === c).map((d) => d.range.start.line);
    assert.deepEqual(at('unknown-key'), [1, 9]);
    assert.deepEqual(at('unsupported-api'), [3]);
    assert.deepEqual(at('unknown-provider'), [5]);
    assert.deepEqual(at('invalid-value'), [8]);
    assert.equal(p.config.provider, undefined);
  });

  it('reports a missing user turn, stray text and Jinja statements', () => {
    const p = parsePrompty(md(['---', 'name: x', '---', 'hello', 'system:', 'only system', '{% for x in items %}', '{{x}}', '{% endfor %}']));
    const codes = p.problems.map((d) => `${d.code}@${d.range.start.line}`);
    assert.ok(codes.includes('stray-text@3'), codes.join());
    assert.ok(codes.includes('missing-user@4'), codes.join());
    assert.ok(codes.includes('jinja-statement@6'), codes.join());
    assert.ok(codes.includes('jinja-statement@8'), codes.join());
  });

  it('treats a body without role lines as the user message', () => {
    const p = parsePrompty(md(['---', 'name: x', '---', '', 'Tell me about {{topic}}.']));
    assert.deepEqual(p.sections.map((s) => [s.role, s.text]), [['user', 'Tell me about {{topic}}.']]);
    assert.equal(p.sections[0].bodyRange.start.line, 4);
  });

  it('accepts "# user:" style role lines and role names in any case', () => {
    const p = parsePrompty(md(['# System:', 'a', 'USER :', 'b']));
    assert.deepEqual(p.sections.map((s) => [s.role, s.text]), [['system', 'a'], ['user', 'b']]);
  });

  it('reports broken YAML and an empty body without crashing', () => {
    const p = parsePrompty(md(['---', 'model:', '  parameters: {max_tokens: 5', '---']));
    assert.ok(p.problems.some((d) => d.code === 'yaml-invalid'));
    assert.ok(p.problems.some((d) => d.code === 'missing-user'));
  });
});
