import type { Currency, ProviderId, Tier } from '../types';
import { DEFAULT_DASHSCOPE_REGION, dashscopeRegionFrom, type DashScopeRegion } from '../providers/baseUrls';
import data from './catalogue.json';

export type LifecycleStatus = 'current' | 'legacy' | 'deprecated' | 'retired';

/**
 * One input-length price tier (DashScope): a request whose input is at most `upTo` tokens (and above the
 * previous tier's) is billed, as a whole, at these prices.
 */
export interface PriceTier {
  upTo: number;
  inputPerM: number;
  outputPerM: number;
  /** Output price in thinking mode, where it differs. */
  thinkingOutputPerM?: number;
}

/** One model with its prices per million tokens, in `currency`. */
export interface ModelEntry {
  provider: ProviderId;
  id: string;
  name: string;
  /** Which tier the model suits by default (a hint for settings and the compare table). */
  tier: Tier;
  /** DashScope only: China (Beijing, CNY), international (Singapore, USD) or US (Virginia, USD) price list. */
  region?: DashScopeRegion;
  contextWindow: number;
  /** Most input tokens accepted, when lower than the context window minus the output (GPT-5: 272K of 400K). */
  maxInput?: number;
  maxOutput: number;
  currency: Currency;
  inputPerM: number;
  outputPerM: number;
  /** Cache read (OpenAI/Qwen "cached input", Anthropic cache_read). Missing: billed as input. */
  cachedInputPerM?: number;
  /** Cache write (Anthropic cache_creation, Qwen explicit cache creation). Missing: billed as input. */
  cacheWritePerM?: number;
  /** Qwen explicit-cache hit (10% of input); `cachedInputPerM` is then the implicit-cache hit (20%). */
  explicitCachedInputPerM?: number;
  /** Output price in thinking mode (Qwen hybrid models), for answers that report reasoning tokens. */
  thinkingOutputPerM?: number;
  /**
   * Input-length price tiers, lowest first; the entry's own input/output prices are the first tier's. The whole
   * request is billed at the tier its input falls in.
   */
  tiers?: PriceTier[];
  batchInputPerM?: number;
  batchOutputPerM?: number;
  /** Batch calls get no cache discount (DashScope): cached tokens bill at the batch input price. */
  batchNoCacheDiscount?: boolean;
  aliases?: string[];
  /**
   * Where the model is in its life, as the provider announced it: `current`, `legacy` (superseded but served, no
   * retirement announced), `deprecated` (retirement announced) or `retired`. Past `endOfLife` a model is retired
   * whatever this says (see `lifecycleOf`).
   */
  status?: LifecycleStatus;
  /** The provider has announced the model's retirement (or retired it): never a default. */
  deprecated?: boolean;
  /** Shutdown date (YYYY-MM-DD) where announced; after it the model no longer answers. */
  endOfLife?: string;
  /** The model the provider recommends instead, where it names one. */
  successor?: string;
  /** Where the lifecycle was read, a second source, and the date it was checked (YYYY-MM-DD). */
  lifecycleSource?: string;
  lifecycleSourceCheck?: string;
  lifecycleChecked?: string;
  source?: string;
  sourceCheck?: string;
  date?: string;
  note?: string;
}

/**
 * User overrides and additions from settings (`tierwise.pricing.overrides`), keyed "provider/model"
 * (DashScope: optionally "dashscope/model@international", or @intl, @china, @cn, @us). Fields given replace the catalogue's; unknown keys add models.
 */
export type CatalogueOverrides = Record<string, Partial<ModelEntry>>;

export interface CatalogueOptions {
  overrides?: CatalogueOverrides;
  /** Which DashScope price list applies (default china). 'us' uses US entries, else the international ones. */
  dashscopeRegion?: DashScopeRegion;
  /** Prices read with "Update Prices" (OpenAI and Anthropic), applied over the built-in ones, under `overrides`. */
  priceList?: PriceList;
}

const BUILT_IN = (data as { models: ModelEntry[] }).models;

/** Lower-case, without a provider prefix. */
function clean(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^(openai|anthropic|dashscope|qwen|openaicompatible)\//, '');
}

/**
 * Candidate catalogue ids for a model id as providers report it: the id itself, then without a date or version
 * suffix: `gpt-4o-2024-08-06` → `gpt-4o`, `claude-3-5-sonnet-20241022` → `claude-3-5-sonnet`,
 * `gpt-3.5-turbo-0125` → `gpt-3.5-turbo`, `qwen-plus-2025-09-11` / `qwen-plus-latest` → `qwen-plus`.
 */
export function modelIdCandidates(model: string): string[] {
  const id = clean(model);
  const out = [id];
  const stripped = id
    .replace(/-(latest)$/, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/-20\d{6}$/, '')
    .replace(/-(0[1-9]|1[0-2])(\d{2})$/, '')
    .replace(/-v\d+(:\d+)?$/, '');
  if (stripped !== id) out.push(stripped);
  return out;
}

/** true once a model's announced end of life has passed (it no longer answers). */
export function isRetired(e: Pick<ModelEntry, 'endOfLife'>, today: string = new Date().toISOString().slice(0, 10)): boolean {
  return !!e.endOfLife && e.endOfLife < today;
}

/**
 * A price ladder rises when each step costs at least as much per input token and per output token as the one
 * below, and more in at least one of them, so a higher tier is never cheaper whatever the mix of input and output.
 */
export function laddersRise(steps: readonly Pick<ModelEntry, 'inputPerM' | 'outputPerM'>[]): boolean {
  for (let i = 1; i < steps.length; i++) {
    const a = steps[i - 1]!;
    const b = steps[i]!;
    if (b.inputPerM < a.inputPerM || b.outputPerM < a.outputPerM) return false;
    if (b.inputPerM === a.inputPerM && b.outputPerM === a.outputPerM) return false;
  }
  return true;
}

/** The fields a price list may set on a model. */
export type PriceFields = Pick<
  ModelEntry,
  'inputPerM' | 'outputPerM' | 'cachedInputPerM' | 'cacheWritePerM' | 'batchInputPerM' | 'batchOutputPerM' | 'maxInput' | 'maxOutput' | 'endOfLife'
>;

export interface PriceListModel extends Partial<PriceFields> {
  provider: ProviderId;
  id: string;
  inputPerM: number;
  outputPerM: number;
  /** Only used when the model is new to the catalogue. */
  contextWindow?: number;
  /** Only used when the model is new to the catalogue (a guess from the name). */
  tier: ModelEntry['tier'];
}

/** A price list as stored in global storage. */
export interface PriceList {
  /** "LiteLLM". */
  name: string;
  /** The URL or file it was read from. */
  from: string;
  /** When it was read (YYYY-MM-DD). */
  date: string;
  models: PriceListModel[];
}

export class Catalogue {
  private readonly entries: ModelEntry[];
  private readonly region: DashScopeRegion;

  constructor(options: CatalogueOptions = {}) {
    this.region = options.dashscopeRegion ?? DEFAULT_DASHSCOPE_REGION;
    this.entries = BUILT_IN.map((e) => ({ ...e }));
    if (options.priceList) this.applyPriceList(options.priceList);
    for (const [key, patch] of Object.entries(options.overrides ?? {})) this.applyOverride(key, patch);
  }

  /** The date of the built-in prices (the latest check of any entry). */
  static builtInDate(): string {
    return BUILT_IN.reduce((d, e) => (e.date && e.date > d ? e.date : d), '');
  }

  private applyPriceList(list: PriceList): void {
    const source = `${list.name} price list (${list.from})`;
    for (const m of list.models) {
      if (m.provider === 'dashscope') {
        // CNY prices stay built in: only the lifecycle is taken, for the model in every region's list.
        if (!m.endOfLife) continue;
        const id = m.id.toLowerCase();
        for (const e of this.entries) if (e.provider === 'dashscope' && (e.id.toLowerCase() === id || e.aliases?.some((a) => a.toLowerCase() === id))) Object.assign(e, lifecycleFromList(e, m.endOfLife, list));
        continue;
      }
      const existing = this.get(m.provider, m.id);
      const { provider, id, tier, contextWindow, ...fields } = m;
      const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ModelEntry>;
      if (existing && existing.id.toLowerCase() === id.toLowerCase()) {
        Object.assign(existing, defined, m.endOfLife ? lifecycleFromList(existing, m.endOfLife, list) : {}, { source, date: list.date });
        continue;
      }
      const entry = { provider, id, name: id, tier, contextWindow: contextWindow ?? 0, maxOutput: 0, currency: 'USD', ...defined, source, date: list.date } as ModelEntry;
      this.entries.push(m.endOfLife ? Object.assign(entry, lifecycleFromList(entry, m.endOfLife, list)) : entry);
    }
  }

  /** The entry for (provider, model), matching dated ids and aliases; undefined when unknown. */
  get(provider: ProviderId, model: string, region: DashScopeRegion = this.region): ModelEntry | undefined {
    const pool = this.pool(provider, region);
    for (const id of modelIdCandidates(model)) {
      const hit = pool.find((e) => e.id.toLowerCase() === id || e.aliases?.some((a) => a.toLowerCase() === id));
      if (hit) return hit;
    }
    return undefined;
  }

  /** Every model of a provider (DashScope: of the active region). */
  models(provider: ProviderId, region: DashScopeRegion = this.region): ModelEntry[] {
    return this.pool(provider, region);
  }

  /** The model a tier points to by default for a provider (first current catalogue entry with that tier hint). */
  defaultFor(provider: ProviderId, tier: Tier): ModelEntry | undefined {
    return this.pool(provider, this.region).find((e) => e.tier === tier && !e.deprecated);
  }

  all(): readonly ModelEntry[] {
    return this.entries;
  }

  private pool(provider: ProviderId, region: DashScopeRegion): ModelEntry[] {
    if (provider !== 'dashscope') return this.entries.filter((e) => e.provider === provider);
    const own = this.entries.filter((e) => e.provider === provider && (e.region ?? DEFAULT_DASHSCOPE_REGION) === region);
    if (region !== 'us') return own;
    // US (Virginia) bills in USD; models without a US entry take the international (Singapore) price.
    const ids = new Set(own.map((e) => e.id.toLowerCase()));
    return [...own, ...this.entries.filter((e) => e.provider === provider && e.region === 'international' && !ids.has(e.id.toLowerCase()))];
  }

  private applyOverride(key: string, patch: Partial<ModelEntry>): void {
    const m = /^([A-Za-z]+)[/:](.+?)(?:@(china|cn|international|intl|us))?$/i.exec(key.trim());
    const provider = (patch.provider ?? m?.[1]) as ProviderId | undefined;
    const id = patch.id ?? m?.[2];
    if (!provider || !id || !['openai', 'anthropic', 'dashscope', 'openaiCompatible'].includes(provider)) return;
    const region = dashscopeRegionFrom(patch.region ?? m?.[3]) ?? (provider === 'dashscope' ? this.region : undefined);
    const existing = this.get(provider, id, region ?? this.region);
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null)) as Partial<ModelEntry>;
    // The region as the one type spells it, whatever spelling the settings used.
    if (region) clean.region = region;
    else delete clean.region;
    // A price given in settings replaces the input-length tiers too (they carry the catalogue's own prices).
    if ((clean.inputPerM !== undefined || clean.outputPerM !== undefined) && clean.tiers === undefined) clean.tiers = undefined;
    if (existing && existing.id.toLowerCase() === clean_(id) && (provider !== 'dashscope' || (existing.region ?? DEFAULT_DASHSCOPE_REGION) === region)) {
      Object.assign(existing, clean, { source: clean.source ?? 'settings override', date: clean.date ?? existing.date });
      return;
    }
    // A new id (or a dated snapshot priced differently) inherits the rest from the entry it matched, if any.
    const base: ModelEntry = existing
      ? { ...existing, aliases: undefined, note: undefined }
      : {
          provider,
          id,
          name: id,
          tier: 'medium',
          contextWindow: 0,
          maxOutput: 0,
          currency: provider === 'dashscope' && region === 'china' ? 'CNY' : 'USD',
          inputPerM: 0,
          outputPerM: 0,
        };
    this.entries.unshift({ ...base, id, name: existing ? id : base.name, ...(region ? { region } : {}), source: 'settings', date: undefined, ...clean });
  }
}

/**
 * The lifecycle a price list's `deprecation_date` gives a model: that end of life, deprecated (retired once the date is
 * before the list's own date; a retired model stays retired), read from the list on its date. The successor stays.
 */
function lifecycleFromList(e: Pick<ModelEntry, 'status'>, endOfLife: string, list: Pick<PriceList, 'name' | 'date'>): Partial<ModelEntry> {
  const status: LifecycleStatus = e.status === 'retired' || endOfLife < list.date ? 'retired' : 'deprecated';
  return { endOfLife, status, deprecated: true, lifecycleSource: `${list.name} price list (deprecation_date)`, lifecycleChecked: list.date };
}

function clean_(id: string): string {
  return clean(id);
}
