/**
 * Prompt files inside a real extension host: CodeLenses with counts, lint diagnostics, quick fixes.
 * Runs under test/integration/index.ts (mocha TDD UI).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'tierwise.tierwise';

const CLASSIFIER = [
  '---',
  'name: IT classifier',
  'tier: simple',
  'task: classify',
  'max_tokens: 4096',
  'temperature: 0',
  'variables:',
  '  review: "Works, but the lid squeaks."',
  '---',
  '## system',
  'Classify the review as positive, negative or mixed. Answer with one word.',
  '',
  '## example user',
  'Love it.',
  '',
  '## example assistant',
  'positive',
  '',
  '## user',
  '{{review}}',
  '',
].join('\n');

const PROMPTY = [
  '---',
  'name: IT prompty',
  'model:',
  '  api: chat',
  '  configuration:',
  '    type: openai',
  '    name: gpt-4o-mini',
  '  parameters:',
  '    max_tokens: 200',
  'inputs:',
  '  question:',
  '    type: string',
  '    default: Does it float?',
  '---',
  'system:',
  'You answer questions about the product in one sentence.',
  '',
  'user:',
  '{{question}} Asked by {{customer}}.',
  '',
].join('\n');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function lensTitles(lenses: vscode.CodeLens[]): string[] {
  return lenses.map((l) => l.command?.title ?? '');
}

async function countedLenses(uri: vscode.Uri, sections: number): Promise<vscode.CodeLens[]> {
  return waitFor('CodeLenses with token counts', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
    const titles = lensTitles(lenses);
    const sectionCounts = titles.filter((t) => /^\d[\d,]* tokens?( \(approx\.\))?$/.test(t));
    return titles.some((t) => /^Σ /.test(t)) && sectionCounts.length === sections ? lenses : undefined;
  });
}

async function tierwiseDiagnostic(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic> {
  return waitFor(`diagnostic ${code}`, () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'tierwise' && d.code === code));
}

async function applyQuickFix(doc: vscode.TextDocument, diag: vscode.Diagnostic, title: RegExp): Promise<void> {
  const actions = await waitFor('code actions', async () => {
    const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    return all.some((a) => title.test(a.title)) ? all : undefined;
  });
  const action = actions.find((a) => title.test(a.title))!;
  assert.ok(action.edit, `quick fix "${action.title}" has no edit`);
  assert.equal(await vscode.workspace.applyEdit(action.edit), true);
}

suite('Prompt files', () => {
  const created: vscode.Uri[] = [];

  async function openSample(name: string, content: string): Promise<vscode.TextDocument> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the integration tests need a workspace folder');
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    created.push(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  suiteTeardown(async () => {
    // Revert the edits the tests made, close, then delete (deleting a dirty file upsets the local history).
    for (const uri of created) {
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('the language ids and the run command are contributed', async () => {
    const langs = await vscode.languages.getLanguages();
    assert.ok(langs.includes('tierwise-prompt'), 'language tierwise-prompt is not contributed');
    assert.ok(langs.includes('prompty'), 'language prompty is not contributed');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('tierwise.runPromptFile'));
  });

  test('.prompt.md: CodeLenses show the total, a cost line per tier, Run, and a count per section', async () => {
    const doc = await openSample('tierwise-it-classifier.prompt.md', CLASSIFIER);
    assert.equal(doc.languageId, 'tierwise-prompt');
    const lenses = await countedLenses(doc.uri, 4);
    const titles = lensTitles(lenses);
    const total = titles.find((t) => /^Σ /.test(t))!;
    assert.match(total, /^Σ ≈?\d[\d,]* tok$/);
    assert.ok(titles.includes('▶ Run'), titles.join(' | '));
    const run = lenses.find((l) => l.command?.title === '▶ Run')!;
    assert.equal(run.command!.command, 'tierwise.runPromptFile');
    for (const tier of ['simple', 'medium', 'complex']) assert.ok(titles.some((t) => t.startsWith(`${tier} · `)), `no cost lens for ${tier}: ${titles.join(' | ')}`);
    // Run comes first on the top line, which stays short enough for a narrow editor; tier costs are on the next line.
    const topLine = run.range.start.line;
    const top = lenses.filter((l) => l.range.start.line === topLine && !/^\d[\d,]* tokens?/.test(l.command?.title ?? ''));
    assert.equal(top[0]!.command!.title, '▶ Run');
    // A third of a 1280 px window, less gutter and minimap, holds about 30 characters of lens text.
    const topWidth = top.map((l) => l.command!.title).join(' | ').length;
    assert.ok(topWidth <= 30, `top lens line is ${topWidth} characters: ${top.map((l) => l.command!.title).join(' | ')}`);
    const costLenses = lenses.filter((l) => /^(simple|medium|complex) · /.test(l.command?.title ?? ''));
    assert.ok(costLenses.every((l) => l.range.start.line === topLine + 1), 'tier costs on the line after Run');
    assert.ok(costLenses.map((l) => l.command!.title).join(' | ').length <= 120, costLenses.map((l) => l.command!.title).join(' | '));
    // Section lenses sit on the section headers.
    const headerLines = doc.getText().split('\n').map((l, i) => (l.startsWith('## ') ? i : -1)).filter((i) => i >= 0);
    const sectionLines = lenses.filter((l) => /^\d[\d,]* tokens?/.test(l.command?.title ?? '')).map((l) => l.range.start.line);
    assert.deepEqual(sectionLines, headerLines);
  });

  test('.prompt.md: max_tokens 4096 on a classifier is flagged, and the quick fix lowers it', async () => {
    const doc = await openSample('tierwise-it-classifier-fix.prompt.md', CLASSIFIER);
    const diag = await tierwiseDiagnostic(doc.uri, 'max-tokens-excessive');
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(diag.range), '4096');
    await applyQuickFix(doc, diag, /^Set max_tokens to \d+$/);
    const m = /^max_tokens: (\d+)$/m.exec(doc.getText());
    assert.ok(m, doc.getText());
    const value = Number(m[1]);
    assert.ok(value >= 8 && value <= 64, `suggested ${value}`);
    await waitFor('the diagnostic to clear', () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'max-tokens-excessive') ? undefined : true));
    // Counts follow the edit (debounced).
    await countedLenses(doc.uri, 4);
  });

  test('.prompty: CodeLenses per role section, an undefined input is flagged and the fix declares it', async () => {
    const doc = await openSample('tierwise-it.prompty', PROMPTY);
    assert.equal(doc.languageId, 'prompty');
    const lenses = await countedLenses(doc.uri, 2);
    const lines = lenses.filter((l) => /^\d[\d,]* tokens?/.test(l.command?.title ?? '')).map((l) => l.range.start.line);
    const text = doc.getText().split('\n');
    assert.deepEqual(lines, [text.indexOf('system:'), text.indexOf('user:')]);

    const diag = await tierwiseDiagnostic(doc.uri, 'variable-undefined');
    assert.equal(doc.getText(diag.range), '{{customer}}');
    await applyQuickFix(doc, diag, /^Define variable `customer`$/);
    assert.match(doc.getText(), /\n {2}customer:\n {4}type: string\n---/);
    await waitFor('the diagnostic to clear', () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'variable-undefined') ? undefined : true));
  });

  test('tierwise.lint.systemPromptMaxTokens applies without a reload: a lower limit flags the system prompt, the default clears it', async () => {
    const doc = await openSample('tierwise-it-lint-setting.prompt.md', CLASSIFIER);
    const c = vscode.workspace.getConfiguration('tierwise');
    try {
      await c.update('lint.systemPromptMaxTokens', 5, vscode.ConfigurationTarget.Global);
      const diag = await tierwiseDiagnostic(doc.uri, 'system-too-long');
      assert.match(diag.message, /over the 5-token limit \(setting tierwise\.lint\.systemPromptMaxTokens\)/);
    } finally {
      await c.update('lint.systemPromptMaxTokens', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the diagnostic to clear', () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'system-too-long') ? undefined : true));
  });

  test('typing updates the section counts', async () => {
    const doc = await openSample('tierwise-it-typing.prompt.md', CLASSIFIER);
    const before = await countedLenses(doc.uri, 4);
    const userLine = doc.getText().split('\n').indexOf('{{review}}');
    const count = (lenses: vscode.CodeLens[]) => Number((lenses.find((l) => l.range.start.line === userLine - 1 && /tokens?/.test(l.command?.title ?? ''))?.command?.title ?? '').split(' ')[0].replace(/,/g, ''));
    const n0 = count(before);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(userLine, '{{review}}'.length), ' Please also explain your answer in detail, with reasons.');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await waitFor('a higher count for the user section', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
      const n1 = count(lenses);
      return n1 > n0 ? n1 : undefined;
    });
  });
});
