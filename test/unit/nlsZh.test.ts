import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';

/**
 * The Simplified Chinese manifest (package.nls.zh-cn.json) and walkthrough pages (<step>.nls.zh-cn.md, which VS Code
 * picks by file name when its display language is zh-cn): every English text has a translation, and a translation
 * keeps what VS Code or the user acts on (placeholders, codicons, links and command URIs, setting references, code).
 */
const root = path.join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;

/** Values that are the same in Chinese: product names. */
const SAME_IN_CHINESE = new Set(['Tierwise', 'OpenAI', 'Anthropic']);

/** Chinese characters or full-width punctuation (（），。：). */
const CHINESE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

const md = new MarkdownIt();

/** The parts of a text that must survive translation unchanged, each as a sorted list. */
const KEPT: Record<string, RegExp> = {
  placeholders: /\{\d+\}/g,
  codicons: /\$\([\w~-]+\)/g,
  'link targets': /\]\(([^)\s]*)\)/g,
  'setting references': /#[\w.-]+#/g,
  'code spans': /`[^`]+`/g,
};

function kept(text: string, re: RegExp): string[] {
  return [...text.matchAll(re)].map((m) => m[0]).sort();
}

/** How many bold, italic, code, link, list item and heading elements the text renders to as markdown. */
function structure(text: string): string {
  const html = md.render(text);
  return ['<strong>', '<em>', '<code>', '<a ', '<li>', '<h1>', '<h2>', '<h3>', '<p>'].map((t) => `${t}${html.split(t).length - 1}`).join(' ');
}

/** What is wrong with a translation of `en`, one line each; empty when nothing is. */
export function translationProblems(key: string, en: string, zh: unknown): string[] {
  if (typeof zh !== 'string' || zh.trim() === '') return [`${key}: no translation`];
  const out: string[] = [];
  if (zh === en && !SAME_IN_CHINESE.has(en)) out.push(`${key}: left in English: ${en}`);
  if (!SAME_IN_CHINESE.has(en) && !CHINESE.test(zh)) out.push(`${key}: no Chinese in it: ${zh}`);
  for (const [what, re] of Object.entries(KEPT)) {
    const a = kept(en, re);
    const b = kept(zh, re);
    if (a.join('\n') !== b.join('\n')) out.push(`${key}: ${what} differ: ${JSON.stringify(a)} in English, ${JSON.stringify(b)} in Chinese`);
  }
  const sa = structure(en);
  const sb = structure(zh);
  if (sa !== sb) out.push(`${key}: markdown renders differently (${sa} in English, ${sb} in Chinese): ${zh}`);
  return out;
}

/** Keys missing from the translation, and keys it has that the English does not. */
export function keyProblems(en: Record<string, string>, zh: Record<string, string>): string[] {
  return [
    ...Object.keys(en).filter((k) => !(k in zh)).map((k) => `missing: ${k}`),
    ...Object.keys(zh).filter((k) => !(k in en)).map((k) => `extra: ${k}`),
  ];
}

/** The markdown files the walkthrough steps show, as package.json names them. */
function walkthroughMarkdown(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { walkthroughs: { steps: { media: { markdown?: string } }[] }[] };
  };
  return pkg.contributes.walkthroughs.flatMap((w) => w.steps.flatMap((s) => (s.media.markdown ? [s.media.markdown] : [])));
}

/** VS Code's rule (gettingStartedDetailsRenderer): `foo.md` is shown as `foo.nls.<locale>.md` when that file exists. */
const localised = (file: string, locale: string) => file.replace(/\.md$/, `.nls.${locale}.md`);

describe('Simplified Chinese manifest and walkthrough', () => {
  it('the checks catch a missing or extra key, English left as is, and a lost placeholder, icon, link, setting or code span', () => {
    assert.deepEqual(keyProblems({ a: 'A', b: 'B' }, { a: '甲', c: '丙' }), ['missing: b', 'extra: c']);
    assert.deepEqual(translationProblems('k', 'Tierwise', 'Tierwise'), []);
    assert.deepEqual(translationProblems('k', 'Check Setup', '检查设置'), []);
    assert.equal(translationProblems('k', 'Check Setup', 'Check Setup').length, 2);
    assert.deepEqual(translationProblems('k', 'Saved {0}.', '已保存。'), ['k: placeholders differ: ["{0}"] in English, [] in Chinese']);
    assert.equal(translationProblems('k', '$(key) Set Key', '$(gear) 设置 API Key').length, 1);
    assert.equal(translationProblems('k', '[Check](command:tierwise.checkSetup)', '[检查](command:tierwise.setup)').length, 1);
    assert.equal(translationProblems('k', 'See `#tierwise.provider#`.', '见 `#tierwise.providers#`。').length, 2);
    assert.equal(translationProblems('k', 'Set `tierwise.provider`.', '设置 tierwise.provider。').length, 2);
    // Bold that ends in punctuation does not close before a Chinese letter: it would show the asterisks.
    assert.match(translationProblems('k', 'Run **Update Prices…** first.', '先运行**更新价格…**再说。').join('\n'), /markdown renders differently/);
    assert.deepEqual(translationProblems('k', 'Run **Update Prices…** first.', '先运行 **更新价格…** 再说。'), []);
    assert.deepEqual(translationProblems('k', 'x', undefined), ['k: no translation']);
  });

  const en = readJson('package.nls.json');
  const zh = readJson('package.nls.zh-cn.json');

  it('package.nls.zh-cn.json has exactly the keys of package.nls.json', () => {
    assert.deepEqual(keyProblems(en, zh), []);
    assert.ok(Object.keys(en).length > 100, `${Object.keys(en).length} keys`);
  });

  it('each value is translated, and keeps its placeholders, codicons, links, setting references, code and markdown', () => {
    const found = Object.entries(en).flatMap(([k, v]) => (k in zh ? translationProblems(k, v, zh[k]) : []));
    assert.deepEqual(found, [], found.join('\n'));
  });

  it('every walkthrough step has its page in Simplified Chinese, with the same links, code and markdown', () => {
    const pages = walkthroughMarkdown();
    assert.ok(pages.length >= 5, `${pages.length} walkthrough pages`);
    for (const page of pages) {
      const zhPage = localised(page, 'zh-cn');
      assert.ok(existsSync(path.join(root, zhPage)), `${zhPage} exists beside ${page}`);
      const problems = translationProblems(zhPage, readFileSync(path.join(root, page), 'utf8'), readFileSync(path.join(root, zhPage), 'utf8'));
      assert.deepEqual(problems, [], problems.join('\n'));
    }
  });
});
