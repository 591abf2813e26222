/**
 * "Tierwise: Cost Report": a webview with charts of spend and savings. The data comes from a loader the host
 * supplies (mapping the pricing ledger's aggregates to `CostReportData`); the panel asks for it whenever the webview
 * is ready or the user presses Refresh, and writes the CSV export through a save dialog.
 */
import * as vscode from 'vscode';
import { costReportToCsv } from '../../shared/costCsv';
import type { CostReportData, HostToReportView, ReportViewToHost } from '../../shared/protocol/report';
import { isCostReportData, parseReportViewMessage, REPORT_VIEW_TYPE } from '../../shared/protocol/report';
import { WebviewChannel } from './channel';
import { bindChannel, webviewHtml, webviewOptions } from './html';

export type CostReportLoader = () => CostReportData | Promise<CostReportData>;

export class CostReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<HostToReportView, ReportViewToHost> | undefined;
  private panelSubs: vscode.Disposable[] = [];
  private readonly subs: vscode.Disposable[] = [];
  private last: CostReportData | undefined;

  /** Create the controller and register its serializer (so an open report survives a reload). */
  static register(context: vscode.ExtensionContext, load: CostReportLoader, log?: (m: string) => void): CostReportPanel {
    const p = new CostReportPanel(context.extensionUri, load, log);
    context.subscriptions.push(p);
    return p;
  }

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly load: CostReportLoader,
    private readonly log?: (m: string) => void,
  ) {
    this.subs.push(
      vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.attach(panel),
      }),
    );
  }

  /** Open (or reveal) the report and load fresh data. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      void this.refresh();
      return;
    }
    this.attach(
      vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Tierwise: Cost Report', vscode.ViewColumn.Active, webviewOptions(this.extensionUri)),
    );
  }

  /** Reload the data and send it to the webview (if open). */
  async refresh(): Promise<void> {
    if (!this.channel) return;
    const data = await this.load();
    if (!isCostReportData(data)) throw new Error('The cost data is malformed.');
    this.last = data;
    this.channel?.post({ type: 'report.data', data });
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
    for (const d of this.subs) d.dispose();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.detach();
    this.panel = panel;
    panel.webview.options = webviewOptions(this.extensionUri);
    const channel = new WebviewChannel<HostToReportView, ReportViewToHost>(panel.webview, {
      parse: parseReportViewMessage,
      onReady: () => {
        channel.clearQueue();
        void this.refresh().catch((e: unknown) => this.log?.(`cost report: could not load data: ${String(e)}`));
      },
      onRequest: (msg) => (msg.type === 'report.refresh' ? this.refresh() : this.exportCsv()),
      onInvalid: (_raw, count) => {
        if (count === 1) this.log?.('cost report: ignored a malformed or unknown message from the webview (further ones are dropped without a log line)');
      },
    });
    this.channel = channel;
    this.panelSubs.push(
      ...bindChannel(panel, channel, () => {
        if (this.panel === panel) {
          this.detach();
          this.panel = undefined;
        }
      }),
    );
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'report', 'Tierwise: Cost Report');
  }

  private detach(): void {
    for (const d of this.panelSubs) d.dispose();
    this.panelSubs = [];
    this.channel = undefined;
  }

  /** Ask where to save, then write the CSV of the data on screen (or fresh data if none was loaded yet). */
  private async exportCsv(): Promise<void> {
    const data = this.last ?? (await this.load());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `tierwise-costs-${data.from}-to-${data.to}.csv`;
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { CSV: ['csv'] },
      saveLabel: 'Export',
      title: 'Export Tierwise costs as CSV',
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(costReportToCsv(data)));
    void vscode.window.showInformationMessage(`Tierwise: costs exported to ${vscode.workspace.asRelativePath(uri)}.`);
  }
}
