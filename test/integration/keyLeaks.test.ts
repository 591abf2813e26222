/**
 * Keys stay out of everything Tierwise writes or shows: the log, the ledger and other files in global storage,
 * global and workspace state, messages posted to webviews, notifications and error messages, Compare Costs and the
 * exported CSV, and the spans and metrics exported over OpenTelemetry (export on, prompts included). Distinctive keys are set for every provider, every command and the error paths that can be driven
 * are used, then all of it is searched for the keys.
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProviderId } from '../../src/core/types';
import { fakeEnqueue, fakeRequests, fakeReset, flushedLog, openFixture, setting, tierwise, until } from './helpers';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlpReceiver';

/** Not shaped like provider keys (no `sk-`), so only Tierwise's knowledge of the actual keys can mask them. */
const KEYS: Record<ProviderId, string> = {
  openai: 'twleakOpenai7Qv2M9x4K1p8',
  anthropic: 'twleakAnthropic3Rn6T0w5J2s9',
  dashscope: 'twleakDashscope8Zc1F4h7L0d3',
  openaiCompatible: 'twleakCompat5Bg2N9k6P3m0',
};
const PROVIDERS = Object.keys(KEYS) as ProviderId[];
/** A collector's API key, as Langfuse or Honeycomb hand out: kept in secret storage, sent only as a header. */
const TELEMETRY_HEADER = 'twleakCollector6Hs3W8q1V5';

type Win = typeof vscode.window;
type Patchable = Pick<Win, 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage' | 'showQuickPick' | 'showInputBox' | 'showSaveDialog' | 'createWebviewPanel'>;

suite('Keys never leak', () => {
  const shown: unknown[] = [];
  const posted: unknown[] = [];
  const panels: vscode.WebviewPanel[] = [];
  const listeners = new Map<vscode.WebviewPanel, ((m: unknown) => unknown)[]>();
  const csvUri = vscode.Uri.file(path.join(os.tmpdir(), `tierwise-leak-export-${process.pid}.csv`));
  const saved: Partial<Patchable> = {};
  let collector: OtlpReceiver;

  suiteSetup(async () => {
    const app = await tierwise();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const win = vscode.window as unknown as Record<keyof Patchable, unknown>;
    for (const k of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage', 'showQuickPick', 'showInputBox', 'showSaveDialog', 'createWebviewPanel'] as (keyof Patchable)[]) {
      (saved as Record<string, unknown>)[k] = win[k];
    }
    // Notifications are recorded and dismissed, so that no command waits on one.
    const record = async (...args: unknown[]) => {
      shown.push(args);
      return undefined;
    };
    win.showErrorMessage = record;
    win.showWarningMessage = record;
    win.showInformationMessage = record;
    win.showQuickPick = record;
    win.showInputBox = record;
    win.showSaveDialog = async (...args: unknown[]) => {
      shown.push(args);
      return csvUri;
    };
    // Every webview created from now on: what is posted to it and what it is given as HTML.
    win.createWebviewPanel = (...args: Parameters<Win['createWebviewPanel']>) => {
      const panel = saved.createWebviewPanel!(...args);
      const webview = panel.webview;
      const post = webview.postMessage.bind(webview);
      const on = webview.onDidReceiveMessage.bind(webview);
      Object.assign(webview, {
        postMessage: (m: unknown) => {
          posted.push(m);
          return post(m);
        },
        onDidReceiveMessage: (l: (m: unknown) => unknown, thisArg?: unknown, d?: vscode.Disposable[]) => {
          listeners.set(panel, [...(listeners.get(panel) ?? []), l]);
          return on(l, thisArg, d);
        },
      });
      panels.push(panel);
      return panel;
    };
    for (const p of PROVIDERS) await app.keys.set(p, KEYS[p]);
    await setting('provider', 'openai');
    await setting('batch.pollSeconds', 1);
    // Every call is exported, with its prompt and answer: none of it may carry a key.
    collector = await startOtlpReceiver();
    await app.services.telemetry.setHeader('x-collector-key', TELEMETRY_HEADER);
    await setting('telemetry.otlpEndpoint', collector.url);
    await setting('telemetry.captureContent', true);
  });

  suiteTeardown(async () => {
    const app = await tierwise();
    Object.assign(vscode.window, saved);
    await setting('provider', 'openai');
    await setting('batch.pollSeconds', undefined);
    await setting('retry.maxRetries', undefined);
    await setting('telemetry.otlpEndpoint', undefined);
    await setting('telemetry.captureContent', undefined);
    await setting('telemetry.headers', undefined);
    await app.services.telemetry.setHeader('x-collector-key', '');
    await collector.close();
    for (const p of PROVIDERS) await app.keys.clear(p);
    await app.keys.set('openai', 'sk-test-after-leaks-0123456789abcdef');
    await vscode.workspace.fs.delete(csvUri).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function run(command: string, ...args: unknown[]): Promise<void> {
    await vscode.commands.executeCommand(command, ...args);
  }

  async function select(name: string, lines = 8): Promise<void> {
    const editor = await openFixture(name);
    editor.selection = new vscode.Selection(0, 0, lines, 1);
  }

  test('after every command and error path, no key is in the log, storage, state, webviews, messages or the CSV', async function () {
    this.timeout(180_000);
    const app = await tierwise();
    await fakeReset();

    // Every provider answers once (each SDK path puts its key on the wire).
    for (const p of PROVIDERS) {
      await setting('provider', p);
      await select('sample.ts');
      await run('tierwise.explain');
    }
    await setting('provider', 'openai');
    const wire = await fakeRequests();
    for (const p of PROVIDERS) {
      assert.ok(wire.some((r) => r.headers.authorization === `Bearer ${KEYS[p]}` || r.headers['x-api-key'] === KEYS[p]), `${p}'s key was sent to the fake provider`);
    }

    // Every command.
    await select('sample.ts');
    await run('tierwise.ask', 'What does this do?');
    await run('tierwise.runTask', 'extractKeywords');
    await run('tierwise.summarise');
    await run('tierwise.review');
    await run('tierwise.generate');
    await run('tierwise.compareCosts');
    await run('tierwise.showCostReport');
    await select('notes.md', 3);
    const batchId = (await vscode.commands.executeCommand('tierwise.runBatch', 'extractKeywords', 'lines')) as string | undefined;
    assert.ok(batchId, 'the batch was submitted');
    await until('the batch to end', () => app.services.ledger().all().some((r) => r.batch));
    await run('tierwise.showBatchJobs');
    await openFixture('sentiment-classifier.prompt.md');
    await run('tierwise.runPromptFile');
    await run('tierwise.setApiKey', 'openai');
    await run('tierwise.clearApiKey');
    await run('tierwise.manageEndpoints');
    await run('tierwise.showLog');

    // Error paths: 401 (OpenAI Bearer, Anthropic x-api-key), 429 then success, a reset before the headers,
    // a drop mid-stream, a refused connection, a missing key.
    // One retry: enough to show the retry path, too few to open a provider's circuit for the suites after this one.
    await setting('retry.maxRetries', 1);
    await select('sample.ts');
    await fakeEnqueue({ kind: 'error', status: 401, errorType: 'auth' });
    await run('tierwise.explain');
    await setting('provider', 'anthropic');
    await fakeEnqueue({ kind: 'error', status: 401, errorType: 'auth' });
    await run('tierwise.explain');
    await fakeEnqueue({ kind: 'error', status: 429, errorType: 'rate_limit', headers: { 'retry-after-ms': '20' } });
    await run('tierwise.explain');
    await setting('provider', 'dashscope');
    await fakeEnqueue({ kind: 'dropMidStream', afterChunks: 2 });
    await run('tierwise.explain');
    await fakeEnqueue({ kind: 'reset', times: 2 });
    await run('tierwise.explain');
    await fakeReset();
    const c = vscode.workspace.getConfiguration('tierwise');
    const mine = c.inspect<string>('providers.openai.baseUrl')?.globalValue;
    await setting('provider', 'openai');
    await setting('providers.openai.baseUrl', 'http://127.0.0.1:9/v1');
    try {
      await run('tierwise.explain');
    } finally {
      await setting('providers.openai.baseUrl', mine);
    }
    await app.keys.clear('anthropic');
    await setting('provider', 'anthropic');
    await run('tierwise.explain');
    await app.keys.set('anthropic', KEYS.anthropic);
    await setting('provider', 'openai');
    const outcomes = new Set(app.services.ledger().all().map((r) => r.outcome));
    assert.ok(outcomes.has('error') && outcomes.has('ok') && outcomes.has('interrupted'), [...outcomes].join(', '));

    // The CSV export, asked for by the cost report webview the way its Export button does.
    const report = panels.find((p) => p.viewType === 'tierwise.costReport');
    assert.ok(report, 'the cost report panel was opened');
    for (const l of listeners.get(report) ?? []) l({ type: 'report.exportCsv', seq: 9001 });
    const csv = await until('the exported CSV', async () => {
      const t = await vscode.workspace.fs.readFile(csvUri).then((b) => new TextDecoder().decode(b), () => '');
      return t.length > 0 ? t : undefined;
    });
    assert.match(csv, /gpt-6/);

    // Everything to search.
    await app.services.telemetry.flush();
    const exported = collector.raw.join('\n');
    assert.ok(collector.spans.some((s) => s.attributes['error.type'] === 'auth'), 'the error paths were exported');
    assert.ok(collector.spans.some((s) => s.attributes['tierwise.batch'] === true), 'the batch items were exported');
    assert.ok(collector.headers.every((h) => h['x-collector-key'] === TELEMETRY_HEADER), 'the collector key went as a header');
    const log = await flushedLog();
    assert.match(log, /request failed/, 'the error paths were logged');
    const storage = await readTree(app.context.globalStorageUri);
    assert.ok(storage.length > 0, 'the ledger is in global storage');
    const state = (m: vscode.Memento) => JSON.stringify(m.keys().map((k) => [k, m.get(k)]));
    const places: Record<string, string> = {
      log,
      'global storage (ledger)': storage,
      'global state': state(app.context.globalState),
      'workspace state': state(app.context.workspaceState),
      'webview messages': JSON.stringify(posted),
      'webview HTML': panels.map((p) => { try { return p.webview.html; } catch { return ''; } }).join('\n'),
      'notifications and dialogs': JSON.stringify(shown),
      'answers and their error messages': JSON.stringify(app.panel.latest()) + JSON.stringify(posted.filter((m) => JSON.stringify(m).includes('"message"'))),
      'ledger records': JSON.stringify(app.services.ledger().all()),
      'exported CSV': csv,
      'exported OpenTelemetry spans and metrics': exported,
    };
    assert.ok(posted.length > 10, `webview messages were captured (${posted.length})`);
    assert.ok(shown.length > 0, 'notifications were captured');
    for (const [where, text] of Object.entries(places)) {
      for (const p of PROVIDERS) {
        assert.ok(!text.includes(KEYS[p]), `${p}'s key appears in ${where}`);
        // Not even a recognisable part of it.
        assert.ok(!text.includes(KEYS[p].slice(6, 20)), `part of ${p}'s key appears in ${where}`);
      }
      assert.ok(!text.includes(TELEMETRY_HEADER), `the collector's key appears in ${where}`);
    }
  });
});

async function readTree(dir: vscode.Uri): Promise<string> {
  let out = '';
  const entries = await vscode.workspace.fs.readDirectory(dir).then(undefined, () => [] as [string, vscode.FileType][]);
  for (const [name, type] of entries) {
    const uri = vscode.Uri.joinPath(dir, name);
    if (type === vscode.FileType.Directory) out += await readTree(uri);
    else if (type === vscode.FileType.File) out += `${name}\n${new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))}\n`;
  }
  return out;
}
