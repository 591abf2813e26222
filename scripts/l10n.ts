// `npm run l10n`: writes l10n/bundle.l10n.json, the English bundle every translation follows.
// It holds the strings of the `vscode.l10n.t('…')` calls in src/ (found by @vscode/l10n-dev), the templates of
// core's message catalogue, which the host formats through `vscode.l10n.t` by template, and the webviews' strings
// (WEBVIEW_STRINGS), which the host translates the same way for each page.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOGUE } from '../src/core/messages';
import { WEBVIEW_STRINGS } from '../src/shared/protocol/strings';

const root = path.join(__dirname, '..');
const bundlePath = path.join(root, 'l10n', 'bundle.l10n.json');

execFileSync('npx', ['vscode-l10n-dev', 'export', '--outDir', './l10n', './src'], { cwd: root, stdio: 'inherit' });
const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, string>;
for (const template of [...Object.values(CATALOGUE), ...Object.values(WEBVIEW_STRINGS)] as string[]) bundle[template] ??= template;
writeFileSync(bundlePath, `${JSON.stringify(bundle, null, 2)}\n`);
console.log(`l10n/bundle.l10n.json: ${Object.keys(bundle).length} strings`);
