import * as vscode from 'vscode';
import { Tierwise } from './host/app';

/** Wires the services and registers every disposable; the work happens lazily in src/host. */
export function activate(context: vscode.ExtensionContext): Tierwise | undefined {
  const started = performance.now();
  try {
    const app = new Tierwise(context);
    context.subscriptions.push(app);
    app.log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
    return app;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`Tierwise failed to start: ${message}`, 'Show Log').then((choice) => {
      if (choice === 'Show Log') void vscode.commands.executeCommand('tierwise.showLog');
    });
    const channel = vscode.window.createOutputChannel('Tierwise', { log: true });
    channel.error(e instanceof Error ? (e.stack ?? e.message) : message);
    context.subscriptions.push(channel, vscode.commands.registerCommand('tierwise.showLog', () => channel.show()));
    return undefined;
  }
}

export function deactivate(): void {}
