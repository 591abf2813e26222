/**
 * The provider SDKs (dist/calls.js) load on the first send only: opening a prompt file, its counts, prices and
 * CodeLenses, and the status bar's count and cost never need them.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeRequests, fakeReset, flushedLog, openFixture, setting, tierwise, until } from './helpers';

const KEY = 'sk-test-integration-0123456789abcdef';
const PROMPT = ['---', 'name: SDK bundle check', 'tier: simple', 'max_tokens: 200', '---', '## system', 'Answer in one word.', '', '## user', 'Is water wet?', ''].join('\n');

suite('Provider SDK bundle', () => {
  let created: vscode.Uri | undefined;
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', KEY);
    await setting('provider', 'openai');
  });
  setup(fakeReset);
  suiteTeardown(async () => {
    if (!created) return;
    await vscode.window.showTextDocument(created);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.fs.delete(created).then(undefined, () => undefined);
  });

  test('prompt-file lenses and the status bar count and price without it; the first send loads it and says so in the log', async () => {
    const app = await tierwise();
    const before = app.sdkBundle();

    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the integration tests need a workspace folder');
    created = vscode.Uri.joinPath(folder, 'sdk-bundle-check.prompt.md');
    await vscode.workspace.fs.writeFile(created, new TextEncoder().encode(PROMPT));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(created));
    editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
    const titles = await until('priced CodeLenses', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', created, 100)) ?? [];
      const t = lenses.map((l) => l.command?.title ?? '');
      return t.some((x) => /^Σ ≈?\d[\d,]* tok$/.test(x)) && t.some((x) => /^simple · \$[\d.]+\/call$/.test(x)) ? t : undefined;
    }, 60_000);
    assert.ok(titles.some((x) => /^\d+ tokens?( \(approx\.\))?$/.test(x)), `section counts: ${titles.join(' | ')}`);
    await until('the status bar count and cost', () => /tok/.test(app.statusBar.text) && /~\$[\d.]+/.test(app.statusBar.text) && app.statusBar.text, 60_000);

    const after = app.sdkBundle();
    assert.equal(after.asked, before.asked, 'nothing asked for the SDK bundle while counting, pricing and showing lenses');
    assert.equal(after.loaded, before.loaded);
    if (!before.loaded) assert.doesNotMatch(await flushedLog(), /provider SDKs loaded in/);

    const sample = await openFixture('sample.ts');
    sample.selection = new vscode.Selection(0, 0, 8, 1);
    await vscode.commands.executeCommand('tierwise.explain');
    await until('a chat completion request', async () => (await fakeRequests()).find((x) => x.path.endsWith('/chat/completions')));
    const sent = app.sdkBundle();
    assert.equal(sent.loaded, true, 'the send loaded the SDK bundle');
    assert.ok(sent.asked > after.asked);
    assert.match(await flushedLog(), /provider SDKs loaded in [\d.]+ ms/);
  });
});
