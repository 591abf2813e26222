/**
 * The panels' one lifecycle (src/host/panels/panelHost.ts) in the real extension host: a panel opens once, closing
 * it detaches its channel, and disposing the controller closes the panel and releases what it registered, once.
 * A probe panel with its own view type runs the cost report's bundle, so the real extension's panels are untouched.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DisposableStore } from '../../src/host/util/disposable';
import { ChannelPanel, StaticPanel } from '../../src/host/panels/panelHost';
import { staticPageOptions } from '../../src/host/panels/html';
import { parseReportViewMessage, type HostToReportView, type ReportViewToHost } from '../../src/shared/protocol/report';
import { EXTENSION_ID, until } from './helpers';

let probes = 0;

class ProbePanel extends ChannelPanel<HostToReportView, ReportViewToHost> {
  readies = 0;
  attaches = 0;

  constructor(readonly viewType: string) {
    super(
      vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri,
      { viewType, title: 'Tierwise probe', column: vscode.ViewColumn.Active, preserveFocus: true, restorable: true },
      { bundle: 'report', parse: parseReportViewMessage, logName: 'probe' },
    );
  }

  show(): vscode.WebviewPanel | undefined {
    return this.open();
  }

  track(d: vscode.Disposable): void {
    this.subs.add(d);
  }

  get hasChannel(): boolean {
    return this.channel !== undefined;
  }

  protected override attached(panel: vscode.WebviewPanel, subs: DisposableStore): void {
    this.attaches++;
    super.attached(panel, subs);
  }

  protected override onReady(): void {
    this.readies++;
  }

  protected override onRequest(): void {}
}

function counter(): { n: number; disposable: vscode.Disposable } {
  const c = { n: 0, disposable: { dispose: () => void c.n++ } };
  return c;
}

suite('Panels', () => {
  test("a panel's dispose runs once: it closes the panel and releases its serializer and disposables", async () => {
    const probe = new ProbePanel(`tierwise.probe${probes++}`);
    const panel = probe.show();
    assert.ok(panel && probe.isOpen);
    assert.equal(probe.show(), panel, 'a second show reveals the same panel');
    assert.equal(probe.attaches, 1);
    let closed = 0;
    panel.onDidDispose(() => closed++);
    const released = counter();
    probe.track(released.disposable);
    await until('the webview to say ready', () => probe.readies > 0);
    assert.ok(probe.hasChannel);
    // While the controller lives, its serializer holds the view type.
    assert.throws(() => vscode.window.registerWebviewPanelSerializer(probe.viewType, { deserializeWebviewPanel: async () => undefined }));

    probe.dispose();
    probe.dispose();

    assert.equal(closed, 1, 'the panel is disposed once');
    assert.equal(released.n, 1, 'its disposables are released once');
    assert.ok(!probe.isOpen && !probe.hasChannel);
    vscode.window.registerWebviewPanelSerializer(probe.viewType, { deserializeWebviewPanel: async () => undefined }).dispose();
    assert.equal(probe.show(), undefined, 'a disposed controller opens nothing');
  });

  test('closing the panel detaches it; the next show opens a new one, which dispose closes', async () => {
    const probe = new ProbePanel(`tierwise.probe${probes++}`);
    try {
      const first = probe.show()!;
      let firstClosed = 0;
      first.onDidDispose(() => firstClosed++);
      await until('the webview to say ready', () => probe.readies > 0);
      first.dispose(); // the user closes the tab
      assert.ok(!probe.isOpen && !probe.hasChannel);

      const second = probe.show()!;
      assert.notEqual(second, first);
      assert.equal(probe.attaches, 2);
      let secondClosed = 0;
      second.onDidDispose(() => secondClosed++);
      await until('the new webview to say ready', () => probe.readies > 1);
      probe.dispose();
      assert.equal(firstClosed, 1);
      assert.equal(secondClosed, 1);
    } finally {
      probe.dispose();
    }
  });

  test('a static page (Compare Costs) shows each page in its one panel and is disposed once', async () => {
    const page = new StaticPanel(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, {
      viewType: `tierwise.probe${probes++}`,
      title: 'Tierwise probe',
      column: vscode.ViewColumn.Active,
      preserveFocus: true,
      options: staticPageOptions,
      restorable: false,
    });
    page.show('<p>one</p>');
    page.show('<p>two</p>');
    assert.ok(page.isOpen);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Tierwise probe').length;
    await until('the page tab', () => tabs() > 0);
    assert.equal(tabs(), 1, 'one panel for both pages');
    page.dispose();
    page.dispose();
    assert.ok(!page.isOpen);
    await until('the page tab to close', () => tabs() === 0);
  });
});
