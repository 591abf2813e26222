import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const l10nDir = path.join(__dirname, '..', '..', 'l10n');

/**
 * Entries a translation may leave as the English: nothing in them to translate (placeholders only, the product's own
 * names, a line that is only a prefix and a placeholder).
 */
const SAME_AS_ENGLISH: Record<string, readonly string[]> = {
  // "{0} {1}": a chart point's day and amount, for screen readers.
  // "{0}": text shown as it is (common.asIs).
  // "{0} · {1}", "{0} · ⚠ {1}": a route line and the note or warning after it.
  'zh-cn': ['Tierwise: {0}', 'Tierwise Auto', '{0}{1}{2}', '{0} {1}', '{0}', '{0} · {1}', '{0} · ⚠ {1}'],
};

/** The `{0}`, `{1}`… of a string, sorted (a multiset: a placeholder used twice counts twice). */
const placeholders = (s: string): string[] => (s.match(/\{\d+\}/g) ?? []).sort();
/** The `$(icon)` tokens of a string, as a set. */
const codicons = (s: string): string[] => [...new Set(s.match(/\$\([\w~-]+\)/g) ?? [])].sort();
/** Setting ids and URL schemes that must reach the user as written, sorted. */
const literals = (s: string): string[] =>
  [...(s.match(/\btierwise(?:\.[\w{}]+)+/g) ?? []), ...(s.match(/\bhttps?:\/\/[\w\-./:?#=&%~+@]*/g) ?? []).map((u) => u.replace(/\.+$/, ''))].sort();

/** What is wrong with a translated bundle, compared with the English one (empty: nothing). */
export function bundleProblems(english: Record<string, unknown>, translated: Record<string, unknown>, sameAsEnglish: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const key of Object.keys(english)) if (!(key in translated)) out.push(`missing: ${JSON.stringify(key)}`);
  for (const [key, value] of Object.entries(translated)) {
    const k = JSON.stringify(key);
    if (!(key in english)) {
      out.push(`not in the English bundle: ${k}`);
      continue;
    }
    if (typeof value !== 'string' || !value.trim()) {
      out.push(`empty: ${k}`);
      continue;
    }
    if (placeholders(value).join() !== placeholders(key).join()) out.push(`placeholders ${placeholders(value).join(' ') || 'none'} instead of ${placeholders(key).join(' ') || 'none'}: ${k}`);
    if (codicons(value).join() !== codicons(key).join()) out.push(`icons ${codicons(value).join(' ') || 'none'} instead of ${codicons(key).join(' ') || 'none'}: ${k}`);
    if (literals(value).join() !== literals(key).join()) out.push(`setting ids or URLs ${literals(value).join(' ') || 'none'} instead of ${literals(key).join(' ') || 'none'}: ${k}`);
    if (value === key && !sameAsEnglish.includes(key)) out.push(`same as the English (allow it in SAME_AS_ENGLISH if that is right): ${k}`);
  }
  for (const key of sameAsEnglish) if (!(key in english)) out.push(`allowed to stay English but not in the English bundle: ${JSON.stringify(key)}`);
  return out;
}

const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(l10nDir, file), 'utf8')) as Record<string, unknown>;

/** The translated bundles: `bundle.l10n.<locale>.json`. */
const translations = readdirSync(l10nDir)
  .map((f) => /^bundle\.l10n\.([\w-]+)\.json$/.exec(f))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ file: m[0], locale: m[1]! }))
  .sort((a, b) => a.file.localeCompare(b.file));

describe('Translated l10n bundles', () => {
  it('the check finds missing, extra, empty and untranslated entries and changed placeholders, icons and setting ids', () => {
    const english = {
      'Saved.': 'Saved.',
      '{0} of {1}': '{0} of {1}',
      '$(warning) {0} left': '$(warning) {0} left',
      'Set tierwise.models': 'Set tierwise.models',
      'Tierwise: {0}': 'Tierwise: {0}',
      'Use https:// instead': 'Use https:// instead',
      '{0} and {0}': '{0} and {0}',
    };
    const translated = {
      '{0} of {1}': '{1} 中的 {0} {1}',
      '$(warning) {0} left': '$(info) 剩余 {0}',
      'Set tierwise.models': '设置 tierwise.model',
      'Tierwise: {0}': 'Tierwise: {0}',
      'Use https:// instead': 'Use https:// instead',
      '{0} and {0}': '{0} 和 {1}',
      'Gone.': '没了。',
    };
    assert.deepEqual(bundleProblems(english, translated, ['Tierwise: {0}']), [
      'missing: "Saved."',
      'placeholders {0} {1} {1} instead of {0} {1}: "{0} of {1}"',
      'icons $(info) instead of $(warning): "$(warning) {0} left"',
      'setting ids or URLs tierwise.model instead of tierwise.models: "Set tierwise.models"',
      'same as the English (allow it in SAME_AS_ENGLISH if that is right): "Use https:// instead"',
      'placeholders {0} {1} instead of {0} {0}: "{0} and {0}"',
      'not in the English bundle: "Gone."',
    ]);
    assert.deepEqual(bundleProblems({ 'A.': 'A.' }, { 'A.': ' ' }), ['empty: "A."']);
    assert.deepEqual(bundleProblems({ 'A.': 'A.' }, { 'A.': 'Ä。' }, ['B.']), ['allowed to stay English but not in the English bundle: "B."']);
  });

  it('there is a Chinese (zh-cn) bundle', () => {
    assert.ok(translations.some((t) => t.locale === 'zh-cn'), translations.map((t) => t.file).join(', '));
  });

  const english = read('bundle.l10n.json');
  for (const { file, locale } of translations) {
    it(`${file} translates every string of bundle.l10n.json, keeping placeholders, icons and setting ids`, () => {
      const problems = bundleProblems(english, read(file), SAME_AS_ENGLISH[locale] ?? []);
      assert.deepEqual(problems, [], `${file}:\n${problems.join('\n')}`);
    });
  }
});
