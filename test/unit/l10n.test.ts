import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { CATALOGUE } from '../../src/core/messages';
import { WEBVIEW_STRINGS } from '../../src/shared/protocol/strings';

const root = path.join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

/**
 * Places where VS Code shows a string to the user: a notification, a status bar message, a quick pick or input box
 * option, an item's label or description, a webview's title, a CodeLens or code action title, a status bar item's
 * text or tooltip. Each pattern ends where the string literal would start.
 */
const SHOWN: RegExp[] = [
  /\b(?:show(?:Information|Warning|Error)Message|setStatusBarMessage)\(\s*(?=['"`])/g,
  /\b(?:title|placeHolder|placeholder|prompt|tooltip|detail|description|label|validationMessage):\s*(?=['"`])/g,
  /\.(?:text|tooltip|title|placeholder|prompt|description)\s*=\s*(?=['"`])/g,
  /\bcreateWebviewPanel\([^,]+,\s*(?=['"`])/g,
  /\bnew vscode\.(?:CodeAction|MarkdownString)\(\s*(?=['"`])/g,
];

/** The string literal starting at `i` (quote included), or undefined. */
function literalAt(src: string, i: number): string | undefined {
  const q = src[i];
  if (q !== "'" && q !== '"' && q !== '`') return undefined;
  let depth = 0;
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (q === '`' && c === '$' && src[j + 1] === '{') {
      depth++;
      j++;
    } else if (q === '`' && depth > 0 && c === '}') depth--;
    else if (c === q && depth === 0) return src.slice(i, j + 1);
  }
  return undefined;
}

/** Whether a literal has words of its own (not only interpolations, icons, punctuation or the product name). */
function hasWords(literal: string): boolean {
  const text = literal
    .slice(1, -1)
    .replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '')
    .replace(/\$\([\w~-]+\)/g, '')
    .replace(/\bTierwise\b/g, '');
  return /[A-Za-z]{2,}/.test(text);
}

/** `file:line: literal` for each user-facing string literal not passed through vscode.l10n.t. */
export function rawUserStrings(file: string, src: string): string[] {
  const out: string[] = [];
  for (const re of SHOWN) {
    for (const m of src.matchAll(re)) {
      const at = m.index + m[0].length;
      const lit = literalAt(src, at);
      if (!lit || !hasWords(lit)) continue;
      const line = src.slice(0, at).split('\n').length;
      out.push(`${path.relative(root, file)}:${line}: ${lit.slice(0, 80)}`);
    }
  }
  return out;
}

/** Literals the patterns match that never reach the user. */
const NOT_SHOWN = [{ file: 'src/host/prompts/analysis.ts', literal: "'file'" /* a cost entry's tag, compared, never shown */ }];


describe('Localisable strings', () => {
  it('the scanner finds raw strings in the places users see them, and passes l10n.t calls', () => {
    const src = [
      "void vscode.window.showWarningMessage('Tierwise: open a file first.');",
      'void vscode.window.showErrorMessage(`Tierwise: ${p} rejected the key.`, "Set API Key");',
      "const picked = await vscode.window.showQuickPick(items, { title: 'Pick one', placeHolder: vscode.l10n.t('Type to filter') });",
      "this.item.tooltip = 'Select some text';",
      "lenses.push(new vscode.CodeLens(top, { title: '▶ Run', command: RUN }));",
      "void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: {0} saved.', label));",
      "items.push({ label: `$(layers) ${t}`, description: `${a} · ${b}` });",
      "this.item.name = 'Tierwise'; this.item.text = '$(pulse) Tierwise';",
    ].join('\n');
    assert.deepEqual(
      rawUserStrings(path.join(root, 'x.ts'), src).map((s) => s.replace(/^x\.ts:\d+: /, '')),
      ["'Tierwise: open a file first.'", '`Tierwise: ${p} rejected the key.`', "'Pick one'", "'▶ Run'", "'Select some text'"],
    );
  });

  it('src/host shows no raw string to the user: each goes through vscode.l10n.t', () => {
    const found = tsFiles(path.join(root, 'src', 'host'))
      .flatMap((f) => rawUserStrings(f, readFileSync(f, 'utf8')))
      .filter((s) => !NOT_SHOWN.some((n) => s.startsWith(n.file) && s.endsWith(n.literal)));
    assert.deepEqual(found, [], `wrap these in vscode.l10n.t (then npm run l10n):\n${found.join('\n')}`);
  });

  it('l10n/bundle.l10n.json holds exactly the strings of the sources (npm run l10n regenerates it)', async () => {
    const files = tsFiles(path.join(root, 'src')).map((f) => ({ contents: readFileSync(f, 'utf8'), extension: '.ts' }));
    const expected = { ...(await getL10nJson(files)) } as Record<string, unknown>;
    // `npm run l10n` adds core's catalogue templates and the webviews' strings, which the host translates by template.
    for (const t of [...Object.values(CATALOGUE), ...Object.values(WEBVIEW_STRINGS)] as string[]) expected[t] ??= t;
    const bundle = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
    assert.deepEqual(sorted(bundle), sorted(expected as Record<string, unknown>));
    assert.ok(Object.keys(bundle).length > 100, `${Object.keys(bundle).length} strings`);
  });

  it('package.json points VS Code at the bundle', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { l10n?: string };
    assert.equal(pkg.l10n, './l10n');
  });
});
