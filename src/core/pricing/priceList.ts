/**
 * Prices without a release: LiteLLM's public `model_prices_and_context_window.json` (the price list most LLM tools
 * share) read into catalogue updates, and what they would change. Pure: the host fetches or reads the file.
 *
 * Only OpenAI and Anthropic chat models are taken with their prices. DashScope keeps the built-in prices (its China
 * prices are in CNY, which LiteLLM does not carry): of its models only the lifecycle (`deprecation_date`) is taken.
 */
import type { ProviderId } from '../types';
import { msg, type Message } from '../messages';
import type { Catalogue, ModelEntry, PriceFields, PriceList, PriceListModel } from './catalogue';
import { modelIdCandidates } from './catalogue';

/** LiteLLM's own default location of the file. */
export const LITELLM_PRICES_URL = 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json';

export type { PriceFields, PriceList, PriceListModel } from './catalogue';

export interface ParseResult {
  list: PriceList;
  /** Entries of OpenAI / Anthropic that could not be used, with the reason (for the log). */
  problems: string[];
}

const PROVIDERS: Record<string, ProviderId> = { openai: 'openai', anthropic: 'anthropic', dashscope: 'dashscope' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHAT_MODES = new Set(['chat', 'responses', undefined]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Per-token USD → per million, rounded to 10 significant digits so 2.5e-06 reads as 2.5. */
function perM(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
  return Number((v * 1_000_000).toPrecision(10));
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/**
 * Reads LiteLLM's JSON (an object of model name → fields). Keeps chat models of OpenAI and Anthropic with an input
 * and an output price; undated names only (a dated snapshot is priced through its undated name). DashScope models are
 * kept only when they have a `deprecation_date`, for their lifecycle: their prices are never applied.
 */
export function parseLiteLlmPrices(json: unknown, meta: { from: string; date: string }): ParseResult {
  const problems: string[] = [];
  const models: PriceListModel[] = [];
  if (!isRecord(json)) throw new Error('not a LiteLLM price list: expected a JSON object of models');
  for (const [key, raw] of Object.entries(json)) {
    if (key === 'sample_spec' || !isRecord(raw)) continue;
    const provider = PROVIDERS[String(raw.litellm_provider)];
    if (!provider) continue;
    if (!CHAT_MODES.has(raw.mode as string | undefined)) continue;
    const id = key.replace(/^(openai|anthropic|dashscope)\//, '');
    if (id.includes('/') || id.startsWith('ft:')) continue;
    if (modelIdCandidates(id).length > 1) continue; // dated or versioned snapshot
    const eol = typeof raw.deprecation_date === 'string' && DATE.test(raw.deprecation_date) ? raw.deprecation_date : undefined;
    if (provider === 'dashscope') {
      if (eol) models.push({ provider, id, inputPerM: perM(raw.input_cost_per_token) ?? 0, outputPerM: perM(raw.output_cost_per_token) ?? 0, tier: guessTier(id), endOfLife: eol });
      continue;
    }
    const inputPerM = perM(raw.input_cost_per_token);
    const outputPerM = perM(raw.output_cost_per_token);
    if (inputPerM === undefined || outputPerM === undefined) {
      problems.push(`${key}: no input or output price; skipped.`);
      continue;
    }
    const m: PriceListModel = { provider, id, inputPerM, outputPerM, tier: guessTier(id) };
    const set = <K extends keyof PriceListModel>(k: K, v: PriceListModel[K] | undefined) => {
      if (v !== undefined) m[k] = v;
    };
    set('cachedInputPerM', perM(raw.cache_read_input_token_cost));
    set('cacheWritePerM', perM(raw.cache_creation_input_token_cost));
    set('batchInputPerM', perM(raw.input_cost_per_token_batches));
    set('batchOutputPerM', perM(raw.output_cost_per_token_batches));
    set('maxOutput', count(raw.max_output_tokens));
    const maxIn = count(raw.max_input_tokens);
    set('contextWindow', maxIn);
    set('endOfLife', eol);
    models.push(m);
  }
  models.sort((a, b) => (a.provider + a.id).localeCompare(b.provider + b.id));
  return { list: { name: 'LiteLLM', from: meta.from, date: meta.date, models }, problems };
}

export interface PriceChange {
  provider: ProviderId;
  id: string;
  field: keyof PriceFields;
  from: number | string | undefined;
  to: number | string;
}

export interface PriceDiff {
  added: PriceListModel[];
  changed: PriceChange[];
  /** Models of the list whose prices equal the catalogue's. */
  unchanged: number;
}

const COMPARED: (keyof PriceFields)[] = ['inputPerM', 'outputPerM', 'cachedInputPerM', 'cacheWritePerM', 'batchInputPerM', 'batchOutputPerM', 'maxOutput', 'endOfLife'];

/** What applying `list` to `catalogue` would change: new models, and each changed price. */
export function diffPriceList(catalogue: Catalogue, list: PriceList): PriceDiff {
  const added: PriceListModel[] = [];
  const changed: PriceChange[] = [];
  let unchanged = 0;
  for (const m of list.models) {
    if (m.provider === 'dashscope') {
      // The lifecycle only, of the model in any region's list; a model the catalogue does not have is not added.
      const e = (['china', 'international', 'us'] as const).map((r) => catalogue.get('dashscope', m.id, r)).find((x) => x && x.id.toLowerCase() === m.id.toLowerCase());
      if (!e || !m.endOfLife) continue;
      if (m.endOfLife === e.endOfLife) unchanged++;
      else changed.push({ provider: m.provider, id: m.id, field: 'endOfLife', from: e.endOfLife, to: m.endOfLife });
      continue;
    }
    const e = catalogue.get(m.provider, m.id);
    if (!e || e.id.toLowerCase() !== m.id.toLowerCase()) {
      added.push(m);
      continue;
    }
    let same = true;
    for (const f of COMPARED) {
      const to = m[f];
      if (to === undefined || to === e[f]) continue;
      changed.push({ provider: m.provider, id: m.id, field: f, from: e[f], to });
      same = false;
    }
    if (same) unchanged++;
  }
  return { added, changed, unchanged };
}

/** A guess at the tier of a model new to the catalogue, from its name. */
export function guessTier(id: string): ModelEntry['tier'] {
  const m = id.toLowerCase();
  if (/mini|nano|haiku|luna|flash|lite|small/.test(m)) return 'simple';
  if (/opus|astra|fable|mythos|-pro\b|pro$|^o\d/.test(m)) return 'complex';
  return 'medium';
}

/** The lifecycle changes of a diff (end-of-life dates), apart from the prices. */
export function lifecycleChanges(d: PriceDiff): PriceChange[] {
  return d.changed.filter((c) => c.field === 'endOfLife');
}

/**
 * One line per change, for the confirmation; an end of life reads "openai/gpt-x: end of life 2027-01-14 (new)",
 * "(was 2027-03-01)" when it moved, and "retired on …" when the date is before `today` (default: the list's day).
 */
export function describeDiff(d: PriceDiff, max = 40, today?: string): string[] {
  const lines: string[] = [];
  const fmt = (v: number | string | undefined) => (v === undefined ? '—' : typeof v === 'number' ? String(v) : v);
  const eol = (date: string, was: number | string | undefined) => {
    const when = today && date < today ? `retired on ${date}` : `end of life ${date}`;
    return `${when} (${was === undefined ? 'new' : `was ${fmt(was)}`})`;
  };
  for (const m of d.added) lines.push(`new: ${m.provider}/${m.id} $${m.inputPerM} in / $${m.outputPerM} out per M${m.endOfLife ? `, ${eol(m.endOfLife, undefined)}` : ''}`);
  for (const c of d.changed) lines.push(c.field === 'endOfLife' ? `${c.provider}/${c.id}: ${eol(String(c.to), c.from)}` : `${c.provider}/${c.id} ${c.field}: ${fmt(c.from)} → ${fmt(c.to)}`);
  if (lines.length > max) return [...lines.slice(0, max), `… and ${lines.length - max} more`];
  return lines;
}

/** "built-in prices of 2026-12-01" or "LiteLLM price list of 2026-12-03". */
export function describePriceSource(list: Pick<PriceList, 'name' | 'date'> | undefined, builtInDate: string): Message {
  return list ? msg('errors.prices.list', list.name, list.date, builtInDate) : msg('errors.prices.builtIn', builtInDate);
}
