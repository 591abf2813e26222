import assert from 'node:assert/strict';
import { parsePromptMd } from '../../../src/core/prompts';
import { example, md, textAt } from './helpers';

describe('prompts: .prompt.md parser', () => {
  it('reads the classifier sample: config, sections with ranges, variables and references', () => {
    const text = example('sentiment-classifier.prompt.md');
    const p = parsePromptMd(text);
    assert.deepEqual(p.problems, []);
    assert.equal(p.format, 'promptMd');
    assert.deepEqual(p.config, { name: 'Sentiment classifier', provider: undefined, model: undefined, tier: 'simple', maxTokens: 10, temperature: 0, cache: false, task: 'classify' });
    assert.deepEqual(
      p.sections.map((s) => [s.role, s.example, s.label]),
      [
        ['system', false, '## system'],
        ['user', true, '## example user'],
        ['assistant', true, '## example assistant'],
        ['user', true, '## example user'],
        ['assistant', true, '## example assistant'],
        ['user', true, '## example user'],
        ['assistant', true, '## example assistant'],
        ['user', false, '## user'],
      ],
    );
    const lines = text.split('\n');
    const userHeader = lines.indexOf('## user');
    const user = p.sections[7];
    assert.equal(user.headerRange.start.line, userHeader);
    assert.equal(user.text, '{{review}}');
    assert.equal(textAt(text, user.bodyRange), '{{review}}');
    assert.equal(p.sections[2].text, 'positive');
    assert.equal(textAt(text, p.sections[0].headerRange), '## system');
    assert.deepEqual(p.variables.map((v) => [v.name, v.defaultValue]), [['review', 'The battery died after two days and support never answered.']]);
    assert.equal(textAt(text, p.variables[0].range), 'review');
    assert.equal(p.references.length, 1);
    assert.equal(textAt(text, p.references[0].range), '{{review}}');
    assert.equal(p.references[0].section, 7);
    const mt = p.frontMatter!.keys.find((k) => k.path === 'max_tokens')!;
    assert.equal(textAt(text, mt.valueRange), '10');
    assert.equal(mt.keyRange.start.line, lines.indexOf('max_tokens: 10'));
  });

  it('reports invalid YAML at the exact line and still parses the body', () => {
    const text = md(['---', 'tier: simple', 'max_tokens: [10', 'temperature: 0', '---', '## user', 'hi']);
    const p = parsePromptMd(text);
    const yamlErrors = p.problems.filter((d) => d.code === 'yaml-invalid');
    assert.ok(yamlErrors.length >= 1);
    assert.ok(yamlErrors.every((d) => d.severity === 'error'));
    assert.ok(yamlErrors.some((d) => d.range.start.line >= 2 && d.range.start.line <= 4), JSON.stringify(yamlErrors));
    assert.equal(p.sections.length, 1);
    assert.equal(p.sections[0].text, 'hi');
  });

  it('points a bad indentation error at its line', () => {
    const text = md(['---', 'tier: simple', 'variables:', '  a: 1', ' b: 2', '---', '## user', '{{a}}']);
    const p = parsePromptMd(text);
    const e = p.problems.find((d) => d.code === 'yaml-invalid');
    assert.ok(e);
    assert.equal(e.range.start.line, 4);
  });

  it('flags duplicate keys, unknown keys and bad values at their keys', () => {
    const text = md(['---', 'tier: huge', 'max_token: 10', 'max_tokens: -3', 'temperature: 5', 'cache: maybe', 'provider: acme', '---', '## user', 'x']);
    const p = parsePromptMd(text);
    const byCode = (c: string) => p.problems.filter((d) => d.code === c).map((d) => d.range.start.line);
    assert.deepEqual(byCode('unknown-key'), [2]);
    assert.deepEqual(byCode('invalid-value').sort(), [1, 3, 4, 5, 6]);
    assert.equal(p.config.tier, undefined);
    assert.equal(p.config.maxTokens, undefined);
    assert.equal(p.config.cache, false);
    const dup = parsePromptMd(md(['---', 'tier: simple', 'tier: medium', '---', 'x']));
    assert.ok(dup.problems.some((d) => d.code === 'yaml-invalid' && d.range.start.line === 2));
  });

  it('reports an unclosed front matter and a non-mapping front matter', () => {
    const unclosed = parsePromptMd(md(['---', 'tier: simple', '## user', 'hi']));
    assert.ok(unclosed.problems.some((d) => d.code === 'front-matter-unclosed' && d.range.start.line === 0));
    const list = parsePromptMd(md(['---', '- a', '- b', '---', 'hi']));
    assert.ok(list.problems.some((d) => d.code === 'yaml-invalid' && d.range.start.line === 1));
    assert.equal(list.sections[0].text, 'hi');
  });

  it('treats a body without headers as the user message, and accepts no front matter', () => {
    const p = parsePromptMd('Translate to French: {{text}}\n');
    assert.equal(p.frontMatter, undefined);
    assert.equal(p.sections.length, 1);
    assert.equal(p.sections[0].role, 'user');
    assert.equal(p.sections[0].text, 'Translate to French: {{text}}');
    assert.deepEqual(p.references.map((r) => r.name), ['text']);
    assert.deepEqual(p.problems, []);
  });

  it('ignores headers inside code fences and other level-2 headings', () => {
    const text = md(['## system', 'Rules:', '```md', '## user', '```', '## Notes', 'be nice', '## user', 'go']);
    const p = parsePromptMd(text);
    assert.deepEqual(p.sections.map((s) => s.label), ['## system', '## user']);
    assert.equal(p.sections[0].text, md(['Rules:', '```md', '## user', '```', '## Notes', 'be nice']));
  });

  it('flags structure problems: missing user, unpaired examples, duplicates, stray text', () => {
    const p = parsePromptMd(md(['intro text', '## system', 'a', '## example user', 'q', '## system', 'b', '## example assistant', 'z']));
    const codes = p.problems.map((d) => `${d.code}@${d.range.start.line}`);
    assert.ok(codes.includes('stray-text@0'), codes.join());
    assert.ok(codes.includes('unpaired-example@3'), codes.join());
    assert.ok(codes.includes('unpaired-example@7'), codes.join());
    assert.ok(codes.includes('duplicate-section@5'), codes.join());
    assert.ok(codes.some((c) => c.startsWith('missing-user@')), codes.join());
  });

  it('handles CRLF line ends, header case and spacing', () => {
    const text = ['---', 'max_tokens: 5', '---', '##  System ', 'Be brief.', '', '## USER', 'Hello {{ name }}', ''].join('\r\n');
    const p = parsePromptMd(text);
    assert.equal(p.config.maxTokens, 5);
    assert.deepEqual(p.sections.map((s) => [s.role, s.text]), [['system', 'Be brief.'], ['user', 'Hello {{ name }}']]);
    assert.equal(textAt(text, p.references[0].range), '{{ name }}');
    assert.deepEqual(p.references[0].range.start, { line: 7, character: 6 });
  });

  it('accepts variables as a list of names, and rejects bad names', () => {
    const p = parsePromptMd(md(['---', 'variables: [a, b]', '---', '{{a}} {{b}}']));
    assert.deepEqual(p.variables.map((v) => [v.name, v.defaultValue]), [['a', undefined], ['b', undefined]]);
    const bad = parsePromptMd(md(['---', 'variables:', '  "1x": 2', '---', 'x']));
    assert.ok(bad.problems.some((d) => d.code === 'invalid-value' && d.range.start.line === 2));
  });

  it('notes that tier is ignored when a model is named', () => {
    const p = parsePromptMd(md(['---', 'model: gpt-4o-mini', 'tier: simple', '---', 'x']));
    assert.ok(p.problems.some((d) => d.code === 'tier-ignored' && d.range.start.line === 2));
  });
});
