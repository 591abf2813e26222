import type { ModelInfo } from '../../core/routing';
import { Catalogue, convert, costOf, describePriceSource, formatMoney, formatMoneyAll, toUsd, type CatalogueOverrides, type ModelEntry, type PriceList } from '../../core/pricing';
import { dashscopeRegionFrom } from '../../core/providers/baseUrls';
import type { Currency, ProviderId, Usage } from '../../core/types';
import { noCheaperThanKnown } from '../../core/modelSettings';
import type { TierwiseConfig } from '../config';
import { isLoopbackUrl } from '../../core/setup/local';
import { catalogueLookupId, gatewayNote, gatewayPricing } from '../../core/setup/gateway';
import { english, msg, type Message } from '../../core/messages';

/** Prices for the host: the catalogue with the user's overrides, costs in USD and display formatting. */
export class Pricing {
  private catalogue: Catalogue;
  private cfg: TierwiseConfig;

  constructor(
    cfg: TierwiseConfig,
    /** Told (each time the prices are built) which workspace prices were not used. */
    private readonly onIgnored: (message: Message) => void = () => undefined,
    /** The price list stored by "Update Prices", if any. */
    private readonly priceList: () => PriceList | undefined = () => undefined,
  ) {
    this.cfg = cfg;
    this.catalogue = this.build(cfg);
  }

  update(cfg: TierwiseConfig): void {
    this.cfg = cfg;
    this.catalogue = this.build(cfg);
  }

  private build(cfg: TierwiseConfig): Catalogue {
    const dashscopeRegion = cfg.dashscopeRegion;
    const priceList = this.priceList();
    const list = isLocalEndpoint(cfg) ? undefined : new Catalogue({ dashscopeRegion, priceList });
    this.gatewayNotes.clear();
    const priced = (o: CatalogueOverrides) => (list ? withGatewayListPrices(o, cfg, list, this.gatewayReported, this.gatewayNotes) : withLocalModelsFree(o, cfg, this.localModels));
    const mine = new Catalogue({ overrides: priced(overridesFromSettings(cfg.models)), dashscopeRegion, priceList });
    if (!cfg.workspaceModels.length) return mine;
    const ws = noCheaperThanKnown(cfg.workspaceModels, (p, id) => mine.get(p, id));
    for (const m of ws.loosened) this.onIgnored(m);
    return new Catalogue({ overrides: priced(overridesFromSettings([...cfg.models, ...ws.entries])), dashscopeRegion, priceList });
  }

  /** Which prices are in use: "built-in prices of 2026-12-01" or "LiteLLM price list of …". */
  priceSource(): string {
    return english(this.priceSourceText());
  }

  /** The same, as a message for the UI. */
  priceSourceText(): Message {
    return describePriceSource(this.priceList(), Catalogue.builtInDate());
  }

  /** Models a local server listed (Check Setup, Find Local Models): they are priced as free too. */
  private localModels: string[] = [];
  addLocalModels(models: readonly string[]): void {
    const next = [...new Set([...this.localModels, ...models])];
    if (next.length === this.localModels.length) return;
    this.localModels = next;
    this.catalogue = this.build(this.cfg);
  }

  /** Gateway models whose cost the gateway has reported (x-litellm-response-cost): the ledger holds its figures. */
  private readonly gatewayReported = new Set<string>();
  noteGatewayCost(model: string): void {
    if (this.gatewayReported.has(model)) return;
    this.gatewayReported.add(model);
    if (!isLocalEndpoint(this.cfg)) this.catalogue = this.build(this.cfg);
  }

  /**
   * For a model behind a gateway (an OpenAI-compatible endpoint not on this machine): where its price comes from,
   * or how to give it one. Undefined for other providers, local servers and prices from the settings.
   */
  priceNoteMsg(provider: ProviderId, model: string): Message | undefined {
    if (provider !== 'openaiCompatible' || isLocalEndpoint(this.cfg)) return undefined;
    const e = this.entry(provider, model);
    if (e?.source?.startsWith(GATEWAY_SOURCE)) return this.gatewayNotes.get(e.id) ?? msg('common.asIs', e.source.slice(GATEWAY_SOURCE.length));
    if (e) return undefined;
    return gatewayNote(model, { kind: 'none', reported: this.gatewayReported.has(model) });
  }

  /** The same note in English (for logs and tests). */
  priceNote(provider: ProviderId, model: string): string | undefined {
    const m = this.priceNoteMsg(provider, model);
    return m && english(m);
  }

  /** The notes of the gateway models priced at a list price, by model id (filled by each build). */
  private readonly gatewayNotes = new Map<string, Message>();

  /** Whether the OpenAI-compatible endpoint is a server on this machine (its calls cost nothing). */
  isLocal(provider: ProviderId): boolean {
    return provider === 'openaiCompatible' && isLocalEndpoint(this.cfg);
  }

  get entries(): Catalogue {
    return this.catalogue;
  }

  entry(provider: ProviderId, model: string): ModelEntry | undefined {
    return this.catalogue.get(provider, model);
  }

  modelInfo(provider: ProviderId, model: string): ModelInfo | undefined {
    const e = this.entry(provider, model);
    if (!e) return undefined;
    return { contextWindow: e.contextWindow, ...(e.maxInput ? { maxInput: e.maxInput } : {}), maxOutput: e.maxOutput, inputPerM: e.inputPerM, outputPerM: e.outputPerM, currency: e.currency, ...(e.tiers ? { tiers: e.tiers } : {}) };
  }

  toUsd(amount: number, currency: Currency): number {
    return toUsd(amount, currency, this.cfg.currency.cnyPerUsd);
  }

  /**
   * Cost of a usage record in USD, with what the cache saved net of any cache-write premium (never below zero, and
   * signed as `cacheNetUsd`), what writing the cache cost and that premium; undefined for a model without a price.
   */
  cost(
    provider: ProviderId,
    model: string,
    usage: Usage,
    batch?: boolean,
  ): { usd: number; savingsUsd: number; cacheNetUsd: number; cacheWriteUsd: number; writePremiumUsd: number } | undefined {
    const e = this.entry(provider, model);
    if (!e) return undefined;
    const c = costOf(e, usage, { batch });
    return {
      usd: this.toUsd(c.total, c.currency),
      savingsUsd: this.toUsd(Math.max(0, c.cacheNet), c.currency),
      cacheNetUsd: this.toUsd(c.cacheNet, c.currency),
      cacheWriteUsd: this.toUsd(c.cacheWrite, c.currency),
      writePremiumUsd: this.toUsd(c.cacheWritePremium, c.currency),
    };
  }

  /** A USD amount in the display currency: "$0.0012" or "¥0.0086". */
  formatUsd(usd: number): string {
    const { display, cnyPerUsd } = this.cfg.currency;
    return formatMoney(convert(usd, 'USD', display, cnyPerUsd), display);
  }

  /** USD amounts read together, in the display currency, each with enough digits to differ from the others. */
  formatUsdAll(usd: readonly number[]): string[] {
    const { display, cnyPerUsd } = this.cfg.currency;
    return formatMoneyAll(
      usd.map((x) => convert(x, 'USD', display, cnyPerUsd)),
      display,
    );
  }

  /**
   * Amounts in `currency`, read together, in the display currency with enough digits to differ from each other
   * (undefined stays undefined).
   */
  formatAll(amounts: readonly (number | undefined)[], currency: Currency): (string | undefined)[] {
    const { display, cnyPerUsd } = this.cfg.currency;
    const known = amounts.filter((a): a is number => a !== undefined).map((a) => convert(a, currency, display, cnyPerUsd));
    const shown = formatMoneyAll(known, display);
    let i = 0;
    return amounts.map((a) => (a === undefined ? undefined : shown[i++]));
  }

  /** "$2.50 / $10.00 per M" in the model's own currency (for hovers). */
  describePrice(provider: ProviderId, model: string): string | undefined {
    const e = this.entry(provider, model);
    if (!e) return undefined;
    const f = (x: number) => formatMoney(x, e.currency);
    return `${f(e.inputPerM)} in / ${f(e.outputPerM)} out per M`;
  }
}

/**
 * `tierwise.models` entries → catalogue overrides keyed "provider/model" (DashScope: "provider/model@region" when
 * the entry names a `region`: china, international or us).
 */
export function overridesFromSettings(list: unknown[]): CatalogueOverrides {
  const out: CatalogueOverrides = {};
  for (const raw of list) {
    if (!raw || typeof raw !== 'object') continue;
    const m = raw as Record<string, unknown>;
    if (typeof m.provider !== 'string' || typeof m.id !== 'string') continue;
    const n = (k: string) => (typeof m[k] === 'number' && Number.isFinite(m[k]) ? (m[k] as number) : undefined);
    const region = m.provider === 'dashscope' ? dashscopeRegionFrom(m.region) : undefined;
    out[`${m.provider}/${m.id}${region ? `@${region}` : ''}`] = {
      ...(region ? { region } : {}),
      thinkingOutputPerM: n('thinkingOutput'),
      explicitCachedInputPerM: n('explicitCachedInput'),
      provider: m.provider as ProviderId,
      id: m.id,
      contextWindow: n('contextWindow'),
      maxOutput: n('maxOutput'),
      inputPerM: n('input'),
      outputPerM: n('output'),
      cachedInputPerM: n('cachedInput'),
      cacheWritePerM: n('cacheWrite'),
      batchInputPerM: n('batchInput'),
      batchOutputPerM: n('batchOutput'),
      currency: m.currency === 'CNY' || m.currency === 'USD' ? m.currency : undefined,
    };
  }
  return out;
}

/** The OpenAI-compatible endpoint is local: a loopback base URL, or none (the default is Ollama on localhost). */
function isLocalEndpoint(cfg: Pick<TierwiseConfig, 'providers'>): boolean {
  const url = cfg.providers.openaiCompatible.baseUrl;
  return !url || isLoopbackUrl(url);
}

/**
 * A model on a local server costs nothing: each OpenAI-compatible tier model (and each listed local model) gets a
 * price of 0 unless `tierwise.models` gives it one. A gateway (not on loopback) keeps "price unknown" unless priced
 * there or by the gateway's own cost header.
 */
function withLocalModelsFree(overrides: CatalogueOverrides, cfg: Pick<TierwiseConfig, 'providers' | 'routing'>, listed: readonly string[] = []): CatalogueOverrides {
  if (!isLocalEndpoint(cfg)) return overrides;
  const out = { ...overrides };
  const models = new Set([...Object.values(cfg.routing.config.tiers.openaiCompatible), ...listed]);
  for (const id of models) {
    const key = `openaiCompatible/${id}`;
    const user = out[key];
    out[key] = {
      provider: 'openaiCompatible',
      id,
      currency: 'USD',
      ...(user ?? {}),
      inputPerM: user?.inputPerM ?? 0,
      outputPerM: user?.outputPerM ?? 0,
      source: user && (user.inputPerM !== undefined || user.outputPerM !== undefined) ? 'settings (tierwise.models)' : 'local server: free',
    };
  }
  return out;
}

/** Marks a catalogue source set by `withGatewayListPrices` (the rest of the source is its label). */
const GATEWAY_SOURCE = 'gateway: ';

/**
 * A model behind a gateway (not on loopback) that `tierwise.models` does not price is estimated at the list price
 * of the catalogue model its name maps to (`openai/gpt-4o`, `anthropic/claude-…`, `dashscope/qwen-plus`, `gpt-4o`),
 * labelled as such; once the gateway reports a call's cost, the ledger records that instead (and the label says so).
 */
export function withGatewayListPrices(
  overrides: CatalogueOverrides,
  cfg: Pick<TierwiseConfig, 'providers' | 'routing'>,
  list: Catalogue,
  reported: ReadonlySet<string> = new Set(),
  notes?: Map<string, Message>,
): CatalogueOverrides {
  if (isLocalEndpoint(cfg)) return overrides;
  const out = { ...overrides };
  const fallback = Object.values(cfg.routing.config.fallback ?? {}).flatMap((refs) => (refs ?? []).filter((r) => r.provider === 'openaiCompatible').map((r) => r.model));
  const models = new Set([...Object.values(cfg.routing.config.tiers.openaiCompatible), ...fallback, ...reported]);
  for (const id of models) {
    const key = `openaiCompatible/${id}`;
    const user = out[key];
    const p = gatewayPricing(id, {
      userPriced: !!user && (user.inputPerM !== undefined || user.outputPerM !== undefined),
      reported: reported.has(id),
      known: (provider, model) => list.get(provider, model)?.id,
    });
    // A prefixed name ("openai/gpt-4o") is looked up without its prefix: give the entry that alias.
    const alias = catalogueLookupId(id);
    const aliases = alias !== id.toLowerCase() ? { aliases: [alias] } : {};
    if (p.kind !== 'list') {
      if (user && Object.keys(aliases).length) out[key] = { ...aliases, ...user };
      continue;
    }
    const e = list.get(p.of.provider, p.of.id)!;
    const note = gatewayNote(id, p)!;
    notes?.set(id, note);
    out[key] = {
      provider: 'openaiCompatible',
      id,
      name: id,
      tier: e.tier,
      contextWindow: e.contextWindow,
      maxOutput: e.maxOutput,
      ...(e.maxInput ? { maxInput: e.maxInput } : {}),
      currency: e.currency,
      inputPerM: e.inputPerM,
      outputPerM: e.outputPerM,
      ...(e.cachedInputPerM !== undefined ? { cachedInputPerM: e.cachedInputPerM } : {}),
      ...(e.cacheWritePerM !== undefined ? { cacheWritePerM: e.cacheWritePerM } : {}),
      ...(e.tiers ? { tiers: e.tiers } : {}),
      ...aliases,
      ...(user ?? {}),
      source: `${GATEWAY_SOURCE}${english(note)}`,
      date: e.date,
    };
  }
  return out;
}
