/**
 * The providers' own model lists (OpenAI, Anthropic and DashScope `GET …/models`, local servers and gateways), read
 * with the user's key and kept for a day per provider, base URL and key, so that a tier model the provider no longer
 * lists is flagged before anything is sent. That catches a shutdown the catalogue does not know of yet.
 *
 * Pure: the network, the time and the storage are ports. The key itself is never stored: an entry is named by a short
 * SHA-256 prefix of it. A failed read (network, 401, 5xx) flags nothing (unknown is not missing) and is not cached.
 */
import { createHash } from 'node:crypto';
import { closestModels } from '../pricing/lifecycle';
import { modelIdCandidates } from '../pricing/catalogue';
import type { ProviderId, Tier } from '../types';
import { listModels as listOpenAiCompatible, modelIdsOf, type FetchPort } from './local';

/** How long a list is good for. */
export const MODEL_LIST_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a failed read waits before it is tried again (in memory only: a new window tries at once). */
export const MODEL_LIST_RETRY_MS = 30 * 60 * 1000;
/** At most this many lists are kept (the oldest read goes first). */
export const MODEL_LIST_MAX_ENTRIES = 16;
/** At most this many ids are kept of one list. */
export const MODEL_LIST_MAX_IDS = 5000;
/** Anthropic pages: at most this many are read. */
const ANTHROPIC_MAX_PAGES = 20;

/** Where one list comes from: the provider, the base URL its requests go to, and the key they carry (if any). */
export interface ModelListTarget {
  provider: ProviderId;
  baseUrl: string;
  apiKey?: string;
}

/** A list as read. */
export interface ModelList {
  ids: string[];
  /** When it was read (ms since the epoch). */
  readAt: number;
  /** OpenAI's `shutdown_date` (YYYY-MM-DD) per model id, where the list gives one. */
  shutdown?: Record<string, string>;
}

/** A JSON value kept across sessions (the host's globalState). */
export interface JsonStorage {
  get(): unknown;
  set(value: unknown): void | PromiseLike<void>;
}

export interface ModelListPorts {
  fetch: FetchPort;
  clock: { now(): number };
  storage: JsonStorage;
  /** A short, stable digest of a key; default: the first 12 hex digits of its SHA-256. */
  hash?: (text: string) => string;
}

export interface ModelListOptions {
  ttlMs?: number;
  retryMs?: number;
  maxEntries?: number;
  timeoutMs?: number;
  /** Anthropic's page size (at most 1000); tests use small pages. */
  anthropicPageSize?: number;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12);
}

/** An HTTP error of a list read, with its status (Check Setup tells a rejected key from a missing listing). */
export class ModelListError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelListError';
  }
}

function withTimeout(ms: number, outer?: AbortSignal): AbortSignal {
  const t = AbortSignal.timeout(ms);
  return outer ? AbortSignal.any([t, outer]) : t;
}

function trimBase(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}

/** OpenAI's `shutdown_date` per id of an OpenAI-style list, where given. */
export function shutdownDatesOf(body: unknown): Record<string, string> {
  const data = (body as { data?: unknown })?.data;
  const out: Record<string, string> = {};
  if (!Array.isArray(data)) return out;
  for (const m of data) {
    const { id, shutdown_date: d } = (m ?? {}) as { id?: unknown; shutdown_date?: unknown };
    if (typeof id === 'string' && typeof d === 'string' && /^\d{4}-\d{2}-\d{2}/.test(d)) out[id] = d.slice(0, 10);
  }
  return out;
}

async function getJson(fetch: FetchPort, url: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  const r = await fetch(url, { method: 'GET', headers: { accept: 'application/json', ...headers }, signal: withTimeout(timeoutMs, signal) });
  if (!r.ok) throw new ModelListError(`HTTP ${r.status} from ${url}`, r.status);
  return r.json();
}

/**
 * Reads one provider's list over the network, in its own wire format:
 * - Anthropic: `GET {base}/v1/models?limit=1000` with `x-api-key` and `anthropic-version`, page by page (`after_id`
 *   while `has_more`, at most 20 pages);
 * - OpenAI: `GET {base}/models` with the bearer key (`shutdown_date` kept where given);
 * - DashScope: `GET {compatible-mode base}/models` with the bearer key;
 * - local servers and gateways: `GET {base}/models`, and Ollama's `/api/tags` when that gives nothing.
 * The key goes only to `target.baseUrl`. Throws on a network or HTTP error (`ModelListError` carries the status).
 */
export async function fetchModelList(fetch: FetchPort, target: ModelListTarget, options: { timeoutMs?: number; signal?: AbortSignal; anthropicPageSize?: number } = {}): Promise<Omit<ModelList, 'readAt'>> {
  const timeoutMs = options.timeoutMs ?? 8000;
  const base = trimBase(target.baseUrl);
  if (target.provider === 'anthropic') {
    const headers = { 'x-api-key': target.apiKey ?? '', 'anthropic-version': '2023-06-01' };
    const limit = Math.min(1000, Math.max(1, options.anthropicPageSize ?? 1000));
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < ANTHROPIC_MAX_PAGES; page++) {
      const q = new URLSearchParams({ limit: String(limit), ...(after ? { after_id: after } : {}) });
      const body = (await getJson(fetch, `${base}/v1/models?${q}`, headers, timeoutMs, options.signal)) as { has_more?: unknown; last_id?: unknown };
      const got = modelIdsOf(body);
      ids.push(...got);
      const last = typeof body?.last_id === 'string' ? body.last_id : got.at(-1);
      if (body?.has_more !== true || !last || last === after) break;
      after = last;
    }
    return { ids: [...new Set(ids)] };
  }
  if (target.provider === 'openai' || target.provider === 'dashscope') {
    const body = await getJson(fetch, `${base}/models`, target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}, timeoutMs, options.signal);
    const shutdown = shutdownDatesOf(body);
    return { ids: modelIdsOf(body), ...(Object.keys(shutdown).length ? { shutdown } : {}) };
  }
  try {
    return { ids: await listOpenAiCompatible(fetch, base, { apiKey: target.apiKey, timeoutMs, signal: options.signal }) };
  } catch (e) {
    const status = /HTTP (\d{3})/.exec(e instanceof Error ? e.message : '')?.[1];
    throw status ? new ModelListError(e instanceof Error ? e.message : String(e), Number(status)) : e;
  }
}

/** The ids a model may be listed under: itself, its undated name, and Ollama's `:latest`. */
function namesOf(model: string): string[] {
  const out = new Set(modelIdCandidates(model));
  for (const id of [...out]) {
    if (id.endsWith(':latest')) out.add(id.slice(0, -':latest'.length));
    else if (!id.includes(':')) out.add(`${id}:latest`);
  }
  return [...out];
}

/**
 * Whether `model` is in the list `ids`, case-insensitive: the id itself, a dated snapshot or alias of it
 * (`gpt-4o-2024-08-06`, `qwen-plus-latest` for `qwen-plus`, or the other way round), `:latest` for a local model, and
 * the catalogue's `aliases` of it when given.
 */
export function isListed(model: string, ids: readonly string[], aliases: readonly string[] = []): boolean {
  const wanted = new Set([model, ...aliases].flatMap(namesOf));
  return ids.some((id) => namesOf(id).some((n) => wanted.has(n)));
}

/** A tier model the provider's list does not have. */
export interface MissingModel {
  provider: ProviderId;
  tier: Tier;
  model: string;
  /** The setting that names it: `tierwise.tiers.<provider>.<tier>`. */
  setting: string;
  /** Up to 3 listed models closest to it by name. */
  closest: string[];
  readAt: number;
}

/** A tier model whose list entry carries a shutdown date (OpenAI's `shutdown_date`). */
export interface ListedShutdown {
  provider: ProviderId;
  tier: Tier;
  model: string;
  date: string;
  /** The date has passed: the model no longer answers. */
  past: boolean;
}

/** The tier models (tier → model) missing from `list`; none when there is no list or it is empty (unknown). */
export function missingTierModels(provider: ProviderId, tiers: Partial<Record<Tier, string>>, list: ModelList | undefined, aliases?: (model: string) => readonly string[]): MissingModel[] {
  if (!list || !list.ids.length) return [];
  const out: MissingModel[] = [];
  for (const [tier, model] of Object.entries(tiers) as [Tier, string | undefined][]) {
    if (!model || isListed(model, list.ids, aliases?.(model))) continue;
    out.push({ provider, tier, model, setting: `tierwise.tiers.${provider}.${tier}`, closest: closestModels(model, list.ids, 3), readAt: list.readAt });
  }
  return out;
}

/** The tier models the list gives a shutdown date for, on `today` (YYYY-MM-DD). */
export function listedShutdowns(provider: ProviderId, tiers: Partial<Record<Tier, string>>, list: ModelList | undefined, today: string): ListedShutdown[] {
  if (!list?.shutdown) return [];
  const dates = Object.entries(list.shutdown);
  const out: ListedShutdown[] = [];
  for (const [tier, model] of Object.entries(tiers) as [Tier, string | undefined][]) {
    if (!model) continue;
    const hit = dates.find(([id]) => id.toLowerCase() === model.toLowerCase());
    if (hit) out.push({ provider, tier, model, date: hit[1], past: hit[1] < today });
  }
  return out;
}

interface StoredEntry extends ModelList {
  provider: ProviderId;
  baseUrl: string;
}

interface Stored {
  v: 1;
  entries: Record<string, StoredEntry>;
}

const PROVIDERS: readonly string[] = ['openai', 'anthropic', 'dashscope', 'openaiCompatible'];

/** The stored entries that are well formed; anything else (an old or corrupt value) is dropped. */
function readStored(v: unknown): Record<string, StoredEntry> {
  const entries = (v as Partial<Stored> | undefined)?.entries;
  const out: Record<string, StoredEntry> = {};
  if (!entries || typeof entries !== 'object' || Array.isArray(entries) || (v as Stored).v !== 1) return out;
  for (const [k, e] of Object.entries(entries as Record<string, unknown>)) {
    const x = e as Partial<StoredEntry> | null;
    if (!x || typeof x !== 'object' || !PROVIDERS.includes(x.provider as string) || typeof x.baseUrl !== 'string') continue;
    if (typeof x.readAt !== 'number' || !Number.isFinite(x.readAt) || !Array.isArray(x.ids) || !x.ids.every((i) => typeof i === 'string')) continue;
    const shutdown = x.shutdown && typeof x.shutdown === 'object' && !Array.isArray(x.shutdown) ? Object.fromEntries(Object.entries(x.shutdown).filter(([, d]) => typeof d === 'string')) : undefined;
    out[k] = { provider: x.provider!, baseUrl: x.baseUrl, ids: x.ids.slice(0, MODEL_LIST_MAX_IDS), readAt: x.readAt, ...(shutdown && Object.keys(shutdown).length ? { shutdown } : {}) };
  }
  return out;
}

/**
 * The lists, cached per provider, base URL and key digest for a day, kept in `storage`. `refresh` reads a list when
 * its entry is older than a day (or forced); one read per target at a time; a failure is remembered in memory only,
 * for `retryMs`, and flags nothing.
 */
export class ModelLists {
  private entries: Record<string, StoredEntry> | undefined;
  private readonly running = new Map<string, Promise<ModelList | undefined>>();
  private readonly failedAt = new Map<string, number>();
  private readonly hash: (text: string) => string;
  private readonly ttlMs: number;
  private readonly retryMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly ports: ModelListPorts,
    private readonly options: ModelListOptions = {},
  ) {
    this.hash = ports.hash ?? shortHash;
    this.ttlMs = options.ttlMs ?? MODEL_LIST_TTL_MS;
    this.retryMs = options.retryMs ?? MODEL_LIST_RETRY_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? MODEL_LIST_MAX_ENTRIES);
  }

  /** The entry's name: provider, base URL (trimmed) and a digest of the key ("-" without one). Never the key. */
  keyOf(target: ModelListTarget): string {
    return `${target.provider}|${trimBase(target.baseUrl)}|${target.apiKey ? this.hash(target.apiKey) : '-'}`;
  }

  private all(): Record<string, StoredEntry> {
    this.entries ??= readStored(safeGet(this.ports.storage));
    return this.entries;
  }

  /** The list last read for this target, whatever its age (`readAt` says when); undefined when never read. */
  get(target: ModelListTarget): ModelList | undefined {
    return this.byKey(this.keyOf(target));
  }

  /** The same, by an entry name from `keyOf` (for a caller that cannot read the key synchronously). */
  byKey(key: string): ModelList | undefined {
    const e = this.all()[key];
    return e ? { ids: e.ids, readAt: e.readAt, ...(e.shutdown ? { shutdown: e.shutdown } : {}) } : undefined;
  }

  /** Whether the target's list was read less than a day ago. */
  isFresh(target: ModelListTarget): boolean {
    const e = this.all()[this.keyOf(target)];
    const now = this.ports.clock.now();
    return !!e && now - e.readAt < this.ttlMs && e.readAt <= now;
  }

  /**
   * The target's list: the stored one while fresh, else read now. undefined when the read failed (and then it is
   * not tried again for `retryMs`, unless forced).
   */
  async refresh(target: ModelListTarget, opts: { force?: boolean; signal?: AbortSignal } = {}): Promise<ModelList | undefined> {
    const key = this.keyOf(target);
    if (!opts.force && this.isFresh(target)) return this.get(target);
    const failed = this.failedAt.get(key);
    if (!opts.force && failed !== undefined && this.ports.clock.now() - failed < this.retryMs) return undefined;
    const run = this.running.get(key);
    if (run) return run;
    const p = this.read(key, target, opts.signal).finally(() => this.running.delete(key));
    this.running.set(key, p);
    return p;
  }

  private async read(key: string, target: ModelListTarget, signal?: AbortSignal): Promise<ModelList | undefined> {
    try {
      const got = await fetchModelList(this.ports.fetch, target, { timeoutMs: this.options.timeoutMs, signal, anthropicPageSize: this.options.anthropicPageSize });
      return await this.record(target, got.ids, got.shutdown, key);
    } catch {
      this.failedAt.set(key, this.ports.clock.now());
      return undefined;
    }
  }

  /** Stores a list read elsewhere (Check Setup reads it too). An empty list is not stored: it says nothing. */
  async record(target: ModelListTarget, ids: readonly string[], shutdown?: Record<string, string>, key = this.keyOf(target)): Promise<ModelList | undefined> {
    this.failedAt.delete(key);
    if (!ids.length) return undefined;
    const entry: StoredEntry = {
      provider: target.provider,
      baseUrl: trimBase(target.baseUrl),
      ids: [...new Set(ids)].slice(0, MODEL_LIST_MAX_IDS),
      readAt: this.ports.clock.now(),
      ...(shutdown && Object.keys(shutdown).length ? { shutdown } : {}),
    };
    const next = { ...this.all(), [key]: entry };
    const keys = Object.keys(next).sort((a, b) => next[b]!.readAt - next[a]!.readAt);
    for (const k of keys.slice(this.maxEntries)) delete next[k];
    this.entries = next;
    await this.ports.storage.set({ v: 1, entries: next } satisfies Stored);
    return this.byKey(key);
  }

  /** Forgets a failure, so that the next refresh reads at once (the key or the settings changed). */
  forgetFailures(): void {
    this.failedAt.clear();
  }
}

function safeGet(storage: JsonStorage): unknown {
  try {
    return storage.get();
  } catch {
    return undefined;
  }
}
