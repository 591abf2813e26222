import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeEnqueue, fakeRequests, fakeReset, openFixture, setting, tierwise, until } from './helpers';

const OLD_KEY = 'sk-test-line-old-0123456789abcdef';
const NEW_KEY = 'sk-test-line-new-9876543210fedcba';

type Win = typeof vscode.window;
type Patched = Pick<Win, 'showWarningMessage' | 'showErrorMessage' | 'showInformationMessage' | 'showInputBox'>;

/**
 * A user who answers every cost question with "Send Anyway", every key problem with "Set API Key" and types
 * `NEW_KEY` into the key box. Counts what was asked.
 */
function patientUser() {
  const w = vscode.window as unknown as Record<keyof Patched, unknown>;
  const saved = { showWarningMessage: w.showWarningMessage, showErrorMessage: w.showErrorMessage, showInformationMessage: w.showInformationMessage, showInputBox: w.showInputBox };
  const asked = { cost: 0, missingKey: 0, rejectedKey: 0, keyBox: 0, other: [] as string[] };
  w.showWarningMessage = (text: string, ...rest: unknown[]) => {
    if (/may cost up to/.test(text) && rest.includes('Send Anyway')) {
      asked.cost++;
      return Promise.resolve('Send Anyway');
    }
    asked.other.push(text);
    return Promise.resolve(undefined);
  };
  w.showErrorMessage = (text: string) => {
    if (/no API key is set/.test(text)) asked.missingKey++;
    else if (/rejected the API key/.test(text)) asked.rejectedKey++;
    else {
      asked.other.push(text);
      return Promise.resolve(undefined);
    }
    return Promise.resolve('Set API Key');
  };
  w.showInformationMessage = () => Promise.resolve(undefined);
  w.showInputBox = () => {
    asked.keyBox++;
    return Promise.resolve(NEW_KEY);
  };
  return {
    asked,
    restore() {
      Object.assign(w, saved);
    },
  };
}

async function chat() {
  return (await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions'));
}

suite('Sending is one straight line', () => {
  suiteSetup(async () => {
    await setting('provider', 'openai');
    // Every request costs more than this: the cost question is asked each time.
    await setting('confirmAboveUsd', 1e-9);
  });
  suiteTeardown(async () => {
    await setting('confirmAboveUsd', undefined);
    const app = await tierwise();
    await app.keys.set('openai', OLD_KEY);
    // Leave one cursor and no open editor behind for the suites after this one.
    const editor = await openFixture('sample.ts');
    editor.selections = [new vscode.Selection(0, 0, 0, 0)];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  setup(fakeReset);

  async function explain(): Promise<{ before: string | undefined; records: number }> {
    const app = await tierwise();
    const editor = await openFixture('sample.ts');
    editor.selection = new vscode.Selection(0, 0, 8, 1);
    await app.services.ledger().loaded;
    return { before: app.panel.latest()?.id, records: app.services.ledger().all().length };
  }

  test('no key: the user sets one when asked and the same request goes on, with one cost question', async () => {
    const app = await tierwise();
    await app.keys.clear('openai');
    await until('the settings to apply', () => app.services.config().confirmAboveUsd === 1e-9);
    const user = patientUser();
    try {
      const { before, records } = await explain();
      await vscode.commands.executeCommand('tierwise.explain');
      const a = await until('the answer to end', () => {
        const x = app.panel.latest();
        return x && x.id !== before && x.outcome ? x : undefined;
      }, 30_000);
      assert.equal(a.outcome, 'done', a.message);
      assert.equal(user.asked.missingKey, 1, 'the missing key was asked for once');
      assert.equal(user.asked.keyBox, 1);
      assert.equal(user.asked.cost, 1, `the cost question was asked exactly once (others: ${user.asked.other.join(' | ')})`);
      const sent = await chat();
      assert.equal(sent.length, 1, 'sent once');
      assert.equal(sent[0]!.headers.authorization, `Bearer ${NEW_KEY}`);
      const recs = app.services.ledger().all().slice(records);
      assert.deepEqual(recs.map((r) => r.outcome), ['ok']);
    } finally {
      user.restore();
    }
  });

  test('a 401: the user fixes the key and the request is sent once more, without a second cost question', async () => {
    const app = await tierwise();
    await app.keys.set('openai', OLD_KEY);
    await fakeEnqueue({ kind: 'error', status: 401, errorType: 'auth' });
    const user = patientUser();
    try {
      const { before, records } = await explain();
      await vscode.commands.executeCommand('tierwise.explain');
      // The command ends with the first answer recorded; the key is fixed after that, and the resend follows.
      const first = app.panel.latest()!;
      assert.notEqual(first.id, before);
      assert.equal(first.outcome, 'error');
      assert.match(first.message ?? '', /rejected the API key/);
      const second = await until('the resent answer to end', () => {
        const x = app.panel.latest();
        return x && x.id !== first.id && x.outcome ? x : undefined;
      }, 30_000);
      assert.equal(second.outcome, 'done', second.message);
      assert.equal(user.asked.rejectedKey, 1);
      assert.equal(user.asked.keyBox, 1);
      assert.equal(user.asked.cost, 1, 'the cost question was asked once for the request, not again for the resend');
      const sent = await chat();
      assert.equal(sent.length, 2);
      assert.equal(sent[0]!.headers.authorization, `Bearer ${OLD_KEY}`);
      assert.equal(sent[1]!.headers.authorization, `Bearer ${NEW_KEY}`);
      const recs = await until('two ledger records', () => (app.services.ledger().all().length >= records + 2 ? app.services.ledger().all().slice(records) : undefined));
      assert.deepEqual(recs.map((r) => r.outcome), ['error', 'ok']);
    } finally {
      user.restore();
    }
  });

  test('several cursors: the status bar counts the text Explain sends, the selections that hold text', async () => {
    const app = await tierwise();
    await app.keys.set('openai', OLD_KEY);
    await setting('confirmAboveUsd', undefined);
    try {
      const editor = await openFixture('sample.ts');
      const doc = editor.document;
      const first = new vscode.Selection(0, 0, 1, doc.lineAt(1).text.length);
      const blank = new vscode.Selection(2, 0, 2, 2); // only the indentation: counts as no selection
      const last = new vscode.Selection(7, 2, 7, doc.lineAt(7).text.length);
      editor.selections = [first, blank, last];
      const expected = `${doc.getText(first)}\n${doc.getText(last)}`;
      const cfg = app.services.config().routing.config;
      const tokens = (await app.services.tokens().counter().count('openai', cfg.tiers.openai.medium, expected)).tokens;
      await until('the status bar to count the selections that hold text', () => app.statusBar.text.includes(` ${tokens.toLocaleString('en-US')} tok`) && app.statusBar.text);
      assert.match(app.statusBar.tooltipText, /^Selection: /m);
      await vscode.commands.executeCommand('tierwise.explain');
      const req = await until('a request', async () => (await chat())[0]);
      const body = req.body as { messages: { content: string }[] };
      const user = body.messages[body.messages.length - 1]!.content;
      assert.ok(user.includes(expected), `both selections are sent, joined by a newline: ${user}`);
      assert.ok(!user.includes('let a = 0'), 'nothing outside the selections is sent');
    } finally {
      await setting('confirmAboveUsd', 1e-9);
    }
  });

  test('a batch without a key: the user sets one and the same batch is submitted, with one cost question', async () => {
    const app = await tierwise();
    await app.keys.clear('openai');
    await setting('batch.pollSeconds', 1);
    const user = patientUser();
    try {
      const editor = await openFixture('notes.md');
      editor.selection = new vscode.Selection(2, 0, 3, editor.document.lineAt(3).text.length); // two lines: two items
      const records = app.services.ledger().all().length;
      const id = await vscode.commands.executeCommand<string | undefined>('tierwise.runBatch', 'extractKeywords', 'lines');
      assert.ok(id, 'the batch was submitted');
      assert.equal(user.asked.missingKey, 1);
      assert.equal(user.asked.keyBox, 1);
      assert.equal(user.asked.cost, 1, `the cost question was asked exactly once (others: ${user.asked.other.join(' | ')})`);
      const created = (await fakeRequests()).filter((r) => r.method === 'POST' && r.path === '/v1/batches');
      assert.equal(created.length, 1, 'one batch');
      assert.equal(created[0]!.headers.authorization, `Bearer ${NEW_KEY}`);
      // Its results arrive before the next suite starts.
      await until('the batch results', () => app.services.ledger().all().length >= records + 2, 30_000);
    } finally {
      user.restore();
      await setting('batch.pollSeconds', undefined);
    }
  });
});
