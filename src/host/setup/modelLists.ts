/**
 * The providers' own model lists, for the host: read in the background (a while after activation, and again when a
 * key or a setting changes, at most once a day per provider, base URL and key), kept in globalState (a digest of the
 * key, never the key), and a tier model missing from its provider's list named in the status bar tooltip and in
 * Check Setup before anything is sent. Also the status bar's offer of "Update Prices…" once the prices in use are
 * older than 60 days. Nothing here blocks activation or a request.
 *
 * Only providers routing uses are read, with a key set (or, OpenAI-compatible, a configured base URL), at the
 * destination requests go to (`TierwiseConfig.destinations`: the user's own or an approved workspace value), and a key
 * never goes over plain http to a remote host the user has not accepted.
 */
import * as vscode from 'vscode';
import { systemClock } from '../../core/clock';
import { Catalogue } from '../../core/pricing/catalogue';
import { isoDay } from '../../core/pricing/lifecycle';
import { pricesAge, PRICES_STALE_AFTER_DAYS, type PricesAge } from '../../core/pricing/priceAge';
import { tierProvider } from '../../core/routing/policy';
import { listedShutdowns, missingTierModels, ModelLists, type ListedShutdown, type MissingModel, type ModelList, type ModelListTarget } from '../../core/setup/modelLists';
import type { FetchPort } from '../../core/setup/local';
import { PROVIDER_IDS, TIERS, type ProviderId, type Tier } from '../../core/types';
import type { TierwiseConfig } from '../config';
import { storedPriceList, type Pricing } from '../prices';
import { localize, type Log } from '../util';
import type { Destinations } from './destinations';
import type { KeyStore } from './keys';
import { tierName } from '../../core/routing/tiers';

/** Where the lists live (global state: the same for every workspace). */
export const MODEL_LISTS_KEY = 'tierwise.modelLists';
/** The first background read waits this long after activation. */
const FIRST_READ_MS = 20_000;
/** After a key or settings change, the read waits this long (changes come in bursts). */
const CHANGE_READ_MS = 3_000;

/** The list of one provider as the request path may use it: which ids, and when they were read. */
export interface ListedModels {
  ids: string[];
  readAt: number;
}

/** What a provider's list says about the tiers routing sends to it. */
export interface ListNotice {
  provider: ProviderId;
  missing: MissingModel[];
  shutdowns: ListedShutdown[];
  readAt: number;
}

/** How a provider's list is named in sentences ("DashScope's model list"). */
export const LIST_OWNER: Readonly<Record<ProviderId, string>> = { openai: 'OpenAI', anthropic: 'Anthropic', dashscope: 'DashScope', openaiCompatible: 'the OpenAI-compatible server' };

/** What the model lists take from the services: which providers to ask, where, and when settings change. */
export interface ModelListPorts {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly keys: KeyStore;
  readonly destinations: Destinations;
  readonly onDidChangeSettings: vscode.Event<void>;
  config(): TierwiseConfig;
  pricingIfLoaded(): Pricing | undefined;
  available(): ProviderId[];
  needsKey(id: ProviderId): boolean;
}

export class ModelListService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** A list was read (or forgotten): the tooltip's notices may have changed. */
  readonly onDidChange = this.changed.event;
  private readonly lists: ModelLists;
  /** The entry in use per provider (cache key, base URL and the key's version when it was named). */
  private readonly current = new Map<ProviderId, { entry: string; baseUrl: string; version: number }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly s: ModelListPorts,
    private readonly clock: { now(): number } = systemClock,
    fetchImpl: FetchPort = (url, init) => fetch(url, init),
  ) {
    const state = s.context.globalState;
    this.lists = new ModelLists({ fetch: fetchImpl, clock, storage: { get: () => state.get<unknown>(MODEL_LISTS_KEY), set: (v) => state.update(MODEL_LISTS_KEY, v) } });
  }

  /**
   * Starts the background reads: once after activation, then after each key or settings change. Not in the
   * extension's own tests (their fake provider records every request), unless a test asks with `inTests`.
   */
  start(firstReadMs = FIRST_READ_MS, opts: { inTests?: boolean } = {}): void {
    if (this.subs.length || (this.s.context.extensionMode === vscode.ExtensionMode.Test && !opts.inTests)) return;
    this.subs.push(
      this.s.keys.onDidChange((id) => {
        this.current.delete(id);
        this.lists.forgetFailures();
        this.changed.fire();
        this.schedule(CHANGE_READ_MS);
      }),
      this.s.onDidChangeSettings(() => {
        this.lists.forgetFailures();
        this.schedule(CHANGE_READ_MS);
      }),
    );
    this.schedule(firstReadMs);
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, ms);
  }

  /**
   * The port for the request path: `provider`'s list for the key and base URL in use now, from the cache
   * (synchronous; undefined when not read yet, or the key or destination changed since).
   */
  listedModels(provider: ProviderId): ListedModels | undefined {
    const c = this.current.get(provider);
    if (!c || c.version !== this.s.keys.version(provider) || c.baseUrl !== this.s.config().destinations[provider].url) return undefined;
    const l = this.lists.byKey(c.entry);
    return l ? { ids: l.ids, readAt: l.readAt } : undefined;
  }

  private list(provider: ProviderId): ModelList | undefined {
    const c = this.current.get(provider);
    return c && this.listedModels(provider) ? this.lists.byKey(c.entry) : undefined;
  }

  /** The tier models routing sends to each provider (the `cheapest` policy may send any tier to any provider). */
  usedTiers(): Map<ProviderId, Partial<Record<Tier, string>>> {
    const r = this.s.config().routing.config;
    const out = new Map<ProviderId, Partial<Record<Tier, string>>>();
    const add = (p: ProviderId, t: Tier) => out.set(p, { ...out.get(p), [t]: r.tiers[p][t] });
    for (const t of TIERS) add(tierProvider(r, t), t);
    if (r.policy === 'cheapest') for (const p of this.s.available()) for (const t of TIERS) add(p, t);
    return out;
  }

  /**
   * Where `provider`'s list is read, with which key: undefined when it is not read (no key where one is needed, no
   * configured OpenAI-compatible endpoint, or a key that would cross plain http unaccepted).
   */
  async target(provider: ProviderId): Promise<ModelListTarget | undefined> {
    const cfg = this.s.config();
    if (provider === 'openaiCompatible' && !cfg.providers.openaiCompatible.baseUrl) return undefined;
    const apiKey = await this.s.keys.get(provider);
    if (!apiKey && this.s.needsKey(provider)) return undefined;
    if (apiKey && !this.s.destinations.mayCarryKey(cfg, provider)) return undefined;
    return { provider, baseUrl: cfg.destinations[provider].url, ...(apiKey ? { apiKey } : {}) };
  }

  private name(target: ModelListTarget): void {
    this.current.set(target.provider, { entry: this.lists.keyOf(target), baseUrl: target.baseUrl, version: this.s.keys.version(target.provider) });
  }

  /** Reads the lists of the providers in use that are older than a day (or all of them, forced). */
  refresh(opts: { force?: boolean } = {}): Promise<void> {
    this.running ??= this.readAll(opts).finally(() => (this.running = undefined));
    return this.running;
  }

  private async readAll(opts: { force?: boolean }): Promise<void> {
    const providers = PROVIDER_IDS.filter((p) => this.usedTiers().has(p));
    await Promise.all(
      providers.map(async (p) => {
        const target = await this.target(p);
        if (!target) {
          this.current.delete(p);
          return;
        }
        this.name(target);
        const fresh = this.lists.isFresh(target);
        const list = await this.lists.refresh(target, opts);
        if (!fresh && list) this.s.log.info(`model list: ${list.ids.length} model(s) from ${LIST_OWNER[p]} (${target.baseUrl})`);
        else if (!list) this.s.log.debug(`model list: ${LIST_OWNER[p]} could not be read from ${target.baseUrl}; nothing is flagged`);
      }),
    );
    if (!this.disposed) this.changed.fire();
  }

  /** A list Check Setup read with the same key and destination: kept as the day's list. */
  async record(provider: ProviderId, baseUrl: string, apiKey: string | undefined, ids: readonly string[], shutdown?: Record<string, string>): Promise<void> {
    const cfg = this.s.config();
    const target: ModelListTarget = { provider, baseUrl, ...(apiKey ? { apiKey } : {}) };
    if (baseUrl !== cfg.destinations[provider].url) return;
    if (!(await this.lists.record(target, ids, shutdown))) return;
    this.name(target);
    this.changed.fire();
  }

  /** What the lists say about the tier models in use, per provider (only providers with a notice). */
  notices(): ListNotice[] {
    const today = isoDay(this.clock.now());
    const out: ListNotice[] = [];
    for (const [provider, tiers] of this.usedTiers()) {
      const list = this.list(provider);
      if (!list) continue;
      const missing = missingTierModels(provider, tiers, list, (m) => this.aliases(provider, m));
      const shutdowns = listedShutdowns(provider, tiers, list, today);
      if (missing.length || shutdowns.length) out.push({ provider, missing, shutdowns, readAt: list.readAt });
    }
    return out;
  }

  /** The catalogue's other names of a model (its id and aliases), when prices are loaded. */
  aliases(provider: ProviderId, model: string): string[] {
    const e = this.s.pricingIfLoaded()?.entry(provider, model);
    return e ? [e.id, ...(e.aliases ?? [])] : [];
  }

  /** The age of the prices in use: the newer of the built-in catalogue's date and the applied price list's. */
  pricesAge(): PricesAge | undefined {
    return pricesAge(Catalogue.builtInDate(), storedPriceList(this.s.context)?.date, this.clock.now());
  }

  /** Stops the background reads (the cache stays). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const d of this.subs.splice(0)) d.dispose();
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.changed.dispose();
  }
}

/** "2026-12-07 10:30", in local time. */
export function readAtText(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A model id as Markdown text: nothing in it becomes a link, an image, HTML or emphasis. */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#!()]/g, (c) => `\\${c}`);
}

/** Command links the lines below use; added to the tooltip's trusted commands. */
const LINK_COMMANDS = ['tierwise.checkSetup', 'tierwise.updatePrices'];

function trustCommands(md: vscode.MarkdownString): void {
  const t = md.isTrusted;
  if (t === true) return;
  const had = t && typeof t === 'object' ? t.enabledCommands : [];
  md.isTrusted = { enabledCommands: [...new Set([...had, ...LINK_COMMANDS])] };
}

/**
 * The status bar tooltip's lines about the providers' lists and the prices' age: each tier model missing from its
 * provider's list, each tier model the list gives a shutdown date for (with a link to Check Setup), and, when the
 * prices in use are older than 60 days, the offer of Update Prices… (a link: nothing is fetched before the user runs
 * it, and it asks first).
 */
export function appendListNotices(out: vscode.MarkdownString, lists: ModelListService | undefined): void {
  if (!lists) return;
  const lines: string[] = [];
  const check = `[${vscode.l10n.t('Check Setup')}](command:tierwise.checkSetup)`;
  for (const n of lists.notices()) {
    const owner = LIST_OWNER[n.provider];
    const when = readAtText(n.readAt);
    for (const m of n.missing) {
      lines.push(`$(warning) ${vscode.l10n.t("{0} ({1} tier) is not in {2}'s model list for this key (read {3}).", md(m.model), localize(tierName(m.tier)), owner, when)} ${check}`);
    }
    for (const d of n.shutdowns) {
      const text = d.past
        ? vscode.l10n.t("{0} ({1} tier) was shut down on {2}, says {3}'s model list.", md(d.model), localize(tierName(d.tier)), d.date, owner)
        : vscode.l10n.t("{0} ({1} tier) shuts down on {2}, says {3}'s model list.", md(d.model), localize(tierName(d.tier)), d.date, owner);
      lines.push(`$(warning) ${text} ${check}`);
    }
  }
  const age = lists.pricesAge();
  if (age?.stale) {
    lines.push(`$(info) ${vscode.l10n.t('The prices in use are from {0}, {1} days ago (older than {2} days).', age.date, age.days, PRICES_STALE_AFTER_DAYS)} [${vscode.l10n.t('Update Prices…')}](command:tierwise.updatePrices)`);
  }
  if (!lines.length) return;
  trustCommands(out);
  out.appendMarkdown(`${lines.join('\n\n')}\n\n`);
}
