import * as vscode from 'vscode';
import { type Route, Router } from '../core/routing';
import type { CallRunner } from '../core/resilience/pipeline';
import { systemClock } from '../core/clock';
import type { ChatRequest, ProviderId } from '../core/types';
import type { Provider } from '../core/providers';
import { readConfig, type TierwiseConfig } from './config';
import { Destinations, SettingsReporter, type KeyStore, ModelListService } from './setup';
import { loadCalls, onCallsLoaded, type Log, EditorTracker } from './util';
import { providerNeedsKey } from '../core/providers/baseUrls';
import { Pricing, Budget, Ledger, storedPriceList } from './prices';
import { takeTurns } from '../core/resilience/turns';
import { LearnedRoutingStore } from './requests';
import { QwenCalibrationStore, Tokens, requestText } from './tokens';
import { Telemetry } from './telemetry';

/**
 * The services behind the commands, created on first use so that activation stays cheap.
 * Settings changes rebuild only what depends on them.
 */
export class Services implements vscode.Disposable {
  private config_: TierwiseConfig | undefined;
  private router_: Router | undefined;
  private runner_: CallRunner | undefined;
  private pricing_: Pricing | undefined;
  private ledger_: Ledger | undefined;
  private budget_: Budget | undefined;
  private learned_: LearnedRoutingStore | undefined;
  private readonly tokens_: Tokens;
  private readonly calibration_: QwenCalibrationStore;
  private readonly providers = new Map<string, Provider>();
  private task = 'answer';
  private readonly subs: vscode.Disposable[] = [];
  readonly destinations: Destinations;
  readonly settingsReporter: SettingsReporter;
  private readonly settingsChanged = new vscode.EventEmitter<void>();
  private readonly recorded = new vscode.EventEmitter<void>();
  private readonly taskChanged = new vscode.EventEmitter<string>();
  /** Settings, an endpoint approval or workspace trust changed, and what depends on them was rebuilt. */
  readonly onDidChangeSettings = this.settingsChanged.event;
  /** The ledger recorded a call (or loaded its file): spend and budget moved. */
  readonly onDidRecord = this.recorded.event;
  /** The current task (the last command's) changed. */
  readonly onDidChangeTask = this.taskChanged.event;
  /** The editor commands act on (the last active one while a panel has focus). */
  readonly editors = new EditorTracker();
  /** The providers' own model lists, cached a day; `listedModels(provider)` is the request path's port. */
  readonly modelLists: ModelListService;
  /** OpenTelemetry export of each call (off until an endpoint is set; the SDK loads only then). */
  readonly telemetry: Telemetry;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: Log,
    readonly keys: KeyStore,
  ) {
    this.calibration_ = new QwenCalibrationStore(context.globalState, log);
    this.tokens_ = new Tokens(context.asAbsolutePath('dist/tokenWorker.js'), log, this.calibration_);
    this.destinations = new Destinations(context, log);
    this.settingsReporter = new SettingsReporter(log);
    this.modelLists = new ModelListService(this);
    this.telemetry = new Telemetry(context, log);
    onCallsLoaded((ms) => log.info(`provider SDKs loaded in ${ms.toFixed(1)} ms`));
    this.subs.push(
      this.settingsChanged,
      this.recorded,
      this.taskChanged,
      this.calibration_,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tierwise')) this.reload();
      }),
      this.destinations,
      this.modelLists,
      this.destinations.onDidChange(() => this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
      keys.onDidChange((id) => {
        for (const k of [...this.providers.keys()]) if (k.startsWith(`${id}|`)) this.providers.delete(k);
      }),
    );
  }

  /** Settings changed (or an approval, or workspace trust): rebuild what depends on them. */
  private reload(): void {
    this.config_ = undefined;
    const cfg = this.config();
    this.router_?.update(cfg.routing.config);
    this.runner_?.updateSettings(cfg.resilience);
    this.pricing_?.update(cfg);
    this.budget_?.update(cfg.budget);
    this.providers.clear();
    void this.refreshAvailable();
    this.settingsChanged.fire();
  }

  config(): TierwiseConfig {
    if (!this.config_) {
      this.config_ = readConfig({ trusted: vscode.workspace.isTrusted, approved: this.destinations.isApproved });
      this.settingsReporter.report(this.config_);
    }
    return this.config_;
  }

  /**
   * Before sending to `provider`: asks about a workspace destination not yet approved and warns before a key goes
   * over plain http. The notes say where the request goes and why; undefined when the user cancelled.
   */
  async checkDestination(provider: ProviderId): Promise<string[] | undefined> {
    const hasKey = await this.keys.has(provider);
    return this.destinations.beforeSend(provider, () => this.config(), hasKey);
  }

  tokens(): Tokens {
    return this.tokens_;
  }

  /** The calibration of DashScope estimates from reported usage (global state), loaded at activation. */
  qwenCalibration(): QwenCalibrationStore {
    return this.calibration_;
  }

  pricing(): Pricing {
    this.pricing_ ??= new Pricing(this.config(), (m) => this.settingsReporter.ignored(m), () => storedPriceList(this.context));
    return this.pricing_;
  }
  pricingIfLoaded(): Pricing | undefined {
    return this.pricing_;
  }

  ledger(): Ledger {
    if (!this.ledger_) {
      this.ledger_ = new Ledger(this.context.globalStorageUri, this.log, () => this.pricing(), () => this.config().currency.cnyPerUsd, () => this.recorded.fire());
      this.subs.push(this.ledger_);
    }
    return this.ledger_;
  }
  spendIfLoaded() {
    return this.ledger_?.spend();
  }

  budget(): Budget {
    this.budget_ ??= new Budget(this.config().budget, () => this.ledger().spend(), (usd) => this.pricing().formatUsdAll(usd));
    return this.budget_;
  }
  budgetIfLoaded(): Budget | undefined {
    return this.budget_;
  }

  /** What the user taught the router (global state, this machine only). */
  learnedRouting(): LearnedRoutingStore {
    this.learned_ ??= new LearnedRoutingStore(this.context.globalState, this.log);
    return this.learned_;
  }

  router(): Router {
    this.router_ ??= new Router(this.config().routing.config, {
      modelInfo: (p, m) => this.pricing().modelInfo(p, m),
      toUsd: (amount, currency) => this.pricing().toUsd(amount, currency),
      available: () => this.available(),
      learned: (f) => this.learnedRouting().match(f),
    });
    return this.router_;
  }

  runner(): CallRunner {
    if (!this.runner_) {
      const { CallRunner } = loadCalls();
      this.runner_ = new CallRunner({
        clock: systemClock,
        settings: this.config().resilience,
        providerFor: (id) => {
          const p = [...this.providers.entries()].find(([k]) => k.startsWith(`${id}|`))?.[1];
          if (!p) throw new Error(`no client prepared for ${id}`);
          return p;
        },
        estimateTokens: (req) => this.tokens().counter().approximate(req.provider, req.model, requestText(req)).tokens,
        yieldTurn: takeTurns(),
        // DashScope's reported input tokens calibrate the estimate of models without a local tokenizer.
        onOutcome: (candidates, outcome) => void this.qwenCalibration().observe(this.tokens().counter(), candidates, outcome),
      });
    }
    return this.runner_;
  }

  /** Which providers can be called now: a key is set, or (OpenAI-compatible) a base URL is configured. */
  private availableCache: ProviderId[] = ['openai'];
  available(): ProviderId[] {
    return this.availableCache;
  }
  async refreshAvailable(): Promise<void> {
    const cfg = this.config();
    const out: ProviderId[] = [];
    for (const id of ['openai', 'anthropic', 'dashscope', 'openaiCompatible'] as ProviderId[]) {
      if (id === 'openaiCompatible' ? !!cfg.providers[id].baseUrl : await this.keys.has(id)) out.push(id);
    }
    this.availableCache = out.length ? out : [cfg.routing.config.activeProvider];
  }

  needsKey(id: ProviderId): boolean {
    return providerNeedsKey(id);
  }

  /** The route's request and its fallbacks, with a client ready for each provider involved. */
  async candidates(route: Route): Promise<ChatRequest[]> {
    const { withFallbacks } = loadCalls();
    const list = withFallbacks(route.request, route.tier, this.config().resilience);
    for (const f of route.fallbacks) {
      if (!list.some((r) => r.provider === f.provider && r.model === f.model)) list.push({ ...route.request, provider: f.provider, model: f.model });
    }
    const usable: ChatRequest[] = [];
    for (const req of list) {
      const key = await this.keys.get(req.provider);
      if (!key && this.needsKey(req.provider)) continue;
      // The routed provider was checked before sending; a fallback never sends a key over plain http unannounced.
      if (key && req.provider !== route.provider && !this.destinations.mayCarryKey(this.config(), req.provider)) continue;
      this.providerFor(req.provider, key);
      usable.push(req);
    }
    return usable.length ? usable : [route.request];
  }

  /**
   * The provider's own count of a whole request, where it offers one (Anthropic's free count_tokens endpoint)
   * and a key is set; undefined otherwise or on any failure.
   */
  async providerCount(req: ChatRequest): Promise<number | undefined> {
    if (req.provider !== 'anthropic') return undefined;
    const key = await this.keys.get(req.provider);
    if (!key || !this.destinations.mayCarryKey(this.config(), req.provider)) return undefined;
    try {
      return await this.providerFor(req.provider, key).countTokens?.(req, AbortSignal.timeout(5000));
    } catch (e) {
      this.log.warn(`count_tokens failed, using the estimate: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private providerFor(id: ProviderId, key: string | undefined): Provider {
    const cfg = this.config();
    const cacheKey = `${id}|${key ?? ''}|${cfg.providers[id].baseUrl ?? ''}|${cfg.dashscopeRegion}`;
    let p = this.providers.get(cacheKey);
    if (!p) {
      for (const k of [...this.providers.keys()]) if (k.startsWith(`${id}|`)) this.providers.delete(k);
      p = loadCalls().createProvider({ id, apiKey: key, baseUrl: cfg.providers[id].baseUrl, region: cfg.dashscopeRegion }, systemClock);
      this.providers.set(cacheKey, p);
    }
    return p;
  }

  currentTask(): string {
    return this.task;
  }
  setCurrentTask(task: string): void {
    this.task = task;
    this.taskChanged.fire(task);
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.editors.dispose();
    this.tokens_.dispose();
    this.telemetry.dispose();
  }
}
