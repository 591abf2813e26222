/**
 * First-run commands: "Check Setup" (every configured provider: key, endpoint and region, models, latency of one
 * tiny call, with a fix button for each problem) and "Find Local Models" (local servers on loopback, their models,
 * assigned to tiers in the user settings).
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../core/clock';
import { checkProvider, type CheckItem, type ProviderCheck } from '../../core/setup/check';
import { discoverLocalServers, isLoopbackUrl, LOCAL_SERVERS, localServerName, type FoundServer, type LocalPorts } from '../../core/setup/local';
import { fetchModelList } from '../../core/setup/modelLists';
import { isoDay } from '../../core/pricing/lifecycle';
import { PRICES_STALE_AFTER_DAYS } from '../../core/pricing/priceAge';
import { PROVIDER_IDS, PROVIDER_LABELS, TIERS, type CallResult, type ChatRequest, type ProviderId, type Tier, type Usage } from '../../core/types';
import { pipelineCall } from '../telemetry';
import { loadCalls, localize } from '../util';
import type { SetupPorts } from './ports';
import { lifecyclePort, noticeFor, switchLabel } from '../prices';
import { tierName } from '../../core/routing/tiers';

const CHECK_VIEW = 'tierwise.checkSetup';

const SAMPLE_CODE = `export function debounce<T extends unknown[]>(fn: (...args: T) => void, ms: number): (...args: T) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: T) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
`;
/** The commands the Check Setup view may run from its buttons (command links; the view runs no script). */
const FIX_COMMANDS = ['tierwise.setApiKey', 'tierwise.findLocalModels', 'tierwise.checkSetup', 'tierwise.setup.setDashScopeRegion', 'tierwise.showLog', 'workbench.action.openSettings', 'tierwise.updatePrices', 'tierwise.switchModel'];

/** Where a local model should go: every tier (the active provider) or only the simple tier (hybrid with the cloud). */
export type LocalUse = 'all' | 'simple';

export class SetupService implements vscode.Disposable {
  private view: vscode.WebviewPanel | undefined;
  /** The latest results, for tests and the walkthrough. */
  lastCheck: ProviderCheck[] | undefined;
  /** The latest checks that belong to no provider (the age of the prices in use). */
  lastGeneral: CheckItem[] = [];
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly s: SetupPorts) {
    this.subs.push(
      vscode.commands.registerCommand('tierwise.checkSetup', () => this.check()),
      vscode.commands.registerCommand('tierwise.findLocalModels', (arg?: unknown) => this.findLocalModels(parseFindArg(arg))),
      vscode.commands.registerCommand('tierwise.setup.setDashScopeRegion', async (region?: unknown) => {
        if (region !== 'china' && region !== 'international' && region !== 'us') return;
        await vscode.workspace.getConfiguration('tierwise').update('providers.dashscope.region', region, vscode.ConfigurationTarget.Global);
        await this.check();
      }),
      vscode.commands.registerCommand('tierwise.chooseProvider', (id?: unknown) => this.chooseProvider(typeof id === 'string' ? id : undefined)),
      vscode.commands.registerCommand('tierwise.openSamplePrompt', () => this.openSample('sample.prompt.md', 'tierwise-prompt')),
      vscode.commands.registerCommand('tierwise.tryExplain', async () => {
        const editor = await this.openSample(undefined, 'typescript', SAMPLE_CODE);
        editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
        await vscode.commands.executeCommand('tierwise.explain');
      }),
      s.keys.onDidChange(() => void this.updateReady()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('tierwise') && void this.updateReady()),
    );
    void this.updateReady();
  }

  /** Context `tierwise.providerReady`: the active provider has its key, or is an OpenAI-compatible endpoint that is set. */
  private async updateReady(): Promise<void> {
    const cfg = this.s.config();
    const id = cfg.routing.config.activeProvider;
    const ready = this.s.needsKey(id) ? await this.s.keys.has(id) : !!cfg.providers.openaiCompatible.baseUrl;
    await vscode.commands.executeCommand('setContext', 'tierwise.providerReady', ready);
  }

  /** Writes `tierwise.provider` (user settings) from a quick pick. */
  async chooseProvider(preset?: string): Promise<ProviderId | undefined> {
    let id = PROVIDER_IDS.find((p) => p === preset);
    if (!id) {
      const picked = await vscode.window.showQuickPick(
        PROVIDER_IDS.map((p) => ({ label: PROVIDER_LABELS[p], description: p === 'openaiCompatible' ? vscode.l10n.t('a local server (free, no key) or a team gateway') : vscode.l10n.t('needs an API key'), id: p })),
        { title: vscode.l10n.t('Tierwise: which provider should answer?') },
      );
      id = picked?.id;
    }
    if (!id) return undefined;
    await vscode.workspace.getConfiguration('tierwise').update('provider', id, vscode.ConfigurationTarget.Global);
    const setKey = vscode.l10n.t('Set API Key');
    const findLocal = vscode.l10n.t('Find Local Models');
    const next = this.s.needsKey(id) ? setKey : findLocal;
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: {0} answers every tier now.', PROVIDER_LABELS[id]), next);
    if (choice === setKey) void vscode.commands.executeCommand('tierwise.setApiKey', id);
    else if (choice === findLocal) void vscode.commands.executeCommand('tierwise.findLocalModels');
    return id;
  }

  /** A sample as a new untitled editor (nothing is written to the workspace). */
  private async openSample(file: string | undefined, language: string, content?: string): Promise<vscode.TextEditor> {
    let text = content ?? '';
    if (file) text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.s.context.extensionUri, 'media', 'walkthrough', file)));
    const doc = await vscode.workspace.openTextDocument({ content: text, language });
    return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
  }

  /** The providers worth checking: those routing uses, those with a key, and a configured OpenAI-compatible endpoint. */
  private async configured(): Promise<ProviderId[]> {
    const cfg = this.s.config();
    const r = cfg.routing.config;
    const used = new Set<ProviderId>([r.activeProvider]);
    if (r.policy === 'perTier') for (const t of TIERS) if (r.perTier[t]) used.add(r.perTier[t]!);
    if (r.localSimpleTier) used.add('openaiCompatible');
    for (const id of PROVIDER_IDS) if (this.s.needsKey(id) && (await this.s.keys.has(id))) used.add(id);
    if (cfg.providers.openaiCompatible.baseUrl) used.add('openaiCompatible');
    return PROVIDER_IDS.filter((id) => used.has(id));
  }

  private baseUrl(id: ProviderId): string {
    const cfg = this.s.config();
    return cfg.providers[id].baseUrl || loadCalls().defaultBaseUrl(id, cfg.dashscopeRegion);
  }

  async check(): Promise<ProviderCheck[]> {
    const cfg = this.s.config();
    const ids = await this.configured();
    const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tierwise: checking the setup…') }, () =>
      Promise.all(
        ids.map(async (id) => {
          const key = await this.s.keys.get(id);
          const baseUrl = this.baseUrl(id);
          const tiers = cfg.routing.config.tiers[id];
          const tierModels = [...new Set(TIERS.map((t) => tiers[t]))];
          let shutdown: Record<string, string> | undefined;
          const result = await checkProvider(
            {
              provider: id,
              label: PROVIDER_LABELS[id],
              needsKey: this.s.needsKey(id),
              hasKey: !!key,
              baseUrl,
              ...(id === 'dashscope' ? { region: cfg.dashscopeRegion } : {}),
              tierModels,
              tiers: { ...tiers },
              aliases: (m) => this.s.modelLists.aliases(id, m),
              today: isoDay(Date.now()),
              local: id === 'openaiCompatible' && isLoopbackUrl(baseUrl),
            },
            {
              listModels: async () => {
                const got = await fetchModelList(fetch, { provider: id, baseUrl, ...(key ? { apiKey: key } : {}) }, { timeoutMs: 5000 });
                shutdown = got.shutdown;
                return got;
              },
              tinyCall: (model) => this.tinyCall(id, model, key, baseUrl),
              now: () => performance.now(),
            },
          );
          if (id === 'openaiCompatible' && isLoopbackUrl(baseUrl)) this.s.pricing().addLocalModels(result.models);
          this.addLifecycle(result, tiers);
          // The list just read is the day's list: the status bar's notices follow it.
          await this.s.modelLists.record(id, baseUrl, key, result.models, shutdown);
          return result;
        }),
      ),
    );
    this.lastCheck = results;
    this.lastGeneral = this.general();
    this.show(results, this.lastGeneral);
    const problems = results.reduce((n, r) => n + r.items.filter((i) => i.state === 'problem').length, 0) + this.lastGeneral.filter((i) => i.state === 'problem').length;
    void vscode.commands.executeCommand('setContext', 'tierwise.setupChecked', true);
    this.s.log.info(`check setup: ${results.length} provider(s), ${problems} problem(s)`);
    return results;
  }

  /**
   * Tier models the catalogue knows as retired (a problem) or deprecated (noted), each with Switch to its successor,
   * which writes the tier setting.
   */
  private addLifecycle(result: ProviderCheck, tiers: Record<Tier, string>): void {
    const port = lifecyclePort(this.s);
    for (const tier of TIERS) {
      const n = noticeFor(port, result.provider, tiers[tier]);
      if (!n) continue;
      result.items.push({
        area: 'models',
        state: n.level === 'retired' ? 'problem' : 'info',
        text: vscode.l10n.t('{0} tier: {1}', localize(tierName(tier)), n.message),
        ...(n.successor ? { fix: { title: switchLabel(n.successor), command: 'tierwise.switchModel', args: [{ provider: result.provider, tier, from: n.model, to: n.successor }] } } : {}),
      });
      if (n.level === 'retired') result.ok = false;
    }
  }

  /** One call of max_tokens 1, recorded in the ledger like any other call. */
  private async tinyCall(id: ProviderId, model: string, key: string | undefined, baseUrl: string): Promise<void> {
    const calls = loadCalls();
    const cfg = this.s.config();
    const provider = calls.createProvider({ id, apiKey: key, baseUrl, region: cfg.dashscopeRegion }, systemClock);
    const started = Date.now();
    let usage: Usage | undefined;
    let reported = false;
    let result: CallResult | undefined;
    const request: ChatRequest = { provider: id, model, messages: [{ role: 'user', content: 'Hi' }], maxTokens: 1 };
    for await (const ev of provider.stream(request, AbortSignal.timeout(20_000))) {
      if (ev.type === 'finish') {
        usage = ev.result.usage;
        reported = ev.result.usageReported;
        result = ev.result;
      }
    }
    if (usage && result) {
      const local = id === 'openaiCompatible' && isLoopbackUrl(baseUrl);
      const rec = await this.s.ledger().record({ provider: id, model, task: 'checkSetup', usage, usageReported: reported, latencyMs: Date.now() - started, retries: 0, outcome: 'ok', source: 'setup', reason: 'Check Setup: one-token test call', ...(local ? { local: true } : {}) });
      if (this.s.telemetry.enabled) {
        const outcome = { result, provider: id, model, retries: 0, fallbacks: 0, partialText: result.text, usage };
        this.s.telemetry.record(pipelineCall(this.s.telemetry, this.s.pricing(), { startMs: started, request, outcome, rec, baseUrl, task: 'checkSetup', local }));
      }
    }
  }

  /** Checks of no one provider: the prices in use, offered an update once older than 60 days (nothing is fetched here). */
  private general(): CheckItem[] {
    const age = this.s.modelLists.pricesAge();
    if (!age) return [];
    if (!age.stale) return [{ area: 'prices', state: 'ok', text: vscode.l10n.t('The prices in use are from {0} ({1} days ago).', age.date, age.days) }];
    return [
      {
        area: 'prices',
        state: 'problem',
        text: vscode.l10n.t('The prices in use are from {0}, {1} days ago (older than {2} days). Update Prices… reads a current list (LiteLLM) after asking.', age.date, age.days, PRICES_STALE_AFTER_DAYS),
        fix: { title: vscode.l10n.t('Update Prices…'), command: 'tierwise.updatePrices' },
      },
    ];
  }

  private show(results: ProviderCheck[], general: readonly CheckItem[] = []): void {
    const html = checkHtml(results, this.s.config().routing.config.activeProvider, general);
    if (!this.view) {
      this.view = vscode.window.createWebviewPanel(CHECK_VIEW, vscode.l10n.t('Tierwise: Check Setup'), { viewColumn: vscode.ViewColumn.Active }, { enableScripts: false, enableCommandUris: FIX_COMMANDS, localResourceRoots: [] });
      this.view.onDidDispose(() => (this.view = undefined));
    } else this.view.reveal();
    this.view.webview.html = html;
  }

  // ---- local servers -----------------------------------------------------------------------------------------------

  private ports(): LocalPorts {
    const raw = vscode.workspace.getConfiguration('tierwise').get<Record<string, unknown>>('local.ports') ?? {};
    const out: LocalPorts = {};
    for (const k of LOCAL_SERVERS) {
      const v = raw[k.id];
      if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536) out[k.id] = v;
    }
    return out;
  }

  /** Servers found on loopback, with their models. */
  async discover(): Promise<FoundServer[]> {
    return discoverLocalServers(fetch, { ports: this.ports() });
  }

  /**
   * Finds the local servers, lets the user pick a model and where it goes, and writes the user settings:
   * the endpoint, the tier models and either the active provider (all tiers) or the hybrid simple tier.
   */
  async findLocalModels(preset?: { baseUrl?: string; model?: string; use?: LocalUse }): Promise<boolean> {
    const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tierwise: looking for local model servers…') }, () => this.discover());
    if (!found.length) {
      const ports = LOCAL_SERVERS.map((k) => `${localize(localServerName(k))} ${this.ports()[k.id] ?? k.defaultPort}`).join(', ');
      const open = vscode.l10n.t('Open Setting');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: no local model server answered on 127.0.0.1 ({0}). Start one (for example "ollama serve"), or set its port in tierwise.local.ports.', ports), open);
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'tierwise.local.ports');
      return false;
    }
    for (const f of found) this.s.pricing().addLocalModels(f.models);
    type Item = vscode.QuickPickItem & { server?: FoundServer; model?: string };
    let server: FoundServer | undefined;
    let model: string | undefined;
    if (preset?.baseUrl && preset.model) {
      server = found.find((f) => f.baseUrl === preset.baseUrl);
      model = server?.models.includes(preset.model) ? preset.model : undefined;
      if (!server || !model) return false;
    } else {
      const items: Item[] = [];
      for (const f of found) {
        items.push({ label: vscode.l10n.t('{0} on port {1}', localize(localServerName(f.kind)), f.port), kind: vscode.QuickPickItemKind.Separator });
        if (!f.models.length) items.push({ label: `$(info) ${vscode.l10n.t('no models yet')}`, description: f.kind.id === 'ollama' ? vscode.l10n.t('pull one: ollama pull llama3.2') : vscode.l10n.t('load a model in the server') });
        for (const m of f.models) items.push({ label: m, description: vscode.l10n.t('{0} · free', localize(localServerName(f.kind))), server: f, model: m });
      }
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Tierwise: pick a local model'), placeHolder: vscode.l10n.t('Local calls are free and stay on this machine') });
      if (!picked?.server || !picked.model) return false;
      server = picked.server;
      model = picked.model;
    }
    let use = preset?.use;
    if (!use) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('All tiers'), description: vscode.l10n.t('make the local server the active provider (no cloud key needed)'), use: 'all' as const },
          { label: vscode.l10n.t('The simple tier only'), description: vscode.l10n.t('hybrid: simple tasks run locally, the rest on your cloud provider'), use: 'simple' as const },
        ],
        { title: vscode.l10n.t('Tierwise: use {0} for…', model) },
      );
      if (!picked) return false;
      use = picked.use;
    }
    const c = vscode.workspace.getConfiguration('tierwise');
    const G = vscode.ConfigurationTarget.Global;
    await c.update('providers.openaiCompatible.baseUrl', server.baseUrl, G);
    const tiers = use === 'all' ? TIERS : (['simple'] as const);
    for (const t of tiers) await c.update(`tiers.openaiCompatible.${t}`, model, G);
    if (use === 'all') await c.update('provider', 'openaiCompatible', G);
    else await c.update('routing.localSimpleTier', true, G);
    await this.s.refreshAvailable();
    const name = localize(localServerName(server.kind));
    void vscode.window.setStatusBarMessage(use === 'all' ? vscode.l10n.t('Tierwise: {0} on {1} now answers every tier (free)', model, name) : vscode.l10n.t('Tierwise: {0} on {1} now answers the simple tier (free)', model, name), 8000);
    return true;
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.view?.dispose();
  }
}

function parseFindArg(arg: unknown): { baseUrl?: string; model?: string; use?: LocalUse } | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Record<string, unknown>;
  return {
    ...(typeof a.baseUrl === 'string' ? { baseUrl: a.baseUrl } : {}),
    ...(typeof a.model === 'string' ? { model: a.model } : {}),
    ...(a.use === 'all' || a.use === 'simple' ? { use: a.use } : {}),
  };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function commandLink(title: string, command: string, args?: unknown[]): string {
  const q = args && args.length ? `?${encodeURIComponent(JSON.stringify(args))}` : '';
  return `<a class="fix" href="command:${esc(command)}${q}">${esc(title)}</a>`;
}

const ICON: Record<CheckItem['state'], string> = { ok: '✓', problem: '✗', skipped: '–', info: 'ℹ' };
const AREA = (): Record<CheckItem['area'], string> => ({
  key: vscode.l10n.t('Key'),
  endpoint: vscode.l10n.t('Endpoint'),
  region: vscode.l10n.t('Region'),
  models: vscode.l10n.t('Models'),
  latency: vscode.l10n.t('Latency'),
  prices: vscode.l10n.t('Prices'),
});

/** The results as one page: a section per provider, a row per check, a fix button for each problem. No script. */
export function checkHtml(results: readonly ProviderCheck[], active: ProviderId, general: readonly CheckItem[] = []): string {
  const nonce = randomBytes(16).toString('base64');
  const problems = results.reduce((n, r) => n + r.items.filter((i) => i.state === 'problem').length, 0) + general.filter((i) => i.state === 'problem').length;
  const area = AREA();
  const rowsOf = (items: readonly CheckItem[]) =>
    items
      .map((i) => `<tr class="${i.state}"><td class="icon" aria-label="${i.state}">${ICON[i.state]}</td><th scope="row">${esc(area[i.area])}</th><td>${esc(i.textMsg ? localize(i.textMsg) : i.text)}</td><td class="act">${i.fix ? commandLink(i.fix.titleMsg ? localize(i.fix.titleMsg) : i.fix.title, i.fix.command, i.fix.args) : ''}</td></tr>`)
      .join('\n');
  const prices = general.length ? `\n<section><h2>${esc(vscode.l10n.t('Prices'))}</h2><table>${rowsOf(general)}</table></section>` : '';
  const sections = results
    .map((r) => {
      const rows = rowsOf(r.items);
      const tag = r.provider === active ? ` <span class="tag">${esc(vscode.l10n.t('active'))}</span>` : '';
      const state = r.ok ? vscode.l10n.t('ready') : vscode.l10n.t('needs attention');
      return `<section><h2>${esc(r.label)}${tag} <span class="${r.ok ? 'good' : 'bad'}">${esc(state)}</span></h2><table>${rows}</table></section>`;
    })
    .join('\n');
  const checked = results.length === 1 ? vscode.l10n.t('1 provider checked') : vscode.l10n.t('{0} providers checked', results.length);
  const found = problems === 0 ? vscode.l10n.t('no problems') : problems === 1 ? vscode.l10n.t('1 problem, with its fix') : vscode.l10n.t('{0} problems, each with a fix', problems);
  return `<!DOCTYPE html><html lang="${esc(vscode.env.language || 'en')}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>${esc(vscode.l10n.t('Tierwise: Check Setup'))}</title>
<style nonce="${nonce}">
body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);color:var(--vscode-foreground);background:var(--vscode-editor-background);padding:0 16px 16px;max-width:900px}
h1{font-size:1.3em;font-weight:600}
h2{font-size:1.1em;font-weight:600;margin:18px 0 6px}
p.sub{color:var(--vscode-descriptionForeground);margin-top:-6px}
table{border-collapse:collapse;width:100%}
th,td{padding:4px 7px;border-bottom:1px solid var(--vscode-editorWidget-border,rgba(128,128,128,.3));text-align:left;vertical-align:top}
th{font-weight:600;white-space:nowrap;width:6em}
td.icon{width:1.2em;text-align:center}
tr.ok td.icon,.good{color:var(--vscode-testing-iconPassed,#388a34)}
tr.problem td.icon,.bad{color:var(--vscode-errorForeground)}
tr.skipped,tr.info td.icon{color:var(--vscode-descriptionForeground)}
.good,.bad,.tag{font-size:.8em;font-weight:normal;margin-left:6px}
.tag{border:1px solid var(--vscode-editorWidget-border,rgba(128,128,128,.5));border-radius:3px;padding:0 4px}
td.act{white-space:nowrap;text-align:right}
a.fix{display:inline-block;padding:2px 10px;border-radius:2px;background:var(--vscode-button-background);color:var(--vscode-button-foreground);text-decoration:none}
a.fix:hover{background:var(--vscode-button-hoverBackground)}
a.fix:focus{outline:1px solid var(--vscode-focusBorder);outline-offset:2px}
</style></head><body>
<h1>${esc(vscode.l10n.t('Check Setup'))}</h1>
<p class="sub">${esc(checked)}: ${esc(found)}. ${commandLink(vscode.l10n.t('Check Again'), 'tierwise.checkSetup')} ${commandLink(vscode.l10n.t('Find Local Models'), 'tierwise.findLocalModels')}</p>
${sections}${prices}
</body></html>`;
}
