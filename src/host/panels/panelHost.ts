/**
 * The one lifecycle of Tierwise's webview panels: create or reveal a single panel, restore it through a serializer
 * after a window reload, forget it when the user closes it, and dispose it and everything it registered exactly once.
 *
 * `PanelHost` is the lifecycle alone (Compare Costs, a static page, uses it as `StaticPanel`); `ChannelPanel` adds
 * the bundled page and the typed channel to it (answer panel, cost report).
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../util';
import { WebviewChannel } from './channel';
import { webviewHtml, webviewOptions } from './html';

export interface PanelSpec {
  viewType: string;
  /** The tab title (localised). */
  title: string;
  /** Where a new panel opens, and whether revealing it keeps the focus where it is. */
  column: vscode.ViewColumn;
  preserveFocus: boolean;
  options: vscode.WebviewOptions & vscode.WebviewPanelOptions;
  /** The tab icon, from the extension's media folder. */
  icon?: string;
  /** Bring the panel back after a window reload (registers a serializer; needs an `onWebviewPanel:` activation event). */
  restorable: boolean;
}

export class PanelHost implements vscode.Disposable {
  private current: vscode.WebviewPanel | undefined;
  /** What lives as long as this controller (disposed once, with it). */
  protected readonly subs = new DisposableStore();
  /** What lives as long as the current panel (disposed when it closes or another takes its place). */
  private panelSubs = new DisposableStore();
  private disposed = false;

  constructor(
    protected readonly extensionUri: vscode.Uri,
    protected readonly spec: PanelSpec,
  ) {
    if (!spec.restorable) return;
    this.subs.add(
      vscode.window.registerWebviewPanelSerializer(spec.viewType, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          if (this.disposed) {
            panel.dispose();
            return;
          }
          this.restoreState(state);
          if (this.current) panel.dispose(); // one panel: the live one already shows everything
          else this.attach(panel);
        },
      }),
    );
  }

  /** The open panel, if any. */
  protected get panel(): vscode.WebviewPanel | undefined {
    return this.current;
  }

  get isOpen(): boolean {
    return this.current !== undefined;
  }

  /** Reveal the panel, creating it if needed (nothing once this controller is disposed). */
  protected open(): vscode.WebviewPanel | undefined {
    if (this.disposed) return undefined;
    const open = this.current;
    if (open) {
      open.reveal(open.viewColumn ?? this.spec.column, this.spec.preserveFocus);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      this.spec.viewType,
      this.spec.title,
      { viewColumn: this.spec.column, preserveFocus: this.spec.preserveFocus },
      this.spec.options,
    );
    this.attach(panel);
    return panel;
  }

  /** What the webview stored with `setState`, handed over when VS Code restores a panel after a reload. */
  protected restoreState(_state: unknown): void {}

  /** A panel was created or restored: set it up; `subs` live until it closes. */
  protected attached(_panel: vscode.WebviewPanel, _subs: DisposableStore): void {}

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const panel = this.current;
    this.detach();
    panel?.dispose();
    this.subs.dispose();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.detach();
    this.current = panel;
    panel.webview.options = this.spec.options;
    if (this.spec.icon) panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', this.spec.icon);
    const subs = this.panelSubs;
    subs.add(
      panel.onDidDispose(() => {
        if (this.current === panel) this.detach();
      }),
    );
    this.attached(panel, subs);
  }

  private detach(): void {
    this.current = undefined;
    this.panelSubs.dispose();
    this.panelSubs = new DisposableStore();
  }
}

/** A panel showing a page built on the host, with no script (Compare Costs). */
export class StaticPanel extends PanelHost {
  /** Show this page, in the open panel or a new one. */
  show(html: string): void {
    const panel = this.open();
    if (panel) panel.webview.html = html;
  }
}

export interface ChannelSpec<In> {
  /** `dist/<bundle>.js` and `.css`. */
  bundle: string;
  parse(raw: unknown): In | undefined;
  /** The panel's name in the log, e.g. "answer panel". */
  logName: string;
  log?(message: string): void;
}

/** A panel running a bundled webview that talks to the host through one typed channel. */
export abstract class ChannelPanel<Out, In extends { type: string; seq: number }> extends PanelHost {
  private chan: WebviewChannel<Out, In> | undefined;

  constructor(
    extensionUri: vscode.Uri,
    spec: Omit<PanelSpec, 'options'>,
    private readonly channelSpec: ChannelSpec<In>,
  ) {
    super(extensionUri, { ...spec, options: webviewOptions(extensionUri) });
  }

  /** The channel to the open panel's webview. */
  protected get channel(): WebviewChannel<Out, In> | undefined {
    return this.chan;
  }

  /** Messages from the webview rejected by validation (on the open panel). */
  get rejectedMessages(): number {
    return this.chan?.rejected ?? 0;
  }

  /** The webview (re)started and listens: queued posts were dropped, send it what it must show. */
  protected abstract onReady(channel: WebviewChannel<Out, In>): void;

  /** A validated request from the webview; throw to reply `ok: false`. */
  protected abstract onRequest(msg: Exclude<In, { type: 'ready' }>): unknown;

  protected override attached(panel: vscode.WebviewPanel, subs: DisposableStore): void {
    const { parse, logName, log } = this.channelSpec;
    const channel = new WebviewChannel<Out, In>(panel.webview, {
      parse,
      onReady: () => {
        channel.clearQueue();
        this.onReady(channel);
      },
      onRequest: (msg) => this.onRequest(msg),
      onInvalid: (raw, count) => {
        if (count === 1) log?.(`${logName}: ignored a malformed or unknown message from the webview (further ones are dropped without a log line): ${preview(raw)}`);
      },
    });
    this.chan = channel;
    subs.add(channel);
    subs.add({
      dispose: () => {
        if (this.chan === channel) this.chan = undefined;
      },
    });
    // Hidden without retained context, the webview is gone: queue until it says `ready` again.
    subs.add(
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) channel.notReady();
      }),
    );
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, this.channelSpec.bundle, this.spec.title);
  }
}

function preview(raw: unknown): string {
  try {
    return String(JSON.stringify(raw)).slice(0, 200);
  } catch {
    return typeof raw;
  }
}
