import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AnswerSnapshot } from '../../src/shared/protocol';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server';
import { fakeRequests, fakeReset, flushedLog, openFixture, setting, tierwise, until, workspaceSetting } from './helpers';

const KEY = 'sk-test-destinations-0123456789abcdef';
const COMPAT_KEY = 'gateway-key-destinations-0123456789';

/** Runs Explain on sample.ts; resolves to the new answer once it ended, or undefined when nothing was started. */
async function explain(): Promise<AnswerSnapshot | undefined> {
  const app = await tierwise();
  const editor = await openFixture('sample.ts');
  editor.selection = new vscode.Selection(0, 0, 8, 1);
  const before = app.panel.latest()?.id;
  await vscode.commands.executeCommand('tierwise.explain');
  const a = app.panel.latest();
  if (!a || a.id === before) return undefined;
  return until('the answer to end', () => {
    const x = app.panel.latest();
    return x && x.id === a.id && x.outcome ? x : undefined;
  }, 30_000);
}

const chat = (r: { path: string }) => r.path.endsWith('/chat/completions');

suite('Workspace settings cannot send a key elsewhere', () => {
  let attacker: FakeProvider;
  /** The modal questions asked, and how the next ones are answered. */
  const asked: { message: string; detail: string; buttons: string[] }[] = [];
  let reply: 'allow' | 'mine' | 'cancel' | 'sendHttp' = 'cancel';
  let restoreAsk: (() => void) | undefined;

  suiteSetup(async () => {
    const app = await tierwise();
    attacker = await startFakeProvider();
    await app.keys.set('openai', KEY);
    await app.keys.set('openaiCompatible', COMPAT_KEY);
    await setting('provider', 'openai');
    const d = app.services.destinations;
    const original = d.ask;
    restoreAsk = () => (d.ask = original);
    d.ask = async (message, detail, ...buttons) => {
      asked.push({ message, detail, buttons });
      if (reply === 'allow') return buttons.find((b) => b.startsWith('Allow '));
      if (reply === 'mine') return buttons.find((b) => b === 'Use My Settings');
      if (reply === 'sendHttp') return buttons.find((b) => b === 'Send Over HTTP');
      return undefined;
    };
  });
  suiteTeardown(async () => {
    const app = await tierwise();
    restoreAsk?.();
    for (const k of ['providers.openai.baseUrl', 'providers.openaiCompatible.baseUrl', 'provider', 'confirmAboveUsd', 'budget.dailyUsd']) await workspaceSetting(k, undefined);
    for (const a of app.services.destinations.approvals()) await app.services.destinations.revoke(a.provider, a.host);
    await app.keys.clear('openaiCompatible');
    await attacker.close();
  });
  setup(async () => {
    await fakeReset();
    attacker.reset();
    asked.length = 0;
  });

  test('an approval makes the workspace host used (remembered, without the key); revoking it stops that', async () => {
    const app = await tierwise();
    await workspaceSetting('providers.openai.baseUrl', attacker.openaiBaseUrl);
    const host = new URL(attacker.url).host;
    reply = 'allow';
    const a = await explain();
    assert.equal(asked.length, 1);
    assert.equal(a?.outcome, 'done');
    assert.ok((a?.live.notes ?? []).some((n) => n.includes(`Sent to ${host}, approved for this workspace`)), JSON.stringify(a?.live.notes));
    const got = attacker.requests.filter(chat);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.headers.authorization, `Bearer ${KEY}`);
    assert.equal((await fakeRequests()).length, 0);
    assert.deepEqual(app.services.destinations.approvals().map((x) => [x.provider, x.host]), [['openai', host]]);
    const state = JSON.stringify(app.context.workspaceState.keys().map((k) => app.context.workspaceState.get(k)));
    assert.ok(state.includes(host) && !state.includes(KEY), 'the approval is kept without the key');

    // Remembered: no second question.
    attacker.reset();
    await explain();
    assert.equal(asked.length, 1);
    assert.equal(attacker.requests.filter(chat).length, 1);

    await app.services.destinations.revoke('openai', host);
    attacker.reset();
    await fakeReset();
    reply = 'cancel';
    assert.equal(await explain(), undefined);
    assert.equal(asked.length, 2, 'asked again after the approval was revoked');
    assert.equal(attacker.requests.length, 0);
    assert.equal((await fakeRequests()).length, 0);
    await workspaceSetting('providers.openai.baseUrl', undefined);
  });

  test("without approval the workspace's base URL is not used: asked once, then the user's own destination, and the panel says so", async () => {
    const app = await tierwise();
    await workspaceSetting('providers.openai.baseUrl', attacker.openaiBaseUrl);
    const host = new URL(attacker.url).host;
    reply = 'mine';
    const a = await explain();
    assert.equal(asked.length, 1);
    assert.match(asked[0]!.message, new RegExp(`OpenAI requests and your API key to ${host.replace(/\./g, '\\.')}`));
    assert.match(asked[0]!.detail, /tierwise\.providers\.openai\.baseUrl/);
    assert.equal(asked[0]!.buttons[0], 'Use My Settings', 'Enter picks the safe choice: the first button of a modal is its default');
    assert.equal(a?.outcome, 'done');
    assert.ok((a?.live.notes ?? []).some((n) => n.includes('not approved for this workspace') && n.includes(host)), JSON.stringify(a?.live.notes));
    assert.equal(attacker.requests.length, 0, 'the workspace host saw no request');
    const sent = (await fakeRequests()).filter(chat);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.headers.authorization, `Bearer ${KEY}`, "the user's own destination got it");

    // Chosen for this window: not asked again.
    await fakeReset();
    await explain();
    assert.equal(asked.length, 1);
    assert.equal(attacker.requests.length, 0);
    assert.equal((await fakeRequests()).filter(chat).length, 1);
    assert.deepEqual(app.services.destinations.approvals(), []);
    await workspaceSetting('providers.openai.baseUrl', undefined);
  });

  test('Cancel sends nothing anywhere', async () => {
    const app = await tierwise();
    // A different host: a fresh question.
    await workspaceSetting('providers.openai.baseUrl', attacker.openaiBaseUrl.replace('127.0.0.1', 'localhost'));
    reply = 'cancel';
    const a = await explain();
    assert.equal(asked.length, 1);
    assert.equal(a, undefined, 'no answer was started');
    assert.equal(attacker.requests.length, 0);
    assert.equal((await fakeRequests()).length, 0);
    assert.deepEqual(app.services.destinations.approvals(), []);
    await workspaceSetting('providers.openai.baseUrl', undefined);
  });

  test('"Manage Approved Endpoints…" lists the approvals of this workspace and revokes the one picked', async () => {
    const app = await tierwise();
    const d = app.services.destinations;
    await d.approve('openai', 'gw-one.test', 'tierwise.providers.openai.baseUrl');
    await d.approve('anthropic', 'gw-two.test', 'tierwise.providers.anthropic.baseUrl');
    const win = vscode.window as unknown as { showQuickPick: unknown };
    const original = win.showQuickPick;
    let listed: string[] = [];
    win.showQuickPick = async (items: (vscode.QuickPickItem & { kind?: vscode.QuickPickItemKind })[]) => {
      listed = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).map((i) => `${i.label} ${i.description ?? ''}`);
      return items.find((i) => i.label === 'gw-two.test');
    };
    try {
      await vscode.commands.executeCommand('tierwise.manageEndpoints');
    } finally {
      win.showQuickPick = original;
    }
    assert.deepEqual(listed, ['gw-one.test OpenAI · tierwise.providers.openai.baseUrl', 'gw-two.test Anthropic · tierwise.providers.anthropic.baseUrl']);
    assert.deepEqual(d.approvals().map((a) => [a.provider, a.host]), [['openai', 'gw-one.test']]);
    await d.revoke('openai', 'gw-one.test');
  });

  test('a workspace switching to openaiCompatible with its own base URL is the same case', async () => {
    await workspaceSetting('provider', 'openaiCompatible');
    await workspaceSetting('providers.openaiCompatible.baseUrl', attacker.openaiBaseUrl);
    try {
      reply = 'mine';
      const a = await explain();
      assert.equal(asked.length, 1);
      assert.match(asked[0]!.message, /OpenAI-compatible/);
      assert.equal(a?.outcome, 'done');
      assert.equal(attacker.requests.length, 0);
      const sent = (await fakeRequests()).filter(chat);
      assert.equal(sent.length, 1, "sent to the user's own OpenAI-compatible endpoint");
      assert.equal(sent[0]!.headers.authorization, `Bearer ${COMPAT_KEY}`);
      assert.equal(a?.meta.provider, 'openaiCompatible', 'the routing choice itself is kept');
      assert.ok((a?.live.notes ?? []).includes("Routed by this workspace's settings: tierwise.provider."), JSON.stringify(a?.live.notes));
    } finally {
      await workspaceSetting('provider', undefined);
      await workspaceSetting('providers.openaiCompatible.baseUrl', undefined);
    }
  });

  test('a key bound for plain http on a remote host is warned about first; cancelling sends nothing', async () => {
    const app = await tierwise();
    const c = vscode.workspace.getConfiguration('tierwise');
    const mine = c.inspect<string>('providers.openai.baseUrl')?.globalValue;
    await setting('providers.openai.baseUrl', 'http://gateway.tierwise-test.invalid/v1');
    try {
      reply = 'cancel';
      assert.equal(await explain(), undefined);
      assert.equal(asked.length, 1);
      assert.match(asked[0]!.message, /gateway\.tierwise-test\.invalid is reached over plain http/);
      assert.deepEqual(app.services.destinations.plainHttpAccepted(), []);
    } finally {
      await setting('providers.openai.baseUrl', mine);
    }
    // Loopback over http (the fake provider) is not warned about.
    asked.length = 0;
    await explain();
    assert.equal(asked.length, 0);
  });

  test('spending checks from the workspace: looser values are ignored and logged once, stricter ones apply', async () => {
    const app = await tierwise();
    const userThreshold = app.services.config().confirmAboveUsd;
    await workspaceSetting('confirmAboveUsd', 0);
    assert.equal(app.services.config().confirmAboveUsd, userThreshold, '0 (never ask) from a workspace is ignored');
    await workspaceSetting('budget.dailyUsd', 3);
    assert.equal(app.services.config().budget.dailyUsd, 3, 'a budget where the user has none is stricter');
    await workspaceSetting('confirmAboveUsd', userThreshold / 10);
    assert.equal(app.services.config().confirmAboveUsd, userThreshold / 10);
    const log = await flushedLog();
    const line = `tierwise.confirmAboveUsd: this workspace's value 0 would loosen your ${userThreshold}`;
    assert.equal(log.split(line).length - 1, 1, 'logged once, though the settings were read again');
    await workspaceSetting('confirmAboveUsd', undefined);
    await workspaceSetting('budget.dailyUsd', undefined);
  });

  test('an invalid value is reported once, naming the setting and the default used', async () => {
    const app = await tierwise();
    const win = vscode.window as unknown as { showWarningMessage: unknown };
    const original = win.showWarningMessage;
    const warnings: string[] = [];
    win.showWarningMessage = async (message: string) => {
      warnings.push(message);
      return undefined;
    };
    await setting('limits.openai.rpm', -5);
    await setting('models', [{ provider: 'mistral', id: 'x' }]);
    try {
      app.services.config();
      await setting('retry.initialDelayMs', 51);
      app.services.config();
      const expected = 'tierwise.limits.openai.rpm: -5 is not a number ≥ 0; using 0 (unknown).';
      assert.deepEqual(warnings.filter((w) => w.includes('tierwise.limits.openai.rpm')), [`Tierwise settings: ${expected}`], 'one notification, though the settings were read again');
      assert.ok(app.services.settingsReporter.reported().includes(expected), JSON.stringify(app.services.settingsReporter.reported()));
      assert.ok(app.services.settingsReporter.reported().some((p) => p.startsWith('tierwise.models[0]: unknown provider "mistral"')));
      const log = await flushedLog();
      assert.equal(log.split(expected).length - 1, 1, 'one log line for the problem');
      assert.equal(app.services.config().resilience.limits.openai?.rpm, undefined, 'the default (unknown) is used');
    } finally {
      win.showWarningMessage = original;
      await setting('limits.openai.rpm', undefined);
      await setting('models', undefined);
      await setting('retry.initialDelayMs', 50);
    }
  });
});
