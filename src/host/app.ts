import * as vscode from 'vscode';
import { DisposableStore } from './disposable';
import { KeyStore } from './keys';
import { Log } from './log';

/** The extension's composition root: owns every service and registration, disposed as one. */
export class Tierwise implements vscode.Disposable {
  readonly log: Log;
  readonly keys: KeyStore;
  private readonly store = new DisposableStore();
  readonly activationMs: number;

  constructor(readonly context: vscode.ExtensionContext) {
    const t0 = performance.now();
    this.log = this.store.add(new Log());
    this.keys = this.store.add(new KeyStore(context.secrets, context.globalState, this.log));
    const status = this.store.add(vscode.window.createStatusBarItem('tierwise.status', vscode.StatusBarAlignment.Right, 100));
    status.name = 'Tierwise';
    status.text = '$(pulse) Tierwise';
    status.show();
    this.store.add(vscode.commands.registerCommand('tierwise.setApiKey', (id?: unknown) => this.keys.promptAndSet(typeof id === 'string' ? (id as never) : undefined)));
    this.store.add(vscode.commands.registerCommand('tierwise.clearApiKey', () => this.keys.promptAndClear()));
    this.store.add(vscode.commands.registerCommand('tierwise.showLog', () => this.log.show()));
    void this.keys.offerEnvironmentImport();
    this.activationMs = performance.now() - t0;
  }

  dispose(): void {
    this.store.dispose();
  }
}
