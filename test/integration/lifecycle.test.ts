import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answerAfter, fakeEnqueue, fakeRequests, fakeReset, setting, tierwise, until } from './helpers';

const KEY = 'sk-test-dashscope-lifecycle-0123456789';
const chat = (r: { path: string }) => r.path.endsWith('/chat/completions');

async function editorWith(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(0, 0, doc.lineCount, 0);
  return editor;
}

type Shown = { message: string; modal: boolean; buttons: string[] };

/** Answers Tierwise's warnings and errors with `reply` (a button, or undefined) and records them. */
function answering(reply: (s: Shown) => string | undefined): { shown: Shown[]; restore(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved = { warn: w.showWarningMessage, error: w.showErrorMessage };
  const shown: Shown[] = [];
  const fake = (message: string, ...rest: unknown[]) => {
    const opts = typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as { modal?: boolean }) : undefined;
    const s = { message, modal: !!opts?.modal, buttons: rest as string[] };
    shown.push(s);
    return Promise.resolve(reply(s));
  };
  w.showWarningMessage = fake;
  w.showErrorMessage = fake;
  return {
    shown,
    restore() {
      w.showWarningMessage = saved.warn;
      w.showErrorMessage = saved.error;
    },
  };
}

suite('Models that are gone are named as gone', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('dashscope', KEY);
    await setting('provider', 'dashscope');
  });
  suiteTeardown(async () => {
    const app = await tierwise();
    await setting('tiers.dashscope.simple', undefined);
    await setting('tiers.dashscope.medium', undefined);
    await setting('provider', 'openai');
    await app.keys.clear('dashscope');
  });
  setup(async () => {
    await fakeReset();
    await setting('tiers.dashscope.simple', undefined);
  });

  test('a retired tier model from the settings is flagged in the status bar and asked about before sending; Switch writes the setting and sends to the successor', async () => {
    const app = await tierwise();
    await setting('tiers.dashscope.simple', 'qwen-turbo');
    await editorWith('The export button does nothing when the file name has a space.\n');
    const tip = await until('the tooltip to flag qwen-turbo', () => {
      app.statusBar.render();
      const t = app.statusBar.tooltipText;
      return t.includes('qwen-turbo was retired') ? t : undefined;
    });
    assert.match(tip, /simple tier: qwen-turbo was retired by Alibaba Cloud Model Studio on 2026-10-10: requests to it fail\. Alibaba Cloud Model Studio recommends qwen3\.7-flash instead\./);
    assert.match(tip, /\[Switch to qwen3\.7-flash\]\(command:tierwise\.switchModel\?/);

    const ui = answering((s) => (s.modal ? s.buttons.find((b) => b.startsWith('Switch to')) : undefined));
    try {
      const before = app.panel.latest()?.id;
      await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
      const a = await answerAfter(before, 'the answer from the successor');
      const ask = ui.shown.find((s) => s.modal)!;
      assert.match(ask.message, /qwen-turbo was retired by Alibaba Cloud Model Studio on 2026-10-10/);
      assert.deepEqual(ask.buttons, ['Switch to qwen3.7-flash', 'Send Anyway']);
      assert.equal(a.outcome, 'done');
      const sent = (await fakeRequests()).filter(chat);
      assert.deepEqual(
        sent.map((r) => (r.body as { model: string }).model),
        ['qwen3.7-flash'],
        'nothing went to the retired model',
      );
      assert.equal(vscode.workspace.getConfiguration('tierwise').inspect('tiers.dashscope.simple')?.globalValue, 'qwen3.7-flash', 'the user setting now names the successor');
    } finally {
      ui.restore();
    }
  });

  test("sent anyway, the provider's 404 for a retired model says when it was retired, by whom, and the successor, with Switch", async () => {
    const app = await tierwise();
    await setting('tiers.dashscope.simple', 'qwen-turbo');
    await editorWith('Please add a dark theme to the settings page.\n');
    await fakeEnqueue({ kind: 'error', status: 404, errorType: 'not_found' });
    const ui = answering((s) => (s.modal ? 'Send Anyway' : undefined));
    try {
      const before = app.panel.latest()?.id;
      await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
      const a = await answerAfter(before, 'the 404');
      assert.equal(a.outcome, 'error');
      assert.match(a.message ?? '', /qwen-turbo was retired by Alibaba Cloud Model Studio on 2026-10-10: requests to it fail\. Alibaba Cloud Model Studio recommends qwen3\.7-flash instead\. It was chosen by the setting tierwise\.tiers\.dashscope\.simple\./);
      assert.match(a.meta.reason, /⚠ qwen-turbo was retired/, 'the route line says so');
      const offer = await until('the Switch offer', () => ui.shown.find((s) => !s.modal && s.buttons.includes('Switch to qwen3.7-flash')));
      assert.match(offer.message, /retired/);
    } finally {
      ui.restore();
    }
  });

  test('a 404 for a model the catalogue does not know names the closest models the provider has', async () => {
    const app = await tierwise();
    await setting('tiers.dashscope.medium', 'qwen-plsu');
    await editorWith('Summarise: the export button does nothing when the file name has a space.\n');
    await fakeEnqueue({ kind: 'error', status: 404, errorType: 'not_found' });
    const ui = answering(() => undefined);
    try {
      const before = app.panel.latest()?.id;
      await vscode.commands.executeCommand('tierwise.summarise');
      const a = await answerAfter(before, 'the 404');
      assert.equal(a.outcome, 'error');
      assert.match(a.message ?? '', /Alibaba Cloud Model Studio answered that "qwen-plsu" is not one of its models \(404\)\. It was chosen by the setting tierwise\.tiers\.dashscope\.medium\. Closest models it has: qwen-plus/);
      assert.equal(ui.shown.filter((s) => s.modal).length, 0, 'an unknown model is not asked about before sending');
    } finally {
      ui.restore();
      await setting('tiers.dashscope.medium', undefined);
    }
  });

  test("a prompt file's retired model: Switch edits the file's model line and the prompt goes to the successor", async () => {
    const app = await tierwise();
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'retired-model.prompt.md');
    const body = ['---', 'name: Retired model', 'provider: dashscope', 'model: qwen-turbo', 'max_tokens: 20', '---', '## system', 'Label the text.', '', '## user', 'The box arrived crushed.', ''].join('\n');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(body, 'utf8'));
    const ui = answering((s) => (s.modal ? s.buttons.find((b) => b.startsWith('Switch to')) : undefined));
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const before = app.panel.latest()?.id;
      await vscode.commands.executeCommand('tierwise.runPromptFile', uri);
      const a = await answerAfter(before, 'the prompt answer');
      assert.equal(a.outcome, 'done');
      assert.deepEqual((await fakeRequests()).filter(chat).map((r) => (r.body as { model: string }).model), ['qwen3.7-flash']);
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      assert.match(text, /^model: qwen3\.7-flash$/m, 'the file names the successor now');
      assert.equal(vscode.workspace.getConfiguration('tierwise').inspect('tiers.dashscope.simple')?.globalValue, undefined, 'no setting was written for a prompt file');
    } finally {
      ui.restore();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(uri);
    }
  });

  test("Anthropic's not_found_error for Claude 3 Haiku says it was retired on 2026-04-20 and names its successor", async () => {
    const app = await tierwise();
    await app.keys.set('anthropic', 'sk-ant-test-lifecycle-0123456789');
    await setting('provider', 'anthropic');
    await setting('tiers.anthropic.simple', 'claude-3-haiku-20240307');
    await editorWith('The export button does nothing when the file name has a space.\n');
    await fakeEnqueue({ kind: 'error', status: 404, errorType: 'not_found' });
    const ui = answering((s) => (s.modal ? 'Send Anyway' : undefined));
    try {
      const before = app.panel.latest()?.id;
      await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
      const a = await answerAfter(before, 'the 404');
      assert.equal(a.outcome, 'error');
      assert.match(a.message ?? '', /claude-3-haiku-20240307 was retired by Anthropic on 2026-04-20: requests to it fail\. Anthropic recommends claude-haiku-4-5 instead\./);
      assert.ok((await fakeRequests()).some((r) => r.path.endsWith('/v1/messages')), 'sent to Anthropic when asked to');
    } finally {
      ui.restore();
      await setting('tiers.anthropic.simple', undefined);
      await setting('provider', 'dashscope');
      await app.keys.clear('anthropic');
    }
  });

  test('Check Setup names a retired tier model as a problem, with Switch to its successor', async () => {
    const app = await tierwise();
    await setting('tiers.dashscope.simple', 'qwen-turbo');
    const results = await app.setup.check();
    const ds = results.find((r) => r.provider === 'dashscope')!;
    const item = ds.items.find((i) => i.text.includes('qwen-turbo was retired'));
    assert.ok(item, JSON.stringify(ds.items));
    assert.equal(item.state, 'problem');
    assert.equal(item.text, 'simple tier: qwen-turbo was retired by Alibaba Cloud Model Studio on 2026-10-10: requests to it fail. Alibaba Cloud Model Studio recommends qwen3.7-flash instead.');
    assert.deepEqual(item.fix, { title: 'Switch to qwen3.7-flash', command: 'tierwise.switchModel', args: [{ provider: 'dashscope', tier: 'simple', from: 'qwen-turbo', to: 'qwen3.7-flash' }] });
    assert.equal(ds.ok, false);
    await vscode.commands.executeCommand(item.fix.command, ...(item.fix.args ?? []));
    assert.equal(vscode.workspace.getConfiguration('tierwise').inspect('tiers.dashscope.simple')?.globalValue, 'qwen3.7-flash', 'the button wrote the setting');
  });
});
