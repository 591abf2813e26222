import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The contributed settings as VS Code reads them: package.json with its %key% strings from package.nls.json. */
interface Schema {
  type?: string | string[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  enumItemLabels?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  pattern?: string;
  patternErrorMessage?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  required?: string[];
  order?: number;
}
interface Section {
  id: string;
  title: string;
  order: number;
  properties: Record<string, Schema>;
}

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: Section[] };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const sections = pkg.contributes.configuration;

/** The text a `%key%` stands for; fails when the key is missing or the string is not a key. */
function localised(value: unknown, where: string): string {
  assert.equal(typeof value, 'string', `${where} is a string`);
  const m = /^%([^%]+)%$/.exec(value as string);
  assert.ok(m, `${where} is a %key% of package.nls.json, not raw text: ${String(value)}`);
  const text = nls[m[1]];
  assert.ok(typeof text === 'string' && text.trim().length > 0, `${where}: package.nls.json has a text for ${m[1]}`);
  return text;
}

function typesOf(s: Schema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Why `v` does not fit `s` (the subset of JSON Schema the settings use), or undefined when it fits. */
function violation(v: unknown, s: Schema, at: string): string | undefined {
  const types = typesOf(s);
  const t = jsonType(v);
  if (types.length && !types.some((x) => x === t || (x === 'number' && t === 'integer'))) return `${at}: ${t} is not ${types.join('|')}`;
  if (s.enum && !s.enum.includes(v)) return `${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`;
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) return `${at}: ${v} < minimum ${s.minimum}`;
    if (s.maximum !== undefined && v > s.maximum) return `${at}: ${v} > maximum ${s.maximum}`;
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) return `${at}: ${v} <= ${s.exclusiveMinimum}`;
  }
  if (typeof v === 'string') {
    if (s.minLength !== undefined && v.length < s.minLength) return `${at}: shorter than ${s.minLength}`;
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) return `${at}: ${JSON.stringify(v)} does not match ${s.pattern}`;
  }
  if (Array.isArray(v) && s.items) {
    for (const [i, x] of v.entries()) {
      const why = violation(x, s.items, `${at}[${i}]`);
      if (why) return why;
    }
  }
  if (t === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) return `${at}: ${r} is required`;
    for (const [k, x] of Object.entries(o)) {
      const named = s.properties?.[k];
      if (s.propertyNames) {
        const why = violation(k, s.propertyNames, `${at} key ${k}`);
        if (why) return why;
      }
      if (named) {
        const why = violation(x, named, `${at}.${k}`);
        if (why) return why;
      } else if (s.additionalProperties === false) return `${at}: ${k} is not allowed`;
      else if (typeof s.additionalProperties === 'object') {
        const why = violation(x, s.additionalProperties, `${at}.${k}`);
        if (why) return why;
      }
    }
  }
  return undefined;
}

/** Fails when a value of this schema could be anything of its type: every type but boolean needs a rule. */
function assertValidated(s: Schema, at: string, top = true): void {
  const types = typesOf(s);
  assert.ok(types.length > 0, `${at} has a type`);
  for (const t of types) {
    if (t === 'string') {
      if (s.enum) {
        const labels = s.enumDescriptions ?? s.markdownEnumDescriptions ?? s.enumItemLabels;
        if (top || labels) {
          // A setting's own enum explains each value in the Settings UI (a nested one is a plain list).
          assert.ok(labels, `${at}: enum values are described (enumDescriptions or enumItemLabels)`);
          assert.equal(labels.length, s.enum.length, `${at}: one description per enum value`);
          labels.forEach((l, i) => localised(l, `${at} enum description ${i}`));
        }
      } else if (s.pattern) {
        assert.doesNotThrow(() => new RegExp(s.pattern!, 'u'), `${at}: the pattern compiles`);
        assert.ok(s.patternErrorMessage, `${at}: a pattern comes with a patternErrorMessage`);
        localised(s.patternErrorMessage, `${at} patternErrorMessage`);
      } else if (top) {
        // A nested free text (a task's question prompt) may be anything; a setting of its own may not.
        assert.ok(s.minLength !== undefined && s.minLength >= 1, `${at}: a free string has an enum, a pattern or a minLength`);
      }
    } else if (t === 'number' || t === 'integer') {
      assert.ok(s.minimum !== undefined || s.exclusiveMinimum !== undefined, `${at}: a number has a minimum`);
      if (s.maximum !== undefined) assert.ok(s.maximum > (s.minimum ?? s.exclusiveMinimum!), `${at}: maximum above minimum`);
    } else if (t === 'array') {
      assert.ok(s.items, `${at}: an array says what its items are`);
      assertValidated(s.items, `${at}[]`, false);
    } else if (t === 'object') {
      const extra = s.additionalProperties;
      assert.ok(s.properties || typeof extra === 'object', `${at}: an object names its properties or the schema of its values`);
      if (s.properties && typeof extra !== 'object') assert.equal(extra, false, `${at}: unknown properties are flagged`);
      for (const [k, p] of Object.entries(s.properties ?? {})) assertValidated(p, `${at}.${k}`, false);
      if (typeof extra === 'object') assertValidated(extra, `${at}.*`, false);
    } else {
      assert.equal(t, 'boolean', `${at}: a known type`);
    }
  }
}

function walkStrings(v: unknown, at: string, out: [string, string][]): void {
  if (typeof v === 'string') out.push([at, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, `${at}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walkStrings(x, `${at}.${k}`, out);
}

/**
 * Settings without a default in the manifest, on purpose: when no scope sets one, the code picks the value.
 * `tierwise.currency.display`: CNY when VS Code's display language is Chinese, else USD (`displayCurrency`).
 */
const NO_DEFAULT = new Set(['tierwise.currency.display']);

describe('Contributed settings', () => {
  it('are grouped in titled sections, each in its place', () => {
    assert.ok(Array.isArray(sections) && sections.length >= 5, 'contributes.configuration is an array of sections');
    const titles = sections.map((s) => localised(s.title, `section ${s.id}`));
    assert.equal(new Set(titles).size, titles.length, 'section titles differ');
    assert.deepEqual(sections.map((s) => s.order), sections.map((_, i) => i + 1), 'sections are ordered 1, 2, 3…');
    for (const s of sections) {
      assert.match(s.id, /^tierwise\.[a-z]+$/);
      assert.ok(Object.keys(s.properties).length > 0, `${s.id} has settings`);
      const orders = Object.values(s.properties).map((p) => p.order);
      assert.deepEqual(orders, orders.map((_, i) => i + 1), `${s.id}: settings ordered 1, 2, 3… as listed`);
    }
    assert.deepEqual(titles.slice(0, 3), ['Providers & endpoints', 'Tiers & routing', 'Costs & budgets']);
  });

  it('each setting appears once, has a plain description, a default of its type, and validation where its type needs it', () => {
    const seen = new Set<string>();
    for (const section of sections) {
      for (const [key, s] of Object.entries(section.properties)) {
        assert.ok(key.startsWith('tierwise.'), key);
        assert.ok(!seen.has(key), `${key} is contributed once`);
        seen.add(key);
        assert.ok(s.markdownDescription ?? s.description, `${key} has a description`);
        const text = localised(s.markdownDescription ?? s.description, `${key} description`);
        assert.ok(text.length >= 20 && !/\.\.$/.test(text), `${key}: a sentence, not a fragment: ${text}`);
        assertValidated(s, key);
        if (NO_DEFAULT.has(key)) {
          assert.ok(!('default' in s), `${key} has no default in the manifest: the code decides when it is unset`);
          continue;
        }
        assert.ok('default' in s, `${key} has a default`);
        assert.equal(violation(s.default, s, key), undefined, `${key}: the default fits its own schema`);
      }
    }
    assert.ok(seen.size >= 50, `${seen.size} settings`);
    for (const k of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(seen.has(k), `restricted ${k} is contributed`);
  });

  it('the validation rejects what the code would refuse', () => {
    const all = Object.assign({}, ...sections.map((s) => s.properties)) as Record<string, Schema>;
    const bad = (key: string, v: unknown) => assert.ok(violation(v, all[key]!, key), `${key} flags ${JSON.stringify(v)}`);
    const good = (key: string, v: unknown, why?: string) => assert.equal(violation(v, all[key]!, key), undefined, why);
    bad('tierwise.providers.openai.baseUrl', 'ftp://example.com');
    bad('tierwise.providers.openaiCompatible.baseUrl', 'localhost:11434');
    good('tierwise.providers.openaiCompatible.baseUrl', 'http://127.0.0.1:4000/v1');
    good('tierwise.providers.openai.baseUrl', '');
    bad('tierwise.tiers.openai.simple', 'gpt 4o');
    bad('tierwise.tiers.openai.simple', '');
    good('tierwise.tiers.openaiCompatible.simple', 'hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M');
    bad('tierwise.retry.maxRetries', 11);
    bad('tierwise.retry.maxRetries', 1.5);
    bad('tierwise.budget.dailyUsd', -1);
    bad('tierwise.limits.openai.concurrency', 0);
    bad('tierwise.fallback', { medium: ['claude-sonnet'] });
    good('tierwise.fallback', { medium: ['anthropic/claude-sonnet-5-5', 'dashscope/qwen-plus'] });
    bad('tierwise.fallback', { huge: [] });
    bad('tierwise.models', [{ provider: 'openaiCompatible', id: 'x', input: -1 }]);
    bad('tierwise.models', [{ provider: 'openaiCompatible', id: 'x', inputPrice: 1 }]);
    good('tierwise.models', [{ provider: 'openaiCompatible', id: 'openai/gpt-4o', input: 2.5, output: 10 }]);
    good('tierwise.models', [{ provider: 'dashscope', id: 'qwen-plus', region: 'us', thinkingOutput: 8, explicitCachedInput: 0.04 }], 'every field the price code reads is allowed');
    bad('tierwise.tasks', { myTask: { tier: 'huge' } });
    bad('tierwise.tasks', { '1task': { tier: 'simple', system: 'x' } });
    good('tierwise.tasks', { myTask: { label: 'Tidy', tier: 'auto', system: 'Tidy the text.', maxTokens: { perInputToken: 1.2 } } });
    bad('tierwise.local.ports', { ollama: 70000 });
    bad('tierwise.routing.perTier', { simple: 'mistral' });
  });

  it('every %key% in package.json has its text in package.nls.json, and every text is used', () => {
    const strings: [string, string][] = [];
    walkStrings(pkg, 'package.json', strings);
    const used = new Set<string>();
    for (const [at, v] of strings) {
      const m = /^%([^%\s]+)%$/.exec(v);
      if (!m) continue;
      assert.ok(m[1] in nls, `${at}: ${v} is in package.nls.json`);
      used.add(m[1]);
    }
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'no unused texts in package.nls.json');
  });
});
