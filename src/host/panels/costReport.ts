/**
 * "Tierwise: Cost Report": a webview with charts of spend and savings. The data comes from a loader the host
 * supplies (mapping the pricing ledger's aggregates to `CostReportData`); the panel asks for it whenever the webview
 * is ready or the user presses Refresh, and writes the CSV export through a save dialog.
 */
import * as vscode from 'vscode';
import { costReportToCsv, type CsvCall } from '../../shared/costCsv';
import type { CostReportData, HostToReportView, ReportViewToHost } from '../../shared/protocol/report';
import { isCostReportData, parseReportViewMessage, REPORT_VIEW_TYPE } from '../../shared/protocol/report';
import { ChannelPanel } from './panelHost';

/** The report's data, of one workspace (a `WorkspaceOption.key`) or of all. */
export type CostReportLoader = (workspace?: string) => CostReportData | Promise<CostReportData>;
/** The calls the CSV export lists, of one workspace or of all. */
export type CostCallsLoader = (workspace?: string) => readonly CsvCall[] | Promise<readonly CsvCall[]>;

export class CostReportPanel extends ChannelPanel<HostToReportView, ReportViewToHost> {
  private last: CostReportData | undefined;
  /** The workspace filter the webview chose (undefined: all workspaces). */
  private workspace: string | undefined;

  /** Create the controller and register its serializer (so an open report survives a reload); the caller disposes it. */
  static register(context: vscode.ExtensionContext, load: CostReportLoader, log?: (m: string) => void, calls?: CostCallsLoader): CostReportPanel {
    return new CostReportPanel(context.extensionUri, load, log, calls);
  }

  constructor(
    extensionUri: vscode.Uri,
    private readonly load: CostReportLoader,
    private readonly log?: (m: string) => void,
    private readonly calls?: CostCallsLoader,
  ) {
    super(
      extensionUri,
      { viewType: REPORT_VIEW_TYPE, title: vscode.l10n.t('Tierwise: Cost Report'), column: vscode.ViewColumn.Active, preserveFocus: false, restorable: true },
      { bundle: 'report', parse: parseReportViewMessage, logName: 'cost report', log: (m) => log?.(m) },
    );
  }

  /** Open (or reveal) the report and load fresh data. */
  show(): void {
    const wasOpen = this.isOpen;
    this.open();
    // A new panel loads its data when its webview says `ready`.
    if (wasOpen) void this.refresh();
  }

  /** Reload the data and send it to the webview (if open). */
  async refresh(): Promise<void> {
    if (!this.channel) return;
    const data = await this.load(this.workspace);
    if (!isCostReportData(data)) throw new Error(vscode.l10n.t('The cost data is malformed.'));
    this.last = data;
    this.channel?.post({ type: 'report.data', data });
  }

  protected override onReady(): void {
    void this.refresh().catch((e: unknown) => this.log?.(`cost report: could not load data: ${String(e)}`));
  }

  protected override onRequest(msg: Exclude<ReportViewToHost, { type: 'ready' }>): Promise<void> {
    switch (msg.type) {
      case 'report.refresh':
        return this.refresh();
      case 'report.filter':
        this.workspace = msg.workspace;
        return this.refresh();
      case 'report.exportCsv':
        return this.exportCsv();
    }
  }

  /** The workspace the report shows (undefined: all); public for tests. */
  get filter(): string | undefined {
    return this.workspace;
  }

  /**
   * Ask where to save, then write the CSV of the data on screen (or fresh data if none was loaded yet), with the
   * calls of the same workspace filter.
   */
  private async exportCsv(): Promise<void> {
    const data = this.last ?? (await this.load(this.workspace));
    const calls = (await this.calls?.(data.workspace)) ?? [];
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `tierwise-costs-${data.from}-to-${data.to}.csv`;
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { CSV: ['csv'] },
      saveLabel: vscode.l10n.t('Export'),
      title: vscode.l10n.t('Export Tierwise costs as CSV'),
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(costReportToCsv(data, calls)));
    void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: costs exported to {0}.', vscode.workspace.asRelativePath(uri)));
  }
}
