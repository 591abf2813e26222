import * as vscode from 'vscode';
import { Tierwise } from './host/app';

let running: Tierwise | undefined;

/** Wires the services and registers every disposable; the work happens lazily in src/host. */
export function activate(context: vscode.ExtensionContext): Tierwise | undefined {
  const started = performance.now();
  try {
    const app = new Tierwise(context);
    context.subscriptions.push(app);
    running = app;
    app.log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
    return app;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise failed to start: {0}', message), showLog).then((choice) => {
      if (choice === showLog) void vscode.commands.executeCommand('tierwise.showLog');
    });
    const channel = vscode.window.createOutputChannel('Tierwise', { log: true });
    channel.error(e instanceof Error ? (e.stack ?? e.message) : message);
    context.subscriptions.push(channel, vscode.commands.registerCommand('tierwise.showLog', () => channel.show()));
    return undefined;
  }
}

/** VS Code waits for this before it disposes the subscriptions: requests still streaming are stopped and recorded. */
export function deactivate(): Promise<void> | undefined {
  return running?.shutdown();
}
