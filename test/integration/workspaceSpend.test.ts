import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { costReportCalls, costReportData } from '../../src/host/prices/costs';
import { escapeMarkdown } from '../../src/host/status/statusBar';
import { workspaceIdOf } from '../../src/host/util/workspace';
import type { CostReportData } from '../../src/shared/protocol/report';
import { answerAfter, fakeRequests, fakeReset, openFixture, setting, tierwise, until, workspaceSetting } from './helpers';

const KEY = 'sk-test-workspace-spend-0123456789';
/** A workspace of another window, as its records read in this ledger. */
const OTHER = { id: '0123456789ab', name: 'other-project' };

type Win = typeof vscode.window;
type Patched = Pick<Win, 'showWarningMessage' | 'showSaveDialog' | 'createWebviewPanel'>;

function here() {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  return { id: workspaceIdOf(folder.uri.toString()), name: folder.name };
}

async function chat() {
  return (await fakeRequests()).filter((r) => r.path.endsWith('/chat/completions'));
}

async function explain(): Promise<void> {
  const editor = await openFixture('sample.ts');
  editor.selection = new vscode.Selection(0, 0, 8, 1);
  await vscode.commands.executeCommand('tierwise.explain');
}

suite('Spend per workspace', () => {
  const w = vscode.window as unknown as Record<keyof Patched, unknown>;
  const saved = { showWarningMessage: w.showWarningMessage, showSaveDialog: w.showSaveDialog, createWebviewPanel: w.createWebviewPanel };
  const warnings: { text: string; items: unknown[] }[] = [];
  let answer: string | undefined;

  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', KEY);
    await setting('provider', 'openai');
    await app.services.ledger().loaded;
    // Budget questions are recorded and declined; nothing waits on a dialog.
    w.showWarningMessage = (text: string, ...items: unknown[]) => {
      warnings.push({ text, items });
      return Promise.resolve(undefined);
    };
  });
  suiteTeardown(async () => {
    Object.assign(w, saved);
    await setting('budget.workspaceMonthlyUsd', undefined);
    await workspaceSetting('budget.workspaceMonthlyUsd', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  setup(async () => {
    await fakeReset();
    warnings.length = 0;
  });

  test('a call records its workspace (an id and the folder name), its source and its route reason; Escalate is recorded', async () => {
    const app = await tierwise();
    const ws = here();
    assert.match(ws.id, /^[0-9a-f]{12}$/);
    const before = app.services.ledger().all().length;
    const previous = app.panel.latest()?.id;
    await explain();
    const first = await answerAfter(previous);
    const rec = await until('a ledger record', () => app.services.ledger().all()[before]);
    assert.equal(rec.workspace, ws.id);
    assert.equal(rec.workspaceName, ws.name);
    assert.equal(rec.source, 'panel');
    assert.equal(rec.reason, first.meta.reason, 'the reason the answer showed');
    assert.equal(rec.escalatedFrom, undefined);
    assert.ok(!JSON.stringify(rec).includes(vscode.workspace.workspaceFolders![0]!.uri.fsPath), 'no path in the record');

    await app.requests.escalate(first.id);
    const up = await answerAfter(first.id, 'the escalated answer');
    answer = up.id;
    const escalated = await until('the escalated record', () => app.services.ledger().all()[before + 1]);
    assert.equal(escalated.escalatedFrom, 'medium');
    assert.equal(escalated.tier, 'complex');
    assert.equal(escalated.workspace, ws.id);
  });

  test('Run on a prompt file is recorded as source promptFile', async () => {
    const app = await tierwise();
    const before = app.services.ledger().all().length;
    await openFixture('sentiment-classifier.prompt.md');
    await vscode.commands.executeCommand('tierwise.runPromptFile');
    const rec = await until('the prompt file record', () => app.services.ledger().all()[before]);
    assert.equal(rec.source, 'promptFile');
    assert.equal(rec.workspace, here().id);
  });

  test("the status bar tooltip shows this workspace's spend today beside the total", async () => {
    const app = await tierwise();
    // A record of another workspace today: in the total, not in this workspace's share.
    await app.services.ledger().record({ provider: 'openai', model: 'gpt-6-luna', usage: { inputTokens: 100_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }, usageReported: true, latencyMs: 1, retries: 0, outcome: 'ok', workspace: OTHER.id, workspaceName: OTHER.name, source: 'panel' });
    const s = app.services.ledger().spend();
    assert.ok(s.workspaceTodayUsd > 0 && s.workspaceTodayUsd < s.todayUsd, `${s.workspaceTodayUsd} < ${s.todayUsd}`);
    const tip = app.statusBar.tooltip().value;
    const [, today, , mine] = app.services.pricing().formatUsdAll([s.sessionUsd, s.todayUsd, s.monthUsd, s.workspaceTodayUsd]);
    assert.ok(tip.includes(`today ${today} (${mine} in this workspace, ${escapeMarkdown(here().name)})`), tip);
  });

  test('the workspace budget asks before a request that would cross it, and a workspace can only tighten it', async () => {
    const app = await tierwise();
    const spent = app.services.ledger().spend().workspaceMonthUsd;
    // Set in the workspace (as a repository's .vscode/settings.json would), with no user value: it applies.
    await workspaceSetting('budget.workspaceMonthlyUsd', spent + 1e-7);
    await until('the workspace budget to apply', () => app.services.config().budget.workspaceMonthlyUsd > 0);
    const sent = (await chat()).length;
    const records = app.services.ledger().all().length;
    await explain();
    const asked = await until('the budget question', () => warnings.find((m) => /alone could cross/.test(m.text)));
    assert.match(asked.text, new RegExp(`This request alone could cross the monthly budget of this workspace \\(${here().name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    assert.ok(asked.items.includes('Send Anyway'), 'a question the user answers');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await chat()).length, sent, 'declined: nothing was sent');
    assert.equal(app.services.ledger().all().length, records, 'and nothing recorded');

    // A user budget for every workspace; a looser workspace value does not replace it.
    await setting('budget.workspaceMonthlyUsd', spent + 1000);
    await workspaceSetting('budget.workspaceMonthlyUsd', spent + 5000);
    await until('the settings to apply', () => app.services.config().budget.workspaceMonthlyUsd === spent + 1000);
    assert.ok(app.services.config().loosened.some((l) => l.startsWith('tierwise.budget.workspaceMonthlyUsd:')), app.services.config().loosened.join(' '));
    await workspaceSetting('budget.workspaceMonthlyUsd', spent + 10);
    await until('a stricter workspace value to apply', () => app.services.config().budget.workspaceMonthlyUsd === spent + 10);
    await workspaceSetting('budget.workspaceMonthlyUsd', undefined);
    await setting('budget.workspaceMonthlyUsd', undefined);
    await until('no workspace budget', () => app.services.config().budget.workspaceMonthlyUsd === 0);
    assert.ok(answer, 'an answer from the first test');
  });

  test('the cost report breaks spend down by workspace, filters by it, and exports the calls with their routing', async () => {
    const app = await tierwise();
    const ws = here();
    const all = await costReportData(app.services);
    const mine = all.byWorkspace.find((p) => p.key === ws.id);
    assert.ok(mine, JSON.stringify(all.byWorkspace));
    assert.equal(mine.label, ws.name);
    assert.ok(all.byWorkspace.some((p) => p.key === OTHER.id && p.label === OTHER.name));
    assert.deepEqual(all.workspaces[0], { key: ws.id, label: ws.name, current: true }, "this window's workspace first");
    assert.equal(all.workspace, undefined);

    // The report panel, driven the way its webview does: a filter message, then Export CSV.
    const posted: CostReportData[] = [];
    const listeners: ((m: unknown) => unknown)[] = [];
    const csvUri = vscode.Uri.file(path.join(os.tmpdir(), `tierwise-workspace-export-${process.pid}.csv`));
    w.showSaveDialog = () => Promise.resolve(csvUri);
    w.createWebviewPanel = (...args: Parameters<Win['createWebviewPanel']>) => {
      const panel = saved.createWebviewPanel as Win['createWebviewPanel'];
      const p = panel(...args);
      const webview = p.webview;
      const post = webview.postMessage.bind(webview);
      const on = webview.onDidReceiveMessage.bind(webview);
      Object.assign(webview, {
        postMessage: (m: { type?: string; data?: CostReportData }) => {
          if (m.type === 'report.data' && m.data) posted.push(m.data);
          return post(m);
        },
        onDidReceiveMessage: (l: (m: unknown) => unknown, thisArg?: unknown, d?: vscode.Disposable[]) => {
          listeners.push(l);
          return on(l, thisArg, d);
        },
      });
      return p;
    };
    try {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('tierwise.showCostReport');
      const first = await until('the report data', () => posted[0]);
      assert.ok(first.byWorkspace.length >= 2);
      for (const l of listeners) l({ type: 'report.filter', seq: 7001, workspace: OTHER.id });
      const filtered = await until('the filtered report', () => posted.find((d) => d.workspace === OTHER.id));
      assert.deepEqual(filtered.byWorkspace.map((p) => p.key), [OTHER.id]);
      assert.equal(filtered.totals.requests, app.services.ledger().all().filter((r) => r.workspace === OTHER.id).length);
      for (const l of listeners) l({ type: 'report.exportCsv', seq: 7002 });
      const csv = await until('the exported CSV', async () => {
        const t = await vscode.workspace.fs.readFile(csvUri).then((b) => new TextDecoder().decode(b), () => '');
        return t.length > 0 ? t : undefined;
      });
      const lines = csv.trimEnd().split('\r\n');
      assert.ok(lines[0]!.endsWith(',workspace,workspace_id,tier,task,route_reason,escalated,source,outcome'), lines[0]);
      const calls = lines.filter((l) => l.startsWith('call,'));
      assert.ok(calls.length >= 1 && calls.every((l) => l.includes(`,${OTHER.name},${OTHER.id},`)), 'only the calls of the workspace shown');
      assert.ok(!csv.includes(vscode.workspace.workspaceFolders![0]!.uri.fsPath), 'no path in the CSV');
      await vscode.workspace.fs.delete(csvUri).then(undefined, () => undefined);

      // Back to every workspace: this window's calls, with their sources and the escalation.
      for (const l of listeners) l({ type: 'report.filter', seq: 7003 });
      await until('the unfiltered report', () => posted.length > 2 && posted[posted.length - 1]!.workspace === undefined);
      const rows = await costReportCalls(app.services, ws.id);
      assert.ok(rows.some((r) => r.source === 'panel' && r.escalated && r.tier === 'complex'));
      assert.ok(rows.some((r) => r.source === 'promptFile'));
    } finally {
      w.showSaveDialog = saved.showSaveDialog;
      w.createWebviewPanel = saved.createWebviewPanel;
    }
  });
});
