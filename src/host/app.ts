import * as vscode from 'vscode';
import { registerEditorCommands } from './commands';
import { DisposableStore } from './disposable';
import { KeyStore } from './keys';
import { Log } from './log';
import { AnswerPanel } from './panels/answerPanel';
import { BatchService, registerBatchCommands } from './batch';
import { registerCostCommands } from './costs';
import { registerPromptSupport } from './promptSupport';
import { registerLearnedRoutingCommands } from './learnedRouting';
import { RequestService } from './requests';
import { Services } from './services';
import { sdkBundleUse } from './lazy';
import { StatusBar } from './statusBar';
import { PriceUpdater, registerUpdatePrices } from './updatePrices';
import { SetupService } from './setup';

/** The extension's composition root: owns every service and registration, disposed as one. */
export class Tierwise implements vscode.Disposable {
  readonly log: Log;
  readonly keys: KeyStore;
  readonly services: Services;
  readonly requests: RequestService;
  readonly statusBar: StatusBar;
  readonly prices: PriceUpdater;
  readonly batches: BatchService;
  readonly setup: SetupService;
  private readonly store = new DisposableStore();
  /** Whether the provider SDK bundle is loaded yet (it loads on the first send). */
  readonly sdkBundle = sdkBundleUse;

  constructor(readonly context: vscode.ExtensionContext) {
    const add = <T extends vscode.Disposable>(d: T) => this.store.add(d);
    this.log = add(new Log());
    this.keys = add(new KeyStore(context.secrets, context.globalState, this.log));
    const s = (this.services = add(new Services(context, this.log, this.keys)));
    this.requests = add(new RequestService(s));
    this.statusBar = s.statusBar = add(new StatusBar(s));
    const batches = (this.batches = new BatchService(s));
    const panel = add(
      AnswerPanel.register(context, {
        onStop: (id) => this.requests.stop(id),
        onRetry: (id) => void (batches.owns(id) ? batches.retry(id) : this.requests.retry(id)),
        onEscalate: (id) => void (batches.owns(id) ? batches.escalate(id) : this.requests.escalate(id)),
        log: (m) => this.log.warn(m),
      }),
    );
    s.panel = () => panel;

    add(vscode.commands.registerCommand('tierwise.setApiKey', (id?: unknown) => this.keys.promptAndSet(typeof id === 'string' ? (id as never) : undefined)));
    add(vscode.commands.registerCommand('tierwise.clearApiKey', () => this.keys.promptAndClear()));
    add(vscode.commands.registerCommand('tierwise.showLog', () => this.log.show()));
    add(vscode.commands.registerCommand('tierwise.manageEndpoints', () => s.destinations.manage()));
    for (const d of registerEditorCommands(s, this.requests)) add(d);
    for (const d of registerCostCommands(s)) add(d);
    for (const d of registerBatchCommands(s, batches)) add(d);
    for (const d of registerLearnedRoutingCommands(() => s.learnedRouting())) add(d);
    this.prices = new PriceUpdater(s);
    add(registerUpdatePrices(s, this.prices));
    add(registerPromptSupport(context, s, this.requests));
    this.setup = add(new SetupService(s));
    add(this.keys.onDidChange(() => void s.refreshAvailable()));

    // After start-up: nothing here loads an SDK, a tokenizer or the price catalogue.
    void s.refreshAvailable();
    void this.keys.offerEnvironmentImport();
  }

  /** Before the extension host goes (reload, window closed): running requests end cleanly and are recorded. */
  shutdown(): Promise<void> {
    return this.requests.drain();
  }

  dispose(): void {
    this.store.dispose();
  }
}
