import * as assert from 'node:assert/strict';
import { REASONING_ROOM_TOKENS } from '../../src/core/providers/reasoning';
import * as vscode from 'vscode';
import { DEFAULT_TASKS } from '../../src/core/routing';
import { countTokens, defaultAnswer, outputTokensOf } from '../fake-provider/server';
import { fakeRequests, fakeReset, openFixture, setting, tierwise, until } from './helpers';
import { spendReasons } from '../../src/host/requests/sendChecks';

const KEY = 'sk-test-integration-0123456789abcdef';

suite('Requests through the fake provider', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', KEY);
    await setting('provider', 'openai');
  });
  setup(fakeReset);

  test('Explain Selection sends the task model, max_tokens and system prompt; the ledger prices the reported usage', async () => {
    const app = await tierwise();
    const editor = await openFixture('sample.ts');
    editor.selection = new vscode.Selection(0, 0, 8, 1);
    const before = app.services.ledger().all().length;
    await vscode.commands.executeCommand('tierwise.explain');

    const reqs = await until('a chat completion request', async () => {
      const r = (await fakeRequests()).filter((x) => x.path.endsWith('/chat/completions'));
      return r.length ? r : undefined;
    });
    const body = reqs[0]!.body as { model: string; max_tokens?: number; max_completion_tokens?: number; stream: boolean; stream_options?: { include_usage: boolean }; messages: { role: string; content: string }[] };
    assert.equal(body.model, 'gpt-6.1-sol', 'explain is a medium-tier task: gpt-6.1-sol on OpenAI');
    assert.equal(body.max_tokens ?? body.max_completion_tokens! - REASONING_ROOM_TOKENS, DEFAULT_TASKS.explainCode.maxTokens);
    assert.equal(body.stream, true);
    assert.equal(body.stream_options?.include_usage, true);
    assert.equal(body.messages[0]!.role, 'system');
    assert.equal(body.messages[0]!.content, DEFAULT_TASKS.explainCode.system);
    const user = body.messages[body.messages.length - 1]!;
    assert.match(user.content, /export function fib/);
    assert.ok(!JSON.stringify(reqs[0]!.body).includes(KEY), 'the key must not appear in the body');
    assert.equal(reqs[0]!.headers.authorization, `Bearer ${KEY}`);

    const rec = await until('a ledger record', () => app.services.ledger().all()[before]);
    const expectedIn = countTokens(body, 'openai');
    assert.equal(rec.provider, 'openai');
    assert.equal(rec.model.startsWith('gpt-6.1-sol'), true);
    assert.equal(rec.task, 'explainCode');
    assert.equal(rec.tier, 'medium');
    assert.equal(rec.outcome, 'ok');
    assert.equal(rec.inputTokens, expectedIn);
    assert.equal(rec.outputTokens, Math.min(outputTokensOf(defaultAnswer(body.model)), DEFAULT_TASKS.explainCode.maxTokens as number));
    // gpt-6.1-sol: $2 per million input tokens, $10 per million output tokens.
    const expectedUsd = (rec.inputTokens * 2 + rec.outputTokens * 10) / 1e6;
    assert.ok(Math.abs(rec.costUsd - expectedUsd) < 1e-12, `cost ${rec.costUsd} != ${expectedUsd}`);
    await until('the status bar to show the session spend', () => app.statusBar.text.includes('session $') && app.statusBar.text);
  });

  test('Run Task with a simple task sends the simple model', async () => {
    const editor = await openFixture('notes.md');
    editor.selection = new vscode.Selection(2, 0, 3, 60);
    await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
    const req = await until('a request', async () => (await fakeRequests()).find((x) => x.path.endsWith('/chat/completions')));
    const body = req.body as { model: string; max_tokens?: number; max_completion_tokens?: number };
    assert.equal(body.model, 'gpt-6-luna');
    assert.equal(body.max_tokens ?? body.max_completion_tokens! - REASONING_ROOM_TOKENS, DEFAULT_TASKS.extractKeywords.maxTokens);
  });

  test('a command run while a panel has focus uses the last active editor and its selection', async () => {
    const editor = await openFixture('notes.md');
    editor.selection = new vscode.Selection(2, 0, 3, 60);
    const expected = editor.document.getText(editor.selection);
    const panel = vscode.window.createWebviewPanel('tierwise.test.focus', 'Focus', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {});
    try {
      await until('the panel to take focus', () => vscode.window.activeTextEditor === undefined);
      await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
      const req = await until('a request', async () => (await fakeRequests()).find((x) => x.path.endsWith('/chat/completions')));
      const body = req.body as { messages: { content: string }[] };
      assert.ok(body.messages[body.messages.length - 1]!.content.includes(expected), 'the selection of the editor beside the panel is sent');
    } finally {
      panel.dispose();
    }
  });

  test('with the same file open in two columns, a panel taking focus keeps the editor used last, not its twin', async () => {
    const app = await tierwise();
    const twin = await openFixture('notes.md');
    twin.selection = new vscode.Selection(0, 0, 0, 0);
    const doc = twin.document;
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
    assert.notEqual(editor, twin);
    editor.selection = new vscode.Selection(2, 0, 3, 60);
    const expected = doc.getText(editor.selection);
    const panel = vscode.window.createWebviewPanel('tierwise.test.focus', 'Focus', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {});
    try {
      await until('the panel to take focus', () => vscode.window.activeTextEditor === undefined);
      assert.ok(vscode.window.visibleTextEditors.includes(twin), 'the twin is still visible');
      assert.equal(app.services.editors.current(), editor, 'the editor used last, with its selection');
      await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
      const req = await until('a request', async () => (await fakeRequests()).find((x) => x.path.endsWith('/chat/completions')));
      const body = req.body as { messages: { content: string }[] };
      assert.ok(body.messages[body.messages.length - 1]!.content.includes(expected), 'the selection of the editor used last is sent');
    } finally {
      panel.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('budget questions follow one rule and use the display currency with amounts that differ', async () => {
    const app = await tierwise();
    await app.services.ledger().loaded;
    const spent = app.services.ledger().spend().todayUsd;
    const words = (max: string, t: string) => `over ${max} > ${t}`;
    try {
      await setting('currency.display', 'CNY');
      await setting('budget.dailyUsd', spent + 0.0001);
      await until('the settings to apply', () => app.services.config().currency.display === 'CNY' && app.services.config().budget.dailyUsd > 0);
      assert.deepEqual(spendReasons(app.services, 0.00005, words), [], 'a call that fits asks nothing, whatever was spent');
      const [crossing] = spendReasons(app.services, 0.00011, words);
      assert.match(crossing!, /^This request alone could cross the daily budget: it may cost up to ¥0\.00079\d* .* and ¥0\.00072\d* of ¥/);
      assert.ok(!crossing!.includes('$'), crossing);
      await setting('budget.dailyUsd', Math.max(1e-9, spent / 2));
      await until('the budget to apply', () => app.services.config().budget.dailyUsd < spent || spent === 0);
      if (spent > 0) assert.match(spendReasons(app.services, 0, words)[0]!, /^The daily budget is used up: ¥/);
    } finally {
      await setting('budget.dailyUsd', undefined);
      await setting('currency.display', undefined);
    }
  });

  test('a provider base URL set in settings is where calls go (DashScope)', async () => {
    const app = await tierwise();
    await app.keys.set('dashscope', 'sk-test-dashscope-0123456789');
    await setting('provider', 'dashscope');
    try {
      const editor = await openFixture('notes.md');
      editor.selection = new vscode.Selection(2, 0, 3, 60);
      await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
      const req = await until('a DashScope request', async () => (await fakeRequests()).find((x) => x.path.startsWith('/compatible-mode/')));
      assert.equal((req.body as { model: string }).model, 'qwen3.7-flash');
    } finally {
      await setting('provider', 'openai');
    }
  });
});

suite('Compare costs', () => {
  test('with an Anthropic key, the Anthropic rows use its count_tokens endpoint', async () => {
    const app = await tierwise();
    await fakeReset();
    await app.keys.set('anthropic', 'sk-ant-test-compare-0123456789');
    try {
      const editor = await openFixture('notes.md');
      editor.selection = new vscode.Selection(0, 0, 4, 0);
      await vscode.commands.executeCommand('tierwise.compareCosts');
      const counted = await until('count_tokens requests', async () => {
        const r = (await fakeRequests()).filter((x) => x.path === '/v1/messages/count_tokens');
        return r.length >= 3 ? r : undefined;
      });
      const models = counted.map((r) => (r.body as { model: string }).model).sort();
      assert.deepEqual(models, ['claude-haiku-4-5', 'claude-opus-5-5', 'claude-sonnet-5-5']);
      assert.ok(!(await fakeRequests()).some((r) => r.path === '/v1/messages'), 'counting sends no message');
    } finally {
      await app.keys.clear('anthropic');
    }
  });
});

suite('Status bar', () => {
  test('an empty file shows no price; the tooltip follows the task of the last command', async () => {
    const app = await tierwise();
    await app.keys.set('openai', KEY);
    await setting('provider', 'openai');
    const doc = await vscode.workspace.openTextDocument({ content: '', language: 'plaintext' });
    await vscode.window.showTextDocument(doc);
    await until('a count of the empty file', () => /(^|\s)0 tok/.test(app.statusBar.text));
    assert.ok(!/~[$¥]/.test(app.statusBar.text), app.statusBar.text);
    assert.match(app.statusBar.tooltipText, /empty: there is nothing to send/);
    const editor = await openFixture('notes.md');
    editor.selection = new vscode.Selection(2, 0, 3, 60);
    await vscode.commands.executeCommand('tierwise.explain');
    await until('the tooltip to name Explain', () => app.statusBar.tooltipText.includes(`*${DEFAULT_TASKS.explainCode.label}*`));
    await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
    await until('the tooltip to follow the new task', () => app.statusBar.tooltipText.includes(`*${DEFAULT_TASKS.extractKeywords.label}*`));
    assert.match(app.statusBar.tooltipText, /\| input alone \| input \+ a full answer \(max_tokens\) \|/);
  });

  test('counts the selection and updates as it changes', async () => {
    const app = await tierwise();
    const editor = await openFixture('notes.md');
    const count = () => {
      const m = /([\d,]+) tok/.exec(app.statusBar.text)?.[1];
      return m === undefined ? undefined : Number(m.replace(/,/g, ''));
    };
    editor.selection = new vscode.Selection(0, 0, 0, 15);
    const short = await until('a count for a short selection', () => {
      const n = count();
      return n !== undefined && n > 0 && n < 10 ? n : undefined;
    });
    editor.selection = new vscode.Selection(0, 0, 4, 0);
    const long = await until('a count for a longer selection', () => {
      const n = count();
      return n !== undefined && n > short ? n : undefined;
    });
    assert.ok(long > 30, `four lines of prose are more than 30 tokens (${long})`);
  });

  test('typing in a document updates its count to exactly what a fresh count of the text gives', async () => {
    const app = await tierwise();
    await setting('provider', 'openai');
    const fixture = await openFixture('sample.ts');
    const content = Array.from({ length: 40 }, (_, i) => fixture.document.getText().replace(/fib/g, `fib${i}`)).join('\n');
    const doc = await vscode.workspace.openTextDocument({ content, language: 'typescript' });
    const editor = await vscode.window.showTextDocument(doc);
    const model = app.services.config().routing.config.tiers.openai.medium;
    const shown = () => /(?:^|\s)([\d,]+) tok/.exec(app.statusBar.text)?.[1]?.replace(/,/g, '');
    const fresh = async () => String((await app.services.tokens().counter().count('openai', model, doc.getText())).tokens);
    const sameAsFresh = async (what: string) => {
      const expected = await fresh();
      await until(what, () => shown() === expected || undefined);
    };
    await sameAsFresh('the count of the opened document');
    // Keystrokes, one at a time and faster than the status bar's debounce.
    editor.selection = new vscode.Selection(10, 0, 10, 0);
    for (const ch of 'const typed = 42;\n') await vscode.commands.executeCommand('type', { text: ch });
    await sameAsFresh('the count after typing');
    // Several cursors in one change, a deletion and a paste-sized insert.
    await editor.edit((b) => {
      b.insert(new vscode.Position(2, 0), '// one\n');
      b.insert(new vscode.Position(30, 0), '// two 2024\n');
      b.delete(new vscode.Range(50, 0, 52, 0));
      b.insert(new vscode.Position(80, 0), fixture.document.getText());
    });
    await sameAsFresh('the count after a multi-cursor edit');
    await vscode.commands.executeCommand('undo');
    await sameAsFresh('the count after undo');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

suite('API keys in secret storage', () => {
  test('set, read back and clear a key; settings never hold it', async () => {
    const app = await tierwise();
    await app.keys.set('anthropic', 'sk-ant-test-roundtrip-0123456789');
    assert.equal(await app.keys.get('anthropic'), 'sk-ant-test-roundtrip-0123456789');
    assert.equal(await app.context.secrets.get('tierwise.apiKey.anthropic'), 'sk-ant-test-roundtrip-0123456789');
    const all = JSON.stringify(vscode.workspace.getConfiguration('tierwise'));
    assert.ok(!all.includes('sk-ant-test-roundtrip'), 'a key must never be in settings');
    assert.ok(!JSON.stringify(app.context.globalState.keys().map((k) => app.context.globalState.get(k))).includes('roundtrip'));
    await app.keys.clear('anthropic');
    assert.equal(await app.keys.get('anthropic'), undefined);
  });
});
