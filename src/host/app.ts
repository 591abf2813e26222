import * as vscode from 'vscode';
import { switchFromTooltip, registerCostCommands, PriceUpdater, registerUpdatePrices } from './prices';
import { registerEditorCommands, registerLearnedRoutingCommands, RequestService } from './requests';
import { DisposableStore, Log, sdkBundleUse, telemetryBundleLoaded } from './util';
import { KeyStore, SetupService } from './setup';
import { AnswerPanel } from './panels';
import { BatchService, registerBatchCommands } from './batch';
import { registerPromptSupport } from './prompts';
import { Services } from './services';
import { StatusBar } from './status';
import { ChatTurns, CHAT_VENDOR, TierwiseChatProvider, TierwiseParticipant, registerChatParticipant } from './chat';

/** The extension's composition root: owns every service and registration, disposed as one. */
export class Tierwise implements vscode.Disposable {
  readonly log: Log;
  readonly keys: KeyStore;
  readonly services: Services;
  readonly requests: RequestService;
  readonly statusBar: StatusBar;
  readonly panel: AnswerPanel;
  readonly prices: PriceUpdater;
  readonly batches: BatchService;
  readonly setup: SetupService;
  /** Chat turns (VS Code's chat, `vscode.lm` callers, @tierwise): the panel's pipeline, recorded as `chat`. */
  readonly chat: ChatTurns;
  /** Tierwise's models in VS Code's model picker (vendor `tierwise`). */
  readonly chatProvider: TierwiseChatProvider;
  /** @tierwise in VS Code's chat. */
  readonly participant: TierwiseParticipant;
  private readonly store = new DisposableStore();
  /** Whether the provider SDK bundle is loaded yet (it loads on the first send). */
  readonly sdkBundle = sdkBundleUse;
  /** Whether the OpenTelemetry bundle is loaded (only once export is on and a call has ended). */
  readonly telemetryBundle = telemetryBundleLoaded;

  constructor(readonly context: vscode.ExtensionContext) {
    const add = <T extends vscode.Disposable>(d: T) => this.store.add(d);
    this.log = add(new Log());
    this.keys = add(new KeyStore(context.secrets, context.globalState, this.log));
    const s = (this.services = add(new Services(context, this.log, this.keys)));
    // The views: the answer panel's buttons call the request services, which stream into it.
    this.panel = add(
      AnswerPanel.register(context, {
        onStop: (id) => this.requests.stop(id),
        onRetry: (id) => void (this.batches.owns(id) ? this.batches.retry(id) : this.requests.retry(id)),
        onEscalate: (id) => void (this.batches.owns(id) ? this.batches.escalate(id) : this.requests.escalate(id)),
        log: (m) => this.log.warn(m),
      }),
    );
    this.requests = add(new RequestService(s, this.panel));
    this.batches = new BatchService(s, this.panel);
    this.prices = add(new PriceUpdater(s));
    const bar = (this.statusBar = add(new StatusBar(s)));

    // Services emit events; the status bar follows them.
    add(s.onDidChangeSettings(() => bar.schedule()));
    add(this.keys.onDidChange(() => bar.schedule()));
    add(this.prices.onDidUpdate(() => bar.schedule()));
    // The estimate and tooltip describe the current task; spend and budget move with each record.
    add(s.onDidChangeTask(() => bar.render()));
    add(s.onDidRecord(() => bar.render()));
    // A DashScope call re-calibrated an estimated model's count: count again with the new factor.
    add(s.qwenCalibration().onDidChange(() => bar.schedule()));
    // Busy while a panel request or a chat turn streams.
    const busy = { panel: false, chat: false };
    const setBusy = (k: keyof typeof busy, b: boolean) => {
      busy[k] = b;
      bar.setBusy(busy.panel || busy.chat);
    };
    add(this.requests.onDidChangeBusy((b) => setBusy('panel', b)));
    // A gateway's key budget moved with a call through it.
    add(
      this.requests.onDidFinish((provider) => {
        if (provider === 'openaiCompatible') void bar.refreshGateway();
      }),
    );

    add(vscode.commands.registerCommand('tierwise.setApiKey', (id?: unknown) => this.keys.promptAndSet(typeof id === 'string' ? (id as never) : undefined)));
    add(vscode.commands.registerCommand('tierwise.clearApiKey', () => this.keys.promptAndClear()));
    add(vscode.commands.registerCommand('tierwise.showLog', () => this.log.show()));
    add(vscode.commands.registerCommand('tierwise.manageEndpoints', () => s.destinations.manage()));
    add(vscode.commands.registerCommand('tierwise.switchModel', (args?: unknown) => switchFromTooltip(args)));
    add(vscode.commands.registerCommand('tierwise.setTelemetryHeader', () => s.telemetry.promptAndSetHeader()));
    for (const d of registerEditorCommands(s, this.requests)) add(d);
    for (const d of registerCostCommands(s)) add(d);
    for (const d of registerBatchCommands(this.batches)) add(d);
    for (const d of registerLearnedRoutingCommands(() => s.learnedRouting())) add(d);
    add(registerUpdatePrices(s, this.prices));
    add(registerPromptSupport(context, s, this.requests));
    this.setup = add(new SetupService(s));
    // VS Code's chat: Tierwise's models in the model picker, and the @tierwise participant.
    this.chat = add(new ChatTurns(s));
    this.chatProvider = add(new TierwiseChatProvider(s, this.chat));
    add(vscode.lm.registerLanguageModelChatProvider(CHAT_VENDOR, this.chatProvider));
    this.participant = new TierwiseParticipant(s, this.chat);
    add(registerChatParticipant(context, this.participant));
    add(this.chat.onDidChange(() => bar.setChat(this.chat.stats())));
    add(this.chat.onDidChangeBusy((b) => setBusy('chat', b)));
    add(this.keys.onDidChange(() => void s.refreshAvailable()));
    // The providers' own model lists: read in the background after start-up, then when keys or settings change.
    add(s.modelLists.onDidChange(() => bar.render()));
    s.modelLists.start();

    // After start-up: nothing here loads an SDK, a tokenizer or the price catalogue.
    void s.refreshAvailable();
    void this.keys.offerEnvironmentImport();
    void s.telemetry.offerEnvironmentEndpoint();
  }

  /** Before the extension host goes (reload, window closed): running requests end cleanly and are recorded. */
  async shutdown(): Promise<void> {
    await this.requests.drain();
    // The last calls' spans, if export is on: a short while at most.
    await this.services.telemetry.shutdown(1000);
  }

  dispose(): void {
    this.store.dispose();
  }
}
