/**
 * Bad input in the real extension host: each gets one clear message, nothing is sent, nothing is lost.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../../src/host/util/log';
import { Ledger } from '../../src/host/prices/ledger';
import { captureMessages, fakeRequests, fakeReset, setting, tierwise, until } from './helpers';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function openAndSelectAll(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const doc = editor.document;
  editor.selection = new vscode.Selection(0, 0, doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).text.length);
  return editor;
}

const chat = async () => (await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions'));

suite('Bad input', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', 'sk-test-badinput-0123456789abcdef');
    await setting('provider', 'openai');
  });
  setup(fakeReset);

  test('a selection with NUL bytes is refused with one message naming the line; nothing is sent', async () => {
    const app = await tierwise();
    // VS Code itself refuses to open a file with NUL bytes near its start; past the first few KB it opens as text.
    const uri = workspaceFile('dump.txt');
    const head = 'log line of text\n'.repeat(1000);
    writeFileSync(uri.fsPath, Buffer.concat([Buffer.from(head + 'line two '), Buffer.from([0, 1, 2, 0, 255]), Buffer.from('\nend\n')]));
    const ui = captureMessages();
    try {
      await openAndSelectAll(uri);
      const before = app.panel.latest()?.id;
      await vscode.commands.executeCommand('tierwise.explain');
      await until('the message', () => ui.messages.length > 0);
      assert.equal(ui.messages.length, 1, JSON.stringify(ui.messages));
      assert.equal(ui.messages[0]!.level, 'error');
      assert.match(ui.messages[0]!.text, /contains binary data \(a NUL byte on line 1001\), so nothing was sent/);
      assert.equal(app.panel.latest()?.id, before, 'no answer was started');
      assert.equal((await chat()).length, 0);
    } finally {
      ui.restore();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(uri.fsPath, { force: true });
    }
  });

  test('pasted text with a NUL byte (an untitled editor) is refused too', async () => {
    const ui = captureMessages();
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'abc\u0000def\n' }));
      editor.selection = new vscode.Selection(0, 0, 0, 7);
      await vscode.commands.executeCommand('tierwise.explain');
      await until('the message', () => ui.messages.length > 0);
      assert.match(ui.messages[0]!.text, /selection contains binary data \(a NUL byte on line 1\)/);
      assert.equal((await chat()).length, 0);
    } finally {
      ui.restore();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('a 2 MB selection asks first, naming its size and tokens; declining sends nothing', async function () {
    this.timeout(60_000);
    const uri = workspaceFile('two-mb.md');
    const line = 'A paragraph of notes that goes on for a while, about nothing in particular.\n';
    writeFileSync(uri.fsPath, line.repeat(Math.ceil(2_100_000 / line.length)));
    const ui = captureMessages(); // answers no dialog: the modal is declined
    try {
      await openAndSelectAll(uri);
      await vscode.commands.executeCommand('tierwise.summarise');
      const ask = await until('the confirmation', () => ui.messages.find((m) => m.level === 'warning'), 30_000);
      assert.match(ask.text, /This request sends 2\.0 MB \([\d,]+ characters\) \([\d,]+ input tokens\) to \S+/);
      assert.equal((await chat()).length, 0, 'nothing is sent without a yes');
    } finally {
      ui.restore();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(uri.fsPath, { force: true });
    }
  });

  test('a 50 MB file: the status bar shows an estimate, and a request says how large it is before anything is sent', async function () {
    this.timeout(180_000);
    const app = await tierwise();
    const uri = workspaceFile('big.log');
    const line = 'const value = compute(alpha, beta) + 42; // a line of a very large generated file\n';
    writeFileSync(uri.fsPath, line.repeat(Math.ceil(50_000_000 / line.length)).slice(0, 50_000_000));
    const ui = captureMessages();
    try {
      await openAndSelectAll(uri);
      // The status bar counts the selection without copying or counting 50 MB on this thread.
      const text = await until('the status bar estimate', () => (/≈[\d,]+ tok/.test(app.statusBar.text) && !/≈0 tok/.test(app.statusBar.text) ? app.statusBar.text : undefined), 60_000);
      const shown = Number(/≈([\d,]+) tok/.exec(text)![1]!.replace(/,/g, ''));
      assert.ok(shown > 5_000_000, `about 50 MB of code is millions of tokens: ${text}`);
      // The event loop stays free while the user moves around in the file.
      // Printed, not asserted: the longest event-loop turn while the selection moves and the status bar recounts.
      const lags: number[] = [];
      for (let i = 0; i < 10; i++) {
        const editor = vscode.window.activeTextEditor!;
        editor.selection = new vscode.Selection(i * 1000, 0, i * 1000 + 200_000, 0);
        for (let k = 0; k < 4; k++) {
          const t = performance.now();
          await new Promise((r) => setTimeout(r, 50));
          lags.push(Math.round(performance.now() - t - 50));
        }
      }
      console.log(`      status bar on a 50 MB file: event-loop delay after selection changes (ms): ${lags.join(' ')}`);
      await openAndSelectAll(uri);
      await vscode.commands.executeCommand('tierwise.explain');
      const msg = await until('the message', () => ui.messages.find((m) => m.level === 'error'), 60_000);
      assert.match(msg.text, /The text is 47\.7 MB \(50,000,000 characters\), its tokens estimated from samples\./);
      assert.match(msg.text, /do not fit/);
      assert.equal(ui.messages.filter((m) => m.level === 'error').length, 1);
      assert.equal((await chat()).length, 0, 'nothing was sent');
    } finally {
      ui.restore();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(uri.fsPath, { force: true });
    }
  });

  test('a corrupt ledger (garbage line, truncated last line): readable records kept, the file moved aside, the user told once', async () => {
    const app = await tierwise();
    const dir = mkdtempSync(path.join(tmpdir(), 'tierwise-ledger-int-'));
    const ui = captureMessages();
    const logged: string[] = [];
    const log = { warn: (m: string) => logged.push(m), error: (m: string) => logged.push(`error: ${m}`), info: () => undefined, debug: () => undefined } as unknown as Log;
    try {
      const good = (task: string) => JSON.stringify({ v: 1, time: Date.now(), provider: 'openai', model: 'gpt-4o', task, inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost: 0.0001, currency: 'USD', costUsd: 0.0001, cacheSavingsUsd: 0, latencyMs: 100, retries: 0, outcome: 'ok' });
      // A garbage line in the middle, and the last line torn as a host killed during the write leaves it.
      writeFileSync(path.join(dir, 'ledger.jsonl'), `${good('one')}\n\u0000\u0000garbage\n${good('two')}\n${good('three').slice(0, 50)}`);
      const open = () => new Ledger(vscode.Uri.file(dir), log, () => app.services.pricing(), () => 7.2, () => undefined);
      const l = open();
      await l.loaded;
      assert.deepEqual(l.all().map((r) => r.task), ['one', 'two']);
      const aside = readdirSync(dir).filter((f) => f.startsWith('ledger.jsonl.corrupt-'));
      assert.equal(aside.length, 1, `moved aside: ${readdirSync(dir).join(', ')}`);
      assert.match(readFileSync(path.join(dir, aside[0]!), 'utf8'), /garbage/);
      const warnings = ui.messages.filter((m) => /ledger/.test(m.text));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!.text, /2 unreadable line\(s\).*Kept 2 readable record\(s\).*moved aside to .*ledger\.jsonl\.corrupt-/);
      // Recording goes on, and opening again finds nothing to report.
      await l.record({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }, usageReported: true, latencyMs: 1, retries: 0, outcome: 'ok', task: 'four' });
      const again = open();
      await again.loaded;
      assert.deepEqual(again.all().map((r) => r.task), ['one', 'two', 'four']);
      assert.equal(ui.messages.filter((m) => /ledger/.test(m.text)).length, 1, 'told once');
      assert.ok(!logged.some((m) => m.startsWith('error:')), logged.join('\n'));
      l.dispose();
      again.dispose();
    } finally {
      ui.restore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
