import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry } from 'vscode-textmate';
import type { IGrammar } from 'vscode-textmate';
import { EXAMPLES } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const GRAMMARS: Record<string, string> = {
  'text.markdown.tierwise-prompt': join(ROOT, 'syntaxes', 'tierwise-prompt.tmLanguage.json'),
  'text.markdown.prompty': join(ROOT, 'syntaxes', 'prompty.tmLanguage.json'),
};

/** Scopes of each token, per line. */
function tokenize(grammar: IGrammar, text: string): { text: string; scopes: string[] }[][] {
  let stack = INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

const has = (tokens: { text: string; scopes: string[] }[], text: string, scope: string) => tokens.some((t) => t.text === text && t.scopes.some((s) => s.startsWith(scope)));

describe('prompts: TextMate grammars', () => {
  let registry: Registry;

  before(async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
      // Markdown and YAML come from VS Code itself; here they are absent, which the grammars must tolerate.
      loadGrammar: (scope) => {
        const file = GRAMMARS[scope];
        return Promise.resolve(file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null);
      },
    });
  });

  it('.prompt.md: front matter, section headers and {{variables}} get their scopes', async () => {
    const g = (await registry.loadGrammar('text.markdown.tierwise-prompt'))!;
    assert.ok(g);
    const text = readFileSync(join(EXAMPLES, 'sentiment-classifier.prompt.md'), 'utf8');
    const lines = tokenize(g, text);
    const src = text.split('\n');
    assert.ok(has(lines[0], '---', 'punctuation.definition.tag.begin.front-matter'));
    assert.ok(lines[1].some((t) => t.scopes.includes('meta.embedded.block.frontmatter.tierwise-prompt')));
    assert.ok(has(lines[src.indexOf('max_tokens: 10')], 'max_tokens', 'keyword.other.setting.tierwise-prompt'));
    const sys = src.indexOf('## system');
    assert.ok(has(lines[sys], 'system', 'entity.name.section.role.tierwise-prompt'));
    assert.ok(!lines[sys + 1].some((t) => t.scopes.includes('meta.embedded.block.frontmatter.tierwise-prompt')), 'front matter must end at ---');
    const ex = src.indexOf('## example assistant');
    assert.ok(has(lines[ex], 'example', 'storage.modifier.example'));
    const user = src.indexOf('{{review}}');
    assert.ok(has(lines[user], 'review', 'variable.other.tierwise-prompt'));
    assert.ok(has(lines[user], '{{', 'punctuation.definition.template-expression.begin'));
  });

  it('.prompt.md: a heading that is not a section is not coloured as one', async () => {
    const g = (await registry.loadGrammar('text.markdown.tierwise-prompt'))!;
    const lines = tokenize(g, '## Notes\nHello {{ name | upper }} there');
    assert.ok(!lines[0].some((t) => t.scopes.some((s) => s.startsWith('entity.name.section.role'))));
    assert.ok(has(lines[1], 'name', 'variable.other.tierwise-prompt'));
    assert.ok(has(lines[1], '| upper ', 'support.function.filter'));
  });

  it('.prompty: role lines, variables and Jinja statements get their scopes', async () => {
    const g = (await registry.loadGrammar('text.markdown.prompty'))!;
    const text = readFileSync(join(EXAMPLES, 'support-assistant.prompty'), 'utf8') + '\n{% for x in items %}{{x}}{% endfor %}\n{# note #}';
    const lines = tokenize(g, text);
    const src = text.split('\n');
    assert.ok(has(lines[src.indexOf('system:')], 'system', 'entity.name.section.role.prompty'));
    assert.ok(has(lines[src.indexOf('user:')], 'user', 'entity.name.section.role.prompty'));
    const ask = src.findIndex((l) => l.includes('{{customer}}'));
    assert.ok(has(lines[ask], 'customer', 'variable.other.prompty'));
    assert.ok(has(lines[ask], 'question', 'variable.other.prompty'));
    const jinja = src.findIndex((l) => l.startsWith('{% for'));
    assert.ok(has(lines[jinja], 'for', 'keyword.control.prompty'));
    assert.ok(has(lines[jinja], 'x', 'variable.other.prompty'));
    assert.ok(lines[jinja + 1].some((t) => t.scopes.includes('comment.block.jinja.prompty')));
  });

  it('the language configurations are valid JSON with the comment and bracket settings', () => {
    for (const f of ['tierwise-prompt.json', 'prompty.json']) {
      const conf = JSON.parse(readFileSync(join(ROOT, 'language-configuration', f), 'utf8')) as { comments: { blockComment: string[] }; brackets: string[][]; wordPattern: { pattern: string; flags: string } };
      assert.equal(conf.comments.blockComment.length, 2);
      assert.ok(conf.brackets.length >= 3);
      assert.doesNotThrow(() => new RegExp(conf.wordPattern.pattern, conf.wordPattern.flags));
    }
  });
});
