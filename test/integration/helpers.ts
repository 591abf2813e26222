import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Tierwise } from '../../src/host/app';
import type { RecordedRequest, Scenario } from '../fake-provider/server';

export const EXTENSION_ID = 'tierwise.tierwise';

/** The running extension's composition root (what `activate` returns). */
export async function tierwise(): Promise<Tierwise> {
  const ext = vscode.extensions.getExtension<Tierwise>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function fakeUrl(): string {
  const url = process.env.TIERWISE_FAKE_PROVIDER_URL;
  if (!url) throw new Error('TIERWISE_FAKE_PROVIDER_URL is not set: run through test/runner/integration.ts');
  return url;
}

export async function fakeRequests(): Promise<RecordedRequest[]> {
  const r = await fetch(`${fakeUrl()}/__fake/requests`);
  return (await r.json()) as RecordedRequest[];
}

export async function fakeReset(): Promise<void> {
  await fetch(`${fakeUrl()}/__fake/reset`, { method: 'POST' });
}

export async function fakeEnqueue(...s: Scenario[]): Promise<void> {
  await fetch(`${fakeUrl()}/__fake/scenarios`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(s) });
}

/**
 * A picture of the workbench as it is now, taken by the test runner's browser into
 * test-results/integration-screenshots/<name>.png; with `hover`, over the Tierwise status bar item's tooltip
 * (which must contain that text). Resolves once the picture is saved, with "ok" or why there is none.
 */
export async function screenshot(name: string, hover?: string): Promise<string> {
  const ack = path.join(os.tmpdir(), `tierwise-shot-${process.pid}-${Date.now()}.txt`);
  console.log(`[tierwise-screenshot] ${JSON.stringify({ name, hover, ack })}`);
  const note = await until(`the screenshot ${name}`, () => (existsSync(ack) ? readFileSync(ack, 'utf8') : undefined), 30_000);
  rmSync(ack, { force: true });
  return note;
}

/** Poll until `check` returns a value (not undefined/false), or fail after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The answer panel's newest answer once it has ended, when it is not the answer `after` (the one shown before). */
export async function answerAfter(after: string | undefined, what = 'the answer to end', timeoutMs = 30_000) {
  const app = await tierwise();
  return until(what, () => {
    const a = app.panel.latest();
    return a && a.id !== after && a.outcome ? a : undefined;
  }, timeoutMs);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name));
  return vscode.window.showTextDocument(doc);
}

export async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('tierwise').update(key, value, vscode.ConfigurationTarget.Global);
}

/** A workspace-level setting, as a cloned repository's .vscode/settings.json would set it (undefined removes it). */
export async function workspaceSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('tierwise').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** Everything the "Tierwise" log output channel wrote so far: the log files in the extension's log folder. */
export async function logText(): Promise<string> {
  const app = await tierwise();
  const dir = app.context.logUri;
  let out = '';
  for (const [name, type] of await vscode.workspace.fs.readDirectory(dir).then(undefined, () => [] as [string, vscode.FileType][])) {
    if (type !== vscode.FileType.File) continue;
    out += new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name))) + '\n';
  }
  return out;
}

/** Writes a line to the log and waits until it reached the log file, so that everything before it is readable. */
export async function flushedLog(): Promise<string> {
  const app = await tierwise();
  const marker = `log flush marker ${Date.now()}-${Math.random().toString(36).slice(2)}`;
  app.log.info(marker);
  return until('the log file to catch up', async () => {
    const t = await logText();
    return t.includes(marker) ? t : undefined;
  }, 15_000);
}

export interface ShownMessage {
  level: 'error' | 'warning' | 'info';
  text: string;
}

/**
 * Records the notifications the extension shows (and answers none of them, as a user who ignores them), until
 * `restore`. The extension and its tests share one \`vscode\` API object, so replacing its functions is seen by both.
 */
export function captureMessages(): { messages: ShownMessage[]; restore(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const names = { showErrorMessage: 'error', showWarningMessage: 'warning', showInformationMessage: 'info' } as const;
  const saved = new Map<string, unknown>();
  const messages: ShownMessage[] = [];
  for (const [name, level] of Object.entries(names)) {
    saved.set(name, w[name]);
    w[name] = (text: string) => {
      messages.push({ level, text });
      return Promise.resolve(undefined);
    };
  }
  return {
    messages,
    restore() {
      for (const [name, fn] of saved) w[name] = fn;
    },
  };
}

/** What a Check Setup fix shows and runs (its title also travels as a message, for the display language). */
export function shownFix(fix: { title: string; command: string; args?: unknown[] } | undefined): { title: string; command: string; args?: unknown[] } | undefined {
  return fix && { title: fix.title, command: fix.command, args: fix.args };
}
